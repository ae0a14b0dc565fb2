/**
 * Duration distributions in scenario files: an object with exactly one key naming the law,
 * e.g. `{ exponential: { meanSeconds: 300 } }`. Decodes to the engine's `DistributionSpec`.
 *
 * Invariant: a decoded distribution always builds a sampler (every parameter constraint of
 * sim/engine/distributions.ts is checked here, with the path of the offending field).
 */
import * as Schema from "effect/Schema"
import * as SchemaGetter from "effect/SchemaGetter"
import type { DistributionSpec } from "../../sim/engine/distributions.js"
import { NonNegative, Positive, PositiveCount } from "./numbers.js"

const Point = Schema.Struct({ seconds: NonNegative, weight: NonNegative })
const Bin = Schema.Struct({ fromSeconds: NonNegative, toSeconds: NonNegative, weight: NonNegative }).check(
  Schema.makeFilter((b) => b.toSeconds >= b.fromSeconds || { path: ["toSeconds"], issue: "must be >= fromSeconds" })
)
const hasWeight = (xs: ReadonlyArray<{ readonly weight: number }>) =>
  xs.some((x) => x.weight > 0) || "at least one weight must be > 0"

/** The laws, by key. */
const laws = {
  exponential: Schema.Struct({ meanSeconds: Positive }),
  deterministic: Schema.Struct({ seconds: NonNegative }),
  uniform: Schema.Struct({ minSeconds: NonNegative, maxSeconds: NonNegative }).check(
    Schema.makeFilter((u) => u.maxSeconds >= u.minSeconds || { path: ["maxSeconds"], issue: "must be >= minSeconds" })
  ),
  lognormal: Schema.Struct({ meanSeconds: Positive, sdSeconds: NonNegative }),
  gamma: Schema.Struct({ meanSeconds: Positive, sdSeconds: Positive }),
  erlang: Schema.Struct({
    k: PositiveCount.check(Schema.isLessThanOrEqualTo(1000, { expected: "a whole number <= 1000" })),
    meanSeconds: Positive
  }),
  empirical: Schema.Struct({ points: Schema.NonEmptyArray(Point).check(Schema.makeFilter(hasWeight)) }),
  histogram: Schema.Struct({ bins: Schema.NonEmptyArray(Bin).check(Schema.makeFilter(hasWeight)) })
} as const

export const DISTRIBUTION_NAMES = Object.keys(laws) as ReadonlyArray<keyof typeof laws>

const expectedNames = `one of ${DISTRIBUTION_NAMES.join(", ")}`

/** The encoded (file) form: exactly one of the laws' keys. */
const DistributionFields = Schema.Struct({
  exponential: Schema.optionalKey(laws.exponential),
  deterministic: Schema.optionalKey(laws.deterministic),
  uniform: Schema.optionalKey(laws.uniform),
  lognormal: Schema.optionalKey(laws.lognormal),
  gamma: Schema.optionalKey(laws.gamma),
  erlang: Schema.optionalKey(laws.erlang),
  empirical: Schema.optionalKey(laws.empirical),
  histogram: Schema.optionalKey(laws.histogram)
})
  .annotate({
    expected: `a distribution (${expectedNames})`,
    messageUnexpectedKey: `unknown distribution; expected ${expectedNames}`
  })
  .check(
    Schema.makeFilter((d) => {
      const n = Object.keys(d).length
      return n === 1 || `give exactly one distribution (${expectedNames}), got ${n}`
    })
  )

type Fields = typeof DistributionFields.Type

const toSpec = (d: Fields): DistributionSpec => {
  if (d.exponential) return { kind: "exponential", ...d.exponential }
  if (d.deterministic) return { kind: "deterministic", ...d.deterministic }
  if (d.uniform) return { kind: "uniform", ...d.uniform }
  if (d.lognormal) return { kind: "lognormal", ...d.lognormal }
  if (d.gamma) return { kind: "gamma", ...d.gamma }
  if (d.erlang) return { kind: "erlang", ...d.erlang }
  if (d.empirical) return { kind: "empirical", points: d.empirical.points }
  if (d.histogram) return { kind: "histogram", bins: d.histogram.bins }
  throw new Error("unreachable: the exactly-one check ran before")
}

const fromSpec = (s: DistributionSpec): Fields => {
  const { kind, ...params } = s
  return { [kind]: params } as Fields
}

/** A distribution field of a scenario: decodes to a `DistributionSpec`. */
export const Distribution = DistributionFields.pipe(
  Schema.decodeTo(Schema.declare((u): u is DistributionSpec => typeof u === "object" && u !== null && "kind" in u), {
    decode: SchemaGetter.transform(toSpec),
    encode: SchemaGetter.transform(fromSpec)
  })
).annotate({
  identifier: "Distribution",
  description: `A duration law in seconds: exactly one of ${DISTRIBUTION_NAMES.join(", ")}.`
})
