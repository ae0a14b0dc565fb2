/**
 * The paired comparison (sim/continuity/paired.ts, section.ts): an incident that touches nobody
 * (a site with no staff) leaves both runs identical and every delta exactly zero; sites alone
 * (no continuity block) change nothing; a real incident gives deltas of the expected sign with
 * intervals from the paired differences; a pipelined continuity replication is the same as in
 * one thread.
 */
import { describe, expect, it } from "vitest"
import type { ScenarioEncoded } from "../../scenarios/schema/scenario.js"
import { contractTerms } from "../../sim/contract/terms.js"
import { parseDate } from "../../sim/domain/dates.js"
import { continuitySection } from "../../sim/continuity/section.js"
import { INTERVAL_COLUMNS } from "../../sim/kpi/intervals.js"
import { baselineOf } from "../../sim/model/continuity.js"
import type { Model } from "../../sim/model/model.js"
import { runReplicationPipelined } from "../../sim/run/pipeline.js"
import { runReplication } from "../../sim/run/replicate.js"
import { simulate } from "../../sim/run/simulate.js"
import { modelOf } from "../helpers.js"

const shifts = (site: (name: string) => { site?: string }) => [
  { name: "early", team: "A", ...site("a"), start: "08:30", end: "16:30", breaks: [{ start: "11:30", minutes: 60 }], advisors: 23 },
  { name: "morning", team: "B", ...site("b"), start: "08:30", end: "12:30", advisors: 14 },
  { name: "mid", team: "C", ...site("a"), start: "09:00", end: "17:00", breaks: [{ start: "12:15", minutes: 60 }], advisors: 19 },
  { name: "late", team: "D", ...site("b"), start: "09:30", end: "17:30", breaks: [{ start: "13:00", minutes: 60 }], advisors: 12 },
  { name: "forms", team: "F", ...site("a"), start: "09:00", end: "17:00", advisors: 1, skills: "forms" as const },
  { name: "blended", team: "G", ...site("b"), start: "09:00", end: "17:00", breaks: [{ start: "12:00", minutes: 60 }], advisors: 4, skills: "both" as const }
]

const week = (over: Partial<ScenarioEncoded>): ScenarioEncoded => ({
  name: "paired",
  horizon: { from: "2026-03-02", to: "2026-03-08" },
  calendar: {},
  arrivals: { forecast: {} },
  staffing: { absence: { rate: 0.08 }, shifts: shifts(() => ({})) },
  contract: { pricing: { phone: { perHour: 32.5 }, forms: { perHour: 30 } } },
  ...over
})

const withSites = (incident: "a" | "c", plan: boolean): ScenarioEncoded =>
  week({
    staffing: {
      absence: { rate: 0.08 },
      sites: [{ name: "a" }, { name: "b" }, { name: "c", city: "Nowhere" }],
      shifts: shifts((name) => ({ site: name }))
    },
    continuity: {
      incidents: [{ siteLoss: { site: incident, start: "2026-03-03T10:00" } }],
      plans: plan
        ? [{ name: "all", standingCostPerMonth: 1000, activationCost: 5000, backupSite: { ramp: [{ afterHours: 2, share: 1 }] }, telework: { share: 0.2, afterHours: 1 }, overtime: { hoursPerAdvisorPerDay: 1 }, closureMessage: true }]
        : []
    }
  })

const termsOf = (model: Model, doc: ScenarioEncoded) =>
  contractTerms(doc.contract as Parameters<typeof contractTerms>[0], { firstDay: parseDate(model.firstDate!)!, dayCount: model.dayCount, scheduledSeconds: model.scheduledSeconds })

const runBoth = async (doc: ScenarioEncoded) => {
  const model = modelOf(doc)
  const options = { seed: 11, replications: 3, workers: 1 }
  const results = await simulate(model, options)
  const baseline = await simulate(baselineOf(model), options)
  return { model, results, baseline, section: continuitySection({ model, terms: termsOf(model, doc), seed: 11 }, results, baseline) }
}

const zero = { mean: 0, ci95: [0, 0] }

describe("the paired comparison", () => {
  it("is exactly zero, every delta, when the incident touches nobody (a site with no staff)", async () => {
    const { results, baseline, section } = await runBoth(withSites("c", true))
    for (let r = 0; r < results.length; r++) {
      for (const c of INTERVAL_COLUMNS) expect(Array.from(results[r]!.table[c]), c).toEqual(Array.from(baseline[r]!.table[c]))
    }
    const d = section.deltaVsBaseline
    for (const period of [d.day, d.week, d.month, d.horizon]) {
      for (const e of Object.values(period.calls)) expect(e).toEqual(zero)
      for (const [k, e] of Object.entries(period.kpi)) expect(e, k).toEqual(zero)
    }
    expect(d.day.period).toBe("2026-03-03")
    expect(d.week.period).toBe("2026-W10")
    expect(d.month.period).toBe("2026-03")
    expect(d.money).toEqual({ monthPenalties: zero, monthInvoice: zero, horizonPenalties: zero, horizonInvoice: zero })
    const v = section.byIncident[0]!
    expect(v).toMatchObject({ obligationHeld: true, pObligationHeld: 1, censored: 0, cutCalls: zero })
    expect(v.interruptedHours.calendar.mean).toBe(0)
    expect(v.hoursToFull.mean).toBe(0)
    // Nobody taken off: the plan is not activated, so an incident costs nothing.
    expect(section.costs.expectedIncidentCost).toEqual(zero)
    expect(section.costs.overtimeHours).toEqual(zero)
  })

  it("changes nothing when a scenario lists sites but has no continuity block", async () => {
    const doc = withSites("a", false)
    const { continuity: _c, ...withoutContinuity } = doc
    const plain = await simulate(modelOf(week({})), { seed: 4, replications: 2, workers: 1 })
    const sited = await simulate(modelOf(withoutContinuity), { seed: 4, replications: 2, workers: 1 })
    for (let r = 0; r < 2; r++) {
      for (const c of INTERVAL_COLUMNS) expect(Array.from(sited[r]!.table[c]), c).toEqual(Array.from(plain[r]!.table[c]))
    }
  })

  it("shows a site's loss as worse KPIs that day, with paired intervals, and cut calls", async () => {
    const { section } = await runBoth(withSites("a", false))
    const day = section.deltaVsBaseline.day
    expect(day.period).toBe("2026-03-03")
    expect(day.kpi.answerRate.mean).toBeLessThan(-0.2)
    expect(day.kpi.answerRate.ci95[1]).toBeLessThan(0)
    expect(day.calls.abandoned.mean).toBeGreaterThan(1000)
    expect(section.deltaVsBaseline.month.kpi.answerRate.mean).toBeGreaterThan(day.kpi.answerRate.mean)
    expect(section.byIncident[0]!.cutCalls.mean).toBeGreaterThan(10)
    // Site b still answers: the service was never interrupted, but site a never comes back.
    expect(section.byIncident[0]!.interruptedHours.calendar.mean).toBe(0)
    expect(section.byIncident[0]!.hoursToFull.reached).toBe(0)
    expect(section.deltaVsBaseline.money!.horizonInvoice.mean).toBeLessThan(0)
  })
})

describe("a continuity replication on two threads", () => {
  it("matches the single-thread replication exactly: the producer draws the same outage start and length, and the same closures", async () => {
    const model = modelOf(
      week({
        horizon: { from: "2026-03-02", to: "2026-03-15" },
        // Both sites on one VPN path: losing it leaves nobody to answer, and the closure message plays.
        staffing: { absence: { rate: 0.08 }, sites: [{ name: "a", vpn: "shared" }, { name: "b", vpn: "shared" }], shifts: shifts((name) => ({ site: name })) },
        continuity: {
          incidents: [
            { vpnLoss: { site: "a", start: "2026-03-03T10:00", durationHours: { uniform: { minHours: 2, maxHours: 5 } } } },
            { odigoOutage: { start: "random", durationHours: { lognormal: { meanHours: 2, sdHours: 1 } } } }
          ],
          plans: [{ name: "p", closureMessage: true, telework: { share: 0.5, afterHours: { uniform: { minHours: 2, maxHours: 30 } } } }]
        }
      })
    )
    const single = runReplication(model, 8, 2)
    const piped = await runReplicationPipelined(model, 8, 2)
    expect(piped.totals).toEqual(single.totals)
    for (const c of INTERVAL_COLUMNS) expect(Array.from(piped.table[c]), c).toEqual(Array.from(single.table[c]))
    expect(single.totals.cutCalls![0]).toBeGreaterThan(0)
    expect(single.table.dissuadedExceptional.some((x) => x > 0)).toBe(true)
    expect(single.table.dissuadedTelecom.some((x) => x > 0)).toBe(true)
  })
})
