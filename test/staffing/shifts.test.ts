/**
 * The shift solver: the catalogue the rules allow, and the integer program covering hand-made
 * requirement curves at their known optimum (counted by hand), re-checked independently.
 */
import { describe, expect, it } from "vitest"
import { checkCoverage, covers, defaultRules, describeShift, planDay, shiftCatalogue, type ShiftRules } from "../../sim/staffing/shifts.js"

const open = 8 * 60 + 30
const close = 17 * 60 + 30
const minutes = Array.from({ length: 36 }, (_, k) => open + 15 * k)

describe("shift catalogue", () => {
  it("starts shifts on the grid within opening hours, lunches inside the window and away from the ends", () => {
    const cat = shiftCatalogue(defaultRules(open, close, 15), 15)
    const full = cat.filter((s) => s.workedHours === 7)
    const part = cat.filter((s) => s.workedHours === 4)
    expect(new Set(full.map((s) => s.start)).size).toBe(5) // 08:30 … 09:30: 8 h of presence must end by 17:30
    expect(part.length).toBe(21) // 08:30 … 13:30
    for (const s of full) {
      expect(s.lunchStart).toBeGreaterThanOrEqual(11 * 60 + 30)
      expect(s.lunchStart + 60).toBeLessThanOrEqual(14 * 60)
      expect(s.end - s.start).toBe(8 * 60)
    }
    expect(describeShift(full[0]!)).toBe("08:30–16:30, lunch 11:30")
    expect(covers(full[0]!, 11 * 60 + 30, 15)).toBe(false)
    expect(covers(full[0]!, 12 * 60 + 30, 15)).toBe(true)
  })
})

describe("shift program", () => {
  const rules: ShiftRules = { ...defaultRules(open, close, 15), maxPartTimeShare: 1 }
  const cat = shiftCatalogue(rules, 15)

  /** The requirement that a given set of shifts exactly covers (its advisor-hours are a lower bound any plan pays). */
  const coverageOf = (plan: ReadonlyArray<readonly [number, number]>) => minutes.map((m) => plan.reduce((a, [j, n]) => a + (covers(cat[j]!, m, 15) ? n : 0), 0))
  const hoursOf = (required: ReadonlyArray<number>) => required.reduce((a, r) => a + r, 0) * 0.25

  it("reaches the optimum of a curve some full-time shifts tile exactly (paid hours = required advisor-hours)", async () => {
    const early = cat.findIndex((s) => s.start === 8 * 60 + 30 && s.lunchStart === 12 * 60)
    const late = cat.findIndex((s) => s.start === 9 * 60 + 30 && s.lunchStart === 13 * 60)
    const required = coverageOf([[early, 5], [late, 5]])
    expect(hoursOf(required)).toBe(70)
    const day = { minutes, required }
    const r = await planDay(cat, day, rules, 15, 0)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(checkCoverage(cat, r.counts, day, 15, 0)).toBeNull()
    expect(r.paidHours).toBe(70) // no plan can pay less than the 70 advisor-hours it must cover
  })

  it("reaches the optimum of a curve tiled by a mix of full-time and part-time shifts", async () => {
    const ft = cat.findIndex((s) => s.start === 9 * 60 && s.lunchStart === 12 * 60 + 15)
    const am = cat.findIndex((s) => s.start === 8 * 60 + 30 && s.workedHours === 4)
    const pm = cat.findIndex((s) => s.start === 13 * 60 + 30 && s.workedHours === 4)
    const required = coverageOf([[ft, 12], [am, 6], [pm, 4]])
    const r = await planDay(cat, { minutes, required }, rules, 15, 0)
    expect(r.ok && r.paidHours).toBe(hoursOf(required))
    expect(hoursOf(required)).toBe(12 * 7 + 10 * 4)
  })

  it("finds the known optimum of a two-peak curve: two part-time waves", async () => {
    // 8 advisors 08:30–12:30 and 6 advisors 13:30–17:30, nobody at lunch time: exactly 8 morning
    // part-timers and 6 afternoon part-timers, 56 paid hours; any full-time shift wastes hours.
    const day = { minutes, required: minutes.map((m) => (m < 12 * 60 + 30 ? 8 : m >= 13 * 60 + 30 ? 6 : 0)) }
    const r = await planDay(cat, day, rules, 15, 0)
    expect(r.ok && r.paidHours).toBe(56)
  })

  it("covers absence with headcount: expected presence, not the requirement, is what shifts provide", async () => {
    const day = { minutes, required: minutes.map((m) => (m < 12 * 60 + 30 ? 9 : 0)) }
    const r = await planDay(cat, day, rules, 15, 0.1)
    // 9 present with 10% absent: 10 scheduled morning part-timers (10 × 0.9 = 9).
    expect(r.ok && r.paidHours).toBe(40)
  })

  it("keeps part-time within its share of paid hours", async () => {
    const capped: ShiftRules = { ...rules, maxPartTimeShare: 0 }
    const day = { minutes, required: minutes.map((m) => (m < 12 * 60 + 30 ? 8 : 0)) }
    const r = await planDay(shiftCatalogue(capped, 15), day, capped, 15, 0)
    expect(r.ok).toBe(true)
    if (r.ok) expect(r.paidHours).toBe(56) // 8 full-time shifts of 7 worked hours
  })

  it("says when no allowed shift covers a required interval", async () => {
    const late: ShiftRules = { ...rules, latestEnd: 16 * 60 }
    const r = await planDay(shiftCatalogue(late, 15), { minutes, required: minutes.map(() => 1) }, late, 15, 0)
    expect(r).toEqual({ ok: false, message: "no shift the rules allow covers 16:00 (lengths, earliest start, latest end, lunch window)" })
  })
})
