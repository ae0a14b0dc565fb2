/**
 * CSV tables written beside summary.json (means across replications; KPIs with their 95%
 * interval): intervals.csv (every column and KPI per interval), days.csv, weeks.csv, months.csv
 * (calls and CCTP KPIs per period), and for dated runs the same per IVR flow and per call
 * reason: {days,weeks,months}-by-{flow,reason}.csv. Period tables read the replication × period
 * tables (./replicas.ts), so they hold the same numbers as summary.json.
 */
import { formatDate, parseDate } from "../domain/dates.js"
import type { Estimate } from "../engine/stats.js"
import { KPI_NAMES, kpis } from "./cctp.js"
import { toCsv, type Cell } from "./csv.js"
import type { IntervalGrid, RunGrid } from "./grid.js"
import { GROUP_KPI_NAMES } from "./groups.js"
import { INTERVAL_COLUMNS, type IntervalTable } from "./intervals.js"
import { sumIntervals, type PeriodKind } from "./periods.js"
import { groupReplicaTable, kpiEstimates, meanCounts, replicaTable, type ReplicationTables } from "./replicas.js"
import { GROUP_CALLS, groupPeriodSummary, PERIOD_CALLS } from "./summary.js"

/** Mean per interval across replications, for every column. */
export const meanTable = (tables: ReadonlyArray<IntervalTable>): IntervalTable => {
  const first = tables[0]
  if (first === undefined) throw new Error("meanTable needs at least one table")
  const out: Record<string, Float64Array | number> = { rows: first.rows, intervalSeconds: first.intervalSeconds }
  for (const c of INTERVAL_COLUMNS) {
    const col = new Float64Array(first.rows)
    for (const t of tables) {
      const xs = t[c]
      for (let i = 0; i < col.length; i++) col[i]! += xs[i]!
    }
    for (let i = 0; i < col.length; i++) col[i]! /= tables.length
    out[c] = col
  }
  return out as unknown as IntervalTable
}

/** Start of an interval: "YYYY-MM-DDTHH:MM" (dated) or seconds from t = 0. */
export const intervalStart = (grid: IntervalGrid): ((i: number) => Cell) => {
  if (grid.firstDate === null) return (i: number): Cell => i * grid.intervalSeconds
  const first = parseDate(grid.firstDate)!
  return (i: number): Cell => {
    const d = Math.floor(i / grid.intervalsPerDay)
    const minutes = ((i % grid.intervalsPerDay) * grid.intervalSeconds) / 60
    return `${formatDate(first + d)}T${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`
  }
}

/**
 * Every accumulator per interval (mean over replications), then every KPI of the interval computed
 * from those mean counts (an interval holds too few calls for per-replication intervals to mean much).
 */
export const intervalsCsv = (grid: RunGrid, outcomes: ReadonlyArray<ReplicationTables>): string => {
  const m = meanTable(outcomes.map((o) => o.table))
  const start = intervalStart(grid)
  const header = ["interval", grid.firstDate === null ? "startSeconds" : "start", ...INTERVAL_COLUMNS, ...KPI_NAMES]
  return toCsv(header, (function* () {
    for (let i = 0; i < m.rows; i++) {
      const counts = INTERVAL_COLUMNS.map((c) => m[c][i]!)
      const k = kpis(sumIntervals(m, i, i + 1), grid.productiveHoursPerDay)
      yield [i, start(i), ...counts, ...KPI_NAMES.map((n) => k[n])]
    }
  })())
}

const kpiHeader = (names: ReadonlyArray<string>) => names.flatMap((k) => [k, `${k}Low`, `${k}High`])
const kpiCells = <K extends string>(names: ReadonlyArray<K>, e: { readonly [P in K]: Estimate }): Array<Cell> =>
  names.flatMap((k) => [e[k].mean, e[k].ci95[0], e[k].ci95[1]])

/** The counts of days/weeks/months.csv: summary.json's period calls and a few more. */
const PERIOD_CSV_CALLS = [...PERIOD_CALLS, "dissuadedIvr", "tickets", "formsReceived", "formsHandled"] as const

export const periodCsv = (grid: RunGrid, outcomes: ReadonlyArray<ReplicationTables>, kind: PeriodKind): string => {
  const t = replicaTable(grid, outcomes, kind)
  const header = [kind, ...PERIOD_CSV_CALLS, ...kpiHeader(KPI_NAMES)]
  const rows = t.periods.map((p, i) => {
    const counts = meanCounts(PERIOD_CSV_CALLS, t.sums[i]!)
    const estimates = kpiEstimates(KPI_NAMES, t.kpis[i]!)
    return [p.label, ...PERIOD_CSV_CALLS.map((c) => counts[c]), ...kpiCells(KPI_NAMES, estimates)]
  })
  return toCsv(header, rows)
}

/** Calls and KPIs per IVR flow or call reason, per day, week or month. */
export const groupPeriodCsv = (grid: RunGrid, outcomes: ReadonlyArray<ReplicationTables>, which: "flow" | "reason", kind: PeriodKind): string => {
  const codes = which === "flow" ? grid.flows : grid.reasons
  const offset = which === "flow" ? grid.reasons.length : 0
  const header = [kind, which, ...GROUP_CALLS, ...kpiHeader(GROUP_KPI_NAMES)]
  const tables = codes.map((_, i) => groupReplicaTable(grid, outcomes, offset + i, kind))
  const rows: Cell[][] = []
  const periods = tables[0]?.periods ?? []
  periods.forEach((p, pi) => {
    codes.forEach((code, i) => {
      const t = tables[i]!
      const g = groupPeriodSummary(t.sums[pi]!, t.kpis[pi]!)
      rows.push([p.label, code, ...GROUP_CALLS.map((c) => g.calls[c]), ...kpiCells(GROUP_KPI_NAMES, g.kpi)])
    })
  })
  return toCsv(header, rows)
}

/** Every CSV file of a run, by file name. */
export const runTables = (grid: RunGrid, outcomes: ReadonlyArray<ReplicationTables>): Record<string, string> => {
  const files: Record<string, string> = { "intervals.csv": intervalsCsv(grid, outcomes) }
  if (grid.firstDate === null) return files
  return {
    ...files,
    "days.csv": periodCsv(grid, outcomes, "day"),
    "weeks.csv": periodCsv(grid, outcomes, "week"),
    "months.csv": periodCsv(grid, outcomes, "month"),
    ...Object.fromEntries(
      (["day", "week", "month"] as const).flatMap((kind) =>
        (["flow", "reason"] as const).map((which) => [`${kind}s-by-${which}.csv`, groupPeriodCsv(grid, outcomes, which, kind)])
      )
    )
  }
}
