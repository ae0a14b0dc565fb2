/**
 * Samplers of durations (seconds) that know their moments (STYLE 6).
 *
 * Every sampler exposes `mean` and `variance` (exact, used by tests and by analytic staffing)
 * and `sample(rng)`. Invariant: `sample` returns a finite number >= 0 — never NaN, never
 * negative, never +Infinity — whatever the uniform draws; parameters are checked when the
 * sampler is built (RangeError), so a bad scenario fails at compile time, not in the loop.
 *
 * Where possible a sample costs exactly one uniform draw (inverse transform), which keeps
 * common random numbers aligned between scenarios. Gamma uses Marsaglia–Tsang rejection.
 */
import type { RandomStream } from "./random.js"

export interface Sampler {
  readonly mean: number
  readonly variance: number
  /** A draw in seconds: finite and >= 0. */
  sample(rng: RandomStream): number
}

/** A duration distribution as data (what scenarios compile to). */
export type DistributionSpec =
  | { readonly kind: "exponential"; readonly meanSeconds: number }
  | { readonly kind: "deterministic"; readonly seconds: number }
  | { readonly kind: "uniform"; readonly minSeconds: number; readonly maxSeconds: number }
  | { readonly kind: "lognormal"; readonly meanSeconds: number; readonly sdSeconds: number }
  | { readonly kind: "gamma"; readonly meanSeconds: number; readonly sdSeconds: number }
  | { readonly kind: "erlang"; readonly k: number; readonly meanSeconds: number }
  | { readonly kind: "empirical"; readonly points: ReadonlyArray<{ readonly seconds: number; readonly weight: number }> }
  | {
      readonly kind: "histogram"
      readonly bins: ReadonlyArray<{ readonly fromSeconds: number; readonly toSeconds: number; readonly weight: number }>
    }

const check = (ok: boolean, message: string): void => {
  if (!ok) throw new RangeError(message)
}
const isNonNegative = (x: number): boolean => Number.isFinite(x) && x >= 0
const isPositive = (x: number): boolean => Number.isFinite(x) && x > 0

export class Exponential implements Sampler {
  readonly mean: number
  readonly variance: number
  constructor(readonly meanSeconds: number) {
    check(isPositive(meanSeconds), `exponential mean must be > 0 seconds, got ${meanSeconds}`)
    this.mean = meanSeconds
    this.variance = meanSeconds * meanSeconds
  }
  sample(rng: RandomStream): number {
    // 1 - u is in (0, 1], so the log is finite and <= 0; `+ 0` turns -0 into 0.
    return -this.meanSeconds * Math.log(1 - rng.nextDouble()) + 0
  }
}

export class Deterministic implements Sampler {
  readonly mean: number
  readonly variance = 0
  constructor(readonly seconds: number) {
    check(isNonNegative(seconds), `deterministic duration must be >= 0 seconds, got ${seconds}`)
    this.mean = seconds
  }
  sample(_rng: RandomStream): number {
    return this.seconds
  }
}

export class Uniform implements Sampler {
  readonly mean: number
  readonly variance: number
  private readonly width: number
  constructor(
    readonly minSeconds: number,
    readonly maxSeconds: number
  ) {
    check(isNonNegative(minSeconds), `uniform minimum must be >= 0 seconds, got ${minSeconds}`)
    check(Number.isFinite(maxSeconds) && maxSeconds >= minSeconds, `uniform maximum must be >= minimum (${minSeconds}), got ${maxSeconds}`)
    this.width = maxSeconds - minSeconds
    this.mean = (minSeconds + maxSeconds) / 2
    this.variance = (this.width * this.width) / 12
  }
  sample(rng: RandomStream): number {
    return this.minSeconds + this.width * rng.nextDouble()
  }
}

/** Lognormal given by its own mean and standard deviation (not those of the underlying normal). */
export class Lognormal implements Sampler {
  readonly mean: number
  readonly variance: number
  private readonly mu: number
  private readonly sigma: number
  constructor(
    readonly meanSeconds: number,
    readonly sdSeconds: number
  ) {
    check(isPositive(meanSeconds), `lognormal mean must be > 0 seconds, got ${meanSeconds}`)
    check(isNonNegative(sdSeconds), `lognormal sd must be >= 0 seconds, got ${sdSeconds}`)
    const s2 = Math.log(1 + (sdSeconds * sdSeconds) / (meanSeconds * meanSeconds))
    this.sigma = Math.sqrt(s2)
    this.mu = Math.log(meanSeconds) - s2 / 2
    this.mean = meanSeconds
    this.variance = sdSeconds * sdSeconds
  }
  sample(rng: RandomStream): number {
    const x = Math.exp(this.mu + this.sigma * normalQuantile(openUnit(rng.nextDouble())))
    return x < Number.MAX_VALUE ? x : Number.MAX_VALUE
  }
}

/** Gamma given by mean and standard deviation (shape = mean²/sd², scale = sd²/mean). */
export class Gamma implements Sampler {
  readonly mean: number
  readonly variance: number
  readonly shape: number
  readonly scale: number
  private readonly d: number
  private readonly c: number
  constructor(
    readonly meanSeconds: number,
    readonly sdSeconds: number
  ) {
    check(isPositive(meanSeconds), `gamma mean must be > 0 seconds, got ${meanSeconds}`)
    check(isPositive(sdSeconds), `gamma sd must be > 0 seconds, got ${sdSeconds}`)
    this.shape = (meanSeconds * meanSeconds) / (sdSeconds * sdSeconds)
    this.scale = (sdSeconds * sdSeconds) / meanSeconds
    const a = this.shape < 1 ? this.shape + 1 : this.shape
    this.d = a - 1 / 3
    this.c = 1 / Math.sqrt(9 * this.d)
    this.mean = meanSeconds
    this.variance = sdSeconds * sdSeconds
  }
  sample(rng: RandomStream): number {
    return this.scale * gammaUnitScale(this.shape, this.d, this.c, rng)
  }
}

/** Erlang-k: the sum of k exponential phases, with overall mean `meanSeconds`. */
export class Erlang implements Sampler {
  readonly mean: number
  readonly variance: number
  private readonly phaseMean: number
  constructor(
    readonly k: number,
    readonly meanSeconds: number
  ) {
    check(Number.isInteger(k) && k >= 1 && k <= 1000, `erlang k must be an integer in 1..1000, got ${k}`)
    check(isPositive(meanSeconds), `erlang mean must be > 0 seconds, got ${meanSeconds}`)
    this.phaseMean = meanSeconds / k
    this.mean = meanSeconds
    this.variance = (meanSeconds * meanSeconds) / k
  }
  sample(rng: RandomStream): number {
    let s = 0
    for (let i = 0; i < this.k; i++) s -= Math.log(1 - rng.nextDouble())
    return this.phaseMean * s + 0
  }
}

/** A discrete empirical distribution: value `seconds` with probability weight/Σweights. */
export class Empirical implements Sampler {
  readonly mean: number
  readonly variance: number
  private readonly values: Float64Array
  private readonly cdf: Float64Array
  constructor(points: ReadonlyArray<{ readonly seconds: number; readonly weight: number }>) {
    check(points.length > 0, "empirical table needs at least one point")
    let total = 0
    points.forEach((p, i) => {
      check(isNonNegative(p.seconds), `empirical point ${i}: seconds must be >= 0, got ${p.seconds}`)
      check(isNonNegative(p.weight), `empirical point ${i}: weight must be >= 0, got ${p.weight}`)
      total += p.weight
    })
    check(total > 0, "empirical table: weights must not all be 0")
    this.values = new Float64Array(points.map((p) => p.seconds))
    this.cdf = cumulative(points.map((p) => p.weight / total))
    let m = 0
    let m2 = 0
    for (const p of points) {
      m += (p.weight / total) * p.seconds
      m2 += (p.weight / total) * p.seconds * p.seconds
    }
    this.mean = m
    this.variance = Math.max(0, m2 - m * m)
  }
  sample(rng: RandomStream): number {
    return this.values[searchCdf(this.cdf, rng.nextDouble())]!
  }
}

/** A histogram: a bin chosen with probability weight/Σweights, then a uniform value inside it. */
export class Histogram implements Sampler {
  readonly mean: number
  readonly variance: number
  private readonly from: Float64Array
  private readonly width: Float64Array
  private readonly cdf: Float64Array
  constructor(bins: ReadonlyArray<{ readonly fromSeconds: number; readonly toSeconds: number; readonly weight: number }>) {
    check(bins.length > 0, "histogram needs at least one bin")
    let total = 0
    bins.forEach((b, i) => {
      check(isNonNegative(b.fromSeconds), `histogram bin ${i}: fromSeconds must be >= 0, got ${b.fromSeconds}`)
      check(Number.isFinite(b.toSeconds) && b.toSeconds >= b.fromSeconds, `histogram bin ${i}: toSeconds must be >= fromSeconds`)
      check(isNonNegative(b.weight), `histogram bin ${i}: weight must be >= 0, got ${b.weight}`)
      total += b.weight
    })
    check(total > 0, "histogram: weights must not all be 0")
    this.from = new Float64Array(bins.map((b) => b.fromSeconds))
    this.width = new Float64Array(bins.map((b) => b.toSeconds - b.fromSeconds))
    this.cdf = cumulative(bins.map((b) => b.weight / total))
    let m = 0
    let m2 = 0
    for (const b of bins) {
      const p = b.weight / total
      const a = b.fromSeconds
      const z = b.toSeconds
      m += (p * (a + z)) / 2
      m2 += (p * (a * a + a * z + z * z)) / 3
    }
    this.mean = m
    this.variance = Math.max(0, m2 - m * m)
  }
  sample(rng: RandomStream): number {
    // One uniform: pick the bin, then reuse the position of u inside the bin's CDF step.
    const u = rng.nextDouble()
    const i = searchCdf(this.cdf, u)
    const lo = i === 0 ? 0 : this.cdf[i - 1]!
    const hi = this.cdf[i]!
    const f = hi > lo ? (u - lo) / (hi - lo) : 0
    return this.from[i]! + this.width[i]! * Math.min(Math.max(f, 0), 1)
  }
}

/** Builds the sampler of a spec (throws RangeError on invalid parameters). */
export const makeSampler = (spec: DistributionSpec): Sampler => {
  switch (spec.kind) {
    case "exponential":
      return new Exponential(spec.meanSeconds)
    case "deterministic":
      return new Deterministic(spec.seconds)
    case "uniform":
      return new Uniform(spec.minSeconds, spec.maxSeconds)
    case "lognormal":
      return new Lognormal(spec.meanSeconds, spec.sdSeconds)
    case "gamma":
      return new Gamma(spec.meanSeconds, spec.sdSeconds)
    case "erlang":
      return new Erlang(spec.k, spec.meanSeconds)
    case "empirical":
      return new Empirical(spec.points)
    case "histogram":
      return new Histogram(spec.bins)
  }
}

/** A copy of `spec` with every duration multiplied by `factor` (> 0): same shape, scaled mean. */
export const scaleSpec = (spec: DistributionSpec, factor: number): DistributionSpec => {
  check(isPositive(factor), `scale factor must be > 0, got ${factor}`)
  switch (spec.kind) {
    case "exponential":
      return { kind: "exponential", meanSeconds: spec.meanSeconds * factor }
    case "deterministic":
      return { kind: "deterministic", seconds: spec.seconds * factor }
    case "uniform":
      return { kind: "uniform", minSeconds: spec.minSeconds * factor, maxSeconds: spec.maxSeconds * factor }
    case "lognormal":
      return { kind: "lognormal", meanSeconds: spec.meanSeconds * factor, sdSeconds: spec.sdSeconds * factor }
    case "gamma":
      return { kind: "gamma", meanSeconds: spec.meanSeconds * factor, sdSeconds: spec.sdSeconds * factor }
    case "erlang":
      return { kind: "erlang", k: spec.k, meanSeconds: spec.meanSeconds * factor }
    case "empirical":
      return { kind: "empirical", points: spec.points.map((p) => ({ seconds: p.seconds * factor, weight: p.weight })) }
    case "histogram":
      return {
        kind: "histogram",
        bins: spec.bins.map((b) => ({ fromSeconds: b.fromSeconds * factor, toSeconds: b.toSeconds * factor, weight: b.weight }))
      }
  }
}

// ---------------------------------------------------------------------------------------------

/** Cumulative sums, with the last entry forced to exactly 1. */
const cumulative = (probabilities: ReadonlyArray<number>): Float64Array => {
  const cdf = new Float64Array(probabilities.length)
  let acc = 0
  probabilities.forEach((p, i) => {
    acc += p
    cdf[i] = acc
  })
  cdf[cdf.length - 1] = 1
  return cdf
}

/** Smallest i with u < cdf[i] (binary search); cdf ends with 1 and u < 1. */
const searchCdf = (cdf: Float64Array, u: number): number => {
  let lo = 0
  let hi = cdf.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (u < cdf[mid]!) hi = mid
    else lo = mid + 1
  }
  return lo
}

/** Maps a draw in [0, 1) into the open interval (0, 1) so quantile functions stay finite. */
const openUnit = (u: number): number => (u > 0 ? u : 2 ** -53)

/**
 * The standard normal quantile (inverse CDF), Acklam's rational approximation
 * (relative error < 1.2e-9 over (0, 1)).
 */
export const normalQuantile = (p: number): number => {
  const a1 = -3.969683028665376e1, a2 = 2.209460984245205e2, a3 = -2.759285104469687e2
  const a4 = 1.38357751867269e2, a5 = -3.066479806614716e1, a6 = 2.506628277459239
  const b1 = -5.447609879822406e1, b2 = 1.615858368580409e2, b3 = -1.556989798598866e2
  const b4 = 6.680131188771972e1, b5 = -1.328068155288572e1
  const c1 = -7.784894002430293e-3, c2 = -3.223964580411365e-1, c3 = -2.400758277161838
  const c4 = -2.549732539343734, c5 = 4.374664141464968, c6 = 2.938163982698783
  const d1 = 7.784695709041462e-3, d2 = 3.224671290700398e-1, d3 = 2.445134137142996, d4 = 3.754408661907416
  const pLow = 0.02425
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p))
    return (((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) / ((((d1 * q + d2) * q + d3) * q + d4) * q + 1)
  }
  if (p > 1 - pLow) {
    const q = Math.sqrt(-2 * Math.log(1 - p))
    return -(((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) / ((((d1 * q + d2) * q + d3) * q + d4) * q + 1)
  }
  const q = p - 0.5
  const r = q * q
  return ((((((a1 * r + a2) * r + a3) * r + a4) * r + a5) * r + a6) * q) / (((((b1 * r + b2) * r + b3) * r + b4) * r + b5) * r + 1)
}

/**
 * A Gamma(shape, 1) draw by Marsaglia & Tsang (2000); for shape < 1 the boost
 * G(a) = G(a + 1) · U^(1/a). `d`, `c` are precomputed for max(shape, shape + 1).
 */
const gammaUnitScale = (shape: number, d: number, c: number, rng: RandomStream): number => {
  for (;;) {
    const x = normalQuantile(openUnit(rng.nextDouble()))
    const t = 1 + c * x
    if (t <= 0) continue
    const v = t * t * t
    const u = openUnit(rng.nextDouble())
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
      let g = d * v
      if (shape < 1) g *= Math.pow(openUnit(rng.nextDouble()), 1 / shape)
      return g
    }
  }
}
