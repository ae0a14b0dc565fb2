import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { ccsim, root } from "./run-cli.js"

const tmp = mkdtempSync(join(tmpdir(), "ccsim-cli-"))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const textbook = "scenarios/erlang-a-textbook.yaml"
const withoutPerformance = (s: Record<string, unknown>) => {
  const { performance: _p, ...rest } = s
  return rest
}

describe("ccsim run", () => {
  it("prints only the summary JSON on stdout with --json, in the documented shape", () => {
    const r = ccsim(["run", textbook, "--seed", "7", "--replications", "2", "--json"])
    expect(r.code).toBe(0)
    const s = JSON.parse(r.stdout) // the whole of stdout is one JSON document
    expect(Object.keys(s)).toEqual(["schemaVersion", "scenario", "seed", "replications", "calls", "kpi", "performance"])
    expect(s).toMatchObject({ schemaVersion: 1, scenario: "erlang-a-textbook", seed: 7, replications: 2 })
    expect(Object.keys(s.calls)).toEqual(["offered", "answered", "abandoned", "inSystemAtEnd"])
    expect(Object.keys(s.kpi)).toEqual(["answerRate", "abandonRate", "meanWaitSeconds", "serviceLevel", "occupancy"])
    for (const k of Object.values(s.kpi) as Array<{ mean: number; ci95: number[] }>) {
      expect(k.ci95[0]).toBeLessThanOrEqual(k.mean)
      expect(k.mean).toBeLessThanOrEqual(k.ci95[1]!)
    }
    expect(s.calls.offered).toBe(s.calls.answered + s.calls.abandoned + s.calls.inSystemAtEnd)
    expect(Object.keys(s.performance)).toEqual(["events", "wallSeconds"])
    expect(s.performance.events).toBeGreaterThan(2 * 3_900_000)
    expect(s.performance.wallSeconds).toBeGreaterThan(0)
  })

  it("gives identical output for the same file and seed, whatever the number of worker threads", () => {
    const a = ccsim(["run", textbook, "--seed", "11", "--replications", "3", "--json", "--workers", "1"])
    const b = ccsim(["run", textbook, "--seed", "11", "--replications", "3", "--json", "--workers", "2"])
    expect(a.code).toBe(0)
    expect(b.code).toBe(0)
    expect(withoutPerformance(JSON.parse(b.stdout))).toEqual(withoutPerformance(JSON.parse(a.stdout)))
    const c = ccsim(["run", textbook, "--seed", "12", "--replications", "3", "--json"])
    expect(withoutPerformance(JSON.parse(c.stdout))).not.toEqual(withoutPerformance(JSON.parse(a.stdout)))
  })

  it("writes summary.json and intervals.csv to --out and prints a readable report", () => {
    const out = join(tmp, "run1")
    const r = ccsim(["run", textbook, "--seed", "7", "--replications", "2", "--out", out])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("erlang-a-textbook — seed 7, 2 replications")
    expect(r.stdout).toMatch(/answer rate\s+98\.\d{3}%/)
    const file = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"))
    const json = JSON.parse(ccsim(["run", textbook, "--seed", "7", "--replications", "2", "--json"]).stdout)
    expect(withoutPerformance(file)).toEqual(withoutPerformance(json))
    const csv = readFileSync(join(out, "intervals.csv"), "utf8").split("\r\n")
    expect(csv[0]).toBe(
      "interval,startSeconds,offered,redials,dissuadedClosure,dissuadedExceptional,dissuadedTechnical,dissuadedTelecom,dissuadedIvr," +
        "answered,answeredWithinSl,abandoned,cutOffAtClosing,inSystemAtEnd,transferred,tickets,waitSeconds,talkSeconds,wrapSeconds," +
        "staffedSeconds,phoneStaffedSeconds,busySeconds,idleSeconds,formsActivitySeconds,formsReceived,formsHandled," +
        "answerRate,abandonRate,meanWaitSeconds,serviceLevel,occupancy,accessibility,meanTalkSeconds,meanHandleSeconds," +
        "availabilityRate,transferRate,formsHandledRate,formsPerAdvisorDay,productiveHours"
    )
    expect(csv.length - 2).toBe(8000) // 2000 h of 15-minute intervals (+ header, + final empty line)
  })

  it("accepts the textbook scenario written in JSON, with the same result as the YAML file", () => {
    const doc = {
      name: "erlang-a-textbook",
      horizon: { hours: 2000 },
      calendar: "always-open",
      arrivals: { poisson: { perHour: 1000 } },
      handleTime: { exponential: { meanSeconds: 300 } },
      patience: { exponential: { meanSeconds: 180 } },
      agents: 90,
      serviceLevelSeconds: 20
    }
    const p = join(tmp, "textbook.json")
    writeFileSync(p, JSON.stringify(doc, null, 2))
    expect(ccsim(["validate", p]).code).toBe(0)
    const fromJson = JSON.parse(ccsim(["run", p, "--seed", "7", "--replications", "2", "--json"]).stdout)
    const fromYaml = JSON.parse(ccsim(["run", textbook, "--seed", "7", "--replications", "2", "--json"]).stdout)
    expect(withoutPerformance(fromJson)).toEqual(withoutPerformance(fromYaml))
  })

  it("without --out, writes to runs/<name>-<timestamp>/ under the working directory", () => {
    const cwd = mkdtempSync(join(tmpdir(), "ccsim-cwd-"))
    try {
      const r = ccsim(["run", join(root, textbook), "--seed", "3", "--replications", "1"], cwd)
      expect(r.code).toBe(0)
      const runs = readdirSync(join(cwd, "runs"))
      expect(runs).toHaveLength(1)
      expect(runs[0]).toMatch(/^erlang-a-textbook-\d{8}-\d{6}$/)
      expect(readdirSync(join(cwd, "runs", runs[0]!)).sort()).toEqual(["intervals.csv", "replicas.json", "report.html", "run.json", "summary.json"])
      expect(r.stdout).toContain(`written to runs/${runs[0]}/`)
    } finally {
      rmSync(cwd, { recursive: true, force: true })
    }
  })

  it("matches the golden summary of the textbook scenario (seed 7, 2 replications)", () => {
    const golden = join(root, "test/golden/erlang-a-textbook.seed7.r2.json")
    const s = withoutPerformance(JSON.parse(ccsim(["run", textbook, "--seed", "7", "--replications", "2", "--json"]).stdout))
    // Regenerated only on purpose: UPDATE_GOLDEN=1 npx vitest run test/cli
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(golden, JSON.stringify(s, null, 2) + "\n")
    expect(existsSync(golden), `${golden} is missing; create it with UPDATE_GOLDEN=1`).toBe(true)
    expect(s).toEqual(JSON.parse(readFileSync(golden, "utf8")))
  })
})

describe("bad input", () => {
  const write = (name: string, text: string) => {
    const p = join(tmp, name)
    writeFileSync(p, text)
    return p
  }
  const noStack = (stderr: string) => {
    expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
    expect(stderr).not.toContain("Error:")
  }

  it("a missing file: exit 2, the file named", () => {
    const r = ccsim(["run", "no/such/scenario.yaml"])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("no/such/scenario.yaml: 1 problem")
    expect(r.stderr).toContain("no such file")
    noStack(r.stderr)
  })

  it("a YAML syntax error: exit 2 with file:line:column", () => {
    const p = write("syntax.yaml", "name: x\nhorizon: { hours: 2\ncalendar: always-open\n")
    const r = ccsim(["validate", p])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(new RegExp(`${p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+: syntax error`))
    noStack(r.stderr)
  })

  it("a negative rate, an unknown distribution and a string for a number: every problem with its path", () => {
    const p = write(
      "bad.yaml",
      [
        "name: bad",
        'horizon: { hours: "12k" }',
        "calendar: always-open",
        "arrivals: { poisson: { perHour: -1000 } }",
        "handleTime: { weibull: { shape: 2 } }",
        "agents: 90",
        ""
      ].join("\n")
    )
    const r = ccsim(["run", p, "--json"])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe("")
    expect(r.stderr).toContain(`${p}: 3 problems`)
    expect(r.stderr).toContain('horizon.hours: Expected number, got "12k"')
    expect(r.stderr).toContain("arrivals.poisson.perHour: Expected a number >= 0, got -1000")
    expect(r.stderr).toContain("handleTime.weibull: unknown distribution; expected one of exponential, deterministic, uniform, lognormal, gamma, erlang, empirical, histogram")
    noStack(r.stderr)
  })

  it("bad flags: exit 2", () => {
    expect(ccsim(["run", textbook, "--replications", "0"]).code).toBe(2)
    expect(ccsim(["run", textbook, "--seed", "abc"]).code).toBe(2)
    expect(ccsim(["erlang", "--handle-seconds", "300"]).code).toBe(2)
  })

  it("an output folder that cannot be written: exit 2 before anything is simulated, nothing lost", () => {
    const file = write("a-file.txt", "not a folder\n")
    const started = performance.now()
    const onFile = ccsim(["run", textbook, "--out", file])
    expect(onFile.code).toBe(2)
    expect(onFile.stderr).toContain(`--out: ${file}: a file is in the way: give a folder`)
    noStack(onFile.stderr)
    const proc = ccsim(["run", textbook, "--out", "/proc/nope/out"])
    expect(proc.code).toBe(2)
    expect(proc.stderr).toContain("--out: /proc/nope/out: cannot create it")
    // The textbook simulation takes seconds: refusing the folder first takes a fraction of it.
    expect(onFile.stdout + proc.stdout).toBe("")
    expect(performance.now() - started).toBeLessThan(20_000)
    expect(readFileSync(file, "utf8")).toBe("not a folder\n")
  })

  it("validate says what it checked when the scenario is valid", () => {
    const r = ccsim(["validate", textbook])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('valid — "erlang-a-textbook", 2,000 h, 8,000 intervals of 15 min')
  })
})

describe("ccsim erlang", () => {
  it("prints the exact Erlang A values of the textbook scenario", () => {
    const r = ccsim(["erlang", textbook])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("answered           98.1366%")
    expect(r.stdout).toContain("abandoned          1.8634%")
    expect(r.stdout).toContain("mean wait          3.3541 s")
    expect(r.stdout).toContain("service level      92.2198% answered within 20 s")
  })

  it("agrees with the reference values to 1e-6 and finds the smallest staffing for a target", () => {
    const m = JSON.parse(ccsim(["erlang", "--arrivals-per-hour", "1000", "--handle-seconds", "300", "--patience-seconds", "180", "--agents", "90", "--json"]).stdout).metrics
    expect(Math.abs(m.answerRate - 0.98136590)).toBeLessThan(1e-6)
    expect(Math.abs(m.abandonRate - 0.01863410)).toBeLessThan(1e-6)
    expect(Math.abs(m.meanWaitSeconds - 3.35413806)).toBeLessThan(1e-6)
    expect(Math.abs(m.serviceLevel - 0.92219845)).toBeLessThan(1e-6)
    const t = ccsim(["erlang", textbook, "--target-sl", "0.8"])
    expect(t.stdout).toContain("smallest staffing meeting the target (service level >= 80.0%): 84 agents — answered 95.5%, abandoned 4.5%, mean wait 8.1 s")
  })
})

describe("a reader that stops early", () => {
  it("`ccsim run … --json | head`: output to a closed pipe ends the process quietly, exit 0, no stack trace", async () => {
    const { spawn } = await import("node:child_process")
    const child = spawn(process.execPath, [`${root}/bin/ccsim.mjs`, "run", "scenarios/erlang-a-textbook.yaml", "--replications", "1", "--json"], { cwd: root })
    let stderr = ""
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
    child.stdout.destroy() // the reader is gone before the summary is written
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)))
    expect(stderr).not.toContain("EPIPE")
    expect(stderr).toBe("")
    expect(code).toBe(0)
  }, 60_000)
})
