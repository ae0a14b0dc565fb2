/**
 * The run's tables as spreadsheet sheets: one sheet per CSV table of the run (months, weeks,
 * days, intervals, per flow and per reason, penalties, orders), read from the RFC 4180 files so a
 * sheet holds exactly the CSV's numbers — as numbers, not text. The workbook itself is written
 * with exceljs at the edge (sim/cli/report-xlsx.ts): frozen header, column widths from here.
 *
 * Also French CSV (`--csv-fr`): the same tables for a French Excel — UTF-8 with a BOM, `;`
 * separators, decimal commas.
 */
import { splitCsvLine } from "../sim/domain/csv.js"

/** The CSV tables of a run, in sheet order (those present become sheets). */
export const RUN_TABLES = [
  "months.csv", "weeks.csv", "days.csv", "intervals.csv",
  "months-by-reason.csv", "weeks-by-reason.csv", "days-by-reason.csv",
  "months-by-flow.csv", "weeks-by-flow.csv", "days-by-flow.csv",
  "penalties.csv", "orders.csv"
] as const

export type SheetCell = number | string | null

export interface Sheet {
  /** The sheet's name: the file's name without `.csv` (Excel allows 31 characters). */
  readonly name: string
  readonly header: ReadonlyArray<string>
  readonly rows: ReadonlyArray<ReadonlyArray<SheetCell>>
  /** Column widths in characters (header or widest of the first rows, within 8..28). */
  readonly widths: ReadonlyArray<number>
}

const NUMBER = /^-?\d+(\.\d+)?$/

/** A CSV cell as a sheet cell: numbers (as ccsim writes them: no exponent) as numbers, "" as empty. */
export const sheetCell = (s: string): SheetCell => (s === "" ? null : NUMBER.test(s) ? Number(s) : s)

/** Splits a line of ccsim's CSV (quoted cells only when they hold a comma, quote or line break). */
const cellsOf = (line: string): string[] => (line.includes('"') ? splitCsvLine(line, ",") : line.split(","))

/** One sheet from a CSV table of the run. */
export const sheetFromCsv = (file: string, text: string): Sheet => {
  const lines = text.split("\r\n")
  if (lines[lines.length - 1] === "") lines.pop()
  const header = cellsOf(lines[0] ?? "")
  const rows: SheetCell[][] = []
  for (let i = 1; i < lines.length; i++) rows.push(cellsOf(lines[i]!).map(sheetCell))
  const widths = header.map((h, c) => {
    let w = h.length
    for (let r = 0; r < Math.min(rows.length, 200); r++) {
      const v = rows[r]![c]
      w = Math.max(w, v === null || v === undefined ? 0 : String(v).length)
    }
    return Math.min(28, Math.max(8, w + 2))
  })
  return { name: file.replace(/\.csv$/, "").slice(0, 31), header, rows, widths }
}

const frenchCell = (s: string): string => {
  if (NUMBER.test(s)) return s.replace(".", ",")
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** A table of the run as French CSV: BOM, `;` separators, decimal commas, CRLF. */
export const frenchCsv = (text: string): string => {
  const lines = text.split("\r\n")
  if (lines[lines.length - 1] === "") lines.pop()
  return "\ufeff" + lines.map((l) => cellsOf(l).map(frenchCell).join(";")).join("\r\n") + "\r\n"
}
