/**
 * One report input, two roads: what `ccsim run` builds in memory (reports/from-run.ts) and what
 * `ccsim report` reads back from the run's files (reports/from-files.ts) agree — to the CSV's 6
 * decimals for the day, month and interval figures, exactly for run.json, replicas.json and the
 * summary. And replicas.json holds each replication's own month: its KPIs are the month table's,
 * its money the judge's.
 */
import { beforeAll, describe, expect, it } from "vitest"
import { runTables } from "../../sim/kpi/tables.js"
import { replicaTable } from "../../sim/kpi/replicas.js"
import { requiredAdvisors as erlangRequired } from "../../sim/staffing/required.js"
import { reportFiles } from "../../reports/files.js"
import { testRuntimes } from "./runtimes.js"
import { reportInputFromFiles } from "../../reports/from-files.js"
import { replicaValues, type ReportInput } from "../../reports/run-data.js"
import { inputOf, smallRun, type SmallRun } from "./fixtures.js"

/** Deep equality with numbers within `tol` (absolute, or relative above 1); NaN equals NaN. */
const expectClose = (a: unknown, b: unknown, tol: number, path = "$"): void => {
  if (typeof a === "number" && typeof b === "number") {
    if (Number.isNaN(a) || Number.isNaN(b)) return void expect(Number.isNaN(a) && Number.isNaN(b), `${path}: ${a} vs ${b}`).toBe(true)
    return void expect(Math.abs(a - b) <= tol * Math.max(1, Math.abs(a)), `${path}: ${a} vs ${b}`).toBe(true)
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    expect(b.length, `${path}: length`).toBe(a.length)
    return a.forEach((x, i) => expectClose(x, b[i], tol, `${path}[${i}]`))
  }
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    expect(Object.keys(b as object).sort(), `${path}: keys`).toEqual(Object.keys(a as object).sort())
    for (const k of Object.keys(a as object)) expectClose((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], tol, `${path}.${k}`)
    return
  }
  expect(b, path).toEqual(a)
}

let run: SmallRun
let memory: ReportInput
let files: ReportInput
beforeAll(async () => {
  run = await smallRun()
  const chosen = 30 // 2026-09-16, a Wednesday
  memory = inputOf(run, chosen)
  const tables = runTables(run.model, run.results)
  const written = Object.fromEntries(reportFiles(memory, "en", testRuntimes()).map((f) => [f.name, f.text]))
  const { input, problems } = reportInputFromFiles(
    { run: written["run.json"]!, summary: JSON.stringify(run.summary), replicas: written["replicas.json"]!, days: tables["days.csv"]!, months: tables["months.csv"]!, intervals: tables["intervals.csv"]! },
    chosen,
    erlangRequired
  )
  expect(problems).toEqual([])
  files = input!
})

describe("the report input", () => {
  it("reads back from the run's files as ccsim run built it", () => {
    expect(files.meta).toEqual(JSON.parse(JSON.stringify(memory.meta)))
    expectClose(memory.replicas, files.replicas, 0)
    expectClose(memory.summary, files.summary, 0)
    expectClose(memory.days, files.days, 1e-6)
    expectClose(memory.months, files.months, 1e-6)
    expectClose(memory.reportDays, files.reportDays, 1e-5)
  })

  it("zooms on the day asked for and on the busiest day", () => {
    expect(memory.reportDays.map((d) => [d.date, d.why])).toEqual([
      ["2026-09-16", ["chosen"]],
      [memory.days.reduce((a, d) => (d.offered > a.offered ? d : a)).period, ["busiest"]]
    ])
    const day = memory.reportDays[0]!
    // Only the active part of the day: from one interval before the first queued call or advisor.
    expect(day.rows[0]!.time < "08:30").toBe(true)
    expect(day.rows[day.rows.length - 1]!.time > "17:00").toBe(true)
    expect(day.rows.every((r) => r.queued >= 0 && r.offered >= r.queued)).toBe(true)
    expect(day.rows.some((r) => r.required > 0 && r.planned > 0 && r.staffed > 0)).toBe(true)
  })

  it("keeps each replication's month in replicas.json: its own KPIs and the judge's money", () => {
    const months = replicaTable(run.model, run.results, "month")
    expect(memory.replicas.periods.map((p) => p.period)).toEqual([...months.periods.map((p) => p.label), "horizon"])
    expect(memory.replicas.replications).toEqual([0, 1, 2])
    months.periods.forEach((p, m) => {
      expect(replicaValues(memory.replicas, p.label, "answerRate")).toEqual(months.kpis[m]!.map((k) => k.answerRate))
      expect(replicaValues(memory.replicas, p.label, "meanWaitSeconds")).toEqual(months.kpis[m]!.map((k) => k.meanWaitSeconds))
      const records = run.judgement!.months[m]!
      expect(replicaValues(memory.replicas, p.label, "penalties")).toEqual(records.map((r) => r.penalty.totalCents! / 100))
      expect(replicaValues(memory.replicas, p.label, "invoice")).toEqual(records.map((r) => (r.invoice!.phone + r.invoice!.forms) / 100))
    })
    // The horizon's money is the sum of the months, replication by replication.
    const sum = (column: "penalties" | "invoice", r: number) => months.periods.reduce((a, p) => a + replicaValues(memory.replicas, p.label, column)[r]!, 0)
    for (const r of [0, 1, 2]) {
      expect(replicaValues(memory.replicas, "horizon", "penalties")[r]).toBeCloseTo(sum("penalties", r), 6)
      expect(replicaValues(memory.replicas, "horizon", "invoice")[r]).toBeCloseTo(sum("invoice", r), 6)
    }
  })

  it("names the file and line of a table that lacks a column", () => {
    const tables = runTables(run.model, run.results)
    const written = Object.fromEntries(reportFiles(memory, "en", testRuntimes()).map((f) => [f.name, f.text]))
    const { input, problems } = reportInputFromFiles(
      { run: written["run.json"]!, summary: "{}", replicas: written["replicas.json"]!, days: tables["days.csv"]!.replace("answerRateLow", "answerRateLo"), months: tables["months.csv"]!, intervals: tables["intervals.csv"]! },
      null,
      erlangRequired
    )
    expect(input).toBeUndefined()
    expect(problems).toEqual([{ path: "days.csv:1", message: "missing column answerRateLow" }])
    const broken = reportInputFromFiles({ run: "{", summary: "{}", replicas: "{}", days: null, months: null, intervals: "" }, null, erlangRequired)
    expect(broken.problems[0]!.path).toBe("run.json")
    expect(broken.problems[0]!.message).toMatch(/^not valid JSON/)
  })
})
