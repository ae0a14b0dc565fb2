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

/** Homogeneous Poisson arrivals. */
export const Arrivals = Schema.Struct({ poisson: Schema.Struct({ perHour: NonNegative }) })

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
  /** Target answer time for the service level (seconds); default 20. */
  serviceLevelSeconds: Schema.optionalKey(NonNegative),
  /** Length of the accounting intervals (minutes); default 15. Must divide a day. */
  intervalMinutes: Schema.optionalKey(
    PositiveCount.check(
      Schema.makeFilter((m: number) => 1440 % m === 0 || "must divide a day (1440 minutes): 5, 10, 15, 30, 60…")
    )
  )
})

export type Scenario = typeof Scenario.Type
export type ScenarioEncoded = typeof Scenario.Encoded
