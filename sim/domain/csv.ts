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
  /**
   * The non-blank rows after the header, split as they are read: a reader that stops early (too
   * many problems in a 50 MB file of garbage) never holds the whole file as rows in memory.
   * They can be iterated once.
   */
  readonly rows: Iterable<{ readonly line: number; readonly cells: ReadonlyArray<string> }>
}

/** Splits a CSV text into a header and rows; undefined when the file has no non-blank line. */
export const readCsv = (text: string): CsvTable | undefined => {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  // Lines one at a time, without splitting the whole text: (line number, text without its \r).
  function* lines(): Generator<readonly [number, string]> {
    let start = 0
    for (let n = 1; start <= src.length; n++) {
      let end = src.indexOf("\n", start)
      if (end < 0) end = src.length
      const line = src.slice(start, end > start && src.charCodeAt(end - 1) === 13 ? end - 1 : end)
      yield [n, line]
      start = end + 1
    }
  }
  const it = lines()
  let head: readonly [number, string] | undefined
  for (let next = it.next(); !next.done; next = it.next()) {
    if (next.value[1].trim() !== "") {
      head = next.value
      break
    }
  }
  if (head === undefined) return undefined
  const [headerLine, headerText] = head
  const sep = headerText.includes(";") ? ";" : ","
  const rows: Iterable<{ line: number; cells: string[] }> = {
    *[Symbol.iterator]() {
      for (let next = it.next(); !next.done; next = it.next()) {
        const [line, t] = next.value
        if (t.trim() !== "") yield { line, cells: splitCsvLine(t, sep) }
      }
    }
  }
  return { header: splitCsvLine(headerText, sep).map((x) => x.toLowerCase()), headerLine, rows }
}

/** "1 424 153", "1424153", "1 424 153,5" -> number; undefined if not a number. */
export const parseFrenchNumber = (s: string): number | undefined => {
  const t = s.replace(/[\s\u00a0\u202f]/g, "")
  if (!/^-?\d+([.,]\d+)?$/.test(t)) return undefined
  return Number(t.replace(",", "."))
}

/**
 * The rows of a table, in order, until `problems` holds CSV_PROBLEMS_MAX of them: then one more
 * problem says reading stopped, and the rows end — a file of garbage would otherwise hold millions
 * of problems in memory. Every CSV reader walks its rows through here.
 */
export function* rowsWhileSensible(table: CsvTable, file: string, problems: Array<{ path: string; message: string }>): Generator<{ readonly line: number; readonly cells: ReadonlyArray<string> }> {
  for (const row of table.rows) {
    if (problems.length >= CSV_PROBLEMS_MAX) {
      problems.push({ path: `${file}:${row.line}`, message: `reading stopped: more than ${CSV_PROBLEMS_MAX} problems` })
      return
    }
    yield row
  }
}
