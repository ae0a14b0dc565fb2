/**
 * Statistics across replications: means and Student-t confidence intervals.
 *
 * Replications are independent and identically distributed, so for a KPI observed once per
 * replication the interval is mean ± t(1 − α/2, n − 1) · s / √n. The t quantile is computed
 * from the regularized incomplete beta function (Numerical Recipes' continued fraction),
 * inverted by bisection — exact to ~1e-12, no table.
 */

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9). */
export const lnGamma = (x: number): number => {
  const g = 7
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7
  ]
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x)
  x -= 1
  let a = c[0]!
  const t = x + g + 0.5
  for (let i = 1; i < g + 2; i++) a += c[i]! / (x + i)
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a)
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
const betaContinuedFraction = (a: number, b: number, x: number): number => {
  const tiny = 1e-300
  let c = 1
  let d = 1 - ((a + b) * x) / (a + 1)
  if (Math.abs(d) < tiny) d = tiny
  d = 1 / d
  let h = d
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < tiny) d = tiny
    c = 1 + aa / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1))
    d = 1 + aa * d
    if (Math.abs(d) < tiny) d = tiny
    c = 1 + aa / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < 1e-15) break
  }
  return h
}

/** The regularized incomplete beta function I_x(a, b). */
export const regularizedIncompleteBeta = (x: number, a: number, b: number): number => {
  if (x <= 0) return 0
  if (x >= 1) return 1
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x))
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b
}

/** CDF of Student's t with `df` degrees of freedom. */
export const studentTCdf = (t: number, df: number): number => {
  const x = df / (df + t * t)
  const tail = 0.5 * regularizedIncompleteBeta(x, df / 2, 0.5)
  return t >= 0 ? 1 - tail : tail
}

/** Quantile of Student's t: the t with P(T <= t) = p, for 0 < p < 1 and df >= 1. */
export const studentTQuantile = (p: number, df: number): number => {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability must be in (0, 1), got ${p}`)
  if (!(df >= 1)) throw new RangeError(`degrees of freedom must be >= 1, got ${df}`)
  if (p === 0.5) return 0
  // Every interval of a run asks for the same one or two quantiles (a 48-month day table with
  // reasons: ~200,000 times); the bisection below costs ~45 evaluations of the distribution.
  const key = `${p} ${df}`
  const known = quantiles.get(key)
  if (known !== undefined) return known
  let lo = -1
  let hi = 1
  while (studentTCdf(lo, df) > p) lo *= 2
  while (studentTCdf(hi, df) < p) hi *= 2
  for (let i = 0; i < 200 && hi - lo > 1e-13 * Math.max(1, Math.abs(hi)); i++) {
    const mid = (lo + hi) / 2
    if (studentTCdf(mid, df) < p) lo = mid
    else hi = mid
  }
  const q = (lo + hi) / 2
  if (quantiles.size < 10_000) quantiles.set(key, q)
  return q
}

const quantiles = new Map<string, number>()

/** A KPI across replications: its mean and confidence interval. */
export interface Estimate {
  readonly mean: number
  readonly ci95: readonly [number, number]
}

/** The range a KPI can take; its interval is clipped to it (e.g. a rate to [0, 1]). */
export interface Bounds {
  readonly min?: number
  readonly max?: number
}

/**
 * Mean and two-sided confidence interval (default 95%) of per-replication values.
 * One replication gives no interval: its bounds are NaN (printed null). The interval is clipped
 * to `bounds` (a Student-t interval of a rate near 0 or 1 can otherwise leave [0, 1]).
 * Non-finite values (e.g. a rate with a zero denominator) are left out; with none left the
 * mean is NaN too.
 */
export const estimate = (values: ReadonlyArray<number>, confidence = 0.95, bounds: Bounds = {}): Estimate => {
  // Plain loops over the finite values, in order (CSV tables ask for ~200,000 estimates).
  let n = 0
  let sum = 0
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!
    if (Number.isFinite(x)) {
      sum += x
      n++
    }
  }
  if (n === 0) return { mean: NaN, ci95: [NaN, NaN] }
  const mean = sum / n
  if (n === 1) return { mean, ci95: [NaN, NaN] }
  let ss = 0
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!
    if (Number.isFinite(x)) ss += (x - mean) * (x - mean)
  }
  const sd = Math.sqrt(ss / (n - 1))
  const half = studentTQuantile(1 - (1 - confidence) / 2, n - 1) * (sd / Math.sqrt(n))
  const lo = Math.max(mean - half, bounds.min ?? -Infinity)
  const hi = Math.min(mean + half, bounds.max ?? Infinity)
  return { mean, ci95: [lo, hi] }
}

/** Arithmetic mean of finite values (NaN when there are none). */
export const mean = (values: ReadonlyArray<number>): number => {
  const xs = values.filter(Number.isFinite)
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length
}

/** Exact one-sided lower confidence bound of a binomial proportion (k successes in n). */
export const clopperPearsonLower = (k: number, n: number, confidence: number): number => {
  if (k <= 0) return 0
  // The p with P(X >= k | p) = 1 − confidence, by bisection on the binomial tail.
  const tail = (p: number) => {
    let term = (1 - p) ** n
    let below = 0
    for (let i = 0; i < k; i++) {
      below += term
      term *= ((n - i) / (i + 1)) * (p / (1 - p))
    }
    return 1 - below
  }
  let lo = 0
  let hi = 1
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2
    if (tail(mid) < 1 - confidence) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

