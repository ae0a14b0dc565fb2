/**
 * Properties of the simulator on generated scenarios (fast-check): conservation per interval,
 * physical bounds, determinism, and common random numbers across staffing variants.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { INTERVAL_COLUMNS } from "../../sim/kpi/intervals.js"
import type { ScenarioEncoded } from "../../scenarios/schema/scenario.js"
import { modelOf, simulate, withPhoneStaff } from "../helpers.js"

const distribution = fc.oneof(
  fc.double({ min: 1, max: 900, noNaN: true }).map((m) => ({ exponential: { meanSeconds: m } })),
  fc.double({ min: 0, max: 900, noNaN: true }).map((s) => ({ deterministic: { seconds: s } })),
  fc.tuple(fc.double({ min: 1, max: 600, noNaN: true }), fc.double({ min: 0, max: 600, noNaN: true })).map(([m, sd]) => ({
    lognormal: { meanSeconds: m, sdSeconds: sd }
  })),
  fc.tuple(fc.integer({ min: 1, max: 5 }), fc.double({ min: 1, max: 600, noNaN: true })).map(([k, m]) => ({ erlang: { k, meanSeconds: m } })),
  fc.tuple(fc.double({ min: 0, max: 300, noNaN: true }), fc.double({ min: 0, max: 300, noNaN: true })).map(([a, w]) => ({
    uniform: { minSeconds: a, maxSeconds: a + w }
  }))
)

/** A generated scenario and a per-interval staffing plan to impose on it. */
const scenario = fc
  .record({
    hours: fc.double({ min: 0.25, max: 12, noNaN: true }),
    intervalMinutes: fc.constantFrom(5, 15, 30, 60),
    perHour: fc.double({ min: 0, max: 600, noNaN: true }),
    handle: distribution,
    patience: fc.option(distribution, { nil: undefined }),
    agents: fc.integer({ min: 0, max: 25 }),
    plan: fc.array(fc.integer({ min: 0, max: 25 }), { minLength: 1, maxLength: 200 }),
    seed: fc.integer({ min: 0, max: 1000 })
  })
  .map((g) => {
    const doc: ScenarioEncoded = {
      name: "generated",
      horizon: { hours: g.hours },
      calendar: "always-open",
      arrivals: { poisson: { perHour: g.perHour } },
      handleTime: g.handle,
      ...(g.patience ? { patience: g.patience } : {}),
      agents: g.agents,
      intervalMinutes: g.intervalMinutes
    }
    const model = modelOf(doc)
    const staff = Int32Array.from({ length: model.intervalCount }, (_, i) => g.plan[i % g.plan.length]!)
    return { model: withPhoneStaff(model, staff), seed: g.seed }
  })

describe("simulator properties (generated scenarios)", () => {
  it("conserves calls in every interval: offered = answered + abandoned + still waiting", () => {
    fc.assert(
      fc.property(scenario, ({ model, seed }) => {
        const { totals, table } = simulate(model, seed)
        expect(totals.offered).toBe(totals.answered + totals.abandoned + totals.inSystemAtEnd)
        for (let i = 0; i < model.intervalCount; i++) {
          expect(table.offered[i]).toBe(table.answered[i]! + table.abandoned[i]! + table.inSystemAtEnd[i]!)
        }
      }),
      { numRuns: 150, seed: 1 }
    )
  })

  it("keeps every accumulator physical: counts and times >= 0, busy <= staffed, answered within SL <= answered", () => {
    fc.assert(
      fc.property(scenario, ({ model, seed }) => {
        const { table } = simulate(model, seed)
        for (let i = 0; i < model.intervalCount; i++) {
          for (const c of INTERVAL_COLUMNS) expect(table[c][i]).toBeGreaterThanOrEqual(0)
          expect(table.busySeconds[i]).toBeLessThanOrEqual(table.staffedSeconds[i]! * (1 + 1e-12) + 1e-9)
          expect(table.answeredWithinSl[i]).toBeLessThanOrEqual(table.answered[i]!)
        }
      }),
      { numRuns: 100, seed: 2 }
    )
  })

  it("is deterministic: the same model and seed give identical tables", () => {
    fc.assert(
      fc.property(scenario, ({ model, seed }) => {
        const a = simulate(model, seed)
        const b = simulate(model, seed)
        expect(b.totals).toEqual(a.totals)
        for (const c of INTERVAL_COLUMNS) expect(Array.from(b.table[c])).toEqual(Array.from(a.table[c]))
      }),
      { numRuns: 50, seed: 3 }
    )
  })

  it("uses common random numbers: another staffing plan sees exactly the same arrivals", () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: 25 }), ({ model, seed }, agents) => {
        const a = simulate(model, seed)
        const b = simulate(withPhoneStaff(model, new Int32Array(model.intervalCount).fill(agents)), seed)
        expect(Array.from(b.table.offered)).toEqual(Array.from(a.table.offered))
      }),
      { numRuns: 50, seed: 4 }
    )
  })

  it("with no agents at all, answers nobody and every caller abandons or is still waiting", () => {
    fc.assert(
      fc.property(scenario, ({ model, seed }) => {
        const { totals, table } = simulate(withPhoneStaff(model, new Int32Array(model.intervalCount)), seed)
        expect(totals.answered).toBe(0)
        expect(totals.abandoned + totals.inSystemAtEnd).toBe(totals.offered)
        expect(table.staffedSeconds.every((x) => x === 0)).toBe(true)
      }),
      { numRuns: 30, seed: 5 }
    )
  })
})
