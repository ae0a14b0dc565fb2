/**
 * The compiled `Model`: everything a replication reads, resolved to numbers and typed arrays
 * (DESIGN data flow step 2; STYLE 7). The hot loop never looks a string up.
 *
 * A Model is plain data (typed arrays, numbers, distribution specs), so it can be posted to
 * worker threads as is; samplers are built from the specs inside each Simulation.
 *
 * Invariants: `intervalCount * intervalSeconds >= horizonSeconds`; rates and staff are defined
 * for every interval; every spec builds a sampler.
 */
import type { DistributionSpec } from "../engine/distributions.js"

export interface Model {
  readonly name: string
  /** End of the run (seconds from t = 0); events at or after it are not processed. */
  readonly horizonSeconds: number
  /** Length of an accounting interval (seconds). */
  readonly intervalSeconds: number
  readonly intervalCount: number
  /** Replayed arrival times (seconds, non-decreasing); null: Poisson at `arrivalRatePerSecond`. */
  readonly arrivalTimes: Float64Array | null
  /** Poisson arrival rate in each interval (calls per second). */
  readonly arrivalRatePerSecond: Float64Array
  /** Agents logged in during each interval. */
  readonly staff: Int32Array
  /** Handle time of an answered call (talk + wrap-up for the textbook model). */
  readonly handleTime: DistributionSpec
  /** Caller patience in queue; null: callers never abandon. */
  readonly patience: DistributionSpec | null
  /** Intervals at the start excluded from the summary's statistics (warm-up). */
  readonly warmupIntervals: number
  /** Target answer time of the service level (seconds). */
  readonly serviceLevelSeconds: number
}
