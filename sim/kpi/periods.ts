/**
 * Periods: days, ISO weeks and months of the simulated horizon (dated scenarios), as ranges of
 * intervals; column sums over a range; the same for the per-day flow/reason table. Warm-up
 * intervals are left out of every period.
 */
import { formatDate, formatIsoWeek, formatMonth, parseDate } from "../domain/dates.js"
import type { Model } from "../model/model.js"
import { GROUP_COLUMNS, INTERVAL_COLUMNS, type GroupColumn, type GroupDayTable, type IntervalTable } from "./intervals.js"
import type { Sums } from "./cctp.js"

export type PeriodKind = "day" | "week" | "month"

export interface PeriodRange {
  readonly label: string
  /** First interval (inclusive) and last (exclusive). */
  readonly from: number
  readonly to: number
  /** First day index (inclusive) and last (exclusive). */
  readonly fromDay: number
  readonly toDay: number
}

/** Day, week or month ranges of a dated model (undated models: days "day-1", "day-2"…). */
export const periodRanges = (model: Model, kind: PeriodKind): PeriodRange[] => {
  const first = model.firstDate === null ? undefined : parseDate(model.firstDate)
  const label = (d: number): string => {
    if (first === undefined) return kind === "day" ? `day-${d + 1}` : kind === "week" ? `week-${Math.floor(d / 7) + 1}` : `month-${Math.floor(d / 30) + 1}`
    return kind === "day" ? formatDate(first + d) : kind === "week" ? formatIsoWeek(first + d) : formatMonth(first + d)
  }
  const out: PeriodRange[] = []
  const perDay = model.intervalsPerDay
  for (let d = 0; d < model.dayCount; d++) {
    const l = label(d)
    const last = out[out.length - 1]
    if (last && last.label === l) out[out.length - 1] = { ...last, to: Math.min((d + 1) * perDay, model.intervalCount), toDay: d + 1 }
    else out.push({ label: l, from: d * perDay, to: Math.min((d + 1) * perDay, model.intervalCount), fromDay: d, toDay: d + 1 })
  }
  return out
    .map((p) => ({ ...p, from: Math.max(p.from, model.warmupIntervals) }))
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
