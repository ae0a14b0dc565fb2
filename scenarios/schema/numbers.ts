/**
 * Number fields shared by every scenario concept, with the messages a planner reads when a
 * value is wrong ("Expected a number > 0, got -3"). Units live in field names (`perHour`,
 * `meanSeconds`), never in the values.
 */
import * as Schema from "effect/Schema"

/** Any finite number. */
export const FiniteNumber = Schema.Finite.annotate({ expected: "a number" })

/** A finite number >= 0. */
export const NonNegative = FiniteNumber.check(Schema.isGreaterThanOrEqualTo(0, { expected: "a number >= 0" }))

/** A finite number > 0. */
export const Positive = FiniteNumber.check(Schema.isGreaterThan(0, { expected: "a number > 0" }))

/** A probability or share in [0, 1]. */
export const Share = FiniteNumber.check(Schema.isBetween({ minimum: 0, maximum: 1 }, { expected: "a number between 0 and 1" }))

/** An integer >= 0. */
export const Count = Schema.Int.annotate({ expected: "a whole number" }).check(
  Schema.isGreaterThanOrEqualTo(0, { expected: "a whole number >= 0" })
)

/** An integer >= 1. */
export const PositiveCount = Schema.Int.annotate({ expected: "a whole number" }).check(
  Schema.isGreaterThanOrEqualTo(1, { expected: "a whole number >= 1" })
)
