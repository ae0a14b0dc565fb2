/**
 * Civil dates as day numbers (days since 1970-01-01), times of day as minutes, and the
 * simulation's time axis: seconds of Paris civil time since the scenario's first day at 00:00.
 *
 * Why civil time and not UTC: the service opens 08:30–17:30 local time every day (CCTP 2.1.2); on
 * a civil axis every day is 24 h and opening hours sit at the same offsets. The daylight-saving
 * changes (Sunday nights, service closed) shift one night hour, which only moves a few calls
 * dissuaded on closure by an hour.
 */

export const DAY_SECONDS = 86_400
const DAY_MS = DAY_SECONDS * 1000

/** "YYYY-MM-DD" -> day number, or undefined when not a real date. */
export const parseDate = (s: string): number | undefined => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return undefined
  const y = Number(m[1])
  const mo = Number(m[2])
  const d = Number(m[3])
  const ms = Date.UTC(y, mo - 1, d)
  const back = new Date(ms)
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined
  return Math.round(ms / DAY_MS)
}

/** Day number of a civil date; months past 12 (or below 1) roll into the next (previous) years. */
export const dayNumber = (y: number, month: number, d: number): number => Math.round(Date.UTC(y, month - 1, d) / DAY_MS)

export interface CivilDate {
  readonly year: number
  /** 1..12 */
  readonly month: number
  /** 1..31 */
  readonly day: number
}

export const civilDate = (dayNum: number): CivilDate => {
  const d = new Date(dayNum * DAY_MS)
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
}

/** Day of week: 0 = Monday … 6 = Sunday. */
export const weekday = (dayNum: number): number => (((dayNum + 3) % 7) + 7) % 7 // 1970-01-01 was a Thursday

const pad2 = (n: number) => String(n).padStart(2, "0")

export const formatDate = (dayNum: number): string => {
  const c = civilDate(dayNum)
  return `${c.year}-${pad2(c.month)}-${pad2(c.day)}`
}

/** "YYYY-MM" of a day. */
export const formatMonth = (dayNum: number): string => {
  const c = civilDate(dayNum)
  return `${c.year}-${pad2(c.month)}`
}

/** ISO week label "YYYY-Www" (weeks start on Monday; week 1 holds the year's first Thursday). */
export const formatIsoWeek = (dayNum: number): string => {
  const thursday = dayNum - weekday(dayNum) + 3
  const year = civilDate(thursday).year
  const week = Math.floor((thursday - dayNumber(year, 1, 1)) / 7) + 1
  return `${year}-W${pad2(week)}`
}

/** "HH:MM" (00:00–24:00) -> minutes since midnight, or undefined. */
export const parseTimeOfDay = (s: string): number | undefined => {
  const m = /^(\d{2}):(\d{2})$/.exec(s)
  if (!m) return undefined
  const h = Number(m[1])
  const mi = Number(m[2])
  if (mi > 59 || h > 24 || (h === 24 && mi !== 0)) return undefined
  return h * 60 + mi
}

/** "YYYY-MM-DDTHH:MM" (Paris civil time) -> { day, minutes }, or undefined. */
export const parseDateTime = (s: string): { day: number; minutes: number } | undefined => {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})$/.exec(s)
  if (!m) return undefined
  const day = parseDate(m[1]!)
  const minutes = parseTimeOfDay(m[2]!)
  return day === undefined || minutes === undefined ? undefined : { day, minutes }
}

/** Days in the month of a day number. */
export const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate()

/** The first day of the month before the month of `dayNum`. */
export const firstOfPreviousMonth = (dayNum: number): number => {
  const c = civilDate(dayNum)
  return dayNumber(c.year, c.month - 1, 1)
}

/** The day `months` calendar months after `dayNum` (same day of the month, rolled over if too short). */
export const addMonths = (dayNum: number, months: number): number => {
  const c = civilDate(dayNum)
  return dayNumber(c.year, c.month + months, c.day)
}

/** A "YYYY-MM-DDTHH:MM" date-time or a "YYYY-MM-DD" date (its midnight) -> { day, minutes }, or undefined. */
export const parseDateOrDateTime = (s: string): { day: number; minutes: number } | undefined => {
  const dt = parseDateTime(s)
  if (dt !== undefined) return dt
  const day = parseDate(s)
  return day === undefined ? undefined : { day, minutes: 0 }
}
