import { describe, expect, it } from "vitest"
import { Categorical } from "../../sim/engine/categorical.js"
import { AleaStream } from "../../sim/engine/random.js"
import { estimate, studentTQuantile } from "../../sim/engine/stats.js"

describe("Student t and confidence intervals", () => {
  it.each([
    [1, 12.706204736],
    [2, 4.302652730],
    [9, 2.262157163],
    [19, 2.093024054],
    [100, 1.983971519],
    [1e6, 1.959966]
  ])("t(0.975, %d) = %f", (df, t) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 5)
  })

  it("is symmetric and has the 99.5% point for 19 df", () => {
    expect(studentTQuantile(0.025, 9)).toBeCloseTo(-2.262157163, 8)
    expect(studentTQuantile(0.995, 19)).toBeCloseTo(2.860934606, 7)
  })

  it("builds mean ± t·s/√n", () => {
    const e = estimate([1, 2, 3, 4, 5])
    expect(e.mean).toBe(3)
    const half = 2.776445105 * Math.sqrt(2.5) / Math.sqrt(5)
    expect(e.ci95[0]).toBeCloseTo(3 - half, 8)
    expect(e.ci95[1]).toBeCloseTo(3 + half, 8)
  })

  it("gives no interval for one value, ignores non-finite values, and clips to the KPI's range", () => {
    expect(estimate([4]).mean).toBe(4)
    expect(estimate([4]).ci95.every(Number.isNaN)).toBe(true)
    expect(estimate([NaN, 4]).mean).toBe(4)
    expect(estimate([]).mean).toBeNaN()
    const rate = estimate([0.99, 0.999, 1], 0.95, { min: 0, max: 1 })
    expect(rate.ci95[1]).toBe(1)
    expect(rate.ci95[0]).toBeLessThan(rate.mean)
    expect(estimate([0.99, 0.999, 1]).ci95[1]).toBeGreaterThan(1)
  })
})

describe("Categorical (alias method)", () => {
  it("draws each outcome with its weight's share and never an outcome of weight 0", () => {
    const c = new Categorical([0.35, 0, 0.13, 0.52])
    const rng = new AleaStream("cat")
    const counts = [0, 0, 0, 0]
    const n = 200_000
    for (let i = 0; i < n; i++) counts[c.sample(rng)]!++
    expect(counts[1]).toBe(0)
    ;[0.35, 0, 0.13, 0.52].forEach((p, i) => expect(Math.abs(counts[i]! / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n) + 1e-12))
  })

  it("refuses negative, non-finite or all-zero weights", () => {
    expect(() => new Categorical([1, -1])).toThrow(RangeError)
    expect(() => new Categorical([0, 0])).toThrow(RangeError)
    expect(() => new Categorical([NaN])).toThrow(RangeError)
    expect(() => new Categorical([])).toThrow(RangeError)
  })
})

describe("Clopper–Pearson lower bound", () => {
  it("matches the closed form at k = n and the binomial tail at k = n − 1", async () => {
    const { clopperPearsonLower } = await import("../../sim/engine/stats.js")
    expect(clopperPearsonLower(20, 20, 0.95)).toBeCloseTo(0.05 ** (1 / 20), 9)
    expect(clopperPearsonLower(19, 20, 0.95)).toBeCloseTo(0.78389, 4) // one-sided 95%: P(X >= 19 | p) = 0.05
    expect(clopperPearsonLower(0, 20, 0.95)).toBe(0)
  })
})
