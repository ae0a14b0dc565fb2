/**
 * Scheduled advisor time per skill group and day, before absence: what the staffing plan puts on
 * the floor. Hour orders derived from the plan (sim/contract, `contract.orders: derived`) are
 * these hours; the simulation's logged-in time (`staffedSeconds`) is what is delivered once
 * absence thins the plan.
 *
 * Invariant: for a plan without absence, the scheduled seconds of a day equal the advisor-seconds
 * the simulation logs that day (tested).
 */
import { GROUP_COUNT, type Model } from "./model.js"

type StaffingOf = Pick<Model, "intervalCount" | "intervalsPerDay" | "intervalSeconds" | "dayCount" | "horizonSeconds" | "staffPlan" | "scheduledPlan" | "staffBlocks" | "constantStaff">

/** Seconds scheduled per group (phone, forms, blended) and day. */
export const scheduledSecondsByDay = (m: StaffingOf): Float64Array[] => {
  const out = Array.from({ length: GROUP_COUNT }, () => new Float64Array(m.dayCount))
  const perDay = m.intervalsPerDay
  const span = m.intervalSeconds
  // The last interval may be cut by the horizon (textbook horizons in hours).
  const length = (i: number) => Math.max(0, Math.min(span, m.horizonSeconds - i * span))
  const plan = m.staffPlan ?? m.scheduledPlan
  if (plan !== null) {
    plan.forEach((column, g) => {
      for (let i = 0; i < m.intervalCount; i++) out[g]![Math.floor(i / perDay)]! += column[i]! * length(i)
    })
    return out
  }
  for (let g = 0; g < GROUP_COUNT; g++) {
    const n = m.constantStaff[g] ?? 0
    if (n > 0) for (let i = 0; i < m.intervalCount; i++) out[g]![Math.floor(i / perDay)]! += n * length(i)
  }
  for (const block of m.staffBlocks) {
    const column = out[block.group]!
    for (let d = 0; d < m.dayCount; d++) {
      const advisors = block.advisorsByDay[d]!
      if (advisors === 0) continue
      for (const [from, to] of block.pieces) {
        for (let k = from; k < to; k++) {
          const i = d * perDay + k
          if (i < m.intervalCount) column[d]! += advisors * length(i)
        }
      }
    }
  }
  return out
}
