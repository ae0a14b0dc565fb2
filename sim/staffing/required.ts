/**
 * Advisors an interval needs to meet the CCTP's answer-rate and mean-wait targets (3.3.2:
 * > 90% answered, < 2 min mean wait) by exact Erlang A — Erlang C when callers never abandon —
 * from the interval's arrival rate, mean handle time and mean patience: the yardstick the
 * reports draw against the planned advisors (reports/days.ts).
 *
 * Only the two figures the targets need are computed, by ./erlang-a.ts (the staffing search's
 * answer-rate-and-wait chain; θ = 0 gives Erlang C): queueMetrics also computes the answered
 * callers' mean wait, quadratic in the chain's length, which made a 48-month report's few dozen
 * intervals cost ~0.5 s. Both figures improve with every advisor added, so the fewest is found
 * by doubling then bisection.
 */
import { KPI_TARGETS } from "../domain/cctp.js"
import { erlangAAnswer } from "./erlang-a.js"

/**
 * The fewest advisors meeting both targets; 0 without calls, NaN when the handle time is unknown.
 * @param arrivalsPerHour calls reaching the queue, per hour
 * @param meanPatienceSeconds null: callers never abandon (Erlang C)
 */
export const requiredAdvisors = (arrivalsPerHour: number, meanHandleSeconds: number, meanPatienceSeconds: number | null): number => {
  if (!(arrivalsPerHour > 0)) return 0
  if (!(meanHandleSeconds > 0)) return NaN
  const lambda = arrivalsPerHour / 3600
  const mu = 1 / meanHandleSeconds
  const load = lambda / mu
  const theta = meanPatienceSeconds === null ? 0 : 1 / meanPatienceSeconds
  const meets = (c: number): boolean => {
    const f = erlangAAnswer(lambda, mu, theta, c)
    return f.answerRate >= KPI_TARGETS.answerRate && f.meanWaitSeconds <= KPI_TARGETS.meanWaitSeconds
  }
  let lo = meanPatienceSeconds === null ? Math.floor(load) : -1 // known to fail
  let hi = Math.max(1, Math.ceil(load))
  while (!meets(hi)) {
    lo = hi
    hi *= 2
    if (hi > 1_000_000) return NaN
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (meets(mid)) hi = mid
    else lo = mid
  }
  return hi
}
