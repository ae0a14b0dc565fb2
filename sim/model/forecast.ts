/**
 * Forecast -> expected volumes per day -> rates per interval.
 *
 * 1. Periods: the CCTP 7.1 annual volumes (each year over its own date range), or the months of
 *    an Annexe 1 table.
 * 2. A period spreads over its days by monthly weight × weekly weight (public holidays take the
 *    `holiday` weight): expected calls and forms per day.
 * 3. Events rewrite days (media campaigns) or add to them (notification waves).
 * 4. A day spreads over its intervals by the intraday profile (open days) or evenly over daytime
 *    hours (closed days), giving a Poisson rate per interval.
 * Expected volumes are preserved at every step (tests check the sums).
 */
import {
  CLOSED_DAY_HOURS, FORMS_HOURS, FORMS_WEEKLY_PROFILE, INTRADAY_PROFILE, MONTHLY_PROFILE, NOTIFICATION_MEAN_DELAY_DAYS, WEEKDAYS, WEEKLY_PROFILE,
  type Weekday
} from "../domain/assumptions.js"
import { FORECAST_VOLUMES } from "../domain/cctp.js"
import type { MonthRow } from "./annexe1.js"
import { civilDate, dayNumber, daysInMonth, formatDate, parseDate, weekday } from "../domain/dates.js"
import { isPublicHoliday } from "../domain/holidays.js"
import type { DayInfo } from "./calendar.js"

const MONTH_KEYS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] as const

export interface Profiles {
  readonly monthly: Readonly<Record<string, number>>
  readonly weekly: Readonly<Record<Weekday | "holiday", number>>
  /** Weekly weights of contact forms. */
  readonly formsWeekly: Readonly<Record<Weekday | "holiday", number>>
  /**
   * Weights over the day on open days: 24 (hourly), 48 (half-hourly) or 96 (quarter-hourly); one
   * curve for every day, or one per weekday (a weekday left out takes the default curve).
   */
  readonly intraday: ReadonlyArray<number> | Readonly<Partial<Record<Weekday, ReadonlyArray<number>>>>
}

export const defaultProfiles: Profiles = { monthly: MONTHLY_PROFILE, weekly: WEEKLY_PROFILE, formsWeekly: FORMS_WEEKLY_PROFILE, intraday: INTRADAY_PROFILE }

/** A forecast period: total volumes over [fromDay, toDay] (day numbers, inclusive). */
export interface Period {
  readonly fromDay: number
  readonly toDay: number
  readonly calls: number
  readonly forms: number
}

export const cctpPeriods = (): Period[] =>
  FORECAST_VOLUMES.map((v) => ({ fromDay: parseDate(v.from)!, toDay: parseDate(v.to)!, calls: v.calls, forms: v.forms }))

export const csvPeriods = (rows: ReadonlyArray<MonthRow>): Period[] =>
  rows.map((r) => {
    const [y, m] = r.month.split("-").map(Number) as [number, number]
    return { fromDay: dayNumber(y, m, 1), toDay: dayNumber(y, m, daysInMonth(y, m)), calls: r.calls, forms: r.forms }
  })

/** Weight of a day in the weekly profile (holidays take the holiday weight). */
const dayWeight = (weekly: Readonly<Record<Weekday | "holiday", number>>, weekdayIndex: number, holiday: boolean): number =>
  holiday ? weekly.holiday : weekly[WEEKDAYS[weekdayIndex]!]

/** Monthly weight of a day (by its calendar month). */
const monthWeight = (monthly: Profiles["monthly"], day: number): number => monthly[MONTH_KEYS[civilDate(day).month - 1]!] ?? 0

export interface DayCalendar {
  /** Day number of index 0. */
  readonly firstDay: number
  readonly info: DayInfo
  /**
   * Whether the calendar closes on French public holidays: a period's days outside the simulated
   * range are weighed with their holidays too, so a short horizon gets the same daily volumes as
   * the whole year would (default: as `info` says inside the range, no holiday outside).
   */
  readonly publicHolidays?: boolean
}

/**
 * Expected calls and forms for each day of [firstDay, firstDay + dayCount): each period's volume
 * spreads over its days in proportion to monthly weight × weekly weight (calls and forms have
 * their own weekly profiles). With flat monthly weights every working day of a year carries the
 * same volume, and a month's volume follows its number of working days. `weights` gives each
 * simulated day's call weight (for campaigns); `covered` which days a period covers.
 */
export const dailyVolumes = (
  periods: ReadonlyArray<Period>,
  profiles: Profiles,
  cal: DayCalendar,
  dayCount: number,
  scale: number
): { calls: Float64Array; forms: Float64Array; weights: Float64Array; covered: Uint8Array } => {
  const calls = new Float64Array(dayCount)
  const forms = new Float64Array(dayCount)
  const weights = new Float64Array(dayCount)
  const covered = new Uint8Array(dayCount)
  const holidayOf = (day: number) => {
    const i = day - cal.firstDay
    if (i >= 0 && i < dayCount) return cal.info.holiday[i] === 1
    return cal.publicHolidays === true && isPublicHoliday(day)
  }
  const callWeight = (day: number) => monthWeight(profiles.monthly, day) * dayWeight(profiles.weekly, weekday(day), holidayOf(day))
  const formWeight = (day: number) => dayWeight(profiles.formsWeekly, weekday(day), holidayOf(day))
  for (let d = 0; d < dayCount; d++) weights[d] = callWeight(cal.firstDay + d)
  for (const p of periods) {
    // Weights of every day of the period, simulated or not, so a period that straddles the
    // horizon keeps its per-day volume.
    let wCalls = 0
    let wForms = 0
    for (let day = p.fromDay; day <= p.toDay; day++) {
      wCalls += callWeight(day)
      wForms += formWeight(day)
    }
    for (let day = Math.max(p.fromDay, cal.firstDay); day <= p.toDay && day < cal.firstDay + dayCount; day++) {
      const i = day - cal.firstDay
      covered[i] = 1
      if (wCalls > 0) calls[i]! += (scale * p.calls * callWeight(day)) / wCalls
      if (wForms > 0) forms[i]! += (scale * p.forms * formWeight(day)) / wForms
    }
  }
  return { calls, forms, weights, covered }
}

/**
 * Media campaign: days in [from, to] run at the previous calendar month's calls per unit of day
 * weight × multiplier. `previous` gives the previous month's (calls, weight) totals.
 */
export const applyCampaign = (
  calls: Float64Array,
  weights: Float64Array,
  fromIndex: number,
  toIndex: number,
  perWeight: number,
  multiplier: number
): void => {
  for (let i = Math.max(0, fromIndex); i <= toIndex && i < calls.length; i++) calls[i] = perWeight * weights[i]! * multiplier
}

/** Share of responses on day k after the letters (k = 0, 1, …): exponential delay or given shares. */
export const responseShares = (meanDelayDays: number | undefined, dayShares: ReadonlyArray<number> | undefined): number[] => {
  if (dayShares !== undefined) {
    const total = dayShares.reduce((a, b) => a + b, 0)
    return total > 0 ? dayShares.map((x) => x / total) : dayShares.map(() => 0)
  }
  const mu = meanDelayDays ?? NOTIFICATION_MEAN_DELAY_DAYS
  const out: number[] = []
  for (let k = 0; k < 366; k++) {
    const share = Math.exp(-k / mu) - Math.exp(-(k + 1) / mu)
    out.push(share)
    if (1 - Math.exp(-(k + 1) / mu) > 1 - 1e-6) break
  }
  const total = out.reduce((a, b) => a + b, 0)
  return out.map((x) => x / total)
}

/** Adds a notification wave's calls to the days after `dateIndex` (index in the day arrays). */
export const applyWave = (
  calls: Float64Array,
  openDay: Uint8Array,
  dateIndex: number,
  totalCalls: number,
  shares: ReadonlyArray<number>,
  closedDayCalls: "nextOpenDay" | "dissuaded"
): void => {
  shares.forEach((share, k) => {
    let i = dateIndex + k
    if (closedDayCalls === "nextOpenDay") while (i < calls.length && openDay[i] === 0) i++
    if (i >= 0 && i < calls.length) calls[i]! += totalCalls * share
  })
}

/**
 * Interval weights within one day (intervalsPerDay entries, summing to 1) from a profile of n
 * equal slots over the day: each interval takes the weight of the slot(s) it covers, pro rata.
 */
export const intradayWeights = (slots: ReadonlyArray<number>, intervalsPerDay: number): Float64Array => {
  const w = new Float64Array(intervalsPerDay)
  const n = slots.length
  let total = 0
  for (let k = 0; k < intervalsPerDay; k++) {
    // Interval k covers [k, k+1) / intervalsPerDay of the day; slot j covers [j, j+1) / n.
    const a = (k * n) / intervalsPerDay
    const b = ((k + 1) * n) / intervalsPerDay
    let v = 0
    for (let j = Math.floor(a); j < Math.ceil(b) && j < n; j++) v += (slots[j] ?? 0) * (Math.min(b, j + 1) - Math.max(a, j))
    w[k] = v
    total += v
  }
  for (let k = 0; k < intervalsPerDay; k++) w[k] = total > 0 ? w[k]! / total : 1 / intervalsPerDay
  return w
}

/** Even weights over [fromHour, toHour) of the day. */
export const flatWeights = (fromHour: number, toHour: number, intervalsPerDay: number): Float64Array =>
  intradayWeights(Array.from({ length: 24 }, (_, h) => (h >= fromHour && h < toHour ? 1 : 0)), intervalsPerDay)

/** Interval weights of an open day for each weekday (0 = Monday … 6 = Sunday) from one curve or one per weekday. */
export const weekdayIntradayWeights = (intraday: Profiles["intraday"], intervalsPerDay: number): Float64Array[] => {
  if (Array.isArray(intraday)) {
    const w = intradayWeights(intraday as ReadonlyArray<number>, intervalsPerDay)
    return WEEKDAYS.map(() => w)
  }
  const byDay = intraday as Readonly<Partial<Record<Weekday, ReadonlyArray<number>>>>
  const fallback = intradayWeights(INTRADAY_PROFILE, intervalsPerDay)
  return WEEKDAYS.map((d) => (byDay[d] === undefined ? fallback : intradayWeights(byDay[d]!, intervalsPerDay)))
}

/**
 * Per-interval Poisson rates (per second) from daily volumes: an open day spreads over its
 * intervals by its weekday's open-day weights (`openWeights[weekday]`), a closed day by `closedWeights`.
 */
export const intervalRates = (
  dayVolumes: Float64Array,
  openDay: Uint8Array,
  openWeights: ReadonlyArray<Float64Array> | Float64Array,
  closedWeights: Float64Array,
  intervalsPerDay: number,
  intervalSeconds: number,
  intervalCount: number,
  weekdayOf: (d: number) => number = () => 0
): Float64Array => {
  const rates = new Float64Array(intervalCount)
  const open = (d: number): Float64Array => (openWeights instanceof Float64Array ? openWeights : openWeights[weekdayOf(d)]!)
  for (let i = 0; i < intervalCount; i++) {
    const d = Math.floor(i / intervalsPerDay)
    const k = i - d * intervalsPerDay
    const w = openDay[d] === 1 ? open(d)[k]! : closedWeights[k]!
    rates[i] = (dayVolumes[d]! * w) / intervalSeconds
  }
  return rates
}

export const closedDayWeights = (intervalsPerDay: number, hours: { from: number; to: number } = CLOSED_DAY_HOURS) =>
  flatWeights(hours.from, hours.to, intervalsPerDay)
export const formsWeights = (intervalsPerDay: number, hours: { from: number; to: number } = FORMS_HOURS) =>
  flatWeights(hours.from, hours.to, intervalsPerDay)

/** Describes the days no forecast period covers, as date ranges. */
export const uncoveredRanges = (covered: Uint8Array, firstDay: number): string[] => {
  const out: string[] = []
  let i = 0
  while (i < covered.length) {
    if (covered[i] === 1) {
      i++
      continue
    }
    const start = i
    while (i < covered.length && covered[i] === 0) i++
    out.push(start === i - 1 ? formatDate(firstDay + start) : `${formatDate(firstDay + start)}..${formatDate(firstDay + i - 1)}`)
  }
  return out
}
