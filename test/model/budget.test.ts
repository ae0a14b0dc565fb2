/**
 * The work budget (issue 16 item 1): what a scenario will cost is estimated from its compiled
 * model, and a run beyond the documented limits is refused with the figure — while every shipped
 * scenario stays well inside them.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { decodeDocument, readDocument } from "../../scenarios/schema/load.js"
import { Scenario } from "../../scenarios/schema/scenario.js"
import { readInputFile } from "../../scenarios/schema/input-file.js"
import { budgetProblems, DEFAULT_MAX_CALLS, defaultLimits, estimateWork, horizonProblems, MAX_ADVISORS, runMemory } from "../../sim/model/budget.js"
import { compile } from "../../sim/model/compile.js"
import { modelOf } from "../helpers.js"
import { ccsim, root } from "../cli/run-cli.js"

/** The textbook queue with some fields replaced (`undefined` removes one). */
const textbook = (over: Record<string, unknown> = {}) => {
  const doc: Record<string, unknown> = {
    name: "t",
    horizon: { hours: 2000 },
    calendar: "always-open",
    arrivals: { poisson: { perHour: 1000 } },
    handleTime: { exponential: { meanSeconds: 300 } },
    patience: { exponential: { meanSeconds: 180 } },
    agents: 90,
    ...over
  }
  for (const k of Object.keys(doc)) if (doc[k] === undefined) delete doc[k]
  return modelOf(doc as never)
}

const shipped = (file: string) => {
  const path = join(root, "scenarios", file)
  const scenario = Effect.runSync(
    readDocument(path).pipe(Effect.flatMap((doc) => decodeDocument(Scenario, doc, path)), Effect.mapError((e) => new Error(e.message)))
  )
  return compile(scenario, { readFile: (f) => readInputFile(join(root, "scenarios", f), "csv") })
}

describe("work estimate", () => {
  it("counts the textbook's expected calls, events and intervals exactly", () => {
    const e = estimateWork(textbook())
    expect(e.firstAttempts).toBeCloseTo(2_000_000, 6)
    expect(e.redialFactor).toBe(1)
    expect(e.calls).toBeCloseTo(2_000_000, 6)
    expect(e.events).toBeCloseTo(3 * 2_000_000 + 8_000, 3)
    expect(e.intervals).toBe(8_000)
    expect(e.peakAdvisors).toBe(90)
    // 1,000 calls/h of 300 s on 90 agents is below capacity: the fluid queue stays empty.
    expect(e.peakWaiting).toBe(0)
  })

  it("adds a redial allowance of 1 + p + … + p^(m−1) calls per first attempt", () => {
    const e = estimateWork(shipped("contract-2025-2029.yaml"))
    expect(e.redialFactor).toBeCloseTo(1 + 0.6 + 0.36, 12) // 60% redial, 3 attempts at most
    expect(e.calls).toBeCloseTo(e.firstAttempts * 1.96, 3)
    // The 48 months: ~7.4 M first attempts (7.7 M offered with redials in the golden run).
    expect(e.firstAttempts).toBeGreaterThan(7e6)
    expect(e.firstAttempts).toBeLessThan(8e6)
  })

  it("lets every shipped scenario run with the default flags", () => {
    for (const file of ["erlang-a-textbook.yaml", "erlang-c-textbook.yaml", "baseline-2026.yaml", "contract-2025-2029.yaml", "media-campaign-sep-2026.yaml", "notification-replay-2027.yaml", "annexe1-2026.yaml"]) {
      const e = estimateWork(shipped(file))
      expect(budgetProblems(e, defaultLimits({ concurrent: 2 })), file).toEqual([])
      expect(e.calls, file).toBeLessThan(DEFAULT_MAX_CALLS / 20)
      expect(runMemory(e, { replications: 10, concurrent: 2 }).total, file).toBeLessThan(1024 ** 3)
    }
  })

  it("refuses a billion calls an hour with the figure and the flag that raises the limit", () => {
    const e = estimateWork(textbook({ arrivals: { poisson: { perHour: 1e9 } } }))
    expect(budgetProblems(e, defaultLimits())).toEqual([
      { path: "arrivals", message: "about 2.0e12 calls expected over the horizon; the limit is 5.0e8 per replication (--max-calls to raise it)" }
    ])
    // Past a raised limit, what is left is the memory of 1e9/h × 180 s = 5e7 callers waiting at once.
    expect(budgetProblems(e, defaultLimits({ maxCalls: 3e12 })).map((p) => p.message)).toEqual([
      expect.stringMatching(/^the run would need about 6\.\d GB of memory; .* about 50,000,000 callers waiting at once/)
    ])
    const overflow = estimateWork(textbook({ arrivals: { poisson: { perHour: 1e308 } } }))
    expect(budgetProblems(overflow, defaultLimits())[0]!.message).toMatch(/^an unbounded number of calls expected/)
  })

  it("bounds the replication's memory without the fluid queue from above (what lets budgetProblems skip it)", () => {
    const cases = [
      textbook(),
      textbook({ agents: 1, patience: undefined, arrivals: { poisson: { perHour: 150_000 } } }), // the queue holds nearly every call
      textbook({ agents: 1, arrivals: { poisson: { perHour: 150_000 } } }),
      textbook({ agents: 0, patience: undefined }),
      shipped("contract-2025-2029.yaml"),
      shipped("notification-replay-2027.yaml")
    ]
    for (const model of cases) {
      const e = estimateWork(model)
      expect(e.replicationBytes).toBeLessThanOrEqual(e.replicationBytesAtMost)
      expect(e.peakWaiting).toBeLessThanOrEqual(e.calls)
    }
    // With no service at all the queue ends holding every call: the bound is tight.
    const all = estimateWork(textbook({ agents: 0, patience: undefined }))
    expect(all.peakWaiting).toBeCloseTo(all.calls, 3)
    // A bound past the limit is not a problem: the fluid queue decides. 150,000 calls/h on one
    // agent would be ~40 GB with every call waiting; with patience ~7,500 wait at once.
    const settled = estimateWork(textbook({ agents: 1, arrivals: { poisson: { perHour: 150_000 } } }))
    expect(runMemory(settled, { replications: 1, concurrent: 1 }, settled.replicationBytesAtMost).total).toBeGreaterThan(defaultLimits().maxMemoryBytes)
    expect(budgetProblems(settled, defaultLimits())).toEqual([])
  })

  it("refuses a billion agents", () => {
    const e = estimateWork(textbook({ agents: 1_000_000_000 }))
    expect(budgetProblems(e, defaultLimits())).toEqual([{ path: "agents", message: `1.0e9 advisors at once; the limit is ${MAX_ADVISORS.toLocaleString("en-US")}` }])
  })

  it("refuses a queue that grows for 2,000 hours (no patience, one agent) on the memory it would take", () => {
    const e = estimateWork(textbook({ agents: 1, patience: undefined, arrivals: { poisson: { perHour: 150_000 } } }))
    // 150,000 calls/h against 12 served per hour: the queue holds nearly every call at the end.
    expect(e.peakWaiting).toBeGreaterThan(2.99e8)
    const [problem] = budgetProblems(e, defaultLimits())
    expect(problem!.path).toBe("agents")
    expect(problem!.message).toMatch(/^the run would need about \d+\.\d GB of memory; the limit is 4\.0 GB: .* about 3\.0e8 callers waiting at once/)
    // With patience the queue settles at about λ × patience: no memory problem.
    expect(estimateWork(textbook({ agents: 1, arrivals: { poisson: { perHour: 150_000 } } })).peakWaiting).toBeLessThan(150_000 / 3600 * 180 + 1)
  })

  it("refuses the memory of too many replications, and names the parts", () => {
    const e = estimateWork(textbook())
    expect(budgetProblems(e, defaultLimits({ replications: 1_000_000 }))[0]!.message).toMatch(
      /^the run would need about [\d,]+ GB of memory; the limit is 4\.0 GB: 1 replication at once × \d+ MB, the tables of 1,000,000 replications × \d+ MB/
    )
  })

  it("refuses a horizon of a billion hours before compiling it", () => {
    const scenario = Effect.runSync(
      decodeDocument(Scenario, { name: "t", horizon: { hours: 1e9 }, calendar: "always-open", arrivals: { poisson: { perHour: 1 } }, handleTime: { exponential: { meanSeconds: 1 } }, agents: 1 }, "t")
    )
    expect(horizonProblems(scenario)).toEqual([{ path: "horizon", message: "about 4.0e9 intervals of 15 minutes; the limit is 4,000,000 (a shorter horizon or longer intervalMinutes)" }])
  })
})

describe("--max-calls", () => {
  it("run refuses a scenario past --max-calls, and validate says so; both accept it under the limit", () => {
    const r = ccsim(["run", "scenarios/erlang-a-textbook.yaml", "--max-calls", "1e6", "--json"])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("arrivals: about 2,000,000 calls expected over the horizon; the limit is 1,000,000 per replication (--max-calls to raise it)")
    const v = ccsim(["validate", "scenarios/erlang-a-textbook.yaml", "--max-calls", "1e6"])
    expect(v.code).toBe(2)
    expect(v.stderr).toBe(r.stderr)
    const ok = ccsim(["validate", "scenarios/erlang-a-textbook.yaml", "--max-calls", "3e6"])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain("per replication about 2,000,000 calls and 6,010,000 events")
    expect(ccsim(["run", "scenarios/erlang-a-textbook.yaml", "--max-calls", "0"]).code).toBe(2)
  })

  it("README documents the limits the code applies", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8")
    for (const figure of ["5e8", "100,000 advisors", "4 GB", "4,000,000 intervals", "1 MB", "50 MB", "200,000", "1,000,000 calls per hour"]) expect(readme).toContain(figure)
  })
})
