/**
 * Reading CSV exported by spreadsheets, shared by the Annexe 1 forecast and the interval staffing
 * plan: `,` or `;` separators (French exports use `;`), optional quotes with "" escapes, a BOM,
 * CRLF line ends, blank lines skipped. Values come back trimmed, with their 1-based line numbers.
 */

/** The most problems a CSV reader lists before it stops reading (the formatter prints 50 of them). */
export const CSV_PROBLEMS_MAX = 200

/** One line's cells (quoted cells may hold the separator). */
export const splitCsvLine = (line: string, sep: string): string[] => {
  const cells: string[] = []
  let cur = ""
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"'
        i++
      } else if (ch === '"') quoted = false
      else cur += ch
    } else if (ch === '"') quoted = true
    else if (ch === sep) {
      cells.push(cur)
      cur = ""
    } else cur += ch
  }
  cells.push(cur)
  return cells.map((c) => c.trim())
}

export interface CsvTable {
  /** Lower-cased header cells. */
  readonly header: ReadonlyArray<string>
  readonly headerLine: number
  readonly rows: ReadonlyArray<{ readonly line: number; readonly cells: ReadonlyArray<string> }>
}

/** Splits a CSV text into a header and rows; undefined when the file has no non-blank line. */
export const readCsv = (text: string): CsvTable | undefined => {
  const lines = text.replace(/^\ufeff/, "").split(/\r?\n/)
  const h = lines.findIndex((l) => l.trim() !== "")
  if (h < 0) return undefined
  const sep = lines[h]!.includes(";") ? ";" : ","
  const rows: Array<{ line: number; cells: string[] }> = []
  for (let n = h + 1; n < lines.length; n++) if (lines[n]!.trim() !== "") rows.push({ line: n + 1, cells: splitCsvLine(lines[n]!, sep) })
  return { header: splitCsvLine(lines[h]!, sep).map((x) => x.toLowerCase()), headerLine: h + 1, rows }
}

/** "1 424 153", "1424153", "1 424 153,5" -> number; undefined if not a number. */
export const parseFrenchNumber = (s: string): number | undefined => {
  const t = s.replace(/[\s\u00a0\u202f]/g, "")
  if (!/^-?\d+([.,]\d+)?$/.test(t)) return undefined
  return Number(t.replace(",", "."))
}
