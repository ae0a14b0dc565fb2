/**
 * The arithmetic behind the reports, on numbers worked by hand: differences between runs
 * (paired and Welch), the runs a comparison refuses, the days a report zooms on, the advisors
 * Erlang A requires (against sim/staffing's smallestStaffing), run-length coding of the plan,
 * French CSV and spreadsheet cells, and where a KPI stands against its target.
 */
import { describe, expect, it } from "vitest"
import { KPI_TARGETS } from "../../sim/domain/cctp.js"
import { smallestStaffing } from "../../sim/staffing/erlang.js"
import { studentTQuantile } from "../../sim/engine/stats.js"
import { requiredAdvisors as erlangRequired } from "../../sim/staffing/required.js"
import { comparisonRows, difference, horizonProblem, isPaired, type ComparedRun } from "../../reports/compare.js"
import { chooseReportDays } from "../../reports/days.js"
import { formatter } from "../../reports/format.js"
import { runLengthDecode, runLengthEncode } from "../../reports/meta.js"
import { REPLICA_COLUMNS, type Replicas, type RunMeta } from "../../reports/run-data.js"
import { frenchCsv, sheetFromCsv } from "../../reports/spreadsheet.js"

describe("differences between runs", () => {
  it("pairs replication by replication: the interval of the per-replication differences", () => {
    const a = [0.9, 0.92, 0.91, 0.93]
    const b = [0.88, 0.91, 0.89, 0.92] // differences -0.02, -0.01, -0.02, -0.01
    const d = difference(a, b, true)
    expect(d.method).toBe("paired")
    expect(d.mean).toBeCloseTo(-0.015, 12)
    const sd = Math.sqrt((4 * 0.005 ** 2) / 3)
    const half = studentTQuantile(0.975, 3) * (sd / 2)
    expect(d.lo).toBeCloseTo(-0.015 - half, 12)
    expect(d.hi).toBeCloseTo(-0.015 + half, 12)
    // Unpaired, the same numbers give an interval three times as wide (each run's own spread).
    const w = difference(a, b, false)
    expect(w.hi - w.lo).toBeGreaterThan(3 * (d.hi - d.lo))
  })

  it("uses Welch's interval when unpaired", () => {
    const a = [1, 2, 3, 4]
    const b = [2, 4, 6, 8, 10]
    const w = difference(a, b, false)
    const va = 5 / 3 / 4
    const vb = 10 / 5
    const df = (va + vb) ** 2 / (va ** 2 / 3 + vb ** 2 / 4)
    expect(w.method).toBe("welch")
    expect(w.mean).toBeCloseTo(3.5, 12)
    expect(w.hi - w.mean).toBeCloseTo(studentTQuantile(0.975, df) * Math.sqrt(va + vb), 10)
    expect(difference([1], [2, 3], false)).toMatchObject({ mean: 1.5, lo: NaN, hi: NaN })
  })
})

const meta = (over: Partial<RunMeta>): RunMeta => ({
  schemaVersion: 1, scenario: "s", scenarioFile: "s.yaml", seed: 1, replications: 2, from: "2026-01-01", to: "2026-12-31",
  intervalSeconds: 900, intervalsPerDay: 96, intervalCount: 35040, dayCount: 365, warmupIntervals: 0, serviceLevelSeconds: 20,
  patienceMeanSeconds: 240, inputs: [], plannedPhone: [], decoded: {}, ...over
})
const replicas = (seed: number, reps: number[], answerRates: number[]): Replicas => ({
  schemaVersion: 1, scenario: "s", seed, replications: reps, columns: REPLICA_COLUMNS,
  periods: [{ period: "2026-09", values: answerRates.map((v) => REPLICA_COLUMNS.map((c) => (c === "answerRate" ? v : NaN))) }]
})
const run = (label: string, m: RunMeta, r: Replicas): ComparedRun => ({ label, input: { meta: m, replicas: r, months: [], summary: { schemaVersion: 1, scenario: "s", seed: r.seed, replications: r.replications.length, calls: {}, kpi: {}, performance: { events: 0, wallSeconds: 0 } } } })

describe("comparisons", () => {
  it("pair runs with the same seed and replication numbers, and only those", () => {
    expect(isPaired(replicas(1, [0, 1], [0.9, 0.9]), replicas(1, [0, 1], [0.8, 0.8]))).toBe(true)
    expect(isPaired(replicas(1, [0, 1], [0.9, 0.9]), replicas(2, [0, 1], [0.8, 0.8]))).toBe(false)
    expect(isPaired(replicas(1, [0, 1], [0.9, 0.9]), replicas(1, [0, 1, 2], [0.8, 0.8, 0.8]))).toBe(false)
  })

  it("give each month's difference from the reference with its method", () => {
    const rows = comparisonRows([run("A", meta({}), replicas(1, [0, 1, 2], [0.9, 0.92, 0.94])), run("B", meta({}), replicas(1, [0, 1, 2], [0.85, 0.88, 0.9]))], "answerRate", ["2026-09"])
    expect(rows.map((r) => [r.run, r.diff === null ? null : Math.round(r.diff * 1e6) / 1e6, r.method])).toEqual([["A", null, null], ["B", -0.043333, "paired"]])
    expect(rows[1]!.diffLo!).toBeLessThan(rows[1]!.diff!)
    expect(rows[1]!.diffHi!).toBeLessThan(0) // every replication lost 3–5 points: the interval excludes 0
  })

  it("clip each run's interval to the column's range, as summary.json does, but not the differences", () => {
    const rows = comparisonRows([run("A", meta({}), replicas(1, [0, 1], [0.6, 0.99])), run("B", meta({}), replicas(1, [0, 1], [0.99, 0.6]))], "answerRate", ["2026-09"])
    expect(rows.map((r) => r.hi)).toEqual([1, 1])
    expect(rows[1]!.diffHi!).toBeGreaterThan(1) // a difference of shares can reach past ±1 in its interval
  })

  it("refuse runs of different horizons, naming each run's span", () => {
    const a = run("base", meta({}), replicas(1, [0], [0.9]))
    expect(horizonProblem([a, run("same", meta({}), replicas(2, [0], [0.9]))])).toBeNull()
    expect(horizonProblem([a, run("y2027", meta({ from: "2027-01-01", to: "2027-12-31" }), replicas(1, [0], [0.9]))])).toBe(
      "runs of different horizons cannot be compared period by period: base covers 2026-01-01 to 2026-12-31; y2027 covers 2027-01-01 to 2027-12-31"
    )
    expect(horizonProblem([a, run("textbook", meta({ from: null, to: null, intervalCount: 8000 }), replicas(1, [0], [0.9]))])).toMatch(/textbook covers 8000 intervals of 15 min \(undated\)/)
  })
})

describe("report days", () => {
  it("are the busiest day (first of equals) and the day asked for", () => {
    expect(chooseReportDays([5, 9, 9, 1], null)).toEqual([{ day: 1, why: ["busiest"] }])
    expect(chooseReportDays([5, 9, 9, 1], 3)).toEqual([{ day: 3, why: ["chosen"] }, { day: 1, why: ["busiest"] }])
    expect(chooseReportDays([5, 9, 9, 1], 1)).toEqual([{ day: 1, why: ["chosen", "busiest"] }])
  })
})

describe("required advisors", () => {
  it("are the fewest meeting the answer-rate and mean-wait targets by exact Erlang A, as sim/staffing finds them", () => {
    for (const [perHour, handle, patience] of [[400, 250, 240], [1200, 250, 240], [60, 300, 120], [2000, 200, 600], [30, 250, 240]] as const) {
      const p = { arrivalsPerHour: perHour, meanHandleSeconds: handle, meanPatienceSeconds: patience, serviceLevelSeconds: 20 }
      const byAnswer = smallestStaffing(p, { kind: "answerRate", atLeast: KPI_TARGETS.answerRate })!.agents
      const byWait = smallestStaffing(p, { kind: "meanWait", atMostSeconds: KPI_TARGETS.meanWaitSeconds })!.agents
      expect(erlangRequired(perHour, handle, patience), `${perHour}/h`).toBe(Math.max(byAnswer, byWait))
    }
    const c = { arrivalsPerHour: 1000, meanHandleSeconds: 300, serviceLevelSeconds: 20 }
    expect(erlangRequired(1000, 300, null)).toBe(smallestStaffing(c, { kind: "meanWait", atMostSeconds: 120 })!.agents)
    expect(erlangRequired(0, 300, 240)).toBe(0)
    expect(erlangRequired(100, NaN, 240)).toBeNaN()
  })
})

describe("files", () => {
  it("run-length code the planned headcount both ways", () => {
    const xs = [0, 0, 0, 5, 5, 7, 0, 0]
    expect(runLengthEncode(xs)).toEqual([[0, 3], [5, 2], [7, 1], [0, 2]])
    expect(Array.from(runLengthDecode(runLengthEncode(xs)))).toEqual(xs)
  })

  it("write French CSV: BOM, semicolons, decimal commas, text kept as text", () => {
    const csv = 'month,answerRate,note\r\n2026-09,0.912345,"a, b"\r\n2026-10,,-3.5\r\n'
    expect(frenchCsv(csv)).toBe("\ufeffmonth;answerRate;note\r\n2026-09;0,912345;a, b\r\n2026-10;;-3,5\r\n")
  })

  it("turn a CSV table into a sheet of numbers, text and empty cells", () => {
    const s = sheetFromCsv("months-by-reason.csv", "month,reason,offered,answerRate\r\n2026-09,cvSerialUnreadable,1234.5,\r\n2026-10,outOfScope,7,0.91\r\n")
    expect(s.name).toBe("months-by-reason")
    expect(s.header).toEqual(["month", "reason", "offered", "answerRate"])
    expect(s.rows).toEqual([["2026-09", "cvSerialUnreadable", 1234.5, null], ["2026-10", "outOfScope", 7, 0.91]])
    expect(s.widths).toEqual([9, 20, 9, 12])
  })
})

describe("numbers in the page's text", () => {
  it("follow the locale", () => {
    const en = formatter("en")
    const fr = formatter("fr")
    expect([en.pct(0.9312), en.int(1234567.4), en.secs(93.45), en.eur(12345.6), en.num(NaN)]).toEqual(["93.1%", "1,234,567", "93.5\u00a0s", "€12,346", "—"])
    expect([fr.pct(0.9312), fr.int(1234567.4), fr.secs(93.45), fr.eur(12345.6)]).toEqual(["93,1\u00a0%", "1\u202f234\u202f567", "93,5\u00a0s", "12\u202f346\u00a0€"])
  })
})
