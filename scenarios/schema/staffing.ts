/**
 * `staffing`: advisors. Either
 * - `shifts` — named shifts (days, start, end, breaks) with a number of advisors, optionally per
 *   year (`advisorsByYear`) and per month (`advisorsByMonth`), and their skills: `phone`, `forms`
 *   or `both` (calls first, forms between calls); shifts of the same `team` (the same people) must
 *   not overlap on a common day — shifts without a team are different people; or
 * - `plan` — a weekly pattern of headcounts per time range and skill (rows giving one skill must
 *   not overlap on a common day); or
 * - `planCsv` — a dated plan per interval (sim/model/plancsv.ts), as workforce tools export it;
 * plus `absence.rate`: the share of scheduled advisors absent on a given day (assumption 8%), and
 * `sites` (./sites.ts): where advisors work — then every shift and plan row names its `site`.
 * Times are Paris civil time on the interval grid (15 minutes by default).
 */
import * as Schema from "effect/Schema"
import { OPENING_HOURS } from "../../sim/domain/cctp.js"
import { parseTimeOfDay } from "../../sim/domain/dates.js"
import { quote } from "../../sim/domain/problem.js"
import { MonthString, TimeOfDay, Weekday, YearString } from "./common.js"
import { Count, PositiveCount, Share } from "./numbers.js"
import { Site, SiteName, siteListIssues } from "./sites.js"

const Skills = Schema.Literals(["phone", "forms", "both"]).annotate({ expected: '"phone", "forms" or "both"' })

export const Break = Schema.Struct({ start: TimeOfDay, minutes: PositiveCount })

/** Advisors per weekday; a weekday left out takes the next rule down. */
const WeekdayCounts = Schema.Struct({
  mon: Schema.optionalKey(Count), tue: Schema.optionalKey(Count), wed: Schema.optionalKey(Count), thu: Schema.optionalKey(Count),
  fri: Schema.optionalKey(Count), sat: Schema.optionalKey(Count), sun: Schema.optionalKey(Count)
}).annotate({ messageUnexpectedKey: "unknown weekday; expected mon, tue, wed, thu, fri, sat or sun" })

export const Shift = Schema.Struct({
  name: Schema.String,
  team: Schema.optionalKey(Schema.String),
  days: Schema.optionalKey(Schema.Array(Weekday)),
  start: TimeOfDay,
  end: TimeOfDay,
  breaks: Schema.optionalKey(Schema.Array(Break)),
  advisors: Count,
  /** Advisors on given weekdays ({ mon: 30, fri: 22 }), overriding `advisors` (a plan shaped on the week's curve). */
  advisorsByWeekday: Schema.optionalKey(WeekdayCounts),
  /** Advisors in given years ("2027": 60), overriding `advisors` and `advisorsByWeekday`. */
  advisorsByYear: Schema.optionalKey(Schema.Record(YearString, Count)),
  /**
   * Advisors in given months ("2027-09": 70, or per weekday "2027-09": { mon: 80, fri: 60 }),
   * overriding the year, the weekday and `advisors` (a weekday a month's entry leaves out falls
   * through to them).
   */
  advisorsByMonth: Schema.optionalKey(Schema.Record(MonthString, Schema.Union([Count, WeekdayCounts]))),
  skills: Schema.optionalKey(Skills),
  /** The site of the shift's advisors (one of staffing.sites; required when sites are listed). */
  site: Schema.optionalKey(SiteName)
}).check(
  Schema.makeFilter((s) => {
    const start = parseTimeOfDay(s.start)!
    const end = parseTimeOfDay(s.end)!
    if (end <= start) return { path: ["end"], issue: `must be after start (${s.start})` }
    const issues: Array<{ path: ReadonlyArray<PropertyKey>; issue: string }> = []
    const breaks = (s.breaks ?? []).map((b, i) => ({ i, from: parseTimeOfDay(b.start)!, to: parseTimeOfDay(b.start)! + b.minutes }))
    for (const b of breaks) {
      if (b.from < start || b.to > end) issues.push({ path: ["breaks", b.i], issue: `must lie inside the shift ${s.start}–${s.end}` })
    }
    const sorted = [...breaks].sort((a, b) => a.from - b.from)
    for (let k = 1; k < sorted.length; k++) {
      if (sorted[k]!.from < sorted[k - 1]!.to) issues.push({ path: ["breaks", sorted[k]!.i], issue: `overlaps break ${sorted[k - 1]!.i}` })
    }
    return issues
  })
)

export const PlanRow = Schema.Struct({
  days: Schema.optionalKey(Schema.Array(Weekday)),
  from: TimeOfDay,
  to: TimeOfDay,
  phone: Schema.optionalKey(Count),
  forms: Schema.optionalKey(Count),
  both: Schema.optionalKey(Count),
  /** The site of the row's advisors (one of staffing.sites; required when sites are listed). */
  site: Schema.optionalKey(SiteName)
}).check(Schema.makeFilter((r) => parseTimeOfDay(r.to)! > parseTimeOfDay(r.from)! || { path: ["to"], issue: `must be after from (${r.from})` }))

/** Shifts run on the contract's opening days unless they say otherwise (CCTP 2.1.2). */
const DEFAULT_DAYS: ReadonlyArray<string> = OPENING_HOURS.days

const minutesOf = (t: string) => parseTimeOfDay(t)!

/** Shifts of the same team that overlap on a common day. */
const overlappingShifts = (shifts: ReadonlyArray<typeof Shift.Type>) => {
  const issues: Array<{ path: ReadonlyArray<PropertyKey>; issue: string }> = []
  shifts.forEach((a, i) => {
    shifts.forEach((b, j) => {
      if (j <= i || a.team === undefined || a.team !== b.team) return
      const days = (a.days ?? DEFAULT_DAYS).filter((d) => (b.days ?? DEFAULT_DAYS).includes(d))
      if (days.length === 0) return
      if (minutesOf(a.start) < minutesOf(b.end) && minutesOf(b.start) < minutesOf(a.end)) {
        issues.push({
          path: ["shifts", j],
          issue: `overlaps shift ${i} (${quote(a.name)}, ${a.start}–${a.end}) of team ${quote(a.team)} on ${days.join(", ")}`
        })
      }
    })
  })
  return issues
}

/** Plan rows that give the same skill on a common day over intersecting times (ambiguous: add up or replace?). */
const overlappingPlanRows = (rows: ReadonlyArray<typeof PlanRow.Type>) => {
  const issues: Array<{ path: ReadonlyArray<PropertyKey>; issue: string }> = []
  rows.forEach((a, i) => {
    rows.forEach((b, j) => {
      if (j <= i || a.site !== b.site) return
      const days = (a.days ?? DEFAULT_DAYS).filter((d) => (b.days ?? DEFAULT_DAYS).includes(d))
      if (days.length === 0 || !(minutesOf(a.from) < minutesOf(b.to) && minutesOf(b.from) < minutesOf(a.to))) return
      const skills = (["phone", "forms", "both"] as const).filter((k) => (a[k] ?? 0) > 0 && (b[k] ?? 0) > 0)
      if (skills.length > 0) {
        issues.push({ path: ["plan", j], issue: `overlaps row ${i} (${a.from}–${a.to}) for ${skills.join(", ")} on ${days.join(", ")}: split the time ranges` })
      }
    })
  })
  return issues
}

/**
 * `staffing.rules`: the shifts a staffing search (`ccsim staff`) may use — CCTP 7.2.1.2's levers.
 * Every field optional (defaults: sim/domain/assumptions.ts SHIFT_RULES, opening hours).
 */
export const ShiftRulesSchema = Schema.Struct({
  /** Shift lengths: worked hours and the unpaid lunch taken inside them (0: none). */
  lengths: Schema.optionalKey(
    Schema.NonEmptyArray(Schema.Struct({ workedHours: PositiveCount.check(Schema.isLessThanOrEqualTo(12, { expected: "at most 12 hours" })), lunchMinutes: Schema.optionalKey(Count) }))
  ),
  /** Lunch starts and ends inside this window. */
  lunchWindow: Schema.optionalKey(Schema.Struct({ from: TimeOfDay, to: TimeOfDay })),
  /** Largest share of paid hours in part-time shifts. */
  maxPartTimeShare: Schema.optionalKey(Share),
  /** Shifts of fewer worked hours are part-time. */
  fullTimeHours: Schema.optionalKey(PositiveCount),
  /** Earliest start and latest end (default: opening hours). */
  earliestStart: Schema.optionalKey(TimeOfDay),
  latestEnd: Schema.optionalKey(TimeOfDay),
  /** Starts every this many minutes (default: the interval). */
  startStepMinutes: Schema.optionalKey(PositiveCount),
  daysPerWeek: Schema.optionalKey(PositiveCount.check(Schema.isLessThanOrEqualTo(7, { expected: "at most 7" })))
})

export const Staffing = Schema.Struct({
  shifts: Schema.optionalKey(Schema.Array(Shift)),
  plan: Schema.optionalKey(Schema.Array(PlanRow)),
  /** A dated plan per interval: CSV with `start` and headcounts per skill (path relative to the scenario). */
  planCsv: Schema.optionalKey(Schema.String),
  absence: Schema.optionalKey(Schema.Struct({ rate: Share })),
  /** The shifts a staffing search may use (`ccsim staff`). */
  rules: Schema.optionalKey(ShiftRulesSchema),
  /** Who leaves when the headcount drops while everyone is busy (default ownCall; README "Assumptions"). */
  shiftEnd: Schema.optionalKey(Schema.Literals(["ownCall", "firstFree"]).annotate({ expected: '"ownCall" or "firstFree"' })),
  /** Where advisors work (./sites.ts); omitted: one site, `main`. */
  sites: Schema.optionalKey(Schema.NonEmptyArray(Site))
}).check(
  Schema.makeFilter((s) => {
    const given = [s.shifts, s.plan, s.planCsv].filter((x) => x !== undefined).length
    if (given !== 1) return given === 0 ? "give shifts, plan or planCsv" : "give one of shifts, plan or planCsv"
    const issues = [...siteIssues(s), ...(s.shifts ? overlappingShifts(s.shifts) : s.plan ? overlappingPlanRows(s.plan) : [])]
    return issues.length > 0 ? issues : undefined
  })
)

/** Sites: unique names; with sites listed, every shift and plan row names one of them; without, none does. */
const siteIssues = (s: {
  readonly sites?: ReadonlyArray<Site>
  readonly shifts?: ReadonlyArray<{ readonly site?: string }>
  readonly plan?: ReadonlyArray<{ readonly site?: string }>
}) => {
  const issues: Array<{ path: ReadonlyArray<PropertyKey>; issue: string }> = s.sites ? siteListIssues(s.sites) : []
  const names = (s.sites ?? []).map((x) => x.name)
  for (const [key, items] of [["shifts", s.shifts ?? []], ["plan", s.plan ?? []]] as const) {
    items.forEach((item, i) => {
      if (s.sites === undefined) {
        if (item.site !== undefined) issues.push({ path: [key, i, "site"], issue: `unknown site "${item.site}": staffing.sites lists no site` })
      } else if (item.site === undefined) issues.push({ path: [key, i, "site"], issue: `missing field: with staffing.sites, say the site (one of ${names.join(", ")})` })
      else if (!names.includes(item.site)) issues.push({ path: [key, i, "site"], issue: `unknown site "${item.site}"; expected one of ${names.join(", ")}` })
    })
  }
  return issues
}

export type Staffing = typeof Staffing.Type
