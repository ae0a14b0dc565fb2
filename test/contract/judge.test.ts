/**
 * The judge on hand-made months: interval tables written by hand, the invoice and every penalty
 * recomputed by hand to the cent; hours beyond 120% of a block's order; the 120% rule on calls.
 */
import { describe, expect, it } from "vitest"
import { judge } from "../../sim/contract/judge.js"
import { contractTerms } from "../../sim/contract/terms.js"
import { parseDate } from "../../sim/domain/dates.js"
import { RandomStreams } from "../../sim/engine/random.js"
import type { RunGrid } from "../../sim/kpi/grid.js"
import { makeGroupDayTable, makeIntervalTable } from "../../sim/kpi/intervals.js"

/** Monday 4 and Tuesday 5 May 2026, 15-minute intervals. */
const grid: RunGrid = {
  name: "hand-made", firstDate: "2026-05-04", intervalSeconds: 900, intervalCount: 192, intervalsPerDay: 96, dayCount: 2,
  warmupIntervals: 0, flows: ["f"], reasons: ["r"], productiveHoursPerDay: 7
}

/** One replication: on Monday 10:00, 100 calls, 80 answered after 300 s of wait on average… */
const month = (phoneStaffedSeconds: number) => {
  const table = makeIntervalTable(192, 900)
  const i = 40
  table.offered[i] = 100
  table.answered[i] = 80
  table.abandoned[i] = 20
  table.waitSeconds[i] = 30_000 // 300 s per call received
  table.talkSeconds[i] = 80 * 200
  table.wrapSeconds[i] = 80 * 30 // DMT 230 s
  table.phoneStaffedSeconds[i] = phoneStaffedSeconds
  table.staffedSeconds[i] = phoneStaffedSeconds + 7_200 // + 2 h of forms-only advisors
  table.formsActivitySeconds[i] = 7_200
  table.formsReceived[i] = 20
  table.formsHandled[i] = 20 // 20 forms in 2 h: 70 per 7-hour day
  return { table, groups: makeGroupDayTable(2, 2) }
}

const terms = (extra: object = {}) =>
  contractTerms(
    {
      start: "2026-01-01",
      runInMonths: 4,
      pricing: { phone: { perHour: 32.5 }, forms: { perHour: 30 } },
      quality: { calls: { mean: 88, sd: 0 }, tickets: { mean: 88, sd: 0 }, forms: { mean: 88, sd: 0 } },
      ...extra
    },
    { firstDay: parseDate("2026-05-04")!, dayCount: 2, scheduledSeconds: [[36_000, 0], [7_200, 0], [0, 0]] }
  )

const judged = (phoneStaffedSeconds: number, basis: number[], extra: object = {}) =>
  judge(
    { grid, terms: terms(extra), forecastBasisCalls: basis, qualityStream: (r) => new RandomStreams(1, r).stream("quality") },
    [month(phoneStaffedSeconds)]
  ).months[0]![0]!

describe("the judge on a hand-made month", () => {
  it("invoices the hours and recomputes every penalty to the cent", () => {
    const m = judged(36_000, [100, 0])
    expect(m.month).toBe("2026-05")
    expect(m.afterRunIn).toBe(true) // start 2026-01-01 + 4 months
    expect(m.ordered).toEqual({ phone: 10, forms: 2 })
    expect(m.delivered).toEqual({ phone: 10, forms: 2 })
    expect(m.invoice).toEqual({ phone: 32_500, forms: 6_000 }) // 10 h × €32.50, 2 h × €30
    expect(m.indicators.answerRate).toBe(0.8)
    expect(m.indicators.meanWait).toBe(300)
    expect(m.indicators.handlingTime).toBe(230)
    expect(m.indicators.formsPerAdvisorDay).toBeCloseTo(70, 12)
    expect(m.indicators.planConformity).toBe(1)
    // answer rate < 89%: 2% of €325.00 = €6.50; wait > 240 s: 0.5% = €1.625 -> €1.63;
    // 70 forms a day < 85: 1% of the phone invoice (as printed) = €3.25.
    expect(m.penalty.cents).toEqual({
      planConformity: 0, accessibility: 0, answerRate: 650, meanWait: 163, handlingTime: 0,
      qualityCalls: 0, qualityTickets: 0, formsHandled: 0, formsPerAdvisorDay: 325, qualityForms: 0
    })
    expect(m.penalty.totalCents).toBe(1_138)
    expect(m.penalty.capCents).toBe(3_850)
  })

  it("does not invoice hours beyond 120% of a block's order, and counts them", () => {
    const m = judged(46_800, [100, 0]) // 13 phone hours delivered for 10 ordered
    expect(m.delivered.phone).toBe(13)
    expect(m.invoiced.phone).toBeCloseTo(12, 12)
    expect(m.hoursAbove120).toBeCloseTo(1, 12)
    expect(m.invoice!.phone).toBe(39_000)
    expect(m.indicators.planConformity).toBeCloseTo(15 / 12, 12)
  })

  it("suspends SLA penalties when first attempts pass 120% of the forecast the order was based on", () => {
    const m = judged(36_000, [80, 0]) // 100 first attempts > 1.2 × 80
    expect(m.suspended).toBe(true)
    expect(m.penalty.totalCents).toBe(0)
    const hours = judged(36_000, [80, 0], { volumeCapBasis: "hours" }) // 12 h delivered = 12 h ordered
    expect(hours.suspended).toBe(false)
    expect(hours.penalty.totalCents).toBe(1_138)
  })

  it("is before the run-in in a month that starts before start + run-in", () => {
    const m = judged(36_000, [100, 0], { start: "2026-01-15" }) // + 4 months = 15 May: June is the first
    expect(m.afterRunIn).toBe(false)
    expect(m.penalty.totalCents).toBe(0)
  })
})
