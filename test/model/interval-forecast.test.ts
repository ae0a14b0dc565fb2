/**
 * An interval forecast (arrivals.forecast.intervalsCsv) drives the day it covers: a one-day
 * scenario from a French Excel CSV with a 3:1 peak-to-trough curve and a per-interval staffing
 * plan gives, per interval, offered calls whose mean is the CSV's (Poisson test), and per hour
 * an answer rate and mean wait that match the exact pointwise-stationary reference (Erlang A of
 * each interval's rate and headcount) where staffing is ample. Days the file does not cover fall
 * back to the monthly forecast; calls per reason set the interval's mix; bad rows are named by
 * file:line.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import { afterAll, describe, expect, it } from "vitest"
import { REASON_CODES } from "../../sim/domain/vocabulary.js"
import { loadModel } from "../../sim/model/load.js"
import { runReplication } from "../../sim/run/replicate.js"
import { queueMetrics } from "../../sim/staffing/erlang.js"
import { ccsim } from "../cli/run-cli.js"

const tmp = mkdtempSync(join(tmpdir(), "ccsim-intervals-"))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const MEAN = 240 // exponential talk and patience: the day is a time-varying M/M/c+M queue
const talk = REASON_CODES.map((r) => `${r}: { exponential: { meanSeconds: ${MEAN} } }`).join(", ")
const scenario = (csv: string, extra = "", horizon = "{ from: 2026-03-02, to: 2026-03-02 }") => `
name: interval-day
horizon: ${horizon}
calendar: {}
arrivals: { forecast: { intervalsCsv: ${csv}, dayBusynessCv: 0, monthErrorCv: 0 } }
callers:
  talk: { ${talk} }
  wrapUp: { deterministic: { seconds: 0 } }
  patience: { exponential: { meanSeconds: ${MEAN} } }
  redials: { probability: 0, delay: { exponential: { meanSeconds: 900 } }, maxAttempts: 1 }
${extra}`

/** Calls per open interval (08:30–17:30, 36 intervals): a curve from 20 to 60 and back (3:1), 5 before opening. */
const expected = Array.from({ length: 96 }, (_, k) => (k >= 34 && k < 70 ? 20 + 40 * Math.sin((Math.PI * (k - 34)) / 35) : k >= 32 && k < 34 ? 5 : 0))
const clock = (k: number) => `${String(Math.floor(k / 4)).padStart(2, "0")}:${String((k % 4) * 15).padStart(2, "0")}`
/** Ample staffing: load + 1.5 √load + 1 advisors in every open interval. */
const staff = expected.map((c, k) => (k >= 34 && k < 70 ? Math.ceil((c / 900) * MEAN + 1.5 * Math.sqrt((c / 900) * MEAN) + 1) : 0))

const writeDay = () => {
  // A French Excel export: BOM, semicolons, decimal commas, DD/MM/YYYY.
  const rows = expected.flatMap((c, k) => (c > 0 ? [`02/03/2026 ${clock(k)};${c.toFixed(3).replace(".", ",")};3`] : []))
  writeFileSync(join(tmp, "day.csv"), "\ufeffstart;calls;forms\r\n" + rows.join("\r\n") + "\r\n")
  const plan = staff.flatMap((n, k) => (n > 0 ? [`2026-03-02T${clock(k)},${n}`] : []))
  writeFileSync(join(tmp, "plan.csv"), "start,phone\n" + plan.join("\n") + "\n")
  const file = join(tmp, "day.yaml")
  writeFileSync(file, scenario("day.csv", "staffing: { planCsv: plan.csv, absence: { rate: 0 } }"))
  return file
}

describe("interval forecast", () => {
  it("offers the CSV's calls per interval and matches the pointwise Erlang A reference hour by hour", async () => {
    const { model } = await Effect.runPromise(loadModel(writeDay()))
    expect(model.forecastSources).toEqual({ intervalsCsv: "day.csv", intervalDays: 1, profileDays: 0 })
    const R = 300
    const offered = new Float64Array(96)
    const hours = Array.from({ length: 24 }, () => ({ answered: [] as number[], reached: [] as number[], wait: [] as number[] }))
    for (let r = 0; r < R; r++) {
      const { table } = runReplication(model, 11, r)
      for (let k = 0; k < 96; k++) offered[k]! += table.offered[k]!
      for (let h = 8; h < 18; h++) {
        let a = 0, q = 0, w = 0
        for (let k = 4 * h; k < 4 * h + 4; k++) {
          a += table.answered[k]!
          q += table.offered[k]! - table.dissuadedClosure[k]!
          w += table.waitSeconds[k]!
        }
        hours[h]!.answered.push(a)
        hours[h]!.reached.push(q)
        hours[h]!.wait.push(w)
      }
    }
    // Poisson: the mean of R counts of mean λ has standard deviation √(λ/R).
    for (let k = 0; k < 96; k++) {
      const lambda = expected[k]!
      if (lambda === 0) expect(offered[k]).toBe(0)
      else expect(Math.abs(offered[k]! / R - lambda) / Math.sqrt(lambda / R), `interval ${clock(k)}`).toBeLessThan(4.5)
    }
    // Pointwise-stationary reference, weighted by each interval's calls.
    for (let h = 9; h < 17; h++) {
      let calls = 0, answered = 0, wait = 0
      for (let k = 4 * h; k < 4 * h + 4; k++) {
        const m = queueMetrics({ arrivalsPerHour: expected[k]! * 4, meanHandleSeconds: MEAN, meanPatienceSeconds: MEAN, agents: staff[k]!, serviceLevelSeconds: 20 })
        calls += expected[k]!
        answered += expected[k]! * m.answerRate
        wait += expected[k]! * m.meanWaitSeconds
      }
      const x = hours[h]!
      const reached = x.reached.reduce((a, b) => a + b, 0)
      const rate = x.answered.reduce((a, b) => a + b, 0) / reached
      const meanWait = x.wait.reduce((a, b) => a + b, 0) / reached
      // Ratio estimators over R independent days; 4 standard errors, plus what the pointwise
      // approximation itself may miss when the rate moves within the hour.
      const se = (ys: number[], ratio: number) => Math.sqrt(ys.reduce((a, y, i) => a + (y - ratio * x.reached[i]!) ** 2, 0) / (R - 1) / R) / (reached / R)
      expect(Math.abs(rate - answered / calls), `answer rate ${h}h`).toBeLessThan(4 * se(x.answered, rate) + 0.003)
      expect(Math.abs(meanWait - wait / calls), `mean wait ${h}h`).toBeLessThan(4 * se(x.wait, meanWait) + 0.5)
      expect(rate).toBeGreaterThan(0.95) // staffing is ample: the comparison is where the reference holds
    }
  })

  it("falls back to the monthly forecast on days the file does not cover, and says so", () => {
    writeFileSync(join(tmp, "one.csv"), "start,calls\n2026-03-03 10:00,50\n")
    const file = join(tmp, "two.yaml")
    writeFileSync(file, scenario("one.csv", "agents: 60", "{ from: 2026-03-02, to: 2026-03-03 }"))
    const r = ccsim(["run", file, "--replications", "1", "--json"])
    expect(r.code, r.stderr).toBe(0)
    const s = JSON.parse(r.stdout)
    expect(s.forecast).toEqual({ intervalsCsv: "one.csv", intervalDays: 1, profileDays: 1 })
    const days = ccsim(["run", file, "--replications", "1", "--out", join(tmp, "two-out")])
    expect(days.stdout).toContain("forecast: one.csv for 1 day, the monthly forecast and profiles for 1 day")
  })

  it("takes an interval's mix from calls given per reason", async () => {
    writeFileSync(join(tmp, "mix.csv"), "start;cvSerialUnreadable;outOfScope\n2026-03-02 10:00;300;100\n2026-03-02 10:15;0;400\n")
    const file = join(tmp, "mix.yaml")
    writeFileSync(file, scenario("mix.csv", "agents: 200"))
    const { model } = await Effect.runPromise(loadModel(file))
    const { groups } = runReplication(model, 3, 0)
    const reason = (code: string) => groups.offered[REASON_CODES.indexOf(code as (typeof REASON_CODES)[number])]!
    const total = reason("cvSerialUnreadable") + reason("outOfScope")
    expect(total).toBeGreaterThan(600)
    // 300 of 800 expected calls are CV serial calls: a binomial share.
    expect(Math.abs(reason("cvSerialUnreadable") / total - 300 / 800)).toBeLessThan(4 * Math.sqrt((0.375 * 0.625) / total))
    expect(reason("generalInfo")).toBe(0)
  })

  it("names rows off the grid, twice, outside the horizon, negative, and a sum that does not add up", () => {
    writeFileSync(
      join(tmp, "bad.csv"),
      ["start;calls;cvSerialUnreadable;outOfScope", "2026-03-02 10:07;10;5;5", "2026-03-02 10:15;10;5;5", "2026-03-02 10:15;10;5;5", "2026-03-09 10:00;10;5;5", "2026-03-02 11:00;-1;-1;0", "2026-03-02 11:15;12;5;5"].join("\n")
    )
    const file = join(tmp, "bad.yaml")
    writeFileSync(file, scenario("bad.csv", "agents: 10"))
    const r = ccsim(["validate", file])
    expect(r.code).toBe(2)
    for (const m of [
      "bad.csv:2: start: 2026-03-02 10:07 is not on the 15-minute interval grid",
      "bad.csv:4: interval 2026-03-02 10:15 appears twice (also line 3)",
      "bad.csv:5: start: 2026-03-09 10:00 is outside the horizon",
      'bad.csv:6: cvserialunreadable: expected a number of calls >= 0, got "-1"',
      "bad.csv:7: calls (12) is not the sum of the reason columns (10)"
    ]) expect(r.stderr).toContain(m)
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
  })
})
