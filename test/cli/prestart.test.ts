// `ccsim run` starts its first worker thread before the bundle loads (bin/prestart-worker.mjs);
// the run adopts it instead of starting another, and a run that needs none never starts it.
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { availableParallelism, tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
// @ts-expect-error plain JavaScript, run before the bundle loads
import { runUsesWorkers } from "../../bin/prestart-worker.mjs"
import { root } from "./run-cli.js"

const tmp = mkdtempSync(join(tmpdir(), "ccsim-prestart-"))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))
const scenario = join(tmp, "short.yaml")
writeFileSync(scenario, "name: short\nhorizon: { hours: 1 }\ncalendar: always-open\narrivals: { poisson: { perHour: 100 } }\nhandleTime: { exponential: { meanSeconds: 300 } }\nagents: 10\n")

/** Runs the CLI; counts the worker threads that loaded the worker bundle (one report line each). */
const run = (args: ReadonlyArray<string>) => {
  const r = spawnSync(process.execPath, [join(root, "bin/ccsim.mjs"), ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, CCSIM_CODE_CACHE: "report" }
  })
  return { code: r.status, stdout: r.stdout, workers: (r.stderr.match(/code cache \w+ for \S*worker-/g) ?? []).length }
}

describe("prestarted worker", () => {
  it("is wanted only by `run` with worker threads", () => {
    const manyCores = availableParallelism() > 1
    expect(runUsesWorkers(["run", "x.yaml"])).toBe(manyCores)
    expect(runUsesWorkers(["run", "x.yaml", "--workers", "0"])).toBe(true)
    expect(runUsesWorkers(["run", "x.yaml", "--workers", "2"])).toBe(true)
    expect(runUsesWorkers(["run", "x.yaml", "--workers", "1"])).toBe(false)
    expect(runUsesWorkers(["run", "x.yaml", "--workers=1"])).toBe(false)
    expect(runUsesWorkers(["validate", "x.yaml"])).toBe(false)
    expect(runUsesWorkers(["erlang", "--workers", "2"])).toBe(false)
  })

  it("becomes the producer of a single pipelined replication (no second worker)", () => {
    const r = run(["run", scenario, "--json", "--replications", "1", "--workers", "2"])
    expect(r.code).toBe(0)
    expect(r.workers).toBe(1)
  })

  it("becomes one of the pool's workers", () => {
    const r = run(["run", scenario, "--json", "--replications", "3", "--workers", "2"])
    expect(r.code).toBe(0)
    expect(r.workers).toBe(2)
    expect(JSON.parse(r.stdout).replications).toBe(3)
  })

  it("is not started for an in-process run, and never holds up a run that fails", () => {
    const inProcess = run(["run", scenario, "--json", "--replications", "2", "--workers", "1"])
    expect(inProcess.code).toBe(0)
    expect(inProcess.workers).toBe(0)
    const started = Date.now()
    const bad = run(["run", join(tmp, "missing.yaml"), "--json", "--replications", "1", "--workers", "2"])
    expect(bad.code).toBe(2)
    expect(Date.now() - started).toBeLessThan(30_000)
  })

  it("gives the same results as a run without it", () => {
    const a = run(["run", scenario, "--json", "--replications", "1", "--workers", "2", "--seed", "5"])
    const b = run(["run", scenario, "--json", "--replications", "1", "--workers", "1", "--seed", "5"])
    const strip = (s: string) => {
      const { performance: _p, ...rest } = JSON.parse(s) as Record<string, unknown>
      return rest
    }
    expect(strip(a.stdout)).toEqual(strip(b.stdout))
  })
})
