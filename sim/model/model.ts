/**
 * The compiled `Model`: everything a replication reads, resolved to numbers and typed arrays
 * (DESIGN data flow step 2; STYLE 7). The hot loop never looks a string up.
 *
 * A Model is plain data (typed arrays, numbers, distribution specs), so it can be posted to
 * worker threads as is; samplers are built from the specs inside each Simulation. Random
 * per-replication inputs (absence, day busyness, forecast error) are drawn by the Simulation
 * from the model's parameters, so replications differ only through their streams.
 *
 * Invariants: `intervalCount * intervalSeconds >= horizonSeconds`; every per-interval array has
 * `intervalCount` entries and every per-day array `dayCount`; each mix's weights sum to 1;
 * every spec builds a sampler.
 */
import type { DistributionSpec } from "../engine/distributions.js"
import type { ContinuityModel } from "./continuity.js"

/** Advisor groups (skills). */
export const GROUP_PHONE = 0
export const GROUP_FORMS = 1
export const GROUP_BLENDED = 2
export const GROUP_COUNT = 3

/** A block of advisors working the same pieces of a day (a shift, or a row of a weekly plan). */
export interface StaffBlock {
  readonly group: number
  /** Day index (0-based from the first day) -> advisors scheduled that day (before absence). */
  readonly advisorsByDay: Int32Array
  /** Worked pieces of the day, as [fromInterval, toInterval) within the day. */
  readonly pieces: ReadonlyArray<readonly [number, number]>
  /** Index of the block's site in `continuity.sites` (staffing.sites); absent: the one site. */
  readonly site?: number
}

export interface Model {
  readonly name: string
  /** First simulated day as "YYYY-MM-DD", or null for undated (textbook) scenarios. */
  readonly firstDate: string | null
  /** End of the run (seconds from t = 0); events at or after it are not processed. */
  readonly horizonSeconds: number
  /** Length of an accounting interval (seconds). */
  readonly intervalSeconds: number
  readonly intervalCount: number
  /** Intervals in a day (86,400 / intervalSeconds). */
  readonly intervalsPerDay: number
  readonly dayCount: number

  // --- arrivals ---
  /** Replayed arrival times (seconds, non-decreasing); null: Poisson at `callRate`. */
  readonly arrivalTimes: Float64Array | null
  /**
   * What a replayed call log says of each call (same index as arrivalTimes): flow and reason
   * (-1: drawn from the mix), talk and patience in seconds (NaN: drawn from the laws); null: nothing.
   */
  readonly replayAttributes: {
    readonly flow: Int8Array
    readonly reason: Int8Array
    readonly talkSeconds: Float64Array
    readonly patienceSeconds: Float64Array
  } | null
  /** Expected first-attempt calls per second in each interval (before busyness/forecast error). */
  readonly callRate: Float64Array
  /**
   * First-attempt calls per day the hour orders were based on: the forecast with only the events
   * marked `foreseen` (the basis of CCTP 9's 120% rule); null for undated runs.
   */
  readonly forecastBasisCalls: Float64Array | null
  /** Contact forms per second in each interval. */
  readonly formRate: Float64Array
  /** Coefficient of variation of the day "busyness" factor (gamma, mean 1); 0: none. */
  readonly dayBusynessCv: number
  /** Coefficient of variation of the monthly forecast error (lognormal, mean 1); 0: none. */
  readonly monthErrorCv: number
  /** Month index of each day (for forecast error), 0-based. */
  readonly monthOfDay: Int32Array
  readonly monthCount: number

  // --- calendar and dissuasion ---
  /** Interval status: OPEN, CLOSED, CLOSED_EXCEPTIONAL, CLOSED_TECHNICAL (sim/model/calendar). */
  readonly status: Uint8Array
  /** Share of calls dissuaded on a telecom problem in each interval; null: none. */
  readonly telecomShare: Float64Array | null
  /** Share of out-of-scope callers hanging up on the IVR dissuasion message, per day; null: none. */
  readonly ivrShare: Float64Array | null
  /** Reason index subject to IVR dissuasion (out of scope), or -1. */
  readonly ivrReason: number

  // --- callers ---
  readonly flows: ReadonlyArray<string>
  readonly reasons: ReadonlyArray<string>
  /** Mixes: mixes[m].flows[f] probability, mixes[m].reasons[f][r] probability within flow f. */
  readonly mixes: ReadonlyArray<{ readonly flows: ReadonlyArray<number>; readonly reasons: ReadonlyArray<ReadonlyArray<number>> }>
  /** Mix index of each day. */
  readonly mixOfDay: Uint8Array
  /** Mix index of each interval, when an interval forecast gives calls per flow or reason (overrides mixOfDay); else null. */
  readonly mixOfInterval: Uint16Array | null
  /** Where the day volumes came from: an interval forecast for `intervalDays` days, the monthly forecast and profiles for the others. */
  readonly forecastSources: { readonly intervalsCsv: string | null; readonly intervalDays: number; readonly profileDays: number } | null
  /** Talk time per reason. */
  readonly talk: ReadonlyArray<DistributionSpec>
  /** Wrap-up after each answered call; null: none. */
  readonly wrapUp: DistributionSpec | null
  /** Caller patience in queue; null: callers never abandon. */
  readonly patience: DistributionSpec | null
  /** Redials after abandonment. */
  readonly redial: { readonly probability: number; readonly delay: DistributionSpec; readonly maxAttempts: number } | null
  /** Probability that an answered call of each reason is transferred to level 1+. */
  readonly transferShare: Float64Array
  /** Probability that an answered call of each reason leads to a level-2 ticket. */
  readonly ticketShare: Float64Array

  // --- advisors and forms ---
  /**
   * An explicit headcount per group and interval (already net of absence); when set it replaces
   * staffBlocks, constantStaff and absence.
   */
  readonly staffPlan: ReadonlyArray<Int32Array> | null
  /**
   * A dated plan per group and interval before absence (staffing.planCsv); absence scales each
   * day's headcounts by the share of that day's advisors present.
   */
  readonly scheduledPlan: ReadonlyArray<Int32Array> | null
  readonly staffBlocks: ReadonlyArray<StaffBlock>
  /** Advisor-seconds scheduled per group and day, before absence (./schedule.ts): the plan's hours. */
  readonly scheduledSeconds: ReadonlyArray<Float64Array>
  /** Constant headcount per group (textbook `agents`), added to the blocks. */
  readonly constantStaff: ReadonlyArray<number>
  /**
   * Who leaves when a group's headcount drops while everyone is busy: `ownCall` (the advisors
   * whose shift ends — the earliest logged in — finish their own call, then leave) or
   * `firstFree` (whoever finishes first leaves). See ./pool.ts.
   */
  readonly shiftEnd: "ownCall" | "firstFree"
  /** Share of scheduled advisors absent on a day. */
  readonly absenceRate: number
  /** Handling time of one contact form; null: forms are not simulated. */
  readonly formHandle: DistributionSpec | null
  /** A "full day" of an advisor for forms productivity (hours). */
  readonly productiveHoursPerDay: number

  /** Intervals at the start excluded from the summary's statistics (warm-up). */
  readonly warmupIntervals: number
  /** Target answer time of the service level (seconds). */
  readonly serviceLevelSeconds: number

  /** Sites, incidents and the recovery plan (./continuity.ts); absent: no continuity block, the run is as without one. */
  readonly continuity?: ContinuityModel
}
