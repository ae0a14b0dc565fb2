/**
 * The days a report zooms on, interval by interval: the busiest day of the run (most calls
 * received, the first of equals) and the day asked for (`--report-day`). For each interval:
 * the offered load against the phone advisors staffed, and the advisors the plan has against
 * those the interval needs (`RequiredAdvisors`: in ccsim, exact Erlang A from the interval's
 * arrival rate, its mean handle time and the callers' mean patience — the fewest advisors whose
 * steady state answers ≥ 90% of calls with a mean wait ≤ 2 min, CCTP 3.3.2 targets). Erlang A
 * treats each interval as a steady state with exponential laws: a planner's yardstick for the
 * shape of the day, not the contract's monthly measure.
 *
 * Only intervals from the first to the last with any activity (a call reaching the queue, an
 * advisor), and one either side, are kept.
 */
import type { IntervalRow, IntervalSums, ReportDay } from "./run-data.js"

/** The day indices to show: the busiest, then the requested one (once when they are the same). */
export const chooseReportDays = (
  dayOffered: ArrayLike<number>,
  requested: number | null
): Array<{ day: number; why: Array<"busiest" | "chosen"> }> => {
  let busiest = -1
  for (let d = 0; d < dayOffered.length; d++) if (busiest < 0 || dayOffered[d]! > dayOffered[busiest]!) busiest = d
  const out: Array<{ day: number; why: Array<"busiest" | "chosen"> }> = []
  if (requested !== null && requested !== busiest) out.push({ day: requested, why: ["chosen"] })
  if (busiest >= 0) out.push({ day: busiest, why: requested === busiest ? ["chosen", "busiest"] : ["busiest"] })
  return out
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN)

/**
 * Advisors an interval needs, from its arrival rate (calls per hour), mean handle time and mean
 * patience (null: callers never abandon). The CLI supplies exact Erlang A (sim/cli/report-io.ts,
 * from sim/staffing — a floor reports/ does not import); tests supply their own.
 */
export type RequiredAdvisors = (arrivalsPerHour: number, meanHandleSeconds: number, meanPatienceSeconds: number | null) => number

const hhmm = (minutes: number, relative: boolean) =>
  `${relative ? "+" : ""}${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`

/**
 * A report day from its intervals' mean sums (one per interval of the day) and planned advisors.
 * @param intervalSeconds length of an interval
 * @param dated false: times are "+HH:MM" from the start of the (undated) day
 */
export const reportDay = (
  day: { readonly date: string; readonly day: number; readonly why: ReadonlyArray<"busiest" | "chosen"> },
  sums: ReadonlyArray<IntervalSums>,
  planned: ArrayLike<number>,
  firstInterval: number,
  intervalSeconds: number,
  meanPatienceSeconds: number | null,
  dated: boolean,
  requiredAdvisors: RequiredAdvisors
): ReportDay => {
  const handleOfDay = ratio(
    sums.reduce((a, s) => a + s.talkSeconds + s.wrapSeconds, 0),
    sums.reduce((a, s) => a + s.answered, 0)
  )
  // Calls dissuaded at night do not make an interval active: only calls reaching the queue and advisors do.
  const active = (k: number) => {
    const s = sums[k]!
    return s.offered - s.dissuadedClosure - s.dissuadedTelecom - s.dissuadedIvr > 0 || s.phoneStaffedSeconds > 0 || (planned[k] ?? 0) > 0
  }
  let first = 0
  while (first < sums.length && !active(first)) first++
  let last = sums.length - 1
  while (last > first && !active(last)) last--
  // One quiet interval either side, so the day's edges show.
  first = Math.max(0, first - 1)
  last = Math.min(sums.length - 1, last + 1)
  const rows: IntervalRow[] = []
  let offered = 0
  for (let k = 0; k < sums.length; k++) offered += sums[k]!.offered
  for (let k = first; k <= last && k < sums.length; k++) {
    const s = sums[k]!
    const queued = s.offered - s.dissuadedClosure - s.dissuadedTelecom - s.dissuadedIvr
    const own = ratio(s.talkSeconds + s.wrapSeconds, s.answered)
    const handle = Number.isFinite(own) ? own : handleOfDay
    rows.push({
      time: hhmm((k * intervalSeconds) / 60, !dated),
      interval: firstInterval + k,
      offered: s.offered,
      queued,
      answered: s.answered,
      abandoned: s.abandoned,
      handleSeconds: handle,
      offeredLoad: (queued * handle) / intervalSeconds,
      staffed: s.phoneStaffedSeconds / intervalSeconds,
      busy: s.busySeconds / intervalSeconds,
      planned: planned[k] ?? 0,
      required: queued > 0 ? requiredAdvisors((queued * 3600) / intervalSeconds, handle, meanPatienceSeconds) : 0,
      answerRate: ratio(s.answered, queued),
      meanWaitSeconds: ratio(s.waitSeconds, queued),
      serviceLevel: ratio(s.answeredWithinSl, queued)
    })
  }
  return { date: day.date, day: day.day, why: day.why, offered, rows }
}
