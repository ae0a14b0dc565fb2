/**
 * Contract-model behaviours checked one by one, mostly on event traces of small dated scenarios:
 * closing, routing of calls and forms, redials, notification waves, forecast error and day
 * busyness, profile overrides, absence, weekly plans.
 */
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { decodeDocument } from "../../scenarios/schema/load.js"
import { Scenario, type ScenarioEncoded } from "../../scenarios/schema/scenario.js"
import { RandomStreams } from "../../sim/engine/random.js"
import { columnSum } from "../../sim/kpi/intervals.js"
import { OPEN } from "../../sim/model/calendar.js"
import { applyWave } from "../../sim/model/forecast.js"
import { replicationCallRates } from "../../sim/model/inputs.js"
import { GROUP_BLENDED, GROUP_FORMS, GROUP_PHONE } from "../../sim/model/model.js"
import { Simulation } from "../../sim/model/simulation.js"
import { runReplication } from "../../sim/run/replicate.js"
import { modelOf } from "../helpers.js"

const days = (from: string, to: string, over: Partial<ScenarioEncoded>): ScenarioEncoded => ({
  name: "behaviour",
  horizon: { from, to },
  calendar: {},
  arrivals: { forecast: {} },
  staffing: { shifts: [{ name: "day", start: "08:30", end: "17:30", advisors: 30 }] },
  ...over
})

const traced = (doc: ScenarioEncoded, seed = 1) => {
  const model = modelOf(doc)
  const sim = new Simulation(model, { streams: new RandomStreams(seed, 0), trace: true })
  sim.run()
  return { model, sim, trace: sim.trace }
}

describe("closing time", () => {
  it("answers calls only while open, and cuts off the callers still waiting at 17:30", () => {
    // 30 advisors for a Monday-to-Wednesday of 2026 volumes: queues are long at closing.
    const { model, trace } = traced(days("2026-03-02", "2026-03-04", {}))
    const answers = trace.filter((e) => e[1] === "answer")
    const cutoffs = trace.filter((e) => e[1] === "cutoff")
    expect(answers.length).toBeGreaterThan(3000)
    for (const [t] of answers) expect(model.status[Math.floor(t / model.intervalSeconds)]).toBe(OPEN)
    expect(cutoffs.length).toBeGreaterThan(0)
    for (const [t] of cutoffs) expect(t % 86_400).toBe(17.5 * 3600)
  })
})

describe("routing", () => {
  it("gives calls to phone-only advisors first, forms to blended ones only when no call waits, and never interrupts a form", () => {
    const { sim, trace } = traced(
      days("2026-03-02", "2026-03-03", {
        staffing: {
          shifts: [
            { name: "phone", start: "08:30", end: "17:30", advisors: 25 },
            { name: "both", start: "09:00", end: "17:00", advisors: 12, skills: "both" },
            { name: "forms", start: "09:00", end: "12:00", advisors: 1, skills: "forms" }
          ]
        }
      })
    )
    const state = new Map<number, "idle" | "call" | "form" | "off">()
    const waiting = new Set<number>()
    let blendedAnswers = 0
    let blendedForms = 0
    for (const e of trace) {
      const [, what, a, b] = e
      if (what === "login" || what === "release" || what === "formDone") state.set(a!, "idle")
      else if (what === "logout") state.set(a!, "off")
      else if (what === "queue") waiting.add(a!)
      else if (what === "abandon" || what === "cutoff") waiting.delete(a!)
      else if (what === "answer") {
        waiting.delete(a!)
        expect(state.get(b!), `advisor ${b} answered while not idle`).toBe("idle")
        if (sim.groupOf(b!) === GROUP_BLENDED) {
          blendedAnswers++
          const idlePhone = [...state].filter(([id, s]) => s === "idle" && sim.groupOf(id) === GROUP_PHONE)
          expect(idlePhone, "a blended advisor took a call while a phone-only one was idle").toEqual([])
        }
        expect(sim.groupOf(b!)).not.toBe(GROUP_FORMS)
        state.set(b!, "call")
      } else if (what === "formStart") {
        expect(state.get(a!)).toBe("idle")
        if (sim.groupOf(a!) === GROUP_BLENDED) {
          blendedForms++
          expect(waiting.size, "a blended advisor took a form while callers waited").toBe(0)
        }
        state.set(a!, "form")
      }
    }
    expect(blendedAnswers).toBeGreaterThan(100)
    expect(blendedForms).toBeGreaterThan(10)
  })
})

describe("redials", () => {
  it("brings back each abandoning caller after exactly the delay, up to the attempt limit", () => {
    const { model, trace } = traced(
      days("2026-03-02", "2026-03-02", {
        staffing: { shifts: [{ name: "day", start: "08:30", end: "17:30", advisors: 25 }] },
        callers: { redials: { probability: 1, delay: { deterministic: { seconds: 600 } }, maxAttempts: 2 } }
      })
    )
    const lost = trace.filter((e) => (e[1] === "abandon" || e[1] === "cutoff") && e[2]! >= 0 && e[0] + 600 < model.horizonSeconds)
    const redials = trace.filter((e) => e[1] === "redial")
    expect(lost.length).toBeGreaterThan(100)
    expect(redials.map((e) => e[0])).toEqual(lost.map((e) => e[0] + 600))
    // Second attempts that are lost again do not come back (maxAttempts 2).
    const lostAgain = trace.filter((e) => (e[1] === "abandon" || e[1] === "cutoff") && e[2]! < 0)
    expect(lostAgain.length).toBeGreaterThan(0)
    expect(redials.length).toBe(lost.length)
  })
})

describe("forecast, events and staffing inputs", () => {
  it("a notification wave adds letters x response rate; callers of closed days move to the next open day", () => {
    const calls = new Float64Array([10, 10, 10, 10, 10])
    applyWave(calls, Uint8Array.from([1, 1, 0, 0, 1]), 1, 100, [0.5, 0.3, 0.2], "nextOpenDay")
    expect(Array.from(calls)).toEqual([10, 60, 10, 10, 60])
    const kept = new Float64Array(5).fill(10)
    applyWave(kept, Uint8Array.from([1, 1, 0, 0, 1]), 1, 100, [0.5, 0.3, 0.2], "dissuaded")
    expect(Array.from(kept)).toEqual([10, 60, 40, 30, 10])
  })

  it("scales volumes and follows an overridden weekly profile", () => {
    const base = modelOf(days("2026-03-02", "2026-03-08", {}))
    const over = modelOf(
      days("2026-03-02", "2026-03-08", {
        arrivals: { forecast: { scale: 2, profiles: { weekly: { mon: 2, tue: 1, wed: 1, thu: 1, fri: 1, sat: 0, sun: 0, holiday: 0 } } } }
      })
    )
    const day = (m: typeof base, d: number) => m.callRate.subarray(d * 96, (d + 1) * 96).reduce((a, b) => a + b, 0) * 900
    const total = (m: typeof base) => m.callRate.reduce((a, b) => a + b, 0) * 900
    expect(day(over, 0) / day(over, 1)).toBeCloseTo(2, 9)
    expect(day(over, 5)).toBe(0)
    // Same year total spread on the new weights, doubled: this week carries more (no weekend share).
    expect(total(over) / total(base)).toBeGreaterThan(2)
    expect(day(base, 0) / day(base, 1)).toBeCloseTo(1.25 / 1.1, 9)
  })

  it("forecast error moves whole months by a factor of mean 1 and the given CV; busyness moves days", () => {
    const month = modelOf(days("2026-01-01", "2026-02-28", { arrivals: { forecast: { monthErrorCv: 0.1, dayBusynessCv: 0 } } }))
    const factors: number[] = []
    for (let r = 0; r < 400; r++) {
      const rates = replicationCallRates(month, new RandomStreams(3, r))
      const jan = rates.subarray(0, 31 * 96).reduce((a, b) => a + b, 0) / month.callRate.subarray(0, 31 * 96).reduce((a, b) => a + b, 0)
      const jan2 = rates[40 * 1]! / month.callRate[40]!
      expect(jan2).toBeCloseTo(jan, 9) // one factor for the whole month
      factors.push(jan)
    }
    const mean = factors.reduce((a, b) => a + b, 0) / factors.length
    const sd = Math.sqrt(factors.reduce((a, b) => a + (b - mean) ** 2, 0) / (factors.length - 1))
    expect(Math.abs(mean - 1)).toBeLessThan(4 * (0.1 / Math.sqrt(400)))
    expect(sd).toBeGreaterThan(0.085)
    expect(sd).toBeLessThan(0.115)
    const busy = modelOf(days("2026-03-02", "2026-03-06", { arrivals: { forecast: { dayBusynessCv: 0.3 } } }))
    const rates = replicationCallRates(busy, new RandomStreams(1, 0))
    const f = [0, 1, 2].map((d) => rates[d * 96 + 40]! / busy.callRate[d * 96 + 40]!)
    expect(new Set(f.map((x) => x.toFixed(6))).size).toBe(3) // each day its own factor
  })

  it("absence removes about its share of scheduled advisors, day by day", () => {
    const m = modelOf(days("2026-03-02", "2026-04-24", { staffing: { absence: { rate: 0.2 }, shifts: [{ name: "day", start: "08:30", end: "17:30", advisors: 100 }] } }))
    const r = runReplication(m, 2, 0)
    const present: number[] = []
    for (let d = 0; d < m.dayCount; d++) {
      const s = r.table.phoneStaffedSeconds[d * 96 + 40]! / 900
      if (s > 0) present.push(Math.round(s))
    }
    expect(present.length).toBe(39) // 8 weeks of weekdays, Easter Monday (6 April) off
    const mean = present.reduce((a, b) => a + b, 0) / present.length
    expect(Math.abs(mean - 80)).toBeLessThan(4 * Math.sqrt(100 * 0.2 * 0.8) / Math.sqrt(39))
    expect(new Set(present).size).toBeGreaterThan(3)
  })

  it("a weekly plan logs in exactly its headcounts, and overlapping rows for one skill are refused", () => {
    const plan = [
      { days: ["mon" as const], from: "08:30", to: "12:00", phone: 12, forms: 2 },
      { days: ["mon" as const], from: "12:00", to: "17:30", phone: 7 }
    ]
    const m = modelOf(days("2026-03-02", "2026-03-02", { staffing: { plan, absence: { rate: 0 } } }))
    const r = runReplication(m, 1, 0)
    expect(r.table.staffedSeconds[40]).toBe(14 * 900)
    expect(r.table.formsActivitySeconds[40]).toBe(2 * 900)
    expect(r.table.phoneStaffedSeconds[60]! >= 7 * 900 && r.table.phoneStaffedSeconds[60]! < 8 * 900).toBe(true)
    expect(columnSum(r.table, "staffedSeconds", 0, 34)).toBe(0)
    const bad = Effect.runSync(
      Effect.result(decodeDocument(Scenario, days("2026-03-02", "2026-03-02", { staffing: { plan: [...plan, { from: "11:00", to: "13:00", phone: 1 }] } }), "t"))
    )
    expect(bad._tag).toBe("Failure")
    if (bad._tag === "Failure") {
      expect(bad.failure.problems).toEqual([
        { path: "staffing.plan[2]", message: "overlaps row 0 (08:30–12:00) for phone on mon: split the time ranges" },
        { path: "staffing.plan[2]", message: "overlaps row 1 (12:00–17:30) for phone on mon: split the time ranges" }
      ])
    }
  })
})
