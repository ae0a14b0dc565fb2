/**
 * Accumulators: the simulation counts into these typed arrays as events happen (DESIGN data flow
 * step 4), and everything else — KPIs, periods, penalties, charts — is a pure function of them
 * (STYLE 8). Memory is O(intervals + days × groups), never O(calls).
 *
 * Attribution: call outcomes (offered, dissuaded, answered, abandoned, waits, talk, transfers…) go
 * to the interval in which the call ARRIVED (telephony statistics count calls by presentation
 * time); time-weighted quantities (advisor-seconds) and forms handled go to the interval in which
 * they happened.
 *
 * Conservation, per interval (asserted by the simulation and by tests):
 *   offered = dissuadedClosure + dissuadedTelecom + dissuadedIvr + answered + abandoned + inSystemAtEnd
 * with redials ⊂ offered, transferred and tickets ⊂ answered, cutOffAtClosing ⊂ abandoned,
 * dissuadedExceptional and dissuadedTechnical ⊂ dissuadedClosure.
 */

/** The columns of the interval table, in a fixed order (their index is stable). */
export const INTERVAL_COLUMNS = [
  /** Calls received: first attempts and redials (CCTP "appels reçus"). */
  "offered",
  /** Redials of callers who abandoned earlier (part of offered). */
  "redials",
  /** Calls arriving while the service is closed (nights, weekends, holidays, closures). */
  "dissuadedClosure",
  /** Part of dissuadedClosure: during exceptional closures (count against accessibility). */
  "dissuadedExceptional",
  /** Part of dissuadedClosure: during closures for a technical incident. */
  "dissuadedTechnical",
  /** Calls dissuaded because of a telecom problem. */
  "dissuadedTelecom",
  /** Out-of-scope callers who hung up on the IVR dissuasion message. */
  "dissuadedIvr",
  /** Calls picked up by an advisor. */
  "answered",
  "answeredWithinSl",
  /** Callers who hung up while waiting (including those cut off at closing). */
  "abandoned",
  /** Part of abandoned: callers still waiting when the service closed. */
  "cutOffAtClosing",
  /** Callers still waiting in the queue at the horizon. */
  "inSystemAtEnd",
  /** Answered calls transferred to level 1+. */
  "transferred",
  /** Answered calls escalated to level 2 as a ticket. */
  "tickets",
  /** Total queue wait (s) of calls answered, abandoned, or still waiting at the horizon. */
  "waitSeconds",
  /** Total talk time (s) of answered calls. */
  "talkSeconds",
  /** Total wrap-up time (s) after answered calls. */
  "wrapSeconds",
  /** Advisor-seconds logged in (all skills). */
  "staffedSeconds",
  /** Advisor-seconds logged in on the phone activity (phone-only and blended advisors). */
  "phoneStaffedSeconds",
  /** Advisor-seconds on calls (talk + wrap-up). */
  "busySeconds",
  /** Advisor-seconds idle and available for a call. */
  "idleSeconds",
  /** Advisor-seconds on the forms activity (forms-only advisors logged in, blended ones on a form). */
  "formsActivitySeconds",
  "formsReceived",
  "formsHandled"
] as const

export type IntervalColumn = (typeof INTERVAL_COLUMNS)[number]

/** A table of Float64Array columns, `rows` long. */
export type Table<C extends string> = { readonly [K in C]: Float64Array } & { readonly rows: number }

/** One replication's interval table. */
export type IntervalTable = Table<IntervalColumn> & { readonly intervalSeconds: number }

/**
 * The columns of a table: views into one buffer, zero until written, so a page costs only once
 * written; ~30 allocations of one column each (64 KB for 8,000 intervals) were zeroed at once —
 * ~280 page faults (11 µs each on the project's VM in its slow periods) for a table of which a run
 * may write a few columns. One buffer is zero until written wherever it comes from: mapped fresh
 * from the system, or (bin/ccsim.mjs raises glibc's mmap threshold to ~32 MB at start, so most
 * tables do) from the top of glibc's heap, which calloc does not clear when freshly extended.
 * Heap memory used before is cleared by calloc, but its pages are resident already: no fault.
 */
const makeColumns = (columns: ReadonlyArray<string>, rows: number): Record<string, Float64Array | number> => {
  const t: Record<string, Float64Array | number> = { rows }
  const buffer = new ArrayBuffer(columns.length * rows * Float64Array.BYTES_PER_ELEMENT)
  columns.forEach((c, i) => (t[c] = new Float64Array(buffer, i * rows * Float64Array.BYTES_PER_ELEMENT, rows)))
  return t
}

export const makeIntervalTable = (intervalCount: number, intervalSeconds: number): IntervalTable =>
  ({ ...makeColumns(INTERVAL_COLUMNS, intervalCount), intervalSeconds }) as unknown as IntervalTable

/** Per-day, per-group columns (a group is a call reason or an IVR flow). */
export const GROUP_COLUMNS = [
  "offered",
  "redials",
  "dissuadedClosure",
  "dissuadedTelecom",
  "dissuadedIvr",
  "answered",
  "answeredWithinSl",
  "abandoned",
  "transferred",
  "tickets",
  "waitSeconds",
  "talkSeconds",
  "wrapSeconds"
] as const

export type GroupColumn = (typeof GROUP_COLUMNS)[number]

/** Per-day table for each group: row = day × groupCount + group. */
export type GroupDayTable = Table<GroupColumn> & { readonly days: number; readonly groups: number }

export const makeGroupDayTable = (days: number, groups: number): GroupDayTable =>
  ({ ...makeColumns(GROUP_COLUMNS, days * groups), days, groups }) as unknown as GroupDayTable

/** Sum of a column over rows [from, to). */
export const columnSum = <C extends string>(table: Table<C>, column: C, from = 0, to = table.rows): number => {
  const xs = table[column]
  let s = 0
  for (let i = from; i < to; i++) s += xs[i]!
  return s
}

/** The buffers under these columns, each once (columns may share one), to transfer from a worker without copying. */
export const columnBuffers = (columns: Iterable<Float64Array>): ArrayBuffer[] => [...new Set([...columns].map((c) => c.buffer as ArrayBuffer))]

/** The buffers of a table's columns, to transfer from a worker without copying. */
export const tableBuffers = <C extends string>(table: Table<C>, columns: ReadonlyArray<C>): ArrayBuffer[] => columnBuffers(columns.map((c) => table[c]))
