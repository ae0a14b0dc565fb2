/**
 * The root `Scenario`: what a scenario file may say, decoded once at the edge (DESIGN data flow
 * step 1). One module per concept (numbers, distribution, …); this module assembles them.
 *
 * The textbook form (one queue, constant Poisson arrivals, a fixed pool of agents, always open)
 * is accepted exactly as written in issue 2:
 *
 *   name: erlang-a-textbook
 *   horizon: { hours: 2000 }
 *   calendar: always-open
 *   arrivals: { poisson: { perHour: 1000 } }
 *   handleTime: { exponential: { meanSeconds: 300 } }
 *   patience: { exponential: { meanSeconds: 180 } }   # omitted: callers never abandon
 *   agents: 90
 *   serviceLevelSeconds: 20
 */
import * as Schema from "effect/Schema"
import { Distribution } from "./distribution.js"
import { NonNegative, Positive, PositiveCount, Count } from "./numbers.js"

export const ScenarioName = Schema.String.annotate({ expected: "a name (letters, digits, '-', '_', '.')" }).check(
  Schema.isPattern(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, { expected: "a name of letters, digits, '-', '_' or '.' (at most 100)" })
)

/** How long the run lasts, from t = 0. */
export const Horizon = Schema.Struct({ hours: Positive })

/** `always-open`: the service never closes (textbook queueing scenarios). */
export const Calendar = Schema.Literal("always-open").annotate({ expected: '"always-open"' })

/**
 * Where calls come from: exactly one of
 * - `poisson: { perHour }` — homogeneous Poisson arrivals;
 * - `replay: { seconds: [...] }` — these arrival times exactly (seconds from t = 0, in order),
 *   e.g. a recorded day of traffic, or a scripted test.
 */
export const Arrivals = Schema.Struct({
  poisson: Schema.optionalKey(Schema.Struct({ perHour: NonNegative })),
  replay: Schema.optionalKey(
    Schema.Struct({
      seconds: Schema.Array(NonNegative).check(
        Schema.makeFilter((xs: ReadonlyArray<number>) => {
          for (let i = 1; i < xs.length; i++) if (xs[i]! < xs[i - 1]!) return { path: [i], issue: `must be >= the previous time (${xs[i - 1]})` }
          return undefined
        })
      )
    })
  )
})
  .annotate({ messageUnexpectedKey: "unknown arrival process; expected poisson or replay" })
  .check(Schema.makeFilter((a) => Object.keys(a).length === 1 || "give exactly one arrival process: poisson or replay"))

export const Scenario = Schema.Struct({
  name: ScenarioName,
  description: Schema.optionalKey(Schema.String),
  horizon: Horizon,
  calendar: Calendar,
  arrivals: Arrivals,
  handleTime: Distribution,
  /** Omitted: callers never abandon (Erlang C). */
  patience: Schema.optionalKey(Distribution),
  /** Number of identical agents, present the whole horizon. */
  agents: Count,
  /**
   * Statistics ignore calls arriving in the first `hours` (rounded up to whole intervals): the
   * run starts empty, and steady-state studies drop that transient. Default: none.
   */
  warmup: Schema.optionalKey(Schema.Struct({ hours: NonNegative })),
  /** Target answer time for the service level (seconds); default 20. */
  serviceLevelSeconds: Schema.optionalKey(NonNegative),
  /** Length of the accounting intervals (minutes); default 15. Must divide a day. */
  intervalMinutes: Schema.optionalKey(
    PositiveCount.check(
      Schema.makeFilter((m: number) => 1440 % m === 0 || "must divide a day (1440 minutes): 5, 10, 15, 30, 60…")
    )
  )
}).check(
    Schema.makeFilter((s) =>
      s.warmup === undefined || s.warmup.hours < s.horizon.hours || { path: ["warmup", "hours"], issue: "must be shorter than the horizon" }
    )
  )

export type Scenario = typeof Scenario.Type
export type ScenarioEncoded = typeof Scenario.Encoded
