/**
 * The analytic formulas against independent computations: textbook Erlang C values, and Erlang A
 * re-derived here by another method — balance equations in plain arithmetic for the stationary
 * law, and a Runge–Kutta integration of the tagged caller's race for the service level (the
 * module uses log-space products and uniformization).
 */
import { describe, expect, it } from "vitest"
import { erlangB, erlangCWaitProbability, queueMetrics, smallestStaffing } from "../../sim/staffing/erlang.js"

/** Independent Erlang A: returns answer rate, abandon rate, mean wait (s), SL(T). */
const independentErlangA = (perHour: number, handle: number, patience: number, c: number, T: number) => {
  const lambda = perHour / 3600
  const mu = 1 / handle
  const theta = 1 / patience
  // Plain products up to where the tail is negligible (1e-20 of the total).
  const ps = [1]
  for (let n = 1; ; n++) {
    const next = (ps[n - 1]! * lambda) / (Math.min(n, c) * mu + Math.max(n - c, 0) * theta)
    ps.push(next)
    if (n > c && next < ps[n - 1]! && next < 1e-20 * ps.reduce((a, b) => a + b, 0)) break
  }
  const N = ps.length - 1
  const total = ps.reduce((a, b) => a + b, 0)
  const p = ps.map((v) => v / total)
  let lq = 0
  for (let n = c + 1; n <= N; n++) lq += (n - c) * p[n]!
  // Tagged caller: x[k] = P(k callers ahead, still waiting); `served` accumulates the mass that
  // reaches an agent. Classic RK4 on dx_k/dt = r_{k+1} x_{k+1} − (r_k + θ) x_k.
  const K = N - c
  const x = new Float64Array(K + 1)
  for (let k = 0; k <= K; k++) x[k] = p[c + k]!
  let served = 0
  for (let n = 0; n < c; n++) served += p[n]!
  const rate = (k: number) => c * mu + k * theta
  const stages = Array.from({ length: 4 }, () => new Float64Array(K + 2))
  const tmp = new Float64Array(K + 1)
  const deriv = (y: Float64Array, d: Float64Array) => {
    d.fill(0)
    for (let k = 0; k <= K; k++) {
      d[k]! -= (rate(k) + theta) * y[k]!
      if (k > 0) d[k - 1]! += rate(k) * y[k]!
      else d[K + 1]! += rate(0) * y[0]!
    }
  }
  const steps = Math.ceil(T / 0.01)
  const h = T / steps
  for (let s = 0; s < steps; s++) {
    const [k1, k2, k3, k4] = stages as [Float64Array, Float64Array, Float64Array, Float64Array]
    deriv(x, k1)
    for (let i = 0; i <= K; i++) tmp[i] = x[i]! + (h / 2) * k1[i]!
    deriv(tmp, k2)
    for (let i = 0; i <= K; i++) tmp[i] = x[i]! + (h / 2) * k2[i]!
    deriv(tmp, k3)
    for (let i = 0; i <= K; i++) tmp[i] = x[i]! + h * k3[i]!
    deriv(tmp, k4)
    for (let i = 0; i <= K + 1; i++) {
      const inc = (h / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!)
      if (i <= K) x[i]! += inc
      else served += inc
    }
  }
  return { abandonRate: (theta * lq) / lambda, answerRate: 1 - (theta * lq) / lambda, meanWait: lq / lambda, sl: served }
}

describe("Erlang C", () => {
  it("matches textbook values: A = 2 erlangs on 3 agents waits with probability 4/9", () => {
    expect(erlangCWaitProbability(3, 2)).toBeCloseTo(4 / 9, 12)
    expect(erlangB(3, 2)).toBeCloseTo(4 / 19, 12)
    const m = queueMetrics({ arrivalsPerHour: 2 * 60, meanHandleSeconds: 60, agents: 3, serviceLevelSeconds: 30 })
    // Wq = C / (cμ − λ) = (4/9) / (3/60 − 2/60) s; SL = 1 − C e^{−(cμ−λ)T}
    expect(m.meanWaitSeconds).toBeCloseTo((4 / 9) * 60, 10)
    expect(m.serviceLevel).toBeCloseTo(1 - (4 / 9) * Math.exp(-30 / 60), 12)
    expect(m.occupancy).toBeCloseTo(2 / 3, 12)
  })

  it("is unstable when the load reaches the agents", () => {
    const m = queueMetrics({ arrivalsPerHour: 1300, meanHandleSeconds: 300, agents: 100, serviceLevelSeconds: 20 })
    expect(m.stable).toBe(false)
    expect(m.meanWaitSeconds).toBe(Infinity)
  })
})

describe("Erlang A", () => {
  it("gives the issue's reference values for 1000 calls/h, 300 s handle, 180 s patience, 90 agents", () => {
    const m = queueMetrics({ arrivalsPerHour: 1000, meanHandleSeconds: 300, meanPatienceSeconds: 180, agents: 90, serviceLevelSeconds: 20 })
    expect(m.answerRate * 100).toBeCloseTo(98.137, 3)
    expect(m.abandonRate * 100).toBeCloseTo(1.863, 3)
    expect(m.meanWaitSeconds).toBeCloseTo(3.354, 3)
    expect(m.serviceLevel * 100).toBeCloseTo(92.22, 3)
  })

  it.each([
    [1000, 300, 180, 90, 20],
    [1200, 300, 120, 90, 20],
    [60, 600, 300, 5, 60],
    [200, 300, 60, 20, 10]
  ])("agrees with an independent solver to 1e-6 (%d/h, %d s, patience %d s, %d agents, T %d s)", (perHour, handle, patience, c, T) => {
    const m = queueMetrics({ arrivalsPerHour: perHour, meanHandleSeconds: handle, meanPatienceSeconds: patience, agents: c, serviceLevelSeconds: T })
    const ref = independentErlangA(perHour, handle, patience, c, T)
    expect(Math.abs(m.answerRate - ref.answerRate)).toBeLessThan(1e-6)
    expect(Math.abs(m.abandonRate - ref.abandonRate)).toBeLessThan(1e-6)
    expect(Math.abs(m.meanWaitSeconds - ref.meanWait)).toBeLessThan(1e-6)
    expect(Math.abs(m.serviceLevel - ref.sl)).toBeLessThan(1e-6)
  })

  it("tends to Erlang C as patience grows (the gap shrinks in proportion to 1/patience)", () => {
    const c = queueMetrics({ arrivalsPerHour: 1000, meanHandleSeconds: 300, agents: 90, serviceLevelSeconds: 20 })
    const a9 = queueMetrics({ arrivalsPerHour: 1000, meanHandleSeconds: 300, meanPatienceSeconds: 1e9, agents: 90, serviceLevelSeconds: 20 })
    const a11 = queueMetrics({ arrivalsPerHour: 1000, meanHandleSeconds: 300, meanPatienceSeconds: 1e11, agents: 90, serviceLevelSeconds: 20 })
    expect(Math.abs(a9.serviceLevel - c.serviceLevel)).toBeLessThan(1e-6)
    expect(Math.abs(a11.serviceLevel - c.serviceLevel)).toBeLessThan(Math.abs(a9.serviceLevel - c.serviceLevel) / 50)
    expect(Math.abs(a11.meanWaitSeconds - c.meanWaitSeconds)).toBeLessThan(1e-6)
  })
})

describe("smallest staffing", () => {
  it("finds the fewest agents meeting the target, one fewer does not", () => {
    const p = { arrivalsPerHour: 1000, meanHandleSeconds: 300, meanPatienceSeconds: 180, serviceLevelSeconds: 20 }
    const found = smallestStaffing(p, { kind: "serviceLevel", atLeast: 0.8 })!
    expect(found.agents).toBe(84)
    expect(found.metrics.serviceLevel).toBeGreaterThanOrEqual(0.8)
    expect(queueMetrics({ ...p, agents: 83 }).serviceLevel).toBeLessThan(0.8)
  })

  it("handles Erlang C targets from the stability bound upward", () => {
    const p = { arrivalsPerHour: 1000, meanHandleSeconds: 300, serviceLevelSeconds: 20 }
    const found = smallestStaffing(p, { kind: "meanWait", atMostSeconds: 30 })!
    expect(found.metrics.meanWaitSeconds).toBeLessThanOrEqual(30)
    expect(queueMetrics({ ...p, agents: found.agents - 1 }).meanWaitSeconds).toBeGreaterThan(30)
  })
})
