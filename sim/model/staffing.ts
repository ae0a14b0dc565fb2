/**
 * Staffing: shifts or a weekly plan -> staff blocks (sim/model/model.ts). A shift's advisors on a
 * day: by month, else by year, else by weekday, else `advisors`. A block is a group of
 * advisors with the same skills working the same pieces of the day; each day it has a number of
 * scheduled advisors (before absence, drawn per replication in ./inputs.ts). Shifts do not run on
 * public holidays when the calendar closes on them (assumption). Times must sit on the interval
 * grid; a problem is reported with the path of the offending field.
 */
import { parseTimeOfDay, formatMonth } from "../domain/dates.js"
import type { DayInfo } from "./calendar.js"
import type { Problem } from "../domain/problem.js"
import { GROUP_BLENDED, GROUP_FORMS, GROUP_PHONE, type StaffBlock } from "./model.js"
import type { Staffing } from "../../scenarios/schema/staffing.js"
import { WEEKDAYS, weekdayIndex } from "../domain/assumptions.js"
import { OPENING_HOURS } from "../domain/cctp.js"

/** Shifts run on the contract's opening days unless they say otherwise (CCTP 2.1.2: Monday to Friday). */
const DEFAULT_DAYS = OPENING_HOURS.days
const GROUP_OF: Record<string, number> = { phone: GROUP_PHONE, forms: GROUP_FORMS, both: GROUP_BLENDED }

export interface StaffingContext {
  readonly firstDay: number
  readonly dayCount: number
  readonly days: DayInfo
  readonly intervalMinutes: number
}


export const compileStaffing = (s: Staffing, ctx: StaffingContext, problems: Problem[]): StaffBlock[] => {
  const blocks: StaffBlock[] = []
  // With staffing.sites, each block carries its site's index (./continuity.ts); without, none does.
  const siteOf = (name: string | undefined): { site?: number } => (s.sites === undefined || name === undefined ? {} : { site: s.sites.findIndex((x) => x.name === name) })
  const slot = (t: string, path: string): number => {
    const minutes = parseTimeOfDay(t)!
    if (minutes % ctx.intervalMinutes !== 0) problems.push({ path, message: `${t} is not on the ${ctx.intervalMinutes}-minute interval grid` })
    return Math.round(minutes / ctx.intervalMinutes)
  }
  const worksOn = (days: ReadonlyArray<string> | undefined, d: number) =>
    // `holiday` is set only when public holidays close the service.
    (days ?? DEFAULT_DAYS).some((w) => weekdayIndex(w) === ctx.days.weekday[d]) && ctx.days.holiday[d] === 0
  ;(s.shifts ?? []).forEach((shift, i) => {
    const at = `staffing.shifts[${i}]`
    const start = slot(shift.start, `${at}.start`)
    const end = slot(shift.end, `${at}.end`)
    const breaks = (shift.breaks ?? [])
      .map((b, k) => {
        const from = slot(b.start, `${at}.breaks[${k}].start`)
        const minutes = parseTimeOfDay(b.start)! + b.minutes
        if (minutes % ctx.intervalMinutes !== 0) problems.push({ path: `${at}.breaks[${k}].minutes`, message: `the break must end on the ${ctx.intervalMinutes}-minute grid` })
        return [from, Math.round(minutes / ctx.intervalMinutes)] as const
      })
      .sort((a, b) => a[0] - b[0])
    const pieces: Array<readonly [number, number]> = []
    let cursor = start
    for (const [from, to] of breaks) {
      if (from > cursor) pieces.push([cursor, from])
      cursor = Math.max(cursor, to)
    }
    if (end > cursor) pieces.push([cursor, end])
    const byMonth = shift.advisorsByMonth ?? {}
    const byYear = shift.advisorsByYear ?? {}
    const byWeekday: Readonly<Record<string, number | undefined>> = shift.advisorsByWeekday ?? {}
    const advisorsByDay = new Int32Array(ctx.dayCount)
    for (let d = 0; d < ctx.dayCount; d++) {
      if (!worksOn(shift.days, d)) continue
      const month = formatMonth(ctx.firstDay + d)
      const day = WEEKDAYS[ctx.days.weekday[d]!]!
      const m = byMonth[month]
      const fromMonth = typeof m === "number" ? m : (m as Readonly<Record<string, number | undefined>> | undefined)?.[day]
      advisorsByDay[d] = fromMonth ?? byYear[month.slice(0, 4)] ?? byWeekday[day] ?? shift.advisors
    }
    blocks.push({ group: GROUP_OF[shift.skills ?? "phone"]!, advisorsByDay, pieces, ...siteOf(shift.site) })
  })
  ;(s.plan ?? []).forEach((row, i) => {
    const at = `staffing.plan[${i}]`
    const from = slot(row.from, `${at}.from`)
    const to = slot(row.to, `${at}.to`)
    for (const skill of ["phone", "forms", "both"] as const) {
      const n = row[skill] ?? 0
      if (n === 0) continue
      const advisorsByDay = new Int32Array(ctx.dayCount)
      for (let d = 0; d < ctx.dayCount; d++) if (worksOn(row.days, d)) advisorsByDay[d] = n
      blocks.push({ group: GROUP_OF[skill]!, advisorsByDay, pieces: [[from, to]], ...siteOf(row.site) })
    }
  })
  return blocks
}
