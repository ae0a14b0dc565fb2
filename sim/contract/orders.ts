/**
 * Hour orders (CCTP 3.1, 7.2.1.1). A forecast committee meets every 10 working days and orders
 * a *firm* volume of productive hours for the 10 working days starting D+10. ccsim lays the
 * contract's time out in those blocks — 10 working days each, counted from the first working day
 * on or after the contract's start (a block's days run from its first working day to the day
 * before the next block's, weekends and holidays included) — and gives every day its ordered
 * phone and forms hours, from one of two sources:
 * - `derived`: the hours the staffing plan schedules each day, before absence (× orderFactor):
 *   the contractor orders what it plans to staff;
 * - `csv`: the buyer's orders, one row per block (or per day): `from`, `to`, `phoneHours`,
 *   `formsHours`. A block row's hours are spread evenly over its working days (reading: the
 *   CCTP orders "per day and hour"; a block total says nothing finer).
 *
 * Invariant: the orders of a day are >= 0; the blocks of a horizon are disjoint and cover it.
 */
import { parseFrenchNumber, readCsv, rowsWhileSensible } from "../domain/csv.js"
import { formatDate, parseDate } from "../domain/dates.js"
import { isWorkingDay } from "../domain/holidays.js"
import { ORDER_BLOCK_WORKING_DAYS } from "../domain/penalties.js"
import { quote, type Problem } from "../domain/problem.js"

/** A 10-working-day block: days [fromDay, toDay] (day numbers, inclusive). */
export interface OrderBlock {
  /** Block number from the contract's start (1 = the first block; <= 0 before the start). */
  readonly index: number
  readonly fromDay: number
  readonly toDay: number
  readonly workingDays: number
}

/** The first working day on or after `day`. */
const firstWorkingDayFrom = (day: number): number => {
  let d = day
  while (!isWorkingDay(d)) d++
  return d
}

/** The `n`th working day counted from `day` (n = 1: the first working day on or after it). */
const nthWorkingDayFrom = (day: number, n: number): number => {
  let d = day
  for (let seen = 0; ; d++) if (isWorkingDay(d) && ++seen === n) return d
}

/**
 * The blocks that cover days [firstDay, lastDay], aligned on the contract's start: block 1's
 * working days are the first 10 on or after the start, and so on; a block runs from the day
 * after the previous block's last working day to its own last working day (so the weekend
 * before a block belongs to it). A block cut by the horizon keeps its whole day range, so it is
 * the same block whatever the horizon; callers clip.
 */
export const orderBlocks = (contractStart: number, firstDay: number, lastDay: number): OrderBlock[] => {
  const span = ORDER_BLOCK_WORKING_DAYS
  // Last working day of block 0 (the working day before the contract's first working day).
  let previousEnd = firstWorkingDayFrom(contractStart) - 1
  while (!isWorkingDay(previousEnd)) previousEnd--
  let index = 1
  // Before the start: walk back whole blocks until block `index` starts on or before firstDay.
  while (previousEnd >= firstDay) {
    let d = previousEnd
    for (let n = 0; n < span; ) if (isWorkingDay(--d)) n++
    previousEnd = d
    index--
  }
  const blocks: OrderBlock[] = []
  for (;;) {
    const toDay = nthWorkingDayFrom(previousEnd + 1, span)
    if (toDay >= firstDay) blocks.push({ index, fromDay: previousEnd + 1, toDay, workingDays: span })
    if (toDay >= lastDay) break
    previousEnd = toDay
    index++
  }
  return blocks
}

/** Ordered hours per day of the horizon (index 0 = the horizon's first day). */
export interface DailyOrders {
  readonly phoneHours: Float64Array
  readonly formsHours: Float64Array
}

/**
 * `derived` orders: the scheduled advisor time of each day (phone = phone-only and blended
 * advisors — blended advisors are ordered and invoiced as phone hours, reading; forms =
 * forms-only advisors), × orderFactor.
 */
export const derivedOrders = (scheduledSeconds: ReadonlyArray<ArrayLike<number>>, dayCount: number, orderFactor: number): DailyOrders => {
  const [phone, forms, blended] = scheduledSeconds
  const phoneHours = new Float64Array(dayCount)
  const formsHours = new Float64Array(dayCount)
  for (let d = 0; d < dayCount; d++) {
    phoneHours[d] = (((phone?.[d] ?? 0) + (blended?.[d] ?? 0)) / 3600) * orderFactor
    formsHours[d] = ((forms?.[d] ?? 0) / 3600) * orderFactor
  }
  return { phoneHours, formsHours }
}

/** One row of an orders CSV: days [fromDay, toDay] and the hours ordered over them. */
export interface OrderRow {
  readonly line: number
  readonly fromDay: number
  readonly toDay: number
  readonly phoneHours: number
  readonly formsHours: number
}

const HEADER_ALIASES: Record<"from" | "to" | "phoneHours" | "formsHours", ReadonlyArray<string>> = {
  from: ["from", "du", "debut", "début", "date"],
  to: ["to", "au", "fin"],
  phoneHours: ["phonehours", "phone", "heurestelephone", "heures téléphone", "heures telephone", "telephone", "téléphone"],
  formsHours: ["formshours", "forms", "heuresformulaires", "heures formulaires", "formulaires"]
}

/** "YYYY-MM-DD" or "DD/MM/YYYY" -> day number. */
const parseDay = (s: string): number | undefined => {
  const iso = parseDate(s)
  if (iso !== undefined) return iso
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(s)
  return m ? parseDate(`${m[3]}-${m[2]}-${m[1]}`) : undefined
}

const workingDaysIn = (from: number, to: number): number => {
  let n = 0
  for (let d = from; d <= to; d++) if (isWorkingDay(d)) n++
  return n
}

/**
 * Parses the buyer's orders: a header naming `from`, `to` (optional: a one-day row), `phoneHours`
 * and `formsHours` (either may be missing: 0); `,` or `;`, French numbers, dates as YYYY-MM-DD or
 * DD/MM/YYYY. A row is one day (from = to) or one block of exactly 10 working days (the file's
 * last row may be shorter when it ends on the contract's last day). Rows may not overlap and may
 * leave no working day uncovered between the first and the last. Every problem has `file:line`.
 */
export const parseOrdersCsv = (text: string, file: string, contractLastDay: number): { rows: OrderRow[]; problems: Problem[] } => {
  const problems: Problem[] = []
  const table = readCsv(text)
  if (table === undefined) return { rows: [], problems: [{ path: file, message: "the file is empty" }] }
  const col: Record<string, number> = {}
  for (const key of ["from", "to", "phoneHours", "formsHours"] as const) col[key] = table.header.findIndex((h) => HEADER_ALIASES[key].includes(h))
  if (col.from! < 0) problems.push({ path: `${file}:${table.headerLine}`, message: `no "from" column in the header (expected one of ${HEADER_ALIASES.from.join(", ")})` })
  if (col.phoneHours! < 0 && col.formsHours! < 0) problems.push({ path: `${file}:${table.headerLine}`, message: 'no "phoneHours" or "formsHours" column in the header' })
  if (problems.length > 0) return { rows: [], problems }
  const rows: OrderRow[] = []
  for (const { line, cells } of rowsWhileSensible(table, file, problems)) {
    const at = `${file}:${line}`
    const fromRaw = cells[col.from!] ?? ""
    const fromDay = parseDay(fromRaw)
    if (fromDay === undefined) problems.push({ path: at, message: `from: expected YYYY-MM-DD or DD/MM/YYYY, got ${quote(fromRaw)}` })
    const toRaw = col.to! >= 0 ? (cells[col.to!] ?? "") : fromRaw
    const toDay = toRaw === "" ? fromDay : parseDay(toRaw)
    if (toDay === undefined) problems.push({ path: at, message: `to: expected YYYY-MM-DD or DD/MM/YYYY, got ${quote(toRaw)}` })
    const hours = (key: "phoneHours" | "formsHours"): number => {
      if (col[key]! < 0) return 0
      const raw = cells[col[key]!] ?? ""
      if (raw === "") return 0
      const v = parseFrenchNumber(raw)
      if (v === undefined || v < 0) {
        problems.push({ path: at, message: `${key}: expected a number of hours >= 0, got ${quote(raw)}` })
        return 0
      }
      return v
    }
    const phoneHours = hours("phoneHours")
    const formsHours = hours("formsHours")
    if (fromDay === undefined || toDay === undefined) continue
    if (toDay < fromDay) {
      problems.push({ path: at, message: `to (${formatDate(toDay)}) is before from (${formatDate(fromDay)})` })
      continue
    }
    rows.push({ line, fromDay, toDay, phoneHours, formsHours })
  }
  if (rows.length === 0 && problems.length === 0) problems.push({ path: file, message: "no order rows after the header" })
  rows.sort((a, b) => a.fromDay - b.fromDay || a.line - b.line)
  let reach: OrderRow | undefined // the row reaching furthest so far
  rows.forEach((row, i) => {
    const at = `${file}:${row.line}`
    if (row.toDay > row.fromDay) {
      const n = workingDaysIn(row.fromDay, row.toDay)
      const lastShort = i === rows.length - 1 && row.toDay === contractLastDay && n < ORDER_BLOCK_WORKING_DAYS
      if (n !== ORDER_BLOCK_WORKING_DAYS && !lastShort) {
        problems.push({ path: at, message: `${formatDate(row.fromDay)}..${formatDate(row.toDay)} holds ${n} working days; an order covers one day or a block of ${ORDER_BLOCK_WORKING_DAYS} working days (CCTP 7.2.1.1)` })
      }
    }
    if (reach !== undefined) {
      if (row.fromDay <= reach.toDay) {
        problems.push({ path: at, message: `${formatDate(row.fromDay)}..${formatDate(row.toDay)} overlaps line ${reach.line} (${formatDate(reach.fromDay)}..${formatDate(reach.toDay)})` })
      } else {
        const gap = workingDaysIn(reach.toDay + 1, row.fromDay - 1)
        if (gap > 0) problems.push({ path: at, message: `gap: ${gap} working day${gap === 1 ? "" : "s"} between line ${reach.line} (to ${formatDate(reach.toDay)}) and this line (from ${formatDate(row.fromDay)}) have no order` })
      }
    }
    if (reach === undefined || row.toDay > reach.toDay) reach = row
  })
  return { rows, problems }
}

/**
 * Daily orders of days [firstDay, firstDay + dayCount) from CSV rows: a row's hours spread evenly
 * over its working days (a one-day row: on that day, working or not). Working days of the
 * horizon that no row covers are problems at `path`.
 */
export const csvOrders = (rows: ReadonlyArray<OrderRow>, firstDay: number, dayCount: number, path: string): { orders: DailyOrders; problems: Problem[] } => {
  const phoneHours = new Float64Array(dayCount)
  const formsHours = new Float64Array(dayCount)
  const covered = new Uint8Array(dayCount)
  for (const row of rows) {
    const single = row.fromDay === row.toDay
    const n = single ? 1 : workingDaysIn(row.fromDay, row.toDay)
    for (let day = row.fromDay; day <= row.toDay; day++) {
      const d = day - firstDay
      if (d < 0 || d >= dayCount) continue
      covered[d] = 1
      if (!single && !isWorkingDay(day)) continue
      if (n > 0) {
        phoneHours[d]! += row.phoneHours / n
        formsHours[d]! += row.formsHours / n
      }
    }
  }
  const missing: string[] = []
  for (let d = 0; d < dayCount; d++) if (covered[d] === 0 && isWorkingDay(firstDay + d)) missing.push(formatDate(firstDay + d))
  const problems: Problem[] =
    missing.length === 0
      ? []
      : [{ path, message: `no order for ${missing.length} working day${missing.length === 1 ? "" : "s"} of the horizon: ${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ", …" : ""}` }]
  return { orders: { phoneHours, formsHours }, problems }
}
