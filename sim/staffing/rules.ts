/**
 * The shift rules of a search: the scenario's `staffing.rules` over the defaults (named
 * assumptions) and its opening hours; problems (a window that leaves no shift) with their paths.
 */
import { SHIFT_RULES } from "../domain/assumptions.js"
import { OPENING_HOURS } from "../domain/cctp.js"
import { parseTimeOfDay } from "../domain/dates.js"
import type { Problem } from "../domain/problem.js"
import type { Scenario } from "../../scenarios/schema/scenario.js"
import { shiftCatalogue, type ShiftRules } from "./shifts.js"

export const shiftRules = (scenario: Scenario, intervalMinutes: number): { rules: ShiftRules; problems: Problem[] } => {
  const r = scenario.staffing?.rules
  const cal = scenario.calendar === "always-open" ? undefined : scenario.calendar
  const open = scenario.calendar === "always-open" ? 0 : parseTimeOfDay(cal?.openingHours?.from ?? OPENING_HOURS.from)!
  const close = scenario.calendar === "always-open" ? 1440 : parseTimeOfDay(cal?.openingHours?.to ?? OPENING_HOURS.to)!
  const rules: ShiftRules = {
    lengths: r?.lengths?.map((l) => ({ workedHours: l.workedHours, lunchMinutes: l.lunchMinutes ?? 0 })) ?? SHIFT_RULES.lengths,
    lunchWindow: {
      from: parseTimeOfDay(r?.lunchWindow?.from ?? SHIFT_RULES.lunchWindow.from)!,
      to: parseTimeOfDay(r?.lunchWindow?.to ?? SHIFT_RULES.lunchWindow.to)!
    },
    maxPartTimeShare: r?.maxPartTimeShare ?? SHIFT_RULES.maxPartTimeShare,
    fullTimeHours: r?.fullTimeHours ?? SHIFT_RULES.fullTimeHours,
    earliestStart: r?.earliestStart === undefined ? open : parseTimeOfDay(r.earliestStart)!,
    latestEnd: r?.latestEnd === undefined ? close : parseTimeOfDay(r.latestEnd)!,
    startStepMinutes: r?.startStepMinutes ?? intervalMinutes,
    daysPerWeek: r?.daysPerWeek ?? SHIFT_RULES.daysPerWeek
  }
  const problems: Problem[] = []
  if (rules.startStepMinutes % intervalMinutes !== 0) problems.push({ path: "staffing.rules.startStepMinutes", message: `must be a multiple of the ${intervalMinutes}-minute interval` })
  if (rules.latestEnd <= rules.earliestStart) problems.push({ path: "staffing.rules.latestEnd", message: "must be after earliestStart" })
  if (problems.length === 0 && shiftCatalogue(rules, intervalMinutes).length === 0) {
    problems.push({ path: "staffing.rules", message: "no feasible shift: no length fits between earliestStart and latestEnd with its lunch inside the lunch window" })
  }
  return { rules, problems }
}
