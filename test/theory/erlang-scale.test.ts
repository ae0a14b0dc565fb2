/**
 * Erlang at scale (issue 16 item 3): the Erlang A chain is summed from its mode outwards, so the
 * number of terms grows like √load, not like the load; the staffing search is galloping + binary
 * and meets several targets at once; the answers stay those of a plain linear search.
 * (Timings are in `npm run bench:erlang`, not here.)
 */
import { describe, expect, it } from "vitest"
import { erlangAStationary, meetsTargets, queueMetrics, smallestStaffing, type StaffingTarget } from "../../sim/staffing/erlang.js"

/** The first count meeting every target, found by walking up from 0 (the reference). */
const linearSmallest = (p: { arrivalsPerHour: number; meanHandleSeconds: number; meanPatienceSeconds?: number; serviceLevelSeconds: number }, targets: StaffingTarget[]) => {
  for (let c = 0; c <= 5_000; c++) if (meetsTargets(queueMetrics({ ...p, agents: c }), targets)) return c
  return undefined
}

describe("Erlang A chain", () => {
  it("keeps about 20·√(mode) states, whatever the load", () => {
    for (const perHour of [1_000, 100_000, 1_000_000]) {
      const lambda = perHour / 3600
      const c = Math.round((lambda * 300) * 0.93)
      const { first, pi } = erlangAStationary(lambda, 1 / 300, 1 / 240, c)
      const mode = first + pi.indexOf(Math.max(...pi))
      expect(pi.length, `${perHour}/h`).toBeLessThan(20 * Math.sqrt(mode) + 60)
      // Summing from 0 would take every state up to the mode's tail.
      expect(first, `${perHour}/h`).toBeGreaterThan(mode - 10 * Math.sqrt(mode) - 30)
      expect(pi.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
    }
  })

  it("100,000 calls an hour on 8,400 agents: under 2,000 terms (summing from 0 took ~9,000)", () => {
    const { first, pi } = erlangAStationary(100_000 / 3600, 1 / 300, 1 / 240, 8400)
    expect(pi.length).toBeLessThan(2_000)
    expect(first).toBeGreaterThan(7_000)
  })

  it("answers 1e308 calls per hour on the library's guard, not after minutes", () => {
    expect(() => queueMetrics({ arrivalsPerHour: 1e308, meanHandleSeconds: 300, meanPatienceSeconds: 100, agents: 5, serviceLevelSeconds: 20 })).toThrow(
      /Erlang A chain too long/
    )
  })

  it("gives shares within [0, 1] when nearly every caller abandons", () => {
    const m = queueMetrics({ arrivalsPerHour: 1_000_000, meanHandleSeconds: 300, meanPatienceSeconds: 86_400, agents: 0, serviceLevelSeconds: 20 })
    expect(m.abandonRate).toBeLessThanOrEqual(1)
    expect(m.abandonRate).toBeGreaterThan(1 - 1e-12)
    expect(m.answerRate).toBeGreaterThanOrEqual(0)
  })
})

describe("staffing search", () => {
  const erlangA = { arrivalsPerHour: 1000, meanHandleSeconds: 300, meanPatienceSeconds: 240, serviceLevelSeconds: 20 }
  const erlangC = { arrivalsPerHour: 1000, meanHandleSeconds: 300, serviceLevelSeconds: 20 }

  it.each([
    ["Erlang A, SL 80%", erlangA, [{ kind: "serviceLevel", atLeast: 0.8 }]],
    ["Erlang A, wait <= 120 s", erlangA, [{ kind: "meanWait", atMostSeconds: 120 }]],
    ["Erlang A, abandon <= 5%", erlangA, [{ kind: "abandonRate", atMost: 0.05 }]],
    ["Erlang A, answer rate >= 90% and wait <= 120 s", erlangA, [{ kind: "answerRate", atLeast: 0.9 }, { kind: "meanWait", atMostSeconds: 120 }]],
    ["Erlang A, SL 80% and abandon <= 1%", erlangA, [{ kind: "serviceLevel", atLeast: 0.8 }, { kind: "abandonRate", atMost: 0.01 }]],
    ["Erlang C, SL 80%", erlangC, [{ kind: "serviceLevel", atLeast: 0.8 }]],
    ["Erlang C, answer rate 95%", erlangC, [{ kind: "answerRate", atLeast: 0.95 }]],
    ["no calls", { ...erlangC, arrivalsPerHour: 0 }, [{ kind: "serviceLevel", atLeast: 0.8 }]]
  ] as Array<[string, typeof erlangA, StaffingTarget[]]>)("finds what a linear search finds: %s", (_name, p, targets) => {
    const found = smallestStaffing(p, targets)!
    expect(found.agents).toBe(linearSmallest(p, targets))
    expect(meetsTargets(found.metrics, targets)).toBe(true)
    if (found.agents > 0) expect(meetsTargets(queueMetrics({ ...p, agents: found.agents - 1 }), targets)).toBe(false)
  })

  it("meets the contract's pair where the wait alone is met by abandonment", () => {
    const waitOnly = smallestStaffing(erlangA, { kind: "meanWait", atMostSeconds: 120 })!
    expect(waitOnly.metrics.abandonRate).toBeGreaterThan(0.45) // short waits because half the callers hang up
    const pair = smallestStaffing(erlangA, [{ kind: "answerRate", atLeast: 0.9 }, { kind: "meanWait", atMostSeconds: 120 }])!
    expect(pair.agents).toBe(77)
    expect(pair.metrics.answerRate).toBeGreaterThanOrEqual(0.9)
    expect(pair.metrics.meanWaitSeconds).toBeLessThanOrEqual(120)
  })

  it("says when no staffing up to the limit meets the targets", () => {
    expect(smallestStaffing(erlangA, { kind: "serviceLevel", atLeast: 0.9 }, 50)).toBeUndefined()
    expect(smallestStaffing({ ...erlangC, arrivalsPerHour: 1e6 }, { kind: "serviceLevel", atLeast: 0.8 }, 100)).toBeUndefined()
  })
})
