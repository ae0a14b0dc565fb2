/**
 * The 48-hour verdict of one incident in one replication (README "Business continuity").
 *
 * Interruption (reading taken, `continuity.interruption`): over the staffed intervals — open by
 * the calendar, with planned advisors able to answer — the service is interrupted while the
 * capacity able to answer calls (phone and blended advisors who can reach Odigo, thinned by a
 * platform outage's share) is at or below `threshold` × the planned one (default 0: nobody can
 * answer). It is restored at the first staffed interval from which capacity stays above that
 * line (until the next incident or the horizon). Calendar interrupted hours run from the first
 * interrupted staffed interval to the restoration, nights and weekends included (0 when the
 * service never stopped answering); open interrupted hours count the staffed intervals
 * interrupted meanwhile. The obligation holds when the hours of the chosen
 * clock are at most `obligationHours` (CCTP 3.3.2: 48); an interruption still running at the
 * horizon and shorter than that is censored (undecided).
 *
 * Hours to 50%, 80% and 100%: from the incident to the first staffed interval from which the
 * capacity stays at or above that share of the planned capacity (null: not within the horizon —
 * a level must hold through at least one later opening day to count as reached). Restoration
 * and levels are judged on the intervals the incident puts at stake — where its sites had
 * planned advisors able to answer (every staffed interval for a platform outage, or an incident
 * at a site nobody works at): an evening hour when the lost site works no shift proves nothing
 * about its recovery.
 * Hours to the first answered call: to the first interval after the start in which a call that
 * arrived was answered. All times are on the 15-minute grid (the tables' resolution).
 *
 * A pure function of the replication's continuity inputs (sim/model/incidents.ts) and its
 * interval table.
 */
import type { IntervalTable } from "../kpi/intervals.js"
import { OPEN } from "../model/calendar.js"
import type { ContinuityModel } from "../model/continuity.js"
import type { ReplicationContinuity } from "../model/incidents.js"

/** The restore levels reported (shares of the planned capacity). */
export const RESTORE_LEVELS = [0.5, 0.8, 1] as const

export interface IncidentOutcome {
  readonly startInterval: number
  readonly startSeconds: number
  /** Hours from the start to the first answered call (null: none within the horizon). */
  readonly hoursToFirstAnswer: number | null
  /** Hours to 50%, 80% and 100% of planned capacity, sustained (null: not within the horizon). */
  readonly hoursTo: readonly [number | null, number | null, number | null]
  readonly interruptedOpenHours: number
  readonly interruptedCalendarHours: number
  /** Restored within the horizon. */
  readonly restored: boolean
  /** The obligation held; null when the interruption is still running at the horizon (or the next incident) and shorter than the obligation (censored). */
  readonly held: boolean | null
  /** Calls this incident cut (advisors lost mid-call). */
  readonly cutCalls: number
}

/** Intervals where the service should answer: open by the calendar, with planned capacity. */
const staffed = (status: Uint8Array, planned: Float64Array, i: number): boolean => status[i] === OPEN && planned[i]! > 0

/**
 * First staffed interval in [from, to) from which `ok` holds on every staffed interval up to
 * `to` — and at least through the whole next day that has staffed intervals, so that a level
 * met only in the horizon's last hours does not count as reached; null otherwise.
 */
const sustainedFrom = (from: number, to: number, perDay: number, isStaffed: (i: number) => boolean, ok: (i: number) => boolean): number | null => {
  let candidate: number | null = null
  for (let i = from; i < to; i++) {
    if (!isStaffed(i)) continue
    if (!ok(i)) candidate = null
    else if (candidate === null) candidate = i
  }
  if (candidate === null) return null
  // The window must hold a later day's staffed intervals, all of them.
  for (let d = Math.floor(candidate / perDay) + 1; d * perDay < to; d++) {
    let last = -1
    for (let i = d * perDay; i < (d + 1) * perDay; i++) if (isStaffed(i)) last = i
    if (last >= 0) return last < to ? candidate : null
  }
  return null
}

/** The outcome of incident `k` in one replication. */
export const incidentOutcome = (
  c: ContinuityModel,
  grid: { readonly intervalSeconds: number; readonly intervalCount: number; readonly intervalsPerDay: number; readonly status: Uint8Array },
  rc: ReplicationContinuity,
  table: Pick<IntervalTable, "answered">,
  k: number,
  cutCalls: number
): IncidentOutcome => {
  const draw = rc.draws[k]!
  const span = grid.intervalSeconds
  const s0 = draw.startInterval
  // The window of this incident's verdict: to the next incident's start, or the horizon.
  const nextStart = rc.draws.reduce((m, d, j) => (j !== k && d.startInterval > s0 ? Math.min(m, d.startInterval) : m), grid.intervalCount)
  const planned = rc.plannedAnswering
  const available = rc.answering
  const isStaffed = (i: number) => staffed(grid.status, planned, i)
  const exposure = rc.exposure[k] ?? null
  let exposed = false
  for (let i = s0; exposure !== null && i < nextStart && !exposed; i++) exposed = isStaffed(i) && exposure[i]! > 0
  // An incident at a site with nobody planned puts nothing at stake: every staffed interval judges it.
  const atStake = !exposed ? isStaffed : (i: number) => isStaffed(i) && exposure![i]! > 0
  const hoursAt = (i: number) => (i * span - draw.startSeconds) / 3600
  const hoursTo = RESTORE_LEVELS.map((level) => {
    const i = sustainedFrom(s0, nextStart, grid.intervalsPerDay, atStake, (j) => available[j]! >= level * planned[j]! - 1e-9)
    return i === null ? null : hoursAt(i)
  }) as [number | null, number | null, number | null]
  const above = (j: number) => available[j]! > c.threshold * planned[j]! + 1e-9
  const restoredAt = sustainedFrom(s0, nextStart, grid.intervalsPerDay, atStake, above)
  const until = restoredAt ?? nextStart
  let openIntervals = 0
  let firstDown = -1
  for (let i = s0; i < until; i++) {
    if (!isStaffed(i) || above(i)) continue
    openIntervals++
    if (firstDown < 0) firstDown = i
  }
  const interruptedOpenHours = (openIntervals * span) / 3600
  const interruptedCalendarHours = firstDown < 0 ? 0 : ((until - firstDown) * span) / 3600
  const hours = c.clock === "calendar" ? interruptedCalendarHours : interruptedOpenHours
  const restored = restoredAt !== null
  const held = hours > c.obligationHours ? false : restored ? true : null
  let first: number | null = null
  for (let i = s0; i < grid.intervalCount; i++) {
    if (table.answered[i]! > 0) {
      first = i
      break
    }
  }
  return {
    startInterval: s0,
    startSeconds: draw.startSeconds,
    hoursToFirstAnswer: first === null ? null : hoursAt(first),
    hoursTo,
    interruptedOpenHours,
    interruptedCalendarHours,
    restored,
    held,
    cutCalls
  }
}
