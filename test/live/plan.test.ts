/**
 * The plan of a live run: the callers it injects are the simulation's own first attempts of the
 * day (same seed, same callers), and the people it logs in add up to the simulation's
 * headcounts, shifts and lunches included.
 */
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { loadModel } from "../../sim/model/load.js"
import { buildDayPlan, PlanProblem } from "../../sim/live/plan.js"
import { buildProfilePlan } from "../../sim/live/profile.js"
import { countByGroup } from "../../sim/live/roster.js"
import { Simulation } from "../../sim/model/simulation.js"
import { runReplication, replicationStreams } from "../../sim/run/replicate.js"
import { columnSum } from "../../sim/kpi/intervals.js"
import { modelOf } from "../helpers.js"

const baseline = await Effect.runPromise(loadModel("scenarios/baseline-2026.yaml"))
const stationary = await Effect.runPromise(loadModel("test/fixtures/live/stationary.yaml"))

describe("plan of a day", () => {
  it("injects exactly the callers the simulation's replication 0 draws for that day, with their own draws", () => {
    const plan = buildDayPlan(stationary.model, { seed: 7, speed: 60 })
    expect(plan.window.label).toBe("2026-03-02 08:00–09:30")
    // The simulation's trace names each first attempt that reaches the queue by its caller number.
    const sim = new Simulation(stationary.model, { streams: replicationStreams(7, 0), trace: true })
    sim.run()
    const arrivals = new Map<number, number>()
    const dissuaded = new Set<number>()
    for (const [t, what, caller] of sim.trace) {
      if (what === "arrive") arrivals.set(caller!, t)
      else if (what.startsWith("dissuade:")) dissuaded.add(caller!)
    }
    const inWindow = [...arrivals].filter(([c, t]) => t >= plan.window.startSeconds && t < plan.window.endSeconds && !dissuaded.has(c))
    expect(plan.callers.time.length).toBe(inWindow.length)
    expect(Array.from(plan.callers.caller)).toEqual(inWindow.map(([c]) => c))
    expect(Array.from(plan.callers.time)).toEqual(inWindow.map(([, t]) => t))
    expect(plan.callers.time.length).toBeGreaterThan(300)
  })

  it("counts a dated day's first attempts as the simulation does: injected + dissuaded = offered − redials over the window", () => {
    const plan = buildDayPlan(baseline.model, { seed: 1, speed: 600, day: "2026-03-02" })
    const r = runReplication(baseline.model, 1, 0)
    const { firstInterval, endInterval } = plan.window
    const firstAttempts = columnSum(r.table, "offered", firstInterval, endInterval) - columnSum(r.table, "redials", firstInterval, endInterval)
    // Redials are dissuaded too at times; the simulation's first attempts dissuaded inside the window are the plan's.
    const d = plan.dissuaded
    expect(plan.callers.time.length + d.closure + d.telecom + d.ivr).toBe(firstAttempts)
    expect(plan.window.label).toBe("2026-03-02 08:30–17:30")
    expect(plan.closesAtEnd).toBe(true)
    expect(plan.callers.time.length).toBeGreaterThan(5000)
  })

  it("is the same for the same seed and differs for another", () => {
    const a = buildDayPlan(stationary.model, { seed: 3, speed: 60 })
    const b = buildDayPlan(stationary.model, { seed: 3, speed: 60 })
    const c = buildDayPlan(stationary.model, { seed: 4, speed: 60 })
    expect(Array.from(a.callers.time)).toEqual(Array.from(b.callers.time))
    expect(Array.from(a.callers.talk)).toEqual(Array.from(b.callers.talk))
    expect(Array.from(a.callers.time)).not.toEqual(Array.from(c.callers.time))
  })

  it("logs in the day's people with their shifts and lunches, adding up to the simulation's headcounts (absence drawn alike)", () => {
    const plan = buildDayPlan(baseline.model, { seed: 1, speed: 600, day: "2026-03-02" })
    // Monday: 29 + 17 + 24 + 15 + 7 phone, 1 forms, 5 blended scheduled, thinned by 8% absence.
    const [phone, forms, blended] = countByGroup(plan.people)
    expect(phone).toBeGreaterThan(80)
    expect(phone).toBeLessThanOrEqual(92)
    expect(forms).toBeLessThanOrEqual(1)
    expect(blended).toBeLessThanOrEqual(5)
    // The early shift: 08:30–11:30, lunch, 12:30–16:30 (seconds from 1 Jan 2026 midnight).
    const day = 60 * 86_400
    const early = plan.people.find((p) => p.pieces[0]![0] === day + 8.5 * 3600 && p.pieces.length === 2)
    expect(early?.pieces).toEqual([[day + 8.5 * 3600, day + 11.5 * 3600], [day + 12.5 * 3600, day + 16.5 * 3600]])
  })

  it("plays the horizon of a textbook scenario, capped by a duration", () => {
    const model = modelOf({ name: "tb", horizon: { hours: 10 }, calendar: "always-open", arrivals: { poisson: { perHour: 100 } }, handleTime: { exponential: { meanSeconds: 300 } }, agents: 12 })
    const plan = buildDayPlan(model, { seed: 1, speed: 600, durationSeconds: 6 })
    expect(plan.window.startSeconds).toBe(0)
    expect(plan.window.endSeconds).toBe(3600)
    expect(plan.people.length).toBe(12)
    expect(plan.closesAtEnd).toBe(false)
    // Its one queue is injected on the line's main IVR flow (the platform knows no flow "all").
    expect(plan.laws.flows).toEqual(["horsOpposition"])
  })

  it("refuses a day outside the horizon, a closed day, and --day on a textbook scenario, naming the flag", () => {
    const problem = (f: () => unknown): string => {
      try {
        f()
      } catch (e) {
        if (e instanceof PlanProblem) return `${e.flag}: ${e.message}`
        throw e
      }
      return "no problem"
    }
    expect(problem(() => buildDayPlan(baseline.model, { seed: 1, speed: 60, day: "2027-01-04" }))).toBe("--day: 2027-01-04 is outside the scenario's horizon 2026-01-01..2026-12-31")
    expect(problem(() => buildDayPlan(baseline.model, { seed: 1, speed: 60, day: "2026-03-01" }))).toBe("--day: the service is closed all day on 2026-03-01 (no opening interval): choose an open day")
    expect(problem(() => buildDayPlan(baseline.model, { seed: 1, speed: 60, day: "2026-3-1" }))).toBe('--day: expected a date YYYY-MM-DD, got "2026-3-1"')
    const tb = modelOf({ name: "tb", horizon: { hours: 10 }, calendar: "always-open", arrivals: { poisson: { perHour: 100 } }, handleTime: { exponential: { meanSeconds: 300 } }, agents: 12 })
    expect(problem(() => buildDayPlan(tb, { seed: 1, speed: 60, day: "2026-03-02" }))).toContain("--day: tb is a textbook scenario")
  })
})

describe("load profiles", () => {
  it("give a steady profile its rate in real time, the scenario's mix and laws, and the advisors asked for", () => {
    const plan = buildProfilePlan(baseline.model, { seed: 1, speed: 60, kind: "steady", ratePerSecond: 50, durationSeconds: 60, advisors: 400 })
    const n = plan.callers.time.length
    // Poisson: 3,000 expected, sd ≈ 55.
    expect(Math.abs(n - 3000)).toBeLessThan(250)
    expect(plan.people.length).toBe(400)
    expect(plan.window.endSeconds).toBe(3600)
    // Opposition is 2% of the calls (CCTP 2.1.3).
    const opposition = Array.from(plan.callers.flow).filter((f) => f === 0).length / n
    expect(opposition).toBeGreaterThan(0.005)
    expect(opposition).toBeLessThan(0.04)
  })

  it("shape a spike (3 × the rate in the middle tenth) and a ramp (from 0 to the rate over the first half)", () => {
    const spike = buildProfilePlan(baseline.model, { seed: 1, speed: 60, kind: "spike", ratePerSecond: 100, durationSeconds: 100, advisors: 10 })
    const inMiddle = Array.from(spike.callers.time).filter((t) => t / 60 >= 45 && t / 60 < 55).length
    expect(inMiddle / 10).toBeGreaterThan(250)
    expect(inMiddle / 10).toBeLessThan(350)
    const ramp = buildProfilePlan(baseline.model, { seed: 1, speed: 60, kind: "ramp", ratePerSecond: 100, durationSeconds: 100, advisors: 10 })
    const firstTenth = Array.from(ramp.callers.time).filter((t) => t / 60 < 10).length
    // ∫0..10 of 100 × 2u dt = 100 × 10 × 0.1 = 100 calls.
    expect(firstTenth).toBeGreaterThan(60)
    expect(firstTenth).toBeLessThan(140)
  })
})
