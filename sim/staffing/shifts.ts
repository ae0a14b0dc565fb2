/**
 * Shifts: the catalogue the labour rules allow (lengths, starts on the interval grid within
 * opening hours, a lunch inside its window), and the integer program that covers a day's
 * interval requirements with the fewest paid hours (Atlas; Cezik & L'Ecuyer 2008), solved by
 * HiGHS (./solver.ts) and re-checked here before use.
 *
 * The program for one day type (a month's Mondays, say): n_j advisors scheduled on shift j,
 *   minimise   Σ paidHours_j n_j
 *   subject to Σ_j covers(j, k) n_j (1 − absence) >= required_k      every interval k
 *              Σ_{j part-time} paid_j n_j <= maxPartTimeShare Σ_j paid_j n_j
 *              n_j integer >= 0
 * — absence is covered by headcount (the scheduled advisors' expected presence covers the
 * requirement), not by inflating the requirements.
 *
 * Invariant: a returned plan covers every requirement (checked independently of the solver).
 */
import { SHIFT_RULES } from "../domain/assumptions.js"
import { parseTimeOfDay } from "../domain/dates.js"
import { solveProgram } from "./solver.js"

export interface ShiftRules {
  readonly lengths: ReadonlyArray<{ readonly workedHours: number; readonly lunchMinutes: number }>
  /** Lunch must start and end inside [from, to] (minutes of the day). */
  readonly lunchWindow: { readonly from: number; readonly to: number }
  readonly maxPartTimeShare: number
  readonly fullTimeHours: number
  /** Earliest start and latest end (minutes of the day): opening hours by default. */
  readonly earliestStart: number
  readonly latestEnd: number
  /** Starts every this many minutes (a multiple of the interval). */
  readonly startStepMinutes: number
  readonly daysPerWeek: number
}

/** The default rules within opening hours [open, close) on a grid of `intervalMinutes`. */
export const defaultRules = (open: number, close: number, intervalMinutes: number): ShiftRules => ({
  lengths: SHIFT_RULES.lengths,
  lunchWindow: { from: parseTimeOfDay(SHIFT_RULES.lunchWindow.from)!, to: parseTimeOfDay(SHIFT_RULES.lunchWindow.to)! },
  maxPartTimeShare: SHIFT_RULES.maxPartTimeShare,
  fullTimeHours: SHIFT_RULES.fullTimeHours,
  earliestStart: open,
  latestEnd: close,
  startStepMinutes: intervalMinutes,
  daysPerWeek: SHIFT_RULES.daysPerWeek
})

/** A shift type: start, end, lunch (minutes of the day; lunch −1 when none), worked hours. */
export interface ShiftType {
  readonly start: number
  readonly end: number
  readonly lunchStart: number
  readonly lunchMinutes: number
  readonly workedHours: number
  readonly partTime: boolean
}

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`

/** "08:30–16:30, lunch 12:00" */
export const describeShift = (s: ShiftType): string => `${hhmm(s.start)}–${hhmm(s.end)}${s.lunchStart >= 0 ? `, lunch ${hhmm(s.lunchStart)}` : ""}`
export const shiftTimes = (s: ShiftType) => ({ start: hhmm(s.start), end: hhmm(s.end), lunch: s.lunchStart >= 0 ? hhmm(s.lunchStart) : null })

/** Every shift the rules allow, on a grid of `intervalMinutes`. */
export const shiftCatalogue = (rules: ShiftRules, intervalMinutes: number): ShiftType[] => {
  const out: ShiftType[] = []
  const step = Math.max(intervalMinutes, rules.startStepMinutes)
  for (const len of rules.lengths) {
    const span = len.workedHours * 60 + len.lunchMinutes
    for (let start = rules.earliestStart; start + span <= rules.latestEnd; start += step) {
      const end = start + span
      const base = { start, end, lunchMinutes: len.lunchMinutes, workedHours: len.workedHours, partTime: len.workedHours < rules.fullTimeHours }
      if (len.lunchMinutes === 0) {
        out.push({ ...base, lunchStart: -1 })
        continue
      }
      // Lunch inside its window, not in the shift's first or last hour.
      for (let lunch = Math.max(rules.lunchWindow.from, start + 60); lunch + len.lunchMinutes <= Math.min(rules.lunchWindow.to, end - 60); lunch += step) {
        out.push({ ...base, lunchStart: lunch })
      }
    }
  }
  return out
}

/**
 * The solver stops when its plan is within this share of the best possible (HiGHS's relative MIP
 * gap): 0.5% of a day's paid hours is under one part-time shift, and proving the last fraction
 * optimal costs seconds per day type.
 */
export const RELATIVE_GAP = 0.005

/** Does shift `s` cover the interval starting at minute `m` (of length `intervalMinutes`)? */
export const covers = (s: ShiftType, m: number, intervalMinutes: number): boolean =>
  m >= s.start && m + intervalMinutes <= s.end && !(s.lunchStart >= 0 && m < s.lunchStart + s.lunchMinutes && m + intervalMinutes > s.lunchStart)

export interface DayRequirement {
  /** Minute of the day of each requirement's interval. */
  readonly minutes: ReadonlyArray<number>
  /** Advisors needed present in each interval. */
  readonly required: ReadonlyArray<number>
}

export type ShiftPlanResult =
  | { readonly ok: true; readonly counts: Int32Array; readonly paidHours: number; readonly optimal: boolean }
  | { readonly ok: false; readonly message: string }

/** Checks that scheduled `counts` cover every requirement once absence is taken out. */
export const checkCoverage = (catalogue: ReadonlyArray<ShiftType>, counts: ArrayLike<number>, day: DayRequirement, intervalMinutes: number, absence: number): string | null => {
  for (let k = 0; k < day.minutes.length; k++) {
    let present = 0
    for (let j = 0; j < catalogue.length; j++) if (counts[j]! > 0 && covers(catalogue[j]!, day.minutes[k]!, intervalMinutes)) present += counts[j]!
    if (present * (1 - absence) < day.required[k]! - 1e-9) return `interval ${hhmm(day.minutes[k]!)} has ${present} scheduled for ${day.required[k]} needed present`
  }
  return null
}

/** The fewest paid hours covering a day's requirements with the catalogue's shifts. */
export const planDay = async (catalogue: ReadonlyArray<ShiftType>, day: DayRequirement, rules: ShiftRules, intervalMinutes: number, absence: number): Promise<ShiftPlanResult> => {
  const needed = day.required.some((r) => r > 0)
  if (!needed) return { ok: true, counts: new Int32Array(catalogue.length), paidHours: 0, optimal: true }
  for (let k = 0; k < day.minutes.length; k++) {
    if (day.required[k]! > 0 && !catalogue.some((s) => covers(s, day.minutes[k]!, intervalMinutes))) {
      return { ok: false, message: `no shift the rules allow covers ${hhmm(day.minutes[k]!)} (lengths, earliest start, latest end, lunch window)` }
    }
  }
  const columns = catalogue.map((s, j) => ({ name: `n${j}`, cost: s.workedHours, integer: true }))
  const rows: Array<{ name: string; terms: Array<readonly [number, number]>; sense: ">=" | "<="; bound: number }> = []
  day.minutes.forEach((m, k) => {
    if (day.required[k]! <= 0) return
    // Σ n_j (1 − absence) >= r  ⟺  Σ n_j >= ⌈r / (1 − absence)⌉ for whole n_j: the same
    // constraint, with 0/1 coefficients and an integer bound — a much tighter relaxation.
    const bound = Math.ceil(day.required[k]! / (1 - absence) - 1e-9)
    rows.push({ name: `k${k}`, terms: catalogue.flatMap((s, j) => (covers(s, m, intervalMinutes) ? [[j, 1] as const] : [])), sense: ">=", bound })
  })
  if (catalogue.some((s) => s.partTime) && rules.maxPartTimeShare < 1) {
    rows.push({ name: "partTime", terms: catalogue.map((s, j) => [j, s.workedHours * ((s.partTime ? 1 : 0) - rules.maxPartTimeShare)] as const), sense: "<=", bound: 0 })
  }
  const solved = await solveProgram({ columns, rows }, { relativeGap: RELATIVE_GAP, timeLimitSeconds: 10 })
  if (!("values" in solved)) return { ok: false, message: `the shift program has no solution (${solved.message})` }
  const values = solved.values
  const counts = Int32Array.from(values, (v) => Math.max(0, Math.round(v)))
  const gap = checkCoverage(catalogue, counts, day, intervalMinutes, absence)
  if (gap !== null) return { ok: false, message: `the solver's plan fails the coverage check: ${gap}` }
  return { ok: true, counts, paidHours: catalogue.reduce((a, s, j) => a + s.workedHours * counts[j]!, 0), optimal: solved.status === "optimal" }
}
