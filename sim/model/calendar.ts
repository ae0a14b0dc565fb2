/**
 * The service calendar: which 15-minute intervals are open, closed as usual (nights, weekends,
 * public holidays), closed exceptionally (counts against accessibility, CCTP 3.3.2) or closed for
 * a technical incident (excluded from accessibility).
 *
 * French public holidays are computed for any year: the fixed ones (1 Jan, 1 May, 8 May, 14 Jul,
 * 15 Aug, 1 Nov, 11 Nov, 25 Dec) and those tied to Easter (Easter Monday, Ascension Thursday,
 * Whit Monday). Assumption: the mainland list — Alsace-Moselle's Good Friday and 26 December
 * are not closures (add them as closures if a site is there).
 */
import { dayNumber, weekday } from "../domain/dates.js"

/** Interval status codes (Uint8Array values). */
export const OPEN = 0
export const CLOSED = 1
export const CLOSED_EXCEPTIONAL = 2
export const CLOSED_TECHNICAL = 3

/** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, "Meeus/Jones/Butcher"). */
export const easterSunday = (year: number): number => {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return dayNumber(year, month, day)
}

/** The 11 French public holidays of a year, as { day number, name }, in date order. */
export const frenchPublicHolidays = (year: number): ReadonlyArray<{ readonly day: number; readonly name: string }> => {
  const easter = easterSunday(year)
  return [
    { day: dayNumber(year, 1, 1), name: "Jour de l'an" },
    { day: easter + 1, name: "Lundi de Pâques" },
    { day: dayNumber(year, 5, 1), name: "Fête du Travail" },
    { day: dayNumber(year, 5, 8), name: "Victoire 1945" },
    { day: easter + 39, name: "Ascension" },
    { day: easter + 50, name: "Lundi de Pentecôte" },
    { day: dayNumber(year, 7, 14), name: "Fête nationale" },
    { day: dayNumber(year, 8, 15), name: "Assomption" },
    { day: dayNumber(year, 11, 1), name: "Toussaint" },
    { day: dayNumber(year, 11, 11), name: "Armistice 1918" },
    { day: dayNumber(year, 12, 25), name: "Noël" }
  ].sort((x, y) => x.day - y.day)
}

export interface CalendarSpec {
  /** First simulated day (day number) — t = 0 is its midnight. */
  readonly firstDay: number
  readonly dayCount: number
  readonly intervalSeconds: number
  /** Open weekdays, 0 = Monday … 6 = Sunday. */
  readonly openWeekdays: ReadonlyArray<number>
  /** Opening and closing time, minutes since midnight. */
  readonly openMinutes: number
  readonly closeMinutes: number
  /** Close on French public holidays. */
  readonly publicHolidays: boolean
  /** Extra closures: [from, to) in seconds on the simulation axis. */
  readonly closures: ReadonlyArray<{ readonly fromSeconds: number; readonly toSeconds: number; readonly kind: "exceptional" | "technical" }>
}

/** Per-day flags: is the service open at all that day, and is it a public holiday. */
export interface DayInfo {
  readonly weekday: Uint8Array
  readonly holiday: Uint8Array
  /** 1 when the day has at least one opening interval before extra closures. */
  readonly openDay: Uint8Array
}

export const dayInfo = (spec: CalendarSpec): DayInfo => {
  const wd = new Uint8Array(spec.dayCount)
  const holiday = new Uint8Array(spec.dayCount)
  const openDay = new Uint8Array(spec.dayCount)
  const holidays = new Set<number>()
  if (spec.publicHolidays) {
    const y0 = new Date(spec.firstDay * 86_400_000).getUTCFullYear()
    const y1 = new Date((spec.firstDay + spec.dayCount) * 86_400_000).getUTCFullYear()
    for (let y = y0; y <= y1; y++) for (const h of frenchPublicHolidays(y)) holidays.add(h.day)
  }
  for (let d = 0; d < spec.dayCount; d++) {
    const day = spec.firstDay + d
    wd[d] = weekday(day)
    holiday[d] = holidays.has(day) ? 1 : 0
    openDay[d] = spec.openWeekdays.includes(wd[d]!) && holiday[d] === 0 && spec.closeMinutes > spec.openMinutes ? 1 : 0
  }
  return { weekday: wd, holiday, openDay }
}

/** Status of every interval (OPEN, CLOSED, CLOSED_EXCEPTIONAL, CLOSED_TECHNICAL). */
export const intervalStatus = (spec: CalendarSpec, days: DayInfo): Uint8Array => {
  const perDay = 86_400 / spec.intervalSeconds
  const n = spec.dayCount * perDay
  const status = new Uint8Array(n).fill(CLOSED)
  for (let d = 0; d < spec.dayCount; d++) {
    if (days.openDay[d] === 0) continue
    for (let k = 0; k < perDay; k++) {
      const startMinutes = (k * spec.intervalSeconds) / 60
      // An interval is open when it lies inside opening hours (hours align on the interval grid).
      if (startMinutes >= spec.openMinutes && startMinutes < spec.closeMinutes) status[d * perDay + k] = OPEN
    }
  }
  for (const c of spec.closures) {
    const from = Math.max(0, Math.floor(c.fromSeconds / spec.intervalSeconds))
    const to = Math.min(n, Math.ceil(c.toSeconds / spec.intervalSeconds))
    for (let i = from; i < to; i++) {
      // Extra closures only matter where the service would have been open.
      if (status[i] === OPEN) status[i] = c.kind === "technical" ? CLOSED_TECHNICAL : CLOSED_EXCEPTIONAL
    }
  }
  return status
}
