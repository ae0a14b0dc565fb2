/**
 * A staffing plan per interval, as a planner's workforce tool exports it: one row per interval
 * start (Paris time) with the advisors logged in per skill. Header: `start` and any of `phone`,
 * `forms`, `both` (any case, any order, extra columns ignored); `,` or `;` separated. `start` is
 * `YYYY-MM-DDTHH:MM`, `YYYY-MM-DD HH:MM` or `DD/MM/YYYY HH:MM`, on the interval grid and inside the
 * horizon. Intervals without a row have nobody. Every problem comes with `file:line`.
 *
 * With `staffing.sites`, every skill column names its site — `phone@lyon`, `both@nantes` (site
 * names in any case) — and the plan also comes per (skill, site) column (`bySite`, for
 * continuity: sim/model/incidents.ts); the per-skill plan is their sum.
 */
import { readCsv, parseFrenchNumber, rowsWhileSensible } from "../domain/csv.js"
import { quote, type Problem } from "../domain/problem.js"
import { IntervalRows } from "./interval-rows.js"
import { GROUP_BLENDED, GROUP_COUNT, GROUP_FORMS, GROUP_PHONE } from "./model.js"

export interface PlanContext {
  readonly firstDay: number
  readonly dayCount: number
  readonly intervalMinutes: number
  /** staffing.sites' names, when listed: every skill column must name one (`phone@lyon`). */
  readonly sites?: ReadonlyArray<string> | undefined
}

/** One (skill, site) column of a plan that names sites. */
export interface SitePlanColumn {
  readonly group: number
  /** Index in staffing.sites. */
  readonly site: number
  readonly column: Int32Array
}

const SKILL_COLUMNS: ReadonlyArray<readonly [string, number]> = [
  ["phone", GROUP_PHONE],
  ["forms", GROUP_FORMS],
  ["both", GROUP_BLENDED]
]

/** Headcount per group and interval over the horizon (and per site column when sites are named), or every problem found. */
export const parsePlanCsv = (
  text: string,
  file: string,
  ctx: PlanContext
): { plan: Int32Array[]; problems: Array<Problem>; bySite: SitePlanColumn[] | null } => {
  const perDay = 1440 / ctx.intervalMinutes
  const plan = Array.from({ length: GROUP_COUNT }, () => new Int32Array(ctx.dayCount * perDay))
  const problems: Array<Problem> = []
  const table = readCsv(text)
  if (table === undefined) return { plan, problems: [{ path: file, message: "the file is empty" }], bySite: null }
  const startCol = table.header.indexOf("start")
  const header = `${file}:${table.headerLine}`
  const sites = ctx.sites?.map((x) => x.toLowerCase())
  const bySite: SitePlanColumn[] = []
  const skills: Array<readonly [number, number, Int32Array | null]> = []
  table.header.forEach((h, i) => {
    const m = /^(phone|forms|both)(?:@(.+))?$/.exec(h)
    if (m === null) return
    const group = SKILL_COLUMNS.find(([name]) => name === m[1])![1]
    if (sites === undefined) {
      if (m[2] !== undefined) problems.push({ path: header, message: `${h}: staffing.sites lists no site` })
      else skills.push([i, group, null])
      return
    }
    const site = m[2] === undefined ? -1 : sites.indexOf(m[2])
    if (site < 0) {
      problems.push({ path: header, message: m[2] === undefined ? `${h}: with staffing.sites, name the site of each column (${h}@${sites[0]})` : `${h}: unknown site "${m[2]}"; expected one of ${sites.join(", ")}` })
      return
    }
    if (bySite.some((c) => c.group === group && c.site === site)) problems.push({ path: header, message: `${h}: the column appears twice` })
    const column = new Int32Array(ctx.dayCount * perDay)
    bySite.push({ group, site, column })
    skills.push([i, group, column])
  })
  const columnProblems = problems.length
  if (startCol < 0) problems.push({ path: header, message: 'no "start" column in the header' })
  if (skills.length === 0 && columnProblems === 0) problems.push({ path: header, message: 'no skill column in the header: give at least one of "phone", "forms", "both"' })
  if (problems.length > 0) return { plan, problems, bySite: null }
  const rows = new IntervalRows(ctx)
  for (const { line, cells } of rowsWhileSensible(table, file, problems)) {
    const at = `${file}:${line}`
    const resolved = rows.resolve(cells[startCol] ?? "", line)
    const interval = typeof resolved === "number" ? resolved : -1
    if (typeof resolved === "string") problems.push({ path: at, message: resolved })
    // The counts are checked whatever the start, so one pass shows every problem of the row.
    for (const [col, group, site] of skills) {
      const value = parseFrenchNumber(cells[col] ?? "")
      if (value === undefined || value < 0 || !Number.isInteger(value) || value >= 2 ** 31) {
        problems.push({ path: at, message: `${table.header[col]}: expected a whole number >= 0, got ${quote(cells[col] ?? "")}` })
      } else if (interval >= 0) {
        if (site === null) plan[group]![interval] = value
        else {
          site[interval] = value
          plan[group]![interval]! += value
        }
      }
    }
  }
  return { plan, problems, bySite: sites === undefined ? null : bySite }
}
