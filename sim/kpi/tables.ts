/**
 * Tables across replications: the mean of each interval column over replications, as CSV rows.
 */
import { INTERVAL_COLUMNS, type IntervalTable } from "./intervals.js"
import { toCsv, type Cell } from "./csv.js"

/** Mean per interval across replications, for every column. */
export const meanTable = (tables: ReadonlyArray<IntervalTable>): IntervalTable => {
  const first = tables[0]
  if (first === undefined) throw new Error("meanTable needs at least one table")
  const out: Record<string, Float64Array | number> = { intervalCount: first.intervalCount, intervalSeconds: first.intervalSeconds }
  for (const c of INTERVAL_COLUMNS) {
    const col = new Float64Array(first.intervalCount)
    for (const t of tables) {
      const xs = t[c]
      for (let i = 0; i < col.length; i++) col[i]! += xs[i]!
    }
    for (let i = 0; i < col.length; i++) col[i]! /= tables.length
    out[c] = col
  }
  return out as IntervalTable
}

/** The per-interval CSV: interval index, start (seconds from t = 0), then every column's mean. */
export const intervalsCsv = (tables: ReadonlyArray<IntervalTable>, label?: (interval: number) => string): string => {
  const mean = meanTable(tables)
  const header = ["interval", label ? "start" : "startSeconds", ...INTERVAL_COLUMNS]
  const rows = function* (): Generator<Cell[]> {
    for (let i = 0; i < mean.intervalCount; i++) {
      yield [i, label ? label(i) : i * mean.intervalSeconds, ...INTERVAL_COLUMNS.map((c) => mean[c][i]!)]
    }
  }
  return toCsv(header, rows())
}
