/**
 * Periods: days, ISO weeks, months and calendar years of a run's grid (or the whole horizon), as
 * ranges of intervals and of days; column sums over a range; the same for the per-day
 * flow/reason table. Warm-up intervals are left out of every period.
 *
 * Invariant: the periods of one kind are disjoint, in time order, and together cover every
 * interval after the warm-up. Sums always add intervals in time order (so a period's sums are
 * the same numbers, bit for bit, whichever table they are read for).
 */
import { formatDate, formatIsoWeek, formatMonth, parseDate } from "../domain/dates.js"
import type { Sums } from "./cctp.js"
import type { IntervalGrid } from "./grid.js"
import { GROUP_COLUMNS, INTERVAL_COLUMNS, type GroupColumn, type GroupDayTable, type IntervalTable } from "./intervals.js"

export type PeriodKind = "day" | "week" | "month" | "year" | "horizon"

export interface PeriodRange {
  readonly label: string
  /** First interval (inclusive) and last (exclusive). */
  readonly from: number
  readonly to: number
  /** First day index (inclusive) and last (exclusive). */
  readonly fromDay: number
  readonly toDay: number
}

/** The label of day `d` (0-based) in periods of `kind`. Undated grids: "day-1", "week-1", "month-1" (30 days), "year-1" (365 days). */
const labeller = (grid: IntervalGrid, kind: Exclude<PeriodKind, "horizon">): ((d: number) => string) => {
  const first = grid.firstDate === null ? undefined : parseDate(grid.firstDate)
  if (first === undefined) {
    const size = { day: 1, week: 7, month: 30, year: 365 }[kind]
    return (d) => `${kind}-${Math.floor(d / size) + 1}`
  }
  switch (kind) {
    case "day":
      return (d) => formatDate(first + d)
    case "week":
      return (d) => formatIsoWeek(first + d)
    case "month":
      return (d) => formatMonth(first + d)
    case "year":
      return (d) => formatMonth(first + d).slice(0, 4)
  }
}

const rangeCache = new WeakMap<IntervalGrid, Map<PeriodKind, ReadonlyArray<PeriodRange>>>()

/** The periods of `kind` of a grid, warm-up left out (computed once per grid object and kind). */
export const periodRanges = (grid: IntervalGrid, kind: PeriodKind): ReadonlyArray<PeriodRange> => {
  let byKind = rangeCache.get(grid)
  if (byKind === undefined) {
    byKind = new Map()
    rangeCache.set(grid, byKind)
  }
  let ranges = byKind.get(kind)
  if (ranges === undefined) {
    ranges = Object.freeze(computeRanges(grid, kind))
    byKind.set(kind, ranges)
  }
  return ranges
}

const computeRanges = (grid: IntervalGrid, kind: PeriodKind): PeriodRange[] => {
  if (kind === "horizon") {
    if (grid.warmupIntervals >= grid.intervalCount) return []
    return [{ label: "horizon", from: grid.warmupIntervals, to: grid.intervalCount, fromDay: Math.floor(grid.warmupIntervals / grid.intervalsPerDay), toDay: grid.dayCount }]
  }
  const label = labeller(grid, kind)
  const out: PeriodRange[] = []
  const perDay = grid.intervalsPerDay
  for (let d = 0; d < grid.dayCount; d++) {
    const l = label(d)
    const last = out[out.length - 1]
    if (last && last.label === l) out[out.length - 1] = { ...last, to: Math.min((d + 1) * perDay, grid.intervalCount), toDay: d + 1 }
    else out.push({ label: l, from: d * perDay, to: Math.min((d + 1) * perDay, grid.intervalCount), fromDay: d, toDay: d + 1 })
  }
  return out
    .map((p) => ({ ...p, from: Math.max(p.from, grid.warmupIntervals) }))
    .filter((p) => p.from < p.to)
}

/** Column sums of an interval table over [from, to). */
export const sumIntervals = (t: IntervalTable, from = 0, to = t.rows): Sums => {
  const s: Record<string, number> = {}
  for (const c of INTERVAL_COLUMNS) {
    const xs = t[c]
    let v = 0
    for (let i = from; i < to; i++) v += xs[i]!
    s[c] = v
  }
  return s as Sums
}

export type GroupSums = { readonly [K in GroupColumn]: number }

/** Sums of one group's rows over days [fromDay, toDay). */
export const sumGroup = (t: GroupDayTable, group: number, fromDay = 0, toDay = t.days): GroupSums => {
  const s: Record<string, number> = {}
  for (const c of GROUP_COLUMNS) {
    const xs = t[c]
    let v = 0
    for (let d = fromDay; d < toDay; d++) v += xs[d * t.groups + group]!
    s[c] = v
  }
  return s as GroupSums
}
