/**
 * The contract model against the acceptance points of issue 3, on the shipped scenarios and on
 * small scenarios built for one behaviour each.
 */
import * as Effect from "effect/Effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { loadModel } from "../../sim/model/load.js"
import { REASON_CODES } from "../../sim/domain/vocabulary.js"
import { columnSum } from "../../sim/kpi/intervals.js"
import { sumGroup } from "../../sim/kpi/periods.js"
import { OPEN } from "../../sim/model/calendar.js"
import { parseDate } from "../../sim/domain/dates.js"
import type { Model } from "../../sim/model/model.js"
import { runReplication } from "../../sim/run/replicate.js"
import type { ScenarioEncoded } from "../../scenarios/schema/scenario.js"
import { modelOf } from "../helpers.js"

const shipped = (name: string) => Effect.runPromise(loadModel(`scenarios/${name}.yaml`)).then((r) => r.model)
const firstAttempts = (r: ReturnType<typeof runReplication>, from = 0, to = r.table.rows) =>
  columnSum(r.table, "offered", from, to) - columnSum(r.table, "redials", from, to)
const monthRange = (model: Model, month: string) => {
  const first = parseDate(model.firstDate!)!
  const [y, m] = month.split("-").map(Number) as [number, number]
  const from = Math.round(Date.UTC(y, m - 1, 1) / 86_400_000) - first
  const to = Math.round(Date.UTC(y, m, 1) / 86_400_000) - first
  return [from * model.intervalsPerDay, to * model.intervalsPerDay] as const
}

const oneMonth = (over: Partial<ScenarioEncoded>): ScenarioEncoded => ({
  name: "one-month",
  horizon: { from: "2026-03-01", to: "2026-03-31" },
  calendar: {},
  arrivals: { forecast: {} },
  staffing: { shifts: [{ name: "day", start: "08:30", end: "17:30", breaks: [{ start: "12:00", minutes: 60 }], advisors: 80 }] },
  ...over
})

describe("baseline-2026", () => {
  it("simulates the forecast's first attempts within 1% on average over replications, and answers no call while closed", async () => {
    const model = await shipped("baseline-2026")
    const runs = [0, 1, 2].map((r) => runReplication(model, 11, r))
    const mean = runs.reduce((a, r) => a + firstAttempts(r), 0) / runs.length
    expect(Math.abs(mean / 1_424_153 - 1)).toBeLessThan(0.01)
    for (const r of runs) {
      let closedAnswered = 0
      let closedOffered = 0
      for (let i = 0; i < model.intervalCount; i++) {
        if (model.status[i] !== OPEN) {
          closedAnswered += r.table.answered[i]! + r.table.abandoned[i]! - r.table.cutOffAtClosing[i]!
          closedOffered += r.table.offered[i]!
        }
      }
      expect(closedAnswered).toBe(0)
      expect(closedOffered).toBeGreaterThan(10_000) // calls do come in at night and at weekends…
      expect(columnSum(r.table, "dissuadedClosure")).toBe(closedOffered) // …and all are dissuaded
    }
  })
})

describe("media campaign", () => {
  it("gives September the multiplier over August's volume per day", async () => {
    const [base, campaign] = await Promise.all([shipped("baseline-2026"), shipped("media-campaign-sep-2026")])
    const [s0, s1] = monthRange(base, "2026-09")
    const [a0, a1] = monthRange(base, "2026-08")
    // Expected volumes (the flat monthly profile makes August and September alike per weighted day).
    const expected = (m: Model, from: number, to: number) => m.callRate.subarray(from, to).reduce((x, y) => x + y, 0) * m.intervalSeconds
    expect(expected(campaign, s0, s1) / expected(base, s0, s1)).toBeCloseTo(1.4, 9)
    expect(expected(campaign, a0, a1)).toBe(expected(base, a0, a1))
    const rb = runReplication(base, 5, 0)
    const rc = runReplication(campaign, 5, 0)
    expect(firstAttempts(rc, s0, s1) / firstAttempts(rb, s0, s1)).toBeGreaterThan(1.37)
    expect(firstAttempts(rc, s0, s1) / firstAttempts(rb, s0, s1)).toBeLessThan(1.43)
    expect(firstAttempts(rc, a0, a1)).toBe(firstAttempts(rb, a0, a1)) // common random numbers: August unchanged
  })
})

describe("events and callers", () => {
  const runs = (doc: ScenarioEncoded, seed = 1) => runReplication(modelOf(doc), seed, 0)

  it("a reason surge multiplies that reason's calls and no other's", () => {
    const base = runs(oneMonth({}))
    const surge = runs(oneMonth({ events: [{ reasonSurge: { reason: "oppositionClosure", from: "2026-03-01", to: "2026-03-31", multiplier: 3 } }] }))
    const r = REASON_CODES.indexOf("oppositionClosure")
    const g = (x: typeof base, i: number) => sumGroup(x.groups, i).offered - sumGroup(x.groups, i).redials
    expect(g(surge, r) / g(base, r)).toBeGreaterThan(2.8)
    expect(g(surge, r) / g(base, r)).toBeLessThan(3.2)
    const other = REASON_CODES.indexOf("cvSerialUnreadable")
    expect(Math.abs(g(surge, other) / g(base, other) - 1)).toBeLessThan(0.02)
  })

  it("the IVR dissuasion message turns away only out-of-scope callers, in the given share", () => {
    const r = runs(oneMonth({ events: [{ ivrDissuasion: { share: 0.4 } }] }))
    const oos = sumGroup(r.groups, REASON_CODES.indexOf("outOfScope"))
    expect(oos.dissuadedIvr / (oos.offered - oos.dissuadedClosure)).toBeCloseTo(0.4, 1)
    const cv = sumGroup(r.groups, REASON_CODES.indexOf("cvSerialUnreadable"))
    expect(cv.dissuadedIvr).toBe(0)
    expect(columnSum(r.table, "dissuadedIvr")).toBe(oos.dissuadedIvr)
  })

  it("a telecom incident dissuades calls only during its window; an exceptional closure counts against accessibility", () => {
    const doc = oneMonth({
      calendar: { closures: [{ from: "2026-03-12", to: "2026-03-12", kind: "exceptional" }] },
      events: [{ telecomIncident: { from: "2026-03-10T10:00", to: "2026-03-10T12:00" } }]
    })
    const m = modelOf(doc)
    const r = runReplication(m, 1, 0)
    const day = (d: number) => [(d - 1) * 96, d * 96] as const
    const [t0, t1] = day(10)
    expect(columnSum(r.table, "dissuadedTelecom")).toBe(columnSum(r.table, "dissuadedTelecom", t0 + 40, t0 + 48))
    expect(columnSum(r.table, "dissuadedTelecom", t0 + 40, t0 + 48)).toBe(columnSum(r.table, "offered", t0 + 40, t0 + 48))
    expect(columnSum(r.table, "answered", t0, t1)).toBeGreaterThan(0)
    const [e0, e1] = day(12)
    expect(columnSum(r.table, "answered", e0, e1)).toBe(0)
    expect(columnSum(r.table, "dissuadedExceptional")).toBeGreaterThan(3000)
  })

  it("answered calls are transferred and ticketed in the configured shares", () => {
    const r = runs(oneMonth({ callers: { transfers: { default: 0.1 }, tickets: { default: 0, byReason: { otherIncidents: 1 } } } }))
    const answered = columnSum(r.table, "answered")
    expect(columnSum(r.table, "transferred") / answered).toBeCloseTo(0.1, 2)
    const other = sumGroup(r.groups, REASON_CODES.indexOf("otherIncidents"))
    expect(columnSum(r.table, "tickets")).toBe(other.answered)
  })

  it("mean handling time is calibrated to the CCTP's 4.16 minutes over the default mix", () => {
    const r = runs(oneMonth({}))
    const dmt = (columnSum(r.table, "talkSeconds") + columnSum(r.table, "wrapSeconds")) / columnSum(r.table, "answered")
    expect(Math.abs(dmt - 249.6)).toBeLessThan(2.5)
  })
})

describe("conservation in the contract model (generated scenarios)", () => {
  it("every call ends dissuaded, answered, abandoned or waiting, in every interval; sub-counts stay inside their totals", () => {
    const scenario = fc.record({
      advisors: fc.integer({ min: 0, max: 90 }),
      forms: fc.integer({ min: 0, max: 4 }),
      both: fc.integer({ min: 0, max: 10 }),
      surge: fc.double({ min: 0.5, max: 4, noNaN: true }),
      ivr: fc.double({ min: 0, max: 1, noNaN: true }),
      redialP: fc.double({ min: 0, max: 1, noNaN: true }),
      absence: fc.double({ min: 0, max: 0.5, noNaN: true }),
      seed: fc.integer({ min: 0, max: 100 })
    })
    fc.assert(
      fc.property(scenario, (g) => {
        const m = modelOf({
          name: "generated",
          horizon: { from: "2026-05-04", to: "2026-05-10" },
          calendar: { closures: [{ from: "2026-05-05T15:00", to: "2026-05-05T16:00" }] },
          arrivals: { forecast: { dayBusynessCv: 0.2 } },
          events: [
            { reasonSurge: { reason: "enrolmentHelp", from: "2026-05-06", to: "2026-05-07", multiplier: g.surge } },
            { ivrDissuasion: { share: g.ivr } },
            { telecomIncident: { from: "2026-05-07T09:00", to: "2026-05-07T09:40", share: 0.5 } }
          ],
          callers: { redials: { probability: g.redialP, delay: { exponential: { meanSeconds: 600 } }, maxAttempts: 4 } },
          staffing: {
            absence: { rate: g.absence },
            shifts: [
              { name: "phone", start: "08:30", end: "17:30", breaks: [{ start: "12:00", minutes: 45 }], advisors: g.advisors },
              { name: "forms", start: "09:00", end: "17:00", advisors: g.forms, skills: "forms" },
              { name: "both", start: "10:00", end: "16:00", advisors: g.both, skills: "both" }
            ]
          }
        })
        const r = runReplication(m, g.seed, 0)
        const t = r.table
        for (let i = 0; i < m.intervalCount; i++) {
          const ends = t.dissuadedClosure[i]! + t.dissuadedTelecom[i]! + t.dissuadedIvr[i]! + t.answered[i]! + t.abandoned[i]! + t.inSystemAtEnd[i]!
          expect(t.offered[i]).toBe(ends)
          expect(t.dissuadedExceptional[i]! + t.dissuadedTechnical[i]!).toBeLessThanOrEqual(t.dissuadedClosure[i]!)
          expect(t.transferred[i]).toBeLessThanOrEqual(t.answered[i]!)
          expect(t.cutOffAtClosing[i]).toBeLessThanOrEqual(t.abandoned[i]!)
          expect(t.redials[i]).toBeLessThanOrEqual(t.offered[i]!)
          expect(t.busySeconds[i]).toBeLessThanOrEqual(t.phoneStaffedSeconds[i]! + 1e-6)
        }
        expect(r.totals.formsReceived).toBe(r.totals.formsHandled + r.totals.formsBacklogAtEnd + r.totals.formsInProgressAtEnd)
        if (g.advisors + g.both === 0) expect(r.totals.answered).toBe(0)
      }),
      { numRuns: 25, seed: 9 }
    )
  })
})
