/**
 * A staffing plan per interval, as a planner's workforce tool exports it: one row per interval
 * start (Paris time) with the advisors logged in per skill. Header: `start` and any of `phone`,
 * `forms`, `both` (any case, any order, extra columns ignored); `,` or `;` separated. `start` is
 * `YYYY-MM-DDTHH:MM`, `YYYY-MM-DD HH:MM` or `DD/MM/YYYY HH:MM`, on the interval grid and inside the
 * horizon. Intervals without a row have nobody. Every problem comes with `file:line`.
 */
import { readCsv, parseFrenchNumber, rowsWhileSensible } from "../domain/csv.js"
import { quote, type Problem } from "../domain/problem.js"
import { IntervalRows } from "./interval-rows.js"
import { GROUP_BLENDED, GROUP_COUNT, GROUP_FORMS, GROUP_PHONE } from "./model.js"

export interface PlanContext {
  readonly firstDay: number
  readonly dayCount: number
  readonly intervalMinutes: number
}

const SKILL_COLUMNS: ReadonlyArray<readonly [string, number]> = [
  ["phone", GROUP_PHONE],
  ["forms", GROUP_FORMS],
  ["both", GROUP_BLENDED]
]

/** Headcount per group and interval over the horizon, or every problem found. */
export const parsePlanCsv = (text: string, file: string, ctx: PlanContext): { plan: Int32Array[]; problems: Array<Problem> } => {
  const perDay = 1440 / ctx.intervalMinutes
  const plan = Array.from({ length: GROUP_COUNT }, () => new Int32Array(ctx.dayCount * perDay))
  const problems: Array<Problem> = []
  const table = readCsv(text)
  if (table === undefined) return { plan, problems: [{ path: file, message: "the file is empty" }] }
  const startCol = table.header.indexOf("start")
  const skills = SKILL_COLUMNS.map(([name, group]) => [table.header.indexOf(name), group] as const).filter(([i]) => i >= 0)
  if (startCol < 0) problems.push({ path: `${file}:${table.headerLine}`, message: 'no "start" column in the header' })
  if (skills.length === 0) problems.push({ path: `${file}:${table.headerLine}`, message: 'no skill column in the header: give at least one of "phone", "forms", "both"' })
  if (problems.length > 0) return { plan, problems }
  const rows = new IntervalRows(ctx)
  for (const { line, cells } of rowsWhileSensible(table, file, problems)) {
    const at = `${file}:${line}`
    const resolved = rows.resolve(cells[startCol] ?? "", line)
    const interval = typeof resolved === "number" ? resolved : -1
    if (typeof resolved === "string") problems.push({ path: at, message: resolved })
    // The counts are checked whatever the start, so one pass shows every problem of the row.
    for (const [col, group] of skills) {
      const value = parseFrenchNumber(cells[col] ?? "")
      if (value === undefined || value < 0 || !Number.isInteger(value) || value >= 2 ** 31) {
        problems.push({ path: at, message: `${table.header[col]}: expected a whole number >= 0, got ${quote(cells[col] ?? "")}` })
      } else if (interval >= 0) plan[group]![interval] = value
    }
  }
  return { plan, problems }
}
