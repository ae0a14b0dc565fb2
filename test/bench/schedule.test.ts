import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { callsDue, scheduledCalls } from "../../bench/odigo/schedule.js"

describe("the mock-odigo bench's injection schedule", () => {
  it("has every scheduled call due once the window is over, whatever the start instant (500 calls/s for 30 s: 15,000)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e7, noNaN: true }), fc.integer({ min: 0, max: 5000 }), (startedMs, lateMs) => {
        expect(callsDue(startedMs, startedMs + 30_000 + lateMs, 500, 30)).toBe(15_000)
      }),
      { numRuns: 2000, seed: 9 }
    )
    expect(scheduledCalls(500, 30)).toBe(15_000)
  })

  it("is due call by call at (i + 1) / rate s and never exceeds the window, for any rate and duration", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e7, noNaN: true }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 600 }), fc.double({ min: 0, max: 1, noNaN: true }), (startedMs, rate, durationS, share) => {
        const total = scheduledCalls(rate, durationS)
        expect(callsDue(startedMs, startedMs + durationS * 1000, rate, durationS)).toBe(total)
        const mid = callsDue(startedMs, startedMs + share * durationS * 1000, rate, durationS)
        expect(mid).toBeGreaterThanOrEqual(0)
        expect(mid).toBeLessThanOrEqual(total)
      }),
      { numRuns: 2000, seed: 10 }
    )
    expect([callsDue(0, 1.999, 500, 30), callsDue(0, 2, 500, 30), callsDue(0, 1000, 500, 30)]).toEqual([0, 1, 500])
  })
})
