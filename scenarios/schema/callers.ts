/**
 * `callers`: who calls and how they behave. Every field is optional; omitted ones take the CCTP
 * figure or the named assumption (sim/contract/assumptions.ts):
 * - `flows` — shares of the two IVR choices (CCTP 2.1.3: 2% opposition);
 * - `reasons.<flow>` — mix of the 17 CCTP reasons (2.1.7) within each flow, adding up to 1;
 * - `handleTime` — talk + wrap-up calibrated so the mix's mean is `meanSeconds` (CCTP 2.1.7:
 *   4.16 min), with `relative` talk factors per reason, lognormal talk of coefficient `cv`, and
 *   `wrapUpSeconds` of wrap-up; or `talk` distributions given per reason;
 * - `patience` — time a caller waits before hanging up;
 * - `redials` — after abandoning: probability of calling again, delay law, attempts at most;
 * - `transfers`, `tickets` — share of answered calls transferred to level 1+ / escalated to level 2.
 */
import * as Schema from "effect/Schema"
import { ReasonMix, ReasonWeights, byReason, sumsToOne } from "./common.js"
import { Distribution } from "./distribution.js"
import { NonNegative, Positive, PositiveCount, Share } from "./numbers.js"

export const Flows = Schema.Struct({ opposition: Share, horsOpposition: Share }).check(sumsToOne("flow shares"))

export const HandleTime = Schema.Struct({
  meanSeconds: Schema.optionalKey(Positive),
  wrapUpSeconds: Schema.optionalKey(NonNegative),
  cv: Schema.optionalKey(NonNegative),
  wrapUpCv: Schema.optionalKey(NonNegative),
  relative: Schema.optionalKey(ReasonWeights)
}).check(
  Schema.makeFilter((h) =>
    h.wrapUpSeconds !== undefined && h.meanSeconds !== undefined && h.wrapUpSeconds >= h.meanSeconds
      ? { path: ["wrapUpSeconds"], issue: `must be shorter than meanSeconds (${h.meanSeconds})` }
      : undefined
  )
)

export const Redials = Schema.Struct({
  probability: Share,
  delay: Distribution,
  /** Attempts at most, the first call included (>= 1; 1 means nobody redials). */
  maxAttempts: PositiveCount
})

const Shares = Schema.Struct({ default: Schema.optionalKey(Share), byReason: Schema.optionalKey(byReason(Share)) })

export const Callers = Schema.Struct({
  flows: Schema.optionalKey(Flows),
  reasons: Schema.optionalKey(Schema.Struct({ opposition: Schema.optionalKey(ReasonMix), horsOpposition: Schema.optionalKey(ReasonMix) })),
  handleTime: Schema.optionalKey(HandleTime),
  talk: Schema.optionalKey(byReason(Distribution)),
  wrapUp: Schema.optionalKey(Distribution),
  patience: Schema.optionalKey(Distribution),
  redials: Schema.optionalKey(Redials),
  transfers: Schema.optionalKey(Shares),
  tickets: Schema.optionalKey(Shares)
}).check(
  Schema.makeFilter((c) => {
    if (c.talk !== undefined && c.handleTime !== undefined) return "give handleTime (calibrated) or talk (per reason), not both"
    if (c.wrapUp !== undefined && (c.handleTime?.wrapUpSeconds !== undefined || c.handleTime?.wrapUpCv !== undefined)) {
      return { path: ["wrapUp"], issue: "give wrapUp (a law) or handleTime.wrapUpSeconds/wrapUpCv, not both" }
    }
    return undefined
  })
)
