/** The hiring plan: attrition replaced, growth hired ahead of need, training paid, nesting ramped. */
import { describe, expect, it } from "vitest"
import { defaultWorkforce, hiringPlan, productivity } from "../../sim/staffing/workforce.js"

const months = (fte: number[]) => fte.map((requiredFte, i) => ({ month: `2026-${String(i + 1).padStart(2, "0")}`, requiredFte }))

describe("workforce", () => {
  it("ramps a hire's productivity: nothing while training, 1/1.5 when nesting starts, 1 after", () => {
    expect(productivity(defaultWorkforce, 1)).toBe(0)
    expect(productivity(defaultWorkforce, 3)).toBeCloseTo(1 / 1.5, 12)
    expect(productivity(defaultWorkforce, 9)).toBeCloseTo(1 / 1.25, 12)
    expect(productivity(defaultWorkforce, 15)).toBe(1)
  })

  it("replaces attrition on a steady need, about 2% of the team a month", () => {
    const plan = hiringPlan(months(Array(24).fill(100)), undefined, 100, true)
    const hires = plan.slice(6).reduce((a, m) => a + m.hires, 0) / 18
    expect(hires).toBeGreaterThan(1)
    expect(hires).toBeLessThan(3.5)
    expect(plan.slice(6).every((m) => m.productiveFte > 90)).toBe(true)
    expect(plan[0]!.trainingHours).toBe((100 + plan[0]!.hires) * 3 * 35) // the launch team and the first month's hires train
    expect(hiringPlan(months(Array(3).fill(100)))[0]!.trainingHours).toBe(hiringPlan(months(Array(3).fill(100)))[0]!.hires * 3 * 35) // mid-contract: no launch
  })

  it("hires ahead of a rise so the ramped team meets it", () => {
    const need = [...Array(8).fill(100), ...Array(10).fill(140)]
    const plan = hiringPlan(months(need))
    const firstHire = plan.findIndex((m) => m.hires > 5)
    expect(firstHire).toBeGreaterThanOrEqual(0)
    expect(firstHire).toBeLessThan(8) // before the month the need rises
    expect(plan[12]!.productiveFte).toBeGreaterThan(130)
  })
})
