/**
 * `arrivals`: where calls come from. Exactly one of
 * - `poisson: { perHour }` — Poisson arrivals at a constant rate, or (dated scenarios) at one rate
 *   per slot of every day (24, 48 or 96 rates);
 * - `replay: { seconds: [...] }` — these arrival times exactly (a recorded trace, a scripted test),
 *   or (dated scenarios) `replay: { csv }` — a call log with optional flow, reason, talk, patience;
 * - `forecast: {...}` — the contract's volumes: CCTP 7.1 annual calls and forms (built in), or a
 *   monthly table in the buyer's "Annexe 1" CSV format (month, calls, forms), spread over days
 *   and 15-minute intervals by the assumed profiles (overridable here).
 */
import * as Schema from "effect/Schema"
import { Count, NonNegative, Positive } from "./numbers.js"

const Monthly = Schema.Struct({
  jan: NonNegative, feb: NonNegative, mar: NonNegative, apr: NonNegative, may: NonNegative, jun: NonNegative,
  jul: NonNegative, aug: NonNegative, sep: NonNegative, oct: NonNegative, nov: NonNegative, dec: NonNegative
})

const Weekly = Schema.Struct({
  mon: NonNegative, tue: NonNegative, wed: NonNegative, thu: NonNegative, fri: NonNegative,
  sat: NonNegative, sun: NonNegative, holiday: NonNegative
})

const Hours = Schema.Struct({
  from: Count.check(Schema.isLessThanOrEqualTo(24, { expected: "an hour 0..24" })),
  to: Count.check(Schema.isLessThanOrEqualTo(24, { expected: "an hour 0..24" }))
}).check(Schema.makeFilter((h) => h.to > h.from || { path: ["to"], issue: `must be after from (${h.from})` }))

/** Relative weights of the hours (24), half hours (48) or quarter hours (96) of an open day. */
const IntradayCurve = Schema.Array(NonNegative).check(
  Schema.makeFilter((xs: ReadonlyArray<number>) =>
    [24, 48, 96].includes(xs.length) ? (xs.some((x) => x > 0) || "at least one weight must be > 0") : `needs 24, 48 or 96 weights (hours, half hours, quarter hours), got ${xs.length}`
  )
)

/** One curve per weekday; a weekday left out takes the assumed default curve. */
const IntradayByWeekday = Schema.Struct({
  mon: Schema.optionalKey(IntradayCurve), tue: Schema.optionalKey(IntradayCurve), wed: Schema.optionalKey(IntradayCurve),
  thu: Schema.optionalKey(IntradayCurve), fri: Schema.optionalKey(IntradayCurve), sat: Schema.optionalKey(IntradayCurve),
  sun: Schema.optionalKey(IntradayCurve)
}).annotate({ messageUnexpectedKey: "unknown weekday; expected mon, tue, wed, thu, fri, sat or sun" })

export const Profiles = Schema.Struct({
  /** On closed days, calls spread evenly over these hours (default 8..20). */
  closedDayHours: Schema.optionalKey(Hours),
  /** Contact forms: weekly weights and the hours they are written in (default weekends at half, 7..23). */
  forms: Schema.optionalKey(Schema.Struct({ weekly: Schema.optionalKey(Weekly), hours: Schema.optionalKey(Hours) })),
  /** Relative weight of a day in each month (a month's share is weight × days). */
  monthly: Schema.optionalKey(Monthly),
  /** Relative weight of each day of the week (and of public holidays). */
  weekly: Schema.optionalKey(Weekly),
  /**
   * Relative weight of each hour (24 numbers), half hour (48) or quarter hour (96) on an open
   * day: one curve for every day, or one per weekday (`{ mon: [...], fri: [...] }`).
   */
  intraday: Schema.optionalKey(Schema.Union([IntradayCurve, IntradayByWeekday]).annotate({ expected: "a list of 24, 48 or 96 weights, or one list per weekday { mon: [...], … }" }))
})

export const Forecast = Schema.Struct({
  /** A monthly table (Annexe 1: month, calls, forms), path relative to the scenario file. Omitted: CCTP 7.1 volumes. */
  csv: Schema.optionalKey(Schema.String),
  /**
   * An interval forecast (start, calls, optional forms, optional calls per flow or reason), path
   * relative to the scenario file: it gives the days it covers; other days come from `csv` or
   * the CCTP volumes with the profiles.
   */
  intervalsCsv: Schema.optionalKey(Schema.String),
  /** Multiplies every forecast volume (what-if); default 1. */
  scale: Schema.optionalKey(Positive),
  profiles: Schema.optionalKey(Profiles),
  /** Day-to-day overdispersion: coefficient of variation of a gamma "busyness" factor of mean 1. */
  dayBusynessCv: Schema.optionalKey(NonNegative),
  /** Forecast error: coefficient of variation of a lognormal monthly factor of mean 1. */
  monthErrorCv: Schema.optionalKey(NonNegative)
})

const Replay = Schema.Struct({
  /** Arrival times, seconds from the start of the horizon (textbook: t = 0; dated: the first day's midnight). */
  seconds: Schema.optionalKey(
    Schema.Array(NonNegative).check(
      Schema.makeFilter((xs: ReadonlyArray<number>) => {
        for (let i = 1; i < xs.length; i++) if (xs[i]! < xs[i - 1]!) return { path: [i], issue: `must be >= the previous time (${xs[i - 1]})` }
        return undefined
      })
    )
  ),
  /** Dated scenarios: a call log (time, optional flow, reason, talkSeconds, patienceSeconds), path relative to the scenario file. */
  csv: Schema.optionalKey(Schema.String)
}).check(Schema.makeFilter((r) => ((r.seconds === undefined) !== (r.csv === undefined) ? undefined : "give seconds or csv (exactly one)")))

/** A constant rate, or (dated scenarios) one rate per hour, half hour or quarter hour of every day. */
const PerHour = Schema.Union([
  NonNegative,
  Schema.Array(NonNegative).check(
    Schema.makeFilter((xs: ReadonlyArray<number>) => [24, 48, 96].includes(xs.length) || `needs 24, 48 or 96 rates (hours, half hours, quarter hours), got ${xs.length}`)
  )
]).annotate({ expected: "calls per hour: a number, or 24, 48 or 96 numbers (one per slot of the day)" })

export const Arrivals = Schema.Struct({
  poisson: Schema.optionalKey(Schema.Struct({ perHour: PerHour })),
  replay: Schema.optionalKey(Replay),
  forecast: Schema.optionalKey(Forecast)
})
  .annotate({ messageUnexpectedKey: "unknown arrival process; expected poisson, replay or forecast" })
  .check(Schema.makeFilter((a) => Object.keys(a).length === 1 || "give exactly one arrival process: poisson, replay or forecast"))
