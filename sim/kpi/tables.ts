/**
 * CSV tables written beside summary.json (means across replications; KPIs with their 95%
 * interval): intervals.csv (every column and KPI per interval), days.csv, weeks.csv, months.csv
 * (calls and CCTP KPIs per period), and for dated runs the same per IVR flow and per call
 * reason: {days,weeks,months}-by-{flow,reason}.csv. Period tables read the replication × period
 * tables (./replicas.ts), so they hold the same numbers as summary.json.
 */
import { formatDate, parseDate } from "../domain/dates.js"
import type { Estimate } from "../engine/stats.js"
import { KPI_NAMES, kpis, type Sums } from "./cctp.js"
import { CsvWriter, stringSink, type TextSink } from "./csv.js"
import type { IntervalGrid, RunGrid } from "./grid.js"
import { GROUP_KPI_NAMES } from "./groups.js"
import { INTERVAL_COLUMNS, type IntervalTable } from "./intervals.js"
import type { PeriodKind } from "./periods.js"
import { groupReplicaTable, kpiEstimates, meanCounts, replicaTable, type ReplicationTables } from "./replicas.js"
import { GROUP_CALLS, groupPeriodSummary, PERIOD_CALLS } from "./summary.js"

const addInto = (acc: Float64Array, xs: Float64Array): void => {
  for (let i = 0; i < acc.length; i++) acc[i]! += xs[i]!
}
const divideInto = (acc: Float64Array, by: number): void => {
  for (let i = 0; i < acc.length; i++) acc[i]! /= by
}

/** Mean per interval across replications, for every column (one replication: its own table). */
export const meanTable = (tables: ReadonlyArray<IntervalTable>): IntervalTable => {
  const first = tables[0]
  if (first === undefined) throw new Error("meanTable needs at least one table")
  if (tables.length === 1) return first
  const out: Record<string, Float64Array | number> = { rows: first.rows, intervalSeconds: first.intervalSeconds }
  for (const c of INTERVAL_COLUMNS) {
    const col = new Float64Array(first.rows)
    for (const t of tables) addInto(col, t[c])
    out[c] = col
  }
  for (const c of INTERVAL_COLUMNS) divideInto(out[c] as Float64Array, tables.length)
  return out as unknown as IntervalTable
}

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0))

/**
 * Writes the start of interval i: "YYYY-MM-DDTHH:MM" (dated, as the bytes of its day and of its
 * time of day: no string per row) or seconds from t = 0.
 */
const intervalStartWriter = (grid: IntervalGrid): ((w: CsvWriter, i: number) => void) => {
  if (grid.firstDate === null) return (w, i) => w.num(i * grid.intervalSeconds)
  const first = parseDate(grid.firstDate)!
  const perDay = grid.intervalsPerDay
  const times = Array.from({ length: perDay }, (_, k) => {
    const minutes = (k * grid.intervalSeconds) / 60
    return ascii(`T${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`)
  })
  let day = -1
  let date: Uint8Array = new Uint8Array(0)
  return (w, i) => {
    const d = Math.floor(i / perDay)
    if (d !== day) {
      day = d
      date = ascii(formatDate(first + d))
    }
    w.bytes(date, times[i % perDay]!)
  }
}

/**
 * Every accumulator per interval (mean over replications), then every KPI of the interval computed
 * from those mean counts (an interval holds too few calls for per-replication intervals to mean much).
 * The hot table of a long run (140,000 rows over 48 months): one reused row of sums, no object per
 * cell, and the KPIs of an interval where nothing happened (nights, a fifth of the rows) computed once.
 */
export const writeIntervalsCsv = (sink: TextSink, grid: RunGrid, outcomes: ReadonlyArray<ReplicationTables>): void => {
  const m = meanTable(outcomes.map((o) => o.table))
  const start = intervalStartWriter(grid)
  const w = new CsvWriter(sink, ["interval", grid.firstDate === null ? "startSeconds" : "start", ...INTERVAL_COLUMNS, ...KPI_NAMES])
  const columns = INTERVAL_COLUMNS.map((c) => m[c])
  const row = Object.fromEntries(INTERVAL_COLUMNS.map((c) => [c, 0])) as Record<string, number>
  const zeroKpis = kpis(row as Sums, grid.productiveHoursPerDay)
  for (let i = 0; i < m.rows; i++) {
    w.num(i)
    start(w, i)
    let empty = true
    for (let c = 0; c < columns.length; c++) {
      const v = columns[c]![i]!
      if (v !== 0) empty = false
      row[INTERVAL_COLUMNS[c]!] = v
      w.num(v)
    }
    const k = empty ? zeroKpis : kpis(row as Sums, grid.productiveHoursPerDay)
    for (const n of KPI_NAMES) w.num(k[n])
    w.end()
  }
  w.flush()
}

export const intervalsCsv = (grid: RunGrid, outcomes: ReadonlyArray<ReplicationTables>): string => {
  const sink = stringSink()
  writeIntervalsCsv(sink, grid, outcomes)
  return sink.text()
}

const kpiHeader = (names: ReadonlyArray<string>) => names.flatMap((k) => [k, `${k}Low`, `${k}High`])
const writeKpis = <K extends string>(w: CsvWriter, names: ReadonlyArray<K>, e: { readonly [P in K]: Estimate }): void => {
  for (const k of names) {
    const x = e[k]
    w.num(x.mean)
    w.num(x.ci95[0])
    w.num(x.ci95[1])
  }
}
const writeCounts = <K extends string>(w: CsvWriter, names: ReadonlyArray<K>, counts: { readonly [P in K]: number }): void => {
  for (const k of names) w.num(counts[k])
}

/** The counts of days/weeks/months.csv: summary.json's period calls and a few more. */
const PERIOD_CSV_CALLS = [...PERIOD_CALLS, "dissuadedIvr", "tickets", "formsReceived", "formsHandled"] as const

export const writePeriodCsv = (sink: TextSink, grid: RunGrid, outcomes: ReadonlyArray<ReplicationTables>, kind: PeriodKind): void => {
  const t = replicaTable(grid, outcomes, kind)
  const w = new CsvWriter(sink, [kind, ...PERIOD_CSV_CALLS, ...kpiHeader(KPI_NAMES)])
  t.periods.forEach((p, i) => {
    const counts = meanCounts(PERIOD_CSV_CALLS, t.sums[i]!)
    const estimates = kpiEstimates(KPI_NAMES, t.kpis[i]!)
    w.text(p.label)
    writeCounts(w, PERIOD_CSV_CALLS, counts)
    writeKpis(w, KPI_NAMES, estimates)
    w.end()
  })
  w.flush()
}

/** Calls and KPIs per IVR flow or call reason, per day, week or month. */
export const writeGroupPeriodCsv = (sink: TextSink, grid: RunGrid, outcomes: ReadonlyArray<ReplicationTables>, which: "flow" | "reason", kind: PeriodKind): void => {
  const codes = which === "flow" ? grid.flows : grid.reasons
  const offset = which === "flow" ? grid.reasons.length : 0
  const w = new CsvWriter(sink, [kind, which, ...GROUP_CALLS, ...kpiHeader(GROUP_KPI_NAMES)])
  const tables = codes.map((_, i) => groupReplicaTable(grid, outcomes, offset + i, kind))
  const periods = tables[0]?.periods ?? []
  periods.forEach((p, pi) => {
    codes.forEach((code, i) => {
      const t = tables[i]!
      const g = groupPeriodSummary(t.sums[pi]!, t.kpis[pi]!)
      w.text(p.label)
      w.text(code)
      writeCounts(w, GROUP_CALLS, g.calls)
      writeKpis(w, GROUP_KPI_NAMES, g.kpi)
      w.end()
    })
  })
  w.flush()
}

/** A table file of a run: its name and how to write it. */
export interface TableFile {
  readonly name: string
  readonly write: (sink: TextSink) => void
}

/** Every CSV table of a run, in the order they are written. */
export const runTableFiles = (grid: RunGrid, outcomes: ReadonlyArray<ReplicationTables>): TableFile[] => {
  const files: TableFile[] = [{ name: "intervals.csv", write: (s) => writeIntervalsCsv(s, grid, outcomes) }]
  if (grid.firstDate === null) return files
  for (const kind of ["day", "week", "month"] as const) files.push({ name: `${kind}s.csv`, write: (s) => writePeriodCsv(s, grid, outcomes, kind) })
  for (const kind of ["day", "week", "month"] as const) {
    for (const which of ["flow", "reason"] as const) files.push({ name: `${kind}s-by-${which}.csv`, write: (s) => writeGroupPeriodCsv(s, grid, outcomes, which, kind) })
  }
  return files
}

/** Every CSV table of a run as text, by file name (tests, small runs). */
export const runTables = (grid: RunGrid, outcomes: ReadonlyArray<ReplicationTables>): Record<string, string> =>
  Object.fromEntries(
    runTableFiles(grid, outcomes).map((f) => {
      const sink = stringSink()
      f.write(sink)
      return [f.name, sink.text()]
    })
  )
