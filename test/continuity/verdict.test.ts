/**
 * The 48-hour verdict (sim/continuity/verdict.ts) on hand-made capacity tables: hourly
 * intervals, open 08:00–18:00 every day, 10 advisors planned; the incident at day 0 10:00.
 */
import { describe, expect, it } from "vitest"
import { incidentOutcome } from "../../sim/continuity/verdict.js"
import { CLOSED, OPEN } from "../../sim/model/calendar.js"
import type { ContinuityModel } from "../../sim/model/continuity.js"
import type { ReplicationContinuity } from "../../sim/model/incidents.js"

const DAYS = 4
const n = DAYS * 24
const status = Uint8Array.from({ length: n }, (_, i) => (i % 24 >= 8 && i % 24 < 18 ? OPEN : CLOSED))
const grid = { intervalSeconds: 3600, intervalCount: n, intervalsPerDay: 24, status }

const continuity = (over: Partial<ContinuityModel> = {}): ContinuityModel => ({
  sites: [],
  incidents: [],
  plans: [],
  plan: -1,
  threshold: 0,
  clock: "calendar",
  obligationHours: 48,
  closureKind: "exceptional",
  cutCallersRedial: true,
  planBySite: null,
  ...over
})

/** Capacity able to answer, by hour: `at(i)` advisors, planned 10 wherever open. */
const inputs = (at: (i: number) => number): ReplicationContinuity => ({
  draws: [{ startInterval: 10, startSeconds: 36_000, endSeconds: n * 3600, endInterval: n, activationSeconds: 0, teleworkSeconds: 0, spreadingSeconds: 0, overtimeSeconds: 0 }],
  staff: [],
  planned: [],
  answering: Float64Array.from({ length: n }, (_, i) => (status[i] === OPEN ? (i < 10 ? 10 : at(i)) : 0)),
  plannedAnswering: Float64Array.from({ length: n }, (_, i) => (status[i] === OPEN ? 10 : 0)),
  status,
  telecomShare: null,
  cuts: [],
  overtimeSeconds: 0,
  touched: [true],
  exposure: [null]
})

// Nobody from day 0 10:00 to day 1 12:00; 5 advisors to day 2 09:00; then all 10.
const recovery = inputs((i) => (i < 24 + 12 ? 0 : i < 48 + 9 ? 5 : 10))
const answered = { answered: Float64Array.from({ length: n }, (_, i) => (i >= 24 + 12 ? 3 : 0)) }

describe("the 48-hour verdict", () => {
  it("counts an interruption from its first interrupted hour to the restoration, nights included, and the opening hours inside it", () => {
    const o = incidentOutcome(continuity(), grid, recovery, answered, 0, 7)
    // Calendar: day 0 10:00 → day 1 12:00 = 26 h; open: day 0 10–18 (8 h) + day 1 08–12 (4 h).
    expect(o).toEqual({
      startInterval: 10,
      startSeconds: 36_000,
      hoursToFirstAnswer: 26,
      hoursTo: [26, 47, 47],
      interruptedOpenHours: 12,
      interruptedCalendarHours: 26,
      restored: true,
      held: true,
      cutCalls: 7
    })
  })

  it("takes a threshold: at or below half the planned capacity, the 5 advisors of day 1 count as interrupted", () => {
    const o = incidentOutcome(continuity({ threshold: 0.5 }), grid, recovery, answered, 0, 0)
    // Calendar: day 0 10:00 → day 2 09:00 = 47 h; open: 8 + 10 + 1 = 19 h.
    expect([o.interruptedCalendarHours, o.interruptedOpenHours, o.held]).toEqual([47, 19, true])
  })

  it("fails the obligation past its hours on the calendar clock, holds it on the opening-hours clock (the other reading)", () => {
    const strict = incidentOutcome(continuity({ threshold: 0.5, obligationHours: 40 }), grid, recovery, answered, 0, 0)
    const open = incidentOutcome(continuity({ threshold: 0.5, obligationHours: 40, clock: "openHours" }), grid, recovery, answered, 0, 0)
    expect([strict.held, open.held]).toEqual([false, true])
  })

  it("leaves undecided an interruption still running at the horizon and shorter than the obligation; decides one already longer", () => {
    const never = inputs(() => 0)
    const short = incidentOutcome(continuity({ obligationHours: 100 }), grid, never, answered, 0, 0)
    expect(short).toMatchObject({ restored: false, held: null, hoursTo: [null, null, null], interruptedCalendarHours: 86 })
    expect(incidentOutcome(continuity(), grid, never, answered, 0, 0).held).toBe(false)
  })

  it("counts a level as reached only if it holds through a later opening day", () => {
    // Back to 10 only on the last day's last open hour: not reached within the horizon.
    const late = inputs((i) => (i === 3 * 24 + 17 ? 10 : 5))
    expect(incidentOutcome(continuity(), grid, late, answered, 0, 0).hoursTo).toEqual([0, null, null])
  })

  it("judges a recovery on the hours the lost site would have worked, not on an evening hour it never works", () => {
    // 5 of 10 until day 2, but full at 17:00, an hour the lost site (08:00–17:00) works no shift.
    const evening = inputs((i) => (i % 24 === 17 || i >= 48 ? 10 : 5))
    expect(incidentOutcome(continuity(), grid, evening, answered, 0, 0).hoursTo[2]).toBe(31)
    const site = Float64Array.from({ length: n }, (_, i) => (i % 24 >= 8 && i % 24 < 17 ? 6 : 0))
    expect(incidentOutcome(continuity(), grid, { ...evening, exposure: [site] }, answered, 0, 0).hoursTo[2]).toBe(46)
  })

  it("sees no interruption when someone can always answer", () => {
    const o = incidentOutcome(continuity(), grid, inputs(() => 4), answered, 0, 0)
    expect([o.interruptedCalendarHours, o.interruptedOpenHours, o.held, o.hoursTo[0]]).toEqual([0, 0, true, null])
  })
})
