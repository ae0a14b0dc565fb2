/**
 * `timeline.csv`: each incident hour by hour, from its start to its full recovery (the latest
 * replication's hours to 100%; to the horizon when some replication never gets there), means
 * over replications aligned on each replication's own start (a random start differs between
 * replications; `start` is then empty).
 *
 * Columns: the incident and the hour since its start; the hour's start (fixed starts); the
 * share of the hour the calendar opens; advisors able to answer (time-averaged over the hour:
 * `plannedCapacity` of the run without incidents, `availableCapacity` with them) and their
 * ratio; calls offered, answered, abandoned and dissuaded (closure, telecom) in the hour; calls
 * cut (at hour 0); the queue (mean number waiting, by Little's law: the hour's callers' total
 * wait / 3,600 s); the mean wait of the hour's queued calls; and the baseline's answered calls.
 */
import { CsvWriter, type TextSink } from "../kpi/csv.js"
import type { ReplicationTables } from "../kpi/replicas.js"
import { OPEN } from "../model/calendar.js"
import type { Model } from "../model/model.js"
import type { ContinuityDetail } from "./section.js"
import { dateTimeAt } from "./section.js"

export const TIMELINE_COLUMNS = [
  "incident", "hour", "start", "openShare", "plannedCapacity", "availableCapacity", "capacityShare",
  "offered", "answered", "abandoned", "dissuadedClosure", "dissuadedTelecom", "cutCalls", "queueLength", "meanWaitSeconds", "baselineAnswered"
] as const

/** Writes timeline.csv for every incident of a continuity run. */
export const writeTimelineCsv = (
  sink: TextSink,
  model: Model,
  detail: ContinuityDetail,
  results: ReadonlyArray<ReplicationTables>,
  baseline: ReadonlyArray<ReplicationTables>
): void => {
  const w = new CsvWriter(sink, TIMELINE_COLUMNS)
  const span = model.intervalSeconds
  const n = model.intervalCount
  const reps = results.length
  detail.outcomes.forEach((outcomes, k) => {
    const fixed = model.continuity!.incidents[k]!.startInterval >= 0
    const full = outcomes.map((o) => o.hoursTo[2])
    const last = full.every((h): h is number => h !== null)
      ? Math.max(0, ...full)
      : Math.max(...outcomes.map((o) => (n * span - o.startSeconds) / 3600))
    const hourCount = Math.max(1, Math.ceil(last + 1e-9))
    for (let h = 0; h < hourCount; h++) {
      const acc = { open: 0, planned: 0, available: 0, offered: 0, answered: 0, abandoned: 0, closure: 0, telecom: 0, wait: 0, queued: 0, baseline: 0, seconds: 0 }
      outcomes.forEach((o, r) => {
        const rc = detail.inputs[r]!
        const t = results[r]!.table
        const b = baseline[r]!.table
        const from = o.startSeconds + h * 3600
        for (let i = Math.floor(from / span); i < n && i * span < from + 3600; i++) {
          const overlap = Math.min((i + 1) * span, from + 3600) - Math.max(i * span, from)
          if (overlap <= 0) continue
          acc.seconds += overlap
          if (model.status[i] === OPEN) acc.open += overlap
          acc.planned += rc.plannedAnswering[i]! * overlap
          acc.available += rc.answering[i]! * overlap
          acc.offered += t.offered[i]!
          acc.answered += t.answered[i]!
          acc.abandoned += t.abandoned[i]!
          acc.closure += t.dissuadedClosure[i]!
          acc.telecom += t.dissuadedTelecom[i]!
          acc.wait += t.waitSeconds[i]!
          acc.queued += t.offered[i]! - t.dissuadedClosure[i]! - t.dissuadedTelecom[i]! - t.dissuadedIvr[i]!
          acc.baseline += b.answered[i]!
        }
      })
      const planned = acc.seconds > 0 ? acc.planned / acc.seconds : 0
      const available = acc.seconds > 0 ? acc.available / acc.seconds : 0
      w.row([
        k,
        h,
        fixed ? dateTimeAt(model.firstDate!, outcomes[0]!.startSeconds + h * 3600) : "",
        acc.seconds > 0 ? acc.open / acc.seconds : 0,
        planned,
        available,
        planned > 0 ? available / planned : NaN,
        acc.offered / reps,
        acc.answered / reps,
        acc.abandoned / reps,
        acc.closure / reps,
        acc.telecom / reps,
        h === 0 ? outcomes.reduce((a, o) => a + o.cutCalls, 0) / reps : 0,
        acc.wait / reps / 3600,
        acc.queued > 0 ? acc.wait / acc.queued : NaN,
        acc.baseline / reps
      ])
    }
  })
  w.flush()
}
