/**
 * Number fields shared by every scenario concept, with the messages a planner reads when a
 * value is wrong ("Expected a number > 0, got -3"). Units live in field names (`perHour`,
 * `meanSeconds`), never in the values.
 */
import * as Schema from "effect/Schema"

/**
 * Any finite number. The finiteness check aborts: `.nan` or `.inf` gets one message ("Expected a
 * number"), not that one plus every range check after it.
 */
export const FiniteNumber = Schema.Number.check(Schema.isFinite({ expected: "a number" }).abort())

/** A finite number >= 0. */
export const NonNegative = FiniteNumber.check(Schema.isGreaterThanOrEqualTo(0, { expected: "a number >= 0" }))

/** A finite number > 0. */
export const Positive = FiniteNumber.check(Schema.isGreaterThan(0, { expected: "a number > 0" }))

/** A probability or share in [0, 1]. */
export const Share = FiniteNumber.check(Schema.isBetween({ minimum: 0, maximum: 1 }, { expected: "a number between 0 and 1" }))

/**
 * A whole number below 2^31 (headcounts and counts land in Int32Array tables, where 3e9 would
 * wrap to a negative number). The integer check aborts, as FiniteNumber's: one message for `.nan`.
 */
const WholeNumber = Schema.Number.check(
  Schema.isInt({ expected: "a whole number" }).abort(),
  Schema.isLessThanOrEqualTo(2 ** 31 - 1, { expected: "a whole number below 2^31 (2,147,483,648)" }).abort()
)

/** An integer >= 0. */
export const Count = WholeNumber.check(Schema.isGreaterThanOrEqualTo(0, { expected: "a whole number >= 0" }))

/** An integer >= 1. */
export const PositiveCount = WholeNumber.check(Schema.isGreaterThanOrEqualTo(1, { expected: "a whole number >= 1" }))
