/**
 * A call log to replay (`arrivals.replay.csv` in a dated scenario): the truest input a planner
 * has — a real day's calls. One row per call: `time` (Paris time, `YYYY-MM-DD HH:MM[:SS[.fff]]`,
 * `YYYY-MM-DDTHH:MM[:SS]` or `DD/MM/YYYY HH:MM[:SS]`), and optionally `flow` (an IVR flow code),
 * `reason` (a call-reason code), `talkSeconds` and `patienceSeconds` (what the call did; left
 * out or empty, the scenario's laws draw them). Rows may come in any order; calls outside the
 * horizon are problems. French Excel CSV accepted; every problem has `file:line`.
 */
import { parseFrenchNumber, readCsv, rowsWhileSensible } from "../domain/csv.js"
import { parseDateTime } from "../domain/dates.js"
import { quote, type Problem } from "../domain/problem.js"

export interface CallLog {
  /** Arrival times, seconds from the horizon's first midnight, non-decreasing. */
  readonly times: Float64Array
  /** Flow and reason index of each call, or -1 when the log does not say. */
  readonly flow: Int8Array
  readonly reason: Int8Array
  /** Talk and patience of each call (seconds), or NaN when the log does not say. */
  readonly talkSeconds: Float64Array
  readonly patienceSeconds: Float64Array
}

export interface CallLogContext {
  readonly firstDay: number
  readonly dayCount: number
  readonly flows: ReadonlyArray<string>
  readonly reasons: ReadonlyArray<string>
}

/** "2026-03-02 09:15:27.5", "2026-03-02T09:15", "02/03/2026 09:15:27" -> seconds on the horizon's axis. */
const parseTime = (s: string, firstDay: number): number | undefined => {
  const m = /^(?:(\d{4}-\d{2}-\d{2})|(\d{2})\/(\d{2})\/(\d{4}))[T ](\d{2}:\d{2})(?::(\d{2})(\.\d+)?)?$/.exec(s.trim())
  if (!m) return undefined
  const date = m[1] ?? `${m[4]}-${m[3]}-${m[2]}`
  const dt = parseDateTime(`${date}T${m[5]}`)
  const seconds = m[6] === undefined ? 0 : Number(m[6]) + (m[7] === undefined ? 0 : Number(m[7]))
  if (dt === undefined || seconds >= 60) return undefined
  return (dt.day - firstDay) * 86_400 + dt.minutes * 60 + seconds
}

export const parseCallLog = (text: string, file: string, ctx: CallLogContext): { log: CallLog; problems: Problem[] } => {
  const problems: Problem[] = []
  const none: CallLog = { times: new Float64Array(0), flow: new Int8Array(0), reason: new Int8Array(0), talkSeconds: new Float64Array(0), patienceSeconds: new Float64Array(0) }
  const table = readCsv(text)
  if (table === undefined) return { log: none, problems: [{ path: file, message: "the file is empty" }] }
  const col = (...names: string[]) => table.header.findIndex((h) => names.includes(h))
  const timeCol = col("time", "start", "date", "heure")
  const flowCol = col("flow", "flux")
  const reasonCol = col("reason", "motif")
  const talkCol = col("talkseconds", "talk")
  const patienceCol = col("patienceseconds", "patience")
  if (timeCol < 0) return { log: none, problems: [{ path: `${file}:${table.headerLine}`, message: 'no "time" column in the header' }] }
  const lower = (xs: ReadonlyArray<string>) => xs.map((x) => x.toLowerCase())
  const flows = lower(ctx.flows)
  const reasons = lower(ctx.reasons)
  const horizon = ctx.dayCount * 86_400
  const calls: Array<{ t: number; f: number; r: number; talk: number; patience: number }> = []
  let rowCount = 0
  for (const { line, cells } of rowsWhileSensible(table, file, problems)) {
    rowCount++
    const at = `${file}:${line}`
    const raw = cells[timeCol] ?? ""
    const t = parseTime(raw, ctx.firstDay)
    if (t === undefined) problems.push({ path: at, message: `time: expected YYYY-MM-DD HH:MM[:SS] (or DD/MM/YYYY HH:MM[:SS]), got ${quote(raw)}` })
    else if (t < 0 || t >= horizon) problems.push({ path: at, message: `time: ${raw} is outside the horizon` })
    const code = (c: number, known: ReadonlyArray<string>, what: string): number => {
      if (c < 0 || (cells[c] ?? "").trim() === "") return -1
      const v = cells[c]!.trim()
      const i = known.indexOf(v.toLowerCase())
      if (i < 0) problems.push({ path: at, message: `${what}: unknown code ${quote(v)}; expected one of ${(what === "flow" ? ctx.flows : ctx.reasons).join(", ")}` })
      return i
    }
    const seconds = (c: number, what: string): number => {
      if (c < 0 || (cells[c] ?? "").trim() === "") return NaN
      const v = parseFrenchNumber(cells[c]!)
      if (v === undefined || v < 0) {
        problems.push({ path: at, message: `${what}: expected seconds >= 0, got ${quote(cells[c]!)}` })
        return NaN
      }
      return v
    }
    const f = code(flowCol, flows, "flow")
    const r = code(reasonCol, reasons, "reason")
    const talk = seconds(talkCol, "talkSeconds")
    const patience = seconds(patienceCol, "patienceSeconds")
    if (t !== undefined && t >= 0 && t < horizon) calls.push({ t, f, r, talk, patience })
  }
  if (rowCount === 0) problems.push({ path: file, message: "no call rows after the header" })
  calls.sort((a, b) => a.t - b.t)
  return {
    log: {
      times: Float64Array.from(calls, (c) => c.t),
      flow: Int8Array.from(calls, (c) => c.f),
      reason: Int8Array.from(calls, (c) => c.r),
      talkSeconds: Float64Array.from(calls, (c) => c.talk),
      patienceSeconds: Float64Array.from(calls, (c) => c.patience)
    },
    problems
  }
}
