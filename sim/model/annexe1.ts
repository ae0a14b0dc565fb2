/**
 * The buyer's monthly forecast table ("Annexe 1 – Prévisionnel mensuel"): one row per month with
 * calls and contact forms received. We do not have the buyer's file, so the reader accepts what a
 * spreadsheet export plausibly looks like:
 * - a header row naming the columns: month|mois, calls|appels, forms|formulaires (any order,
 *   any case; extra columns are ignored);
 * - `,` or `;` as separator (French Excel exports use `;`), optional quotes;
 * - months as `YYYY-MM`, `MM/YYYY` or `YYYY/MM`;
 * - numbers with spaces or non-breaking spaces between thousands and `,` or `.` as decimal mark.
 * Every problem is reported with `file:line` and the column; months must be consecutive, without
 * gaps or duplicates.
 */

import { parseFrenchNumber, readCsv, rowsWhileSensible } from "../domain/csv.js"
import { quote, type Problem } from "../domain/problem.js"


export interface MonthRow {
  /** "YYYY-MM" */
  readonly month: string
  readonly calls: number
  readonly forms: number
}

const HEADER_ALIASES: Record<"month" | "calls" | "forms", ReadonlyArray<string>> = {
  month: ["month", "mois"],
  calls: ["calls", "appels", "appels reçus", "appels recus"],
  forms: ["forms", "formulaires", "formulaires reçus", "formulaires recus"]
}

const parseMonth = (s: string): string | undefined => {
  let m = /^(\d{4})[-/](\d{1,2})$/.exec(s)
  if (m) return valid(Number(m[1]), Number(m[2]))
  m = /^(\d{1,2})\/(\d{4})$/.exec(s)
  if (m) return valid(Number(m[2]), Number(m[1]))
  return undefined
}
const valid = (y: number, mo: number) => (mo >= 1 && mo <= 12 ? `${y}-${String(mo).padStart(2, "0")}` : undefined)

const nextMonth = (m: string): string => {
  const [y, mo] = m.split("-").map(Number) as [number, number]
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, "0")}`
}

/** Parses the table; `file` names it in messages. Returns rows in month order, or problems. */
export const parseAnnexe1 = (text: string, file: string): { rows: MonthRow[]; problems: Problem[] } => {
  const problems: Problem[] = []
  const table = readCsv(text)
  if (table === undefined) return { rows: [], problems: [{ path: file, message: "the file is empty" }] }
  const col = {} as Record<"month" | "calls" | "forms", number>
  for (const key of ["month", "calls", "forms"] as const) {
    const i = table.header.findIndex((h) => HEADER_ALIASES[key].includes(h))
    if (i < 0) problems.push({ path: `${file}:${table.headerLine}`, message: `no "${key}" column in the header (expected one of ${HEADER_ALIASES[key].join(", ")})` })
    col[key] = i
  }
  if (problems.length > 0) return { rows: [], problems }
  const rows: Array<MonthRow & { line: number }> = []
  for (const { line, cells } of rowsWhileSensible(table, file, problems)) {
    const at = `${file}:${line}`
    const month = parseMonth(cells[col.month] ?? "")
    if (month === undefined) problems.push({ path: at, message: `month: expected YYYY-MM or MM/YYYY, got ${quote(cells[col.month] ?? "")}` })
    const num = (key: "calls" | "forms") => {
      const raw = cells[col[key]] ?? ""
      const v = parseFrenchNumber(raw)
      if (v === undefined || v < 0) problems.push({ path: at, message: `${key}: expected a number >= 0, got ${quote(raw)}` })
      return v ?? 0
    }
    const calls = num("calls")
    const forms = num("forms")
    if (month !== undefined) rows.push({ month, calls, forms, line })
  }
  if (rows.length === 0 && problems.length === 0) problems.push({ path: file, message: "no month rows after the header" })
  rows.sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : a.line - b.line))
  for (let i = 1; i < rows.length; i++) {
    const prev = rows[i - 1]!
    const row = rows[i]!
    if (row.month === prev.month) problems.push({ path: `${file}:${row.line}`, message: `month ${row.month} appears twice (also line ${prev.line})` })
    else if (row.month !== nextMonth(prev.month)) {
      problems.push({ path: `${file}:${row.line}`, message: `missing month ${nextMonth(prev.month)}: months must follow each other (line ${prev.line} is ${prev.month}, this line ${row.month})` })
    }
  }
  return { rows: rows.map(({ month, calls, forms }) => ({ month, calls, forms })), problems }
}
