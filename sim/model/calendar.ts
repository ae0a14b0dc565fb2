/**
 * The service calendar: which 15-minute intervals are open, closed as usual (nights, weekends,
 * public holidays), closed exceptionally (counts against accessibility, CCTP 3.3.2) or closed for
 * a technical incident (excluded from accessibility).
 *
 * French public holidays (sim/domain/holidays.ts) close the service unless the scenario says
 * otherwise.
 */
import { weekday } from "../domain/dates.js"
import { frenchPublicHolidays } from "../domain/holidays.js"


/** Interval status codes (Uint8Array values). */
export const OPEN = 0
export const CLOSED = 1
export const CLOSED_EXCEPTIONAL = 2
export const CLOSED_TECHNICAL = 3

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
