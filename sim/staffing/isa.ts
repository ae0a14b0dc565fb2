/**
 * Interval requirements: how many phone advisors must be present in each open interval of each
 * day type. Start from Erlang A per interval (the interval's expected first attempts, the
 * scenario's mean handle time and patience), then refine by simulation with the iterative
 * staffing algorithm (Feldman, Mandelbaum, Massey & Whitt 2008): simulate the current staffing,
 * measure each interval's arrivals (redials included) and answer rate, read the rate as the load
 * Erlang A would need to give it with that staffing (non-stationarity, closing cut-offs), staff
 * that load for the interval's goal, repeat to a fixed point. Common random numbers between iterations (the
 * same seed and replications), so a change in staffing is what moves the measure.
 *
 * Invariant: goals are per interval; the chance constraint on months is ./search.ts's job.
 */
import { makeSampler } from "../engine/distributions.js"
import { erlangCWaitProbability } from "./erlang.js"
import type { Model } from "../model/model.js"
import type { Runner } from "../run/simulate.js"
import { agentsForAnswerRate, effectiveArrivalRate, erlangAAnswer } from "./erlang-a.js"
import { modelWithPresent, type DayType } from "./plan.js"

/** Mean handle time (talk + wrap-up over the reason mix) and mean patience of a model, seconds. */
export const meanTimes = (model: Model): { handleSeconds: number; patienceSeconds: number } => {
  const base = model.mixes[0]!
  const overall = model.reasons.map((_, r) => base.flows.reduce((a, p, f) => a + p * (base.reasons[f]![r] ?? 0), 0))
  const talk = model.talk.reduce((a, spec, r) => a + (overall[r] ?? 0) * makeSampler(spec).mean, 0)
  const wrap = model.wrapUp === null ? 0 : makeSampler(model.wrapUp).mean
  return { handleSeconds: talk + wrap, patienceSeconds: model.patience === null ? Infinity : makeSampler(model.patience).mean }
}

/** Per interval of a day type, what it must achieve: an answer rate, a mean wait (seconds), or both. */
export interface IntervalGoal {
  readonly answerRate?: number
  readonly meanWaitSeconds?: number
}

/** The fewest agents meeting a goal at arrival rate λ (per second). */
export const agentsForGoal = (lambda: number, mu: number, theta: number, goal: IntervalGoal): number => {
  if (lambda <= 0) return 0
  let c = goal.answerRate === undefined ? Math.floor(lambda / mu) : agentsForAnswerRate(lambda, mu, theta, goal.answerRate)
  if (goal.meanWaitSeconds !== undefined) while (erlangAAnswer(lambda, mu, theta, c).meanWaitSeconds > goal.meanWaitSeconds) c++
  return Math.max(c, goal.answerRate === undefined ? 1 : 0)
}

/** Requirements and the loads behind them, per day type and open interval (same order as `type.intervals`). */
export interface Requirements {
  readonly present: Int32Array[]
  /** Effective arrival rate (per second) of each cell, as the last simulation saw it. */
  readonly load: Float64Array[]
}

/** Expected first attempts per second of each interval of a day type (averaged over its days). */
const forecastRow = (model: Model, t: DayType): Float64Array =>
  Float64Array.from(t.intervals, (k) => t.days.reduce((a, d) => a + model.callRate[d * model.intervalsPerDay + k]!, 0) / t.days.length)

/** The same for every day type. */
const forecastLoad = (model: Model, types: ReadonlyArray<DayType>): Float64Array[] => types.map((t) => forecastRow(model, t))

/** Erlang A requirements from the forecast alone (the algorithm's start). */
export const erlangStart = (model: Model, types: ReadonlyArray<DayType>, goalOf: (t: number) => IntervalGoal): Requirements => {
  const { handleSeconds, patienceSeconds } = meanTimes(model)
  const load = forecastLoad(model, types)
  return { load, present: load.map((row, t) => Int32Array.from(row, (lambda) => agentsForGoal(lambda, 1 / handleSeconds, 1 / patienceSeconds, goalOf(t)))) }
}

/**
 * Classic sizing (what WFM tools do): Erlang C per interval for `serviceLevel` of calls within
 * `seconds`, then / (1 − shrinkage) — present advisors required, shrinkage standing in for
 * absence and everything else.
 */
export const classicRequirements = (model: Model, types: ReadonlyArray<DayType>, serviceLevel: number, seconds: number, shrinkage: number): Int32Array[] => {
  const { handleSeconds } = meanTimes(model)
  const mu = 1 / handleSeconds
  return forecastLoad(model, types).map((row) =>
    Int32Array.from(row, (lambda) => {
      if (lambda <= 0) return 0
      const a = lambda / mu
      let c = Math.max(1, Math.ceil(a))
      while (c < 100_000 && 1 - erlangCWaitProbability(c, a) * Math.exp(-(c * mu - lambda) * seconds) < serviceLevel) c++
      return Math.ceil(c / (1 - shrinkage))
    })
  )
}

export interface IsaOptions {
  readonly seed: number
  readonly replications: number
  readonly iterations: number
  readonly onIteration?: ((iteration: number, changed: number) => void) | undefined
}

/**
 * The iterative staffing algorithm from `start`: until no cell changes (or `iterations`), simulate
 * the present staffing and restaff each cell for its goal at the load the simulation revealed.
 */
export const iterativeStaffing = async (
  model: Model,
  types: ReadonlyArray<DayType>,
  goalOf: (t: number) => IntervalGoal,
  start: Requirements,
  runner: Runner,
  options: IsaOptions
): Promise<Requirements & { readonly iterations: number; readonly converged: boolean }> => {
  const { handleSeconds, patienceSeconds } = meanTimes(model)
  const mu = 1 / handleSeconds
  const theta = 1 / patienceSeconds
  const perDay = model.intervalsPerDay
  const span = model.intervalSeconds
  let present = start.present.map((r) => Int32Array.from(r))
  let load = start.load.map((r) => Float64Array.from(r))
  for (let n = 1; n <= options.iterations; n++) {
    const results = await runner.run(modelWithPresent(model, types, present), { seed: options.seed, replications: options.replications })
    let changed = 0
    const next = present.map((r) => Int32Array.from(r))
    const nextLoad = load.map((r) => Float64Array.from(r))
    types.forEach((t, i) => {
      // Per interval: the arrival rate of calls that reached the queue (redials included), and
      // the factor κ by which Erlang A must see it to give the answer rate the simulation gave.
      const measured = new Float64Array(t.intervals.length)
      const kappa = new Float64Array(t.intervals.length).fill(NaN)
      t.intervals.forEach((k, x) => {
        let answered = 0
        let reached = 0
        for (const r of results) {
          const tab = r.table
          for (const d of t.days) {
            const j = d * perDay + k
            answered += tab.answered[j]!
            reached += tab.offered[j]! - tab.dissuadedClosure[j]! - tab.dissuadedTelecom[j]! - tab.dissuadedIvr[j]!
          }
        }
        measured[x] = reached / (t.days.length * results.length * span)
        const c = present[i]![x]!
        if (reached > 0 && c > 0) kappa[x] = effectiveArrivalRate(answered / reached, mu, theta, c, measured[x]!) / measured[x]!
      })
      // Both ratios are noisy per interval: smooth them over the interval and its neighbours —
      // ρ (the measured arrivals over the forecast: redials) by their mean, κ (a ratio of answer
      // rates) by their median — so sampling noise does not move staffing, while redials, lags,
      // the opening rush and closing cut-offs, which last several intervals, still do.
      const forecast = forecastRow(model, t)
      const rho = Float64Array.from(measured, (m, x) => (forecast[x]! > 0 ? m / forecast[x]! : NaN))
      t.intervals.forEach((_, x) => {
        const ks: number[] = []
        const rs: number[] = []
        for (let y = Math.max(0, x - 2); y <= Math.min(t.intervals.length - 1, x + 2); y++) {
          if (Number.isFinite(kappa[y]!)) ks.push(kappa[y]!)
          if (Number.isFinite(rho[y]!)) rs.push(rho[y]!)
        }
        ks.sort((a, b) => a - b)
        const k = ks.length === 0 ? 1 : Math.min(1.5, Math.max(0.7, ks[Math.floor(ks.length / 2)]!))
        const r = rs.length === 0 ? 1 : rs.reduce((a, b) => a + b, 0) / rs.length
        const lambda = forecast[x]! > 0 ? forecast[x]! * r * k : measured[x]! * k
        nextLoad[i]![x] = lambda
        next[i]![x] = agentsForGoal(lambda, mu, theta, goalOf(i))
        if (next[i]![x] !== present[i]![x]) changed++
      })
    })
    present = next
    load = nextLoad
    options.onIteration?.(n, changed)
    // A fixed point up to sampling noise: at most 2% of the cells move by one advisor.
    const cells = present.reduce((a, r) => a + r.length, 0)
    if (changed <= 0.02 * cells) return { present, load, iterations: n, converged: true }
  }
  return { present, load, iterations: options.iterations, converged: false }
}
