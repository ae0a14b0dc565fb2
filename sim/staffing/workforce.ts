/**
 * Workforce over months: from the FTE a plan needs each month to whom to hire when, and what it
 * costs — attrition, hiring lead time, paid initial training at 0% productivity, and a nesting
 * ramp during which a new hire's handling time falls from ×1.5 to ×1.0 (named assumptions,
 * sim/domain/assumptions.ts WORKFORCE). A deterministic monthly capacity plan, as WFM tools
 * carry: each month, the hires that will be ramped up by the month a hire started now is
 * productive in (training + half the nesting) are sized to that month's need, net of attrition.
 * The simulation's plan is the need; the team in place at the start is trained before it.
 */
import { WORKFORCE } from "../domain/assumptions.js"

export interface WorkforceAssumptions {
  readonly monthlyAttrition: number
  readonly hiringLeadWeeks: number
  readonly trainingWeeks: number
  readonly nestingWeeks: number
  readonly nestingHandleFactor: number
}

export const defaultWorkforce: WorkforceAssumptions = WORKFORCE

export interface WorkforceMonth {
  readonly month: string
  readonly requiredFte: number
  /** Advisors on the payroll (trainees and nesting hires included), at the month's start after leavers. */
  readonly headcount: number
  readonly leavers: number
  /** Hires starting this month (to be recruited `hiringLeadWeeks` before). */
  readonly hires: number
  /** Productive FTE: trained advisors, nesting hires at their productivity. */
  readonly productiveFte: number
  /** Paid training hours of the month (hires in their first weeks). */
  readonly trainingHours: number
}

const WEEKS_PER_MONTH = 52 / 12

/** Productivity (0..1) of a hire `w` weeks after starting (averaged over the month that follows). */
export const productivity = (a: WorkforceAssumptions, weeksSinceStart: number): number => {
  const w = weeksSinceStart - a.trainingWeeks
  if (w < 0) return 0
  if (w >= a.nestingWeeks) return 1
  return 1 / (a.nestingHandleFactor - (a.nestingHandleFactor - 1) * (w / a.nestingWeeks))
}

/** A month's mean productivity of a cohort that started `monthsAgo` months before (0: this month). */
const cohortProductivity = (a: WorkforceAssumptions, monthsAgo: number): number => {
  let s = 0
  const steps = 8
  for (let i = 0; i < steps; i++) s += productivity(a, (monthsAgo + (i + 0.5) / steps) * WEEKS_PER_MONTH)
  return s / steps
}

/** Training hours a cohort is paid in its `monthsAgo`-th month (7 h a working day, 5 days a week). */
const cohortTrainingHours = (a: WorkforceAssumptions, monthsAgo: number): number => {
  const start = monthsAgo * WEEKS_PER_MONTH
  const end = start + WEEKS_PER_MONTH
  return Math.max(0, Math.min(end, a.trainingWeeks) - start) * 35
}

/**
 * The hiring plan for months of required FTE; the first month starts with `initialFte` trained
 * advisors in place. With `launch`, the horizon is the contract's start: that team was trained
 * for it, and its training is costed in the first month's training hours.
 */
export const hiringPlan = (
  months: ReadonlyArray<{ readonly month: string; readonly requiredFte: number }>,
  a: WorkforceAssumptions = defaultWorkforce,
  initialFte = months[0]?.requiredFte ?? 0,
  launch = false
): WorkforceMonth[] => {
  const cohorts: Array<{ start: number; size: number }> = []
  let trained = Math.ceil(initialFte)
  const out: WorkforceMonth[] = []
  months.forEach((m, i) => {
    const leavers = (trained + cohorts.reduce((s, c) => s + c.size, 0)) * a.monthlyAttrition
    // Leavers come from the trained staff first (new hires are counted in their cohorts until ramped).
    trained = Math.max(0, trained - leavers)
    const ramped = cohorts.filter((c) => cohortProductivity(a, i - c.start) >= 1)
    for (const c of ramped) trained += c.size
    for (const c of ramped) cohorts.splice(cohorts.indexOf(c), 1)
    const productive = () => trained + cohorts.reduce((s, c) => s + c.size * cohortProductivity(a, i - c.start), 0)
    // Hire now only what this month still lacks after the ramp of earlier cohorts; a hire starting
    // this month trains first, so the shortfall is met by hiring earlier — look ahead instead.
    let hires = 0
    const ahead = Math.ceil((a.trainingWeeks + a.nestingWeeks / 2) / WEEKS_PER_MONTH)
    const future = months[Math.min(months.length - 1, i + ahead)]!.requiredFte
    const projected = trained * (1 - a.monthlyAttrition) ** ahead + cohorts.reduce((s, c) => s + c.size, 0)
    if (projected < future) hires = Math.ceil(future - projected)
    if (hires > 0) cohorts.push({ start: i, size: hires })
    const trainingHours = cohorts.reduce((s, c) => s + c.size * cohortTrainingHours(a, i - c.start), 0) + (i === 0 && launch ? Math.ceil(initialFte) * a.trainingWeeks * 35 : 0)
    out.push({
      month: m.month,
      requiredFte: m.requiredFte,
      headcount: trained + cohorts.reduce((s, c) => s + c.size, 0),
      leavers,
      hires,
      productiveFte: productive(),
      trainingHours
    })
  })
  return out
}
