/**
 * `contract`: the money side of a dated scenario (CCTP 3.1, 7.2, 9) — hour orders, prices,
 * quality scores, the 120% rule's basis and per-row overrides of the penalty table. Every field
 * is optional: defaults are CCTP figures and named assumptions (sim/domain/penalties.ts,
 * sim/domain/assumptions.ts); without `pricing`, invoices and euros are simply absent.
 *
 *   contract:
 *     start: 2025-11-09                 # CCTP 2.1.6; the run-in and the order blocks count from here
 *     runInMonths: 4                    # 0..4 (CCTP 9: at most 4)
 *     pricing: { phone: { perHour: 32.5 }, forms: { perHour: 30 } }   # or { perAct: 2.1 }
 *     orders: derived                   # or { derived: { orderFactor: 1.05 } } or { csv: orders.csv }
 *     quality: { calls: { mean: 88, sd: 3 }, tickets: { mean: 88, sd: 3 }, forms: { mean: 88, sd: 3 } }
 *     volumeCapBasis: calls             # or hours
 *     penalties: { answerRate: { threshold: 0.89, rate: 0.02, base: phone } }
 */
import * as Schema from "effect/Schema"
import { MAX_RUN_IN_MONTHS, PENALTY_KEYS } from "../../sim/domain/penalties.js"
import { DateString } from "./common.js"
import { Count, FiniteNumber, NonNegative, Positive, Share } from "./numbers.js"

const euros = (unit: string) => NonNegative.annotate({ expected: `a price in euros ${unit}, >= 0` })

/** A price per productive hour (UO1 phone, UO3 forms) or per act (UO2 call answered, UO4 form handled). */
export const Price = Schema.Struct({ perHour: Schema.optionalKey(euros("per hour")), perAct: Schema.optionalKey(euros("per act")) }).check(
  Schema.makeFilter((p) => ((p.perHour === undefined) !== (p.perAct === undefined) ? undefined : "give perHour or perAct (exactly one)"))
)

export const Pricing = Schema.Struct({ phone: Schema.optionalKey(Price), forms: Schema.optionalKey(Price) })

export const Orders = Schema.Union([
  Schema.Literal("derived"),
  Schema.Struct({ derived: Schema.Struct({ orderFactor: Schema.optionalKey(Positive) }) }),
  Schema.Struct({ csv: Schema.String })
]).annotate({ expected: '"derived", { derived: { orderFactor } } or { csv: FILE }' })

const Score = FiniteNumber.check(Schema.isBetween({ minimum: 0, maximum: 100 }, { expected: "a score between 0 and 100" }))
export const ScoreLaw = Schema.Struct({ mean: Score, sd: NonNegative })

export const Quality = Schema.Struct({
  calls: Schema.optionalKey(ScoreLaw),
  tickets: Schema.optionalKey(ScoreLaw),
  forms: Schema.optionalKey(ScoreLaw)
})

const Base = Schema.Literals(["phone", "forms", "total"]).annotate({ expected: '"phone", "forms" or "total"' })

export const PenaltyOverride = Schema.Struct({
  threshold: Schema.optionalKey(FiniteNumber),
  rate: Schema.optionalKey(Share),
  base: Schema.optionalKey(Base),
  /** false: the row is not applied (e.g. forms rows when the optional part is not ordered). */
  enabled: Schema.optionalKey(Schema.Boolean)
})

const penaltyNames = PENALTY_KEYS.join(", ")

/** Per-row overrides, keyed by the CCTP 9 indicators; an unknown key is an error with its path. */
export const PenaltyOverrides = Schema.Struct(
  Object.fromEntries(PENALTY_KEYS.map((k) => [k, Schema.optionalKey(PenaltyOverride)])) as { readonly [K in (typeof PENALTY_KEYS)[number]]: Schema.optionalKey<typeof PenaltyOverride> }
).annotate({ messageUnexpectedKey: `unknown indicator; expected one of ${penaltyNames}` })

export const Contract = Schema.Struct({
  start: Schema.optionalKey(DateString),
  runInMonths: Schema.optionalKey(
    Count.check(Schema.makeFilter((n: number) => n <= MAX_RUN_IN_MONTHS || `must be at most ${MAX_RUN_IN_MONTHS} (CCTP 9: the run-in cannot exceed 4 months)`))
  ),
  pricing: Schema.optionalKey(Pricing),
  orders: Schema.optionalKey(Orders),
  quality: Schema.optionalKey(Quality),
  volumeCapBasis: Schema.optionalKey(Schema.Literals(["calls", "hours"]).annotate({ expected: '"calls" or "hours"' })),
  penalties: Schema.optionalKey(PenaltyOverrides)
})

export type Contract = typeof Contract.Type
