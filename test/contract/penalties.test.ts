/**
 * The CCTP 9 rules on hand-made months: every row at, just past and just short of its threshold,
 * the 10% cap, the run-in, the 120% rule, the forms rows' base, a month with nothing to measure.
 * Amounts are cents, recomputed by hand.
 */
import { describe, expect, it } from "vitest"
import { monthPenalties, type Indicators } from "../../sim/contract/penalties.js"
import { contractRules } from "../../sim/contract/terms.js"
import { PENALTY_KEYS, PENALTY_TABLE, type PenaltyKey } from "../../sim/domain/penalties.js"

const rules = contractRules(undefined).rules
/** Every indicator comfortably on target. */
const good: Indicators = {
  planConformity: 1, accessibility: 1, answerRate: 0.95, meanWait: 60, handlingTime: 280,
  qualityCalls: 90, qualityTickets: 90, formsHandled: 0.97, formsPerAdvisorDay: 92, qualityForms: 90
}
/** €10,000.00 of phone production and €2,000.00 of forms. */
const invoice = { phone: 1_000_000, forms: 200_000 }
const month = (over: Partial<Indicators>, opts: { afterRunIn?: boolean; suspended?: boolean; invoice?: typeof invoice | null } = {}) =>
  monthPenalties(rules, {
    indicators: { ...good, ...over },
    invoice: opts.invoice === undefined ? invoice : opts.invoice,
    afterRunIn: opts.afterRunIn ?? true,
    suspended: opts.suspended ?? false
  })

/** The CCTP's figures, by hand: threshold, direction, rate × base in cents. */
const expected: Record<PenaltyKey, { threshold: number; below: boolean; cents: number }> = {
  planConformity: { threshold: 0.95, below: true, cents: 18_000 }, // 1.5% of €12,000 (total)
  accessibility: { threshold: 0.98, below: true, cents: 10_000 }, // 1% of €10,000 (phone)
  answerRate: { threshold: 0.89, below: true, cents: 20_000 }, // 2% of phone
  meanWait: { threshold: 240, below: false, cents: 5_000 }, // 0.5% of phone
  handlingTime: { threshold: 420, below: false, cents: 10_000 },
  qualityCalls: { threshold: 80, below: true, cents: 10_000 },
  qualityTickets: { threshold: 80, below: true, cents: 10_000 },
  formsHandled: { threshold: 0.89, below: true, cents: 10_000 }, // base as printed: phone
  formsPerAdvisorDay: { threshold: 85, below: true, cents: 10_000 },
  qualityForms: { threshold: 80, below: true, cents: 10_000 }
}

describe("penalty rules (CCTP 9)", () => {
  it.each(PENALTY_KEYS)("%s: nothing at the threshold, a penalty just past it, nothing just short of it", (key) => {
    const e = expected[key]
    expect(PENALTY_TABLE[key].threshold).toBe(e.threshold)
    const eps = e.threshold * 1e-9
    const at = month({ [key]: e.threshold })
    const past = month({ [key]: e.below ? e.threshold - eps : e.threshold + eps })
    const short = month({ [key]: e.below ? e.threshold + eps : e.threshold - eps })
    expect(at.triggered[key]).toBe(false)
    expect(at.totalCents).toBe(0)
    expect(short.triggered[key]).toBe(false)
    expect(past.triggered[key]).toBe(true)
    expect(PENALTY_KEYS.filter((k) => past.triggered[k])).toEqual([key])
    expect(past.cents![key]).toBe(e.cents)
    expect(past.totalCents).toBe(e.cents)
    expect(past.capped).toBe(false)
  })

  it("adds rows up and caps the month at 10% of its invoice", () => {
    const worst = {
      planConformity: 0.5, accessibility: 0.5, answerRate: 0.5, meanWait: 999, handlingTime: 999,
      qualityCalls: 10, qualityTickets: 10, formsHandled: 0.1, formsPerAdvisorDay: 10, qualityForms: 10
    }
    // With €12,000 invoiced: 1.5% of €12,000 + 9.5% of €10,000 = €1,130 < the cap of €1,200.
    const all = month(worst)
    expect(all.beforeCapCents).toBe(PENALTY_KEYS.reduce((a, k) => a + expected[k].cents, 0))
    expect(all.beforeCapCents).toBe(113_000)
    expect(all.capCents).toBe(120_000)
    expect(all.totalCents).toBe(113_000)
    expect(all.capped).toBe(false)
    // Phone only (€10,000): 1.5% + 9.5% = 11% > 10%: the month pays €1,000.
    const phoneOnly = month(worst, { invoice: { phone: 1_000_000, forms: 0 } })
    expect(phoneOnly.beforeCapCents).toBe(110_000)
    expect(phoneOnly.capCents).toBe(100_000)
    expect(phoneOnly.totalCents).toBe(100_000)
    expect(phoneOnly.capped).toBe(true)
    expect(phoneOnly.cents!.answerRate).toBe(20_000) // rows keep their amounts; the total is capped
    const two = month({ answerRate: 0.5, meanWait: 999 })
    expect(two.totalCents).toBe(25_000)
    expect(two.capped).toBe(false)
  })

  it("rounds each penalty to the cent (half a cent up)", () => {
    const odd = monthPenalties(rules, { indicators: { ...good, meanWait: 300 }, invoice: { phone: 32_500, forms: 0 }, afterRunIn: true, suspended: false })
    expect(odd.cents!.meanWait).toBe(163) // 0.5% of €325.00 = €1.625
  })

  it("applies SLA rows only after the run-in; plan conformity from the first month", () => {
    const before = month({ answerRate: 0.5, planConformity: 0.9 }, { afterRunIn: false })
    expect(before.triggered.answerRate).toBe(false)
    expect(before.triggered.planConformity).toBe(true)
    expect(before.totalCents).toBe(18_000)
    const after = month({ answerRate: 0.5, planConformity: 0.9 }, { afterRunIn: true })
    expect(after.totalCents).toBe(38_000)
  })

  it("penalises from the first month that starts on or after start + run-in (month 4 not, month 5 yes)", () => {
    expect(contractRules({ start: "2026-01-01", runInMonths: 4 }).firstPenalisedMonth).toBe("2026-05")
    expect(contractRules({ start: "2026-01-01", runInMonths: 0 }).firstPenalisedMonth).toBe("2026-01")
    expect(contractRules({ start: "2025-11-09" }).firstPenalisedMonth).toBe("2026-04") // 2026-03-09: March started before
    expect(contractRules({ start: "2025-11-09", runInMonths: 2 }).firstPenalisedMonth).toBe("2026-02")
  })

  it("suspends SLA rows in a month past 120% of the order (plan conformity stays)", () => {
    const m = month({ answerRate: 0.5, meanWait: 999, planConformity: 0.9 }, { suspended: true })
    expect(m.triggered.answerRate).toBe(false)
    expect(m.triggered.meanWait).toBe(false)
    expect(m.triggered.planConformity).toBe(true)
  })

  it("takes the forms rows' base as printed (phone), or the forms invoice when overridden", () => {
    expect(month({ formsHandled: 0.5 }).cents!.formsHandled).toBe(10_000)
    const forms = contractRules({ penalties: { formsHandled: { base: "forms" }, formsPerAdvisorDay: { base: "forms", threshold: 80 }, qualityForms: { base: "forms" } } }).rules
    const m = monthPenalties(forms, { indicators: { ...good, formsHandled: 0.5, formsPerAdvisorDay: 82, qualityForms: 70 }, invoice, afterRunIn: true, suspended: false })
    expect(m.cents!.formsHandled).toBe(2_000)
    expect(m.triggered.formsPerAdvisorDay).toBe(false) // threshold overridden to 80
    expect(m.cents!.qualityForms).toBe(2_000)
  })

  it("does not judge what a month could not measure (no call, no form, no order)", () => {
    const empty = month({ planConformity: NaN, accessibility: NaN, answerRate: NaN, meanWait: NaN, handlingTime: NaN, formsHandled: NaN, formsPerAdvisorDay: NaN })
    expect(PENALTY_KEYS.filter((k) => empty.triggered[k])).toEqual([])
    expect(empty.totalCents).toBe(0)
  })

  it("still says which rows trigger without pricing, with no euros and no cap", () => {
    const m = month({ answerRate: 0.5 }, { invoice: null })
    expect(m.triggered.answerRate).toBe(true)
    expect(m.cents).toBeNull()
    expect(m.totalCents).toBeNull()
    expect(m.capped).toBeNull()
  })

  it("lets a row be disabled or its rate changed", () => {
    const r = contractRules({ penalties: { answerRate: { enabled: false }, meanWait: { rate: 0.03 } } }).rules
    const m = monthPenalties(r, { indicators: { ...good, answerRate: 0.5, meanWait: 999 }, invoice, afterRunIn: true, suspended: false })
    expect(m.triggered.answerRate).toBe(false)
    expect(m.cents!.meanWait).toBe(30_000)
  })
})
