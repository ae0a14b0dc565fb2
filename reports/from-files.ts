/**
 * The report's input from a run's folder (`ccsim report`): run.json, summary.json,
 * replicas.json, days.csv, months.csv and intervals.csv (for the report days), given as texts —
 * the folder is read at the edge (sim/cli/report.ts). The result matches the input `ccsim run`
 * built in memory (./from-run.ts) to the CSV's 6 decimals (tested).
 *
 * A file that does not parse is a problem with its name and line, never a stack trace.
 */
import type { SummaryWithMoney } from "../sim/contract/outputs.js"
import { splitCsvLine } from "../sim/domain/csv.js"
import type { Problem } from "../sim/domain/problem.js"
import type { Summary } from "../sim/kpi/summary.js"
import type { RequiredAdvisors } from "./days.js"
import { buildReportDays, dayLabels } from "./from-run.js"
import { runLengthDecode } from "./meta.js"
import { DAY_COLUMNS, INTERVAL_FIELDS, PERIOD_COLUMNS, type IntervalSums, type Replicas, type ReportInput, type RunMeta } from "./run-data.js"

/** JSON with null read back as NaN (summary.json and replicas.json write unmeasured values as null). */
export const parseJsonWithNaN = (text: string): unknown => JSON.parse(text, (_k, v: unknown) => (v === null ? NaN : v))

const cellNumber = (s: string | undefined): number => (s === undefined || s === "" ? NaN : Number(s))

/** A CSV table of ccsim's own (RFC 4180, `.` decimals): header and rows of cells. */
export const parseOwnCsv = (text: string): { header: string[]; rows: string[][] } => {
  const lines = text.split(/\r?\n/).filter((l) => l !== "")
  return { header: splitCsvLine(lines[0] ?? "", ","), rows: lines.slice(1).map((l) => splitCsvLine(l, ",")) }
}

/** Rows of days.csv / months.csv with the report's `columns`; a problem when one is missing. */
export const parsePeriodCsv = <C extends string>(text: string, file: string, problems: Problem[], columns: ReadonlyArray<C>): Array<{ readonly period: string } & { readonly [K in C]: number }> => {
  const { header, rows } = parseOwnCsv(text)
  const at = columns.map((c) => header.indexOf(c))
  const missing = columns.filter((_, i) => at[i]! < 0)
  if (missing.length > 0) {
    problems.push({ path: `${file}:1`, message: `missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}` })
    return []
  }
  return rows.map((cells) => {
    const row: Record<string, string | number> = { period: cells[0] ?? "" }
    columns.forEach((c, i) => (row[c] = cellNumber(cells[at[i]!])))
    return row as { readonly period: string } & { readonly [K in C]: number }
  })
}

export interface RunFolderTexts {
  readonly run: string
  readonly summary: string
  readonly replicas: string
  readonly days: string | null
  readonly months: string | null
  readonly intervals: string
}

const parseJson = <T>(text: string, file: string, problems: Problem[], withNaN: boolean): T | undefined => {
  try {
    return (withNaN ? parseJsonWithNaN(text) : JSON.parse(text)) as T
  } catch (e) {
    problems.push({ path: file, message: `not valid JSON (${e instanceof Error ? e.message : String(e)})` })
    return undefined
  }
}

/**
 * The report input of a run folder, or the problems found.
 * @param reportDay the day index asked for (already checked against run.json), or null
 */
export const reportInputFromFiles = (texts: RunFolderTexts, reportDay: number | null, required: RequiredAdvisors): { input?: ReportInput; problems: Problem[] } => {
  const problems: Problem[] = []
  const meta = parseJson<RunMeta>(texts.run, "run.json", problems, false)
  const summary = parseJson<Summary | SummaryWithMoney>(texts.summary, "summary.json", problems, true)
  const replicas = parseJson<Replicas>(texts.replicas, "replicas.json", problems, true)
  if (meta === undefined || summary === undefined || replicas === undefined) return { problems }
  if (meta.schemaVersion !== 1) problems.push({ path: "run.json", message: `schemaVersion ${String(meta.schemaVersion)}: this ccsim reads version 1` })
  if (replicas.schemaVersion !== 1) problems.push({ path: "replicas.json", message: `schemaVersion ${String(replicas.schemaVersion)}: this ccsim reads version 1` })
  const dated = meta.from !== null
  const days = dated && texts.days !== null ? parsePeriodCsv(texts.days, "days.csv", problems, DAY_COLUMNS) : []
  const months = dated && texts.months !== null ? parsePeriodCsv(texts.months, "months.csv", problems, PERIOD_COLUMNS) : []
  const { header, rows } = parseOwnCsv(texts.intervals)
  const at = INTERVAL_FIELDS.map((c) => header.indexOf(c))
  if (at.some((i) => i < 0)) problems.push({ path: "intervals.csv:1", message: `missing columns ${INTERVAL_FIELDS.filter((_, k) => at[k]! < 0).join(", ")}` })
  if (rows.length !== meta.intervalCount) problems.push({ path: "intervals.csv", message: `${rows.length} intervals, run.json says ${meta.intervalCount}` })
  if (problems.length > 0) return { problems }
  const sumsOf = (i: number): IntervalSums => {
    const cells = rows[i]!
    return Object.fromEntries(INTERVAL_FIELDS.map((c, k) => [c, cellNumber(cells[at[k]!]) || 0])) as IntervalSums
  }
  const dayOffered = new Float64Array(meta.dayCount)
  if (dated) {
    const index = new Map(dayLabels({ firstDate: meta.from, dayCount: meta.dayCount }).map((l, d) => [l, d]))
    for (const r of days) {
      const d = index.get(r.period)
      if (d !== undefined) dayOffered[d] = r.offered
    }
  } else {
    for (let i = meta.warmupIntervals; i < rows.length; i++) dayOffered[Math.floor(i / meta.intervalsPerDay)]! += sumsOf(i).offered
  }
  const reportDays = buildReportDays(
    meta,
    dayOffered,
    reportDay,
    (d) => {
      const out: IntervalSums[] = []
      for (let i = d * meta.intervalsPerDay; i < Math.min((d + 1) * meta.intervalsPerDay, rows.length); i++) out.push(sumsOf(i))
      return out
    },
    runLengthDecode(meta.plannedPhone),
    required
  )
  return { input: { meta, summary, days, months, reportDays, replicas }, problems }
}
