import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { makeSampler, normalQuantile, scaleSpec, type DistributionSpec } from "../../sim/engine/distributions.js"
import { AleaStream, ScriptedStream } from "../../sim/engine/random.js"

const specs: Array<[string, DistributionSpec, number, number]> = [
  // name, spec, exact mean, exact variance
  ["exponential", { kind: "exponential", meanSeconds: 300 }, 300, 90_000],
  ["deterministic", { kind: "deterministic", seconds: 42 }, 42, 0],
  ["uniform", { kind: "uniform", minSeconds: 10, maxSeconds: 70 }, 40, 300],
  ["lognormal", { kind: "lognormal", meanSeconds: 250, sdSeconds: 150 }, 250, 22_500],
  ["gamma shape 4", { kind: "gamma", meanSeconds: 200, sdSeconds: 100 }, 200, 10_000],
  ["gamma shape 0.25", { kind: "gamma", meanSeconds: 60, sdSeconds: 120 }, 60, 14_400],
  ["erlang-3", { kind: "erlang", k: 3, meanSeconds: 90 }, 90, 2700],
  ["empirical", { kind: "empirical", points: [{ seconds: 10, weight: 1 }, { seconds: 40, weight: 3 }] }, 32.5, 168.75],
  [
    "histogram",
    { kind: "histogram", bins: [{ fromSeconds: 0, toSeconds: 60, weight: 1 }, { fromSeconds: 60, toSeconds: 120, weight: 1 }] },
    60,
    1200
  ]
]

describe("samplers", () => {
  it.each(specs)("%s declares its exact mean and variance", (_name, spec, mean, variance) => {
    const s = makeSampler(spec)
    expect(s.mean).toBeCloseTo(mean, 9)
    expect(s.variance).toBeCloseTo(variance, 6)
  })

  it.each(specs)("%s: the empirical mean and variance of 200,000 draws match the declared ones", (_name, spec) => {
    const s = makeSampler(spec)
    const rng = new AleaStream("moments:" + spec.kind)
    const n = 200_000
    let sum = 0
    let sum2 = 0
    for (let i = 0; i < n; i++) {
      const x = s.sample(rng)
      sum += x
      sum2 += x * x
    }
    const m = sum / n
    const v = sum2 / n - m * m
    // The sample mean is within 5 standard errors; the variance within 5% (+ a small floor).
    expect(Math.abs(m - s.mean)).toBeLessThanOrEqual(5 * Math.sqrt(s.variance / n) + 1e-9)
    expect(Math.abs(v - s.variance)).toBeLessThanOrEqual(0.05 * s.variance + 1e-9)
  })

  it("never returns NaN, a negative or an infinite time, whatever the parameters and draws (property)", () => {
    const positive = fc.double({ min: 1e-6, max: 1e6, noNaN: true })
    const spec: fc.Arbitrary<DistributionSpec> = fc.oneof(
      positive.map((m) => ({ kind: "exponential" as const, meanSeconds: m })),
      fc.double({ min: 0, max: 1e6, noNaN: true }).map((s) => ({ kind: "deterministic" as const, seconds: s })),
      fc.tuple(fc.double({ min: 0, max: 1e5, noNaN: true }), fc.double({ min: 0, max: 1e5, noNaN: true })).map(([a, w]) => ({
        kind: "uniform" as const, minSeconds: a, maxSeconds: a + w
      })),
      fc.tuple(positive, fc.double({ min: 0, max: 1e6, noNaN: true })).map(([m, sd]) => ({ kind: "lognormal" as const, meanSeconds: m, sdSeconds: sd })),
      fc.tuple(positive, positive).map(([m, sd]) => ({ kind: "gamma" as const, meanSeconds: m, sdSeconds: sd })),
      fc.tuple(fc.integer({ min: 1, max: 50 }), positive).map(([k, m]) => ({ kind: "erlang" as const, k, meanSeconds: m }))
    )
    // Extreme uniforms included: 0 and the largest double below 1.
    const u = fc.oneof(fc.constant(0), fc.constant(1 - 2 ** -53), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }))
    fc.assert(
      fc.property(spec, fc.array(u, { minLength: 400, maxLength: 400 }), (sp, us) => {
        const s = makeSampler(sp)
        const rng = new ScriptedStream(us)
        for (let i = 0; i < 3; i++) {
          const x = s.sample(rng)
          expect(Number.isFinite(x)).toBe(true)
          expect(x).toBeGreaterThanOrEqual(0)
        }
      }),
      { numRuns: 500, seed: 7 }
    )
  })

  it("refuses impossible parameters when built", () => {
    expect(() => makeSampler({ kind: "exponential", meanSeconds: 0 })).toThrow(RangeError)
    expect(() => makeSampler({ kind: "exponential", meanSeconds: NaN })).toThrow(RangeError)
    expect(() => makeSampler({ kind: "uniform", minSeconds: 5, maxSeconds: 4 })).toThrow(RangeError)
    expect(() => makeSampler({ kind: "deterministic", seconds: -1 })).toThrow(RangeError)
    expect(() => makeSampler({ kind: "erlang", k: 0, meanSeconds: 1 })).toThrow(RangeError)
    expect(() => makeSampler({ kind: "empirical", points: [{ seconds: 1, weight: 0 }] })).toThrow(RangeError)
  })

  it("scales a law's durations without changing its shape", () => {
    const s = makeSampler(scaleSpec({ kind: "lognormal", meanSeconds: 100, sdSeconds: 50 }, 2))
    expect(s.mean).toBeCloseTo(200, 9)
    expect(s.variance).toBeCloseTo(10_000, 6)
  })

  it("inverts the normal CDF to 1e-8 at known quantiles", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 8)
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12)
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326347874, 8)
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902, 6)
  })
})
