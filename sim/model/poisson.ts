/**
 * A Poisson process whose rate is constant within each interval (calls or contact forms at the
 * replication's rates). Exact without thinning: when an exponential gap crosses an interval's
 * end, the process restarts at the next interval's start with that interval's rate (the
 * exponential is memoryless, so the discarded remainder carries no information).
 */
import type { RandomStream } from "../engine/random.js"

export class PoissonClock {
  /** Time of the current arrival (seconds). */
  t = 0
  /** Interval of the current arrival. */
  interval = 0

  constructor(
    private readonly rates: Float64Array,
    private readonly rng: RandomStream,
    private readonly span: number,
    private readonly intervalCount: number,
    private readonly horizon: number
  ) {}

  /** Moves to the next arrival; false when there is none before the horizon (t, interval then stale). */
  advance(): boolean {
    const rates = this.rates
    const span = this.span
    let t = this.t
    let i = this.interval
    for (;;) {
      const rate = rates[i]!
      if (rate > 0) {
        t += -Math.log(1 - this.rng.nextDouble()) / rate
        if (t < (i + 1) * span) break
      }
      i++ // the gap crossed the boundary: restart at the next interval's start
      t = i * span
      if (i >= this.intervalCount || t >= this.horizon) return false
    }
    if (t >= this.horizon) return false
    this.t = t
    this.interval = i
    return true
  }
}
