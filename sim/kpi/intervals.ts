/**
 * Per-interval accumulators: the simulation counts into these typed arrays as events happen
 * (DESIGN data flow step 4), and everything else — KPIs, periods, penalties, charts — is a pure
 * function of them (STYLE 8). Memory is O(intervals), never O(calls).
 *
 * Conservation per interval: offered = answered + abandoned + inSystemAtEnd.
 *
 * Attribution: call outcomes (offered, answered, abandoned, waits, handle times) go to the
 * interval in which the call ARRIVED (as telephony statistics count calls by presentation
 * time); time-weighted quantities (staffed and busy agent-seconds) go to the interval in which
 * the time was spent.
 */

/** The columns of the interval table, in a fixed order (their index is stable). */
export const INTERVAL_COLUMNS = [
  "offered",
  "answered",
  "answeredWithinSl",
  "abandoned",
  /** Callers still waiting in the queue at the horizon (by arrival interval). */
  "inSystemAtEnd",
  /** Total queue wait (seconds) of calls answered, abandoned, or still queued at the horizon. */
  "waitSeconds",
  /** Total handle time (seconds) of answered calls. */
  "handleSeconds",
  /** Agent-seconds logged in. */
  "staffedSeconds",
  /** Agent-seconds busy with a call. */
  "busySeconds"
] as const

export type IntervalColumn = (typeof INTERVAL_COLUMNS)[number]

/** One replication's interval table: a Float64Array per column, `intervalCount` long. */
export type IntervalTable = { readonly [K in IntervalColumn]: Float64Array } & {
  readonly intervalCount: number
  readonly intervalSeconds: number
}

export const makeIntervalTable = (intervalCount: number, intervalSeconds: number): IntervalTable => {
  const table: Record<string, Float64Array | number> = { intervalCount, intervalSeconds }
  for (const c of INTERVAL_COLUMNS) table[c] = new Float64Array(intervalCount)
  return table as IntervalTable
}

/** Sum of a column over intervals [from, to). */
export const columnSum = (table: IntervalTable, column: IntervalColumn, from = 0, to = table.intervalCount): number => {
  const xs = table[column]
  let s = 0
  for (let i = from; i < to; i++) s += xs[i]!
  return s
}

/** The buffers of a table, to transfer from a worker without copying. */
export const tableBuffers = (table: IntervalTable): ArrayBuffer[] =>
  INTERVAL_COLUMNS.map((c) => table[c].buffer as ArrayBuffer)
