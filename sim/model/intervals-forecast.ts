/**
 * An interval forecast (`arrivals.forecast.intervalsCsv`), as a WFM tool exports it or as the
 * Cnam sends it with an order ("per day and hour", CCTP 7.2.1.1): one row per interval with the
 * calls expected, optionally the contact forms, optionally the calls per IVR flow or per call
 * reason. Header names (any case, any order, extra columns ignored): `start` (Paris time,
 * `YYYY-MM-DD HH:MM`, `YYYY-MM-DDTHH:MM` or `DD/MM/YYYY HH:MM`), `calls`, `forms`, and flow codes
 * (`opposition`, `horsOpposition`) or reason codes (`cvSerialUnreadable`, …). French Excel CSV
 * is read as is (`;`, decimal comma, BOM).
 *
 * A day with at least one row is *covered*: its calls are the file's (intervals without a row
 * have none); other days fall back to the monthly forecast and profiles. Every problem has
 * `file:line`.
 */
import { parseFrenchNumber, readCsv, rowsWhileSensible } from "../domain/csv.js"
import { quote, type Problem } from "../domain/problem.js"
import { IntervalRows, type IntervalGridContext } from "./interval-rows.js"

export interface IntervalForecast {
  /** Expected calls per interval of the horizon (0 outside covered days). */
  readonly calls: Float64Array
  /** Expected forms per interval; null when the file has no `forms` column. */
  readonly forms: Float64Array | null
  /** 1 for a day the file covers. */
  readonly coveredDay: Uint8Array
  /** Calls per interval and group (flow or reason, by index) when the file breaks calls down; else null. */
  readonly groups: { readonly by: "flow" | "reason"; readonly counts: ReadonlyArray<Float64Array> } | null
}

export interface IntervalForecastContext extends IntervalGridContext {
  readonly flows: ReadonlyArray<string>
  readonly reasons: ReadonlyArray<string>
}

export const parseIntervalForecast = (text: string, file: string, ctx: IntervalForecastContext): { forecast: IntervalForecast; problems: Problem[] } => {
  const perDay = 1440 / ctx.intervalMinutes
  const n = ctx.dayCount * perDay
  const calls = new Float64Array(n)
  const coveredDay = new Uint8Array(ctx.dayCount)
  const empty = { calls, forms: null, coveredDay, groups: null }
  const table = readCsv(text)
  if (table === undefined) return { forecast: empty, problems: [{ path: file, message: "the file is empty" }] }
  const problems: Problem[] = []
  const head = `${file}:${table.headerLine}`
  const col = (name: string) => table.header.indexOf(name.toLowerCase())
  const startCol = col("start")
  const callsCol = col("calls")
  const formsCol = col("forms")
  const flowCols = ctx.flows.map(col)
  const reasonCols = ctx.reasons.map(col)
  const byFlow = flowCols.some((c) => c >= 0)
  const byReason = reasonCols.some((c) => c >= 0)
  if (startCol < 0) problems.push({ path: head, message: 'no "start" column in the header' })
  if (byFlow && byReason) problems.push({ path: head, message: "give calls per flow or per reason, not both" })
  if (callsCol < 0 && !byFlow && !byReason) problems.push({ path: head, message: `no "calls" column in the header (or calls per flow: ${ctx.flows.join(", ")}; or per reason)` })
  if (problems.length > 0) return { forecast: empty, problems }
  const groupCols = byFlow ? flowCols : byReason ? reasonCols : []
  const counts = groupCols.map(() => new Float64Array(n))
  const forms = formsCol >= 0 ? new Float64Array(n) : null
  const rows = new IntervalRows(ctx)
  let rowCount = 0
  for (const { line, cells } of rowsWhileSensible(table, file, problems)) {
    rowCount++
    const at = `${file}:${line}`
    const resolved = rows.resolve(cells[startCol] ?? "", line)
    if (typeof resolved === "string") problems.push({ path: at, message: resolved })
    const interval = typeof resolved === "number" ? resolved : -1
    const count = (c: number): number | undefined => {
      const raw = cells[c] ?? ""
      if (raw.trim() === "") return 0
      const v = parseFrenchNumber(raw)
      if (v === undefined || v < 0) {
        problems.push({ path: at, message: `${table.header[c]}: expected a number of calls >= 0, got ${quote(raw)}` })
        return undefined
      }
      return v
    }
    let total = 0
    const values = groupCols.map((c) => (c >= 0 ? count(c) : 0))
    for (const v of values) total += v ?? 0
    const given = callsCol >= 0 ? count(callsCol) : undefined
    if (groupCols.length > 0 && given !== undefined && Math.abs(given - total) > 0.5) {
      problems.push({ path: at, message: `calls (${given}) is not the sum of the ${byFlow ? "flow" : "reason"} columns (${Number(total.toFixed(6))})` })
    }
    const f = formsCol >= 0 ? count(formsCol) : 0
    if (interval < 0) continue
    coveredDay[Math.floor(interval / perDay)] = 1
    calls[interval] = groupCols.length > 0 ? total : (given ?? 0)
    values.forEach((v, g) => {
      counts[g]![interval] = v ?? 0
    })
    if (forms !== null) forms[interval] = f ?? 0
  }
  if (rowCount === 0) problems.push({ path: file, message: "no interval rows after the header" })
  return { forecast: { calls, forms, coveredDay, groups: groupCols.length > 0 ? { by: byFlow ? "flow" : "reason", counts } : null }, problems }
}
