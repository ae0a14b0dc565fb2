/**
 * Rows keyed by an interval start, shared by the interval CSVs a planner brings (the staffing
 * plan, ./plancsv.ts; the interval forecast, ./intervals-forecast.ts): the start's formats
 * (`YYYY-MM-DDTHH:MM`, `YYYY-MM-DD HH:MM`, `DD/MM/YYYY HH:MM`, Paris time), the grid, the horizon
 * and duplicates — one message each, with `file:line`.
 */
import { parseDateTime } from "../domain/dates.js"
import { quote } from "../domain/problem.js"

export interface IntervalGridContext {
  readonly firstDay: number
  readonly dayCount: number
  readonly intervalMinutes: number
}

/** "2026-01-05T08:30", "2026-01-05 08:30" or "05/01/2026 08:30" -> { day, minutes }. */
export const parseStart = (s: string): { day: number; minutes: number } | undefined => {
  const m = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}:\d{2})$/.exec(s)
  return parseDateTime(m ? `${m[3]}-${m[2]}-${m[1]}T${m[4]}` : s)
}

/** Resolves interval starts of one file to interval indices, remembering each one's line (duplicates are problems). */
export class IntervalRows {
  private readonly seen = new Map<number, number>()
  private readonly perDay: number

  constructor(private readonly ctx: IntervalGridContext) {
    this.perDay = 1440 / ctx.intervalMinutes
  }

  /** The interval of `raw` at `line`, or the problem's message. */
  resolve(raw: string, line: number): number | string {
    const start = parseStart(raw)
    if (start === undefined) return `start: expected YYYY-MM-DDTHH:MM (or DD/MM/YYYY HH:MM), got ${quote(raw)}`
    if (start.minutes % this.ctx.intervalMinutes !== 0) return `start: ${raw} is not on the ${this.ctx.intervalMinutes}-minute interval grid`
    if (start.day < this.ctx.firstDay || start.day > this.ctx.firstDay + this.ctx.dayCount - 1) return `start: ${raw} is outside the horizon`
    const interval = (start.day - this.ctx.firstDay) * this.perDay + start.minutes / this.ctx.intervalMinutes
    const previous = this.seen.get(interval)
    if (previous !== undefined) return `interval ${raw} appears twice (also line ${previous})`
    this.seen.set(interval, line)
    return interval
  }
}
