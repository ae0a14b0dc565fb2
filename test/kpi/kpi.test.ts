/**
 * Each CCTP 3.3.2 KPI by its formula, on hand-made column sums: exact values, and the cases
 * where the formula's denominator matters (dissuaded calls, technical closures, idle time).
 */
import { describe, expect, it } from "vitest"
import * as K from "../../sim/kpi/cctp.js"
import { INTERVAL_COLUMNS } from "../../sim/kpi/intervals.js"
import { sumIntervals } from "../../sim/kpi/periods.js"
import { makeIntervalTable } from "../../sim/kpi/intervals.js"

const zero = Object.fromEntries(INTERVAL_COLUMNS.map((c) => [c, 0])) as K.Sums
const sums = (over: Partial<K.Sums>): K.Sums => ({ ...zero, ...over })

// A month: 1,000 calls received; 60 dissuaded on closure (10 in an exceptional closure, 5 in a
// technical one), 20 on a telecom problem, 20 on the IVR message; 850 answered, 50 abandoned.
const month = sums({
  offered: 1000, redials: 40, dissuadedClosure: 60, dissuadedExceptional: 10, dissuadedTechnical: 5,
  dissuadedTelecom: 20, dissuadedIvr: 20, answered: 850, answeredWithinSl: 700, abandoned: 50,
  transferred: 17, tickets: 30, waitSeconds: 36_000, talkSeconds: 204_000, wrapSeconds: 25_500,
  staffedSeconds: 360_000, phoneStaffedSeconds: 324_000, busySeconds: 229_500, idleSeconds: 64_800,
  formsActivitySeconds: 36_000, formsReceived: 120, formsHandled: 108
})

describe("CCTP 3.3.2 KPIs on a hand-made month", () => {
  it("answer rate = answered / (received − dissuaded telecom − dissuaded closure − dissuaded IVR)", () => {
    expect(K.answerRate(month)).toBe(850 / (1000 - 20 - 60 - 20))
  })
  it("mean wait = queue wait of queued calls / (received − dissuaded closure − telecom − IVR)", () => {
    expect(K.meanWaitSeconds(month)).toBe(36_000 / 900)
  })
  it("accessibility = 1 − calls in exceptional closures / (received − calls in technical closures)", () => {
    expect(K.accessibility(month)).toBe(1 - 10 / 995)
    expect(K.accessibility(sums({ offered: 100, dissuadedClosure: 30 }))).toBe(1) // ordinary closures do not count
  })
  it("mean talk (DMC) = talk / answered; mean handling (DMT) = (talk + wrap-up) / answered", () => {
    expect(K.meanTalkSeconds(month)).toBe(240)
    expect(K.meanHandleSeconds(month)).toBe(270)
  })
  it("availability rate = idle time / logged-in phone time", () => {
    expect(K.availabilityRate(month)).toBe(0.2)
  })
  it("transfer rate = transferred to level 1+ / received", () => {
    expect(K.transferRate(month)).toBe(0.017)
  })
  it("forms handled = answered / received; forms per advisor-day = answered / (forms time / full day)", () => {
    expect(K.formsHandledRate(month)).toBe(0.9)
    expect(K.formsPerAdvisorDay(month, 7)).toBeCloseTo(108 / (36_000 / 25_200), 12)
  })
  it("productive hours = logged-in advisor time in hours; occupancy = busy / logged-in phone time", () => {
    expect(K.productiveHours(month)).toBe(100)
    expect(K.occupancy(month)).toBe(229_500 / 324_000)
  })
  it("abandon rate and service level share the answer rate's denominator", () => {
    expect(K.abandonRate(month)).toBe(50 / 900)
    expect(K.serviceLevel(month)).toBe(700 / 900)
  })
  it("is undefined (NaN, printed null) when nothing was received or answered", () => {
    const empty = sums({})
    expect(K.answerRate(empty)).toBeNaN()
    expect(K.meanHandleSeconds(empty)).toBeNaN()
    expect(K.accessibility(empty)).toBeNaN()
    expect(K.productiveHours(empty)).toBe(0)
  })
  it("computes a period's KPI from summed columns, never by averaging interval KPIs", () => {
    const t = makeIntervalTable(2, 900)
    t.offered[0] = 10
    t.answered[0] = 10
    t.offered[1] = 90
    t.answered[1] = 45
    const s = sumIntervals(t)
    expect(K.answerRate(s)).toBe(55 / 100) // the mean of 100% and 50% would be 75%
    expect(K.kpis(s, 7).answerRate).toBe(0.55)
  })
})
