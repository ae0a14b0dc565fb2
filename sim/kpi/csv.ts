/**
 * CSV export for spreadsheets (RFC 4180: comma separator, CRLF line ends, fields quoted when they
 * hold a comma, quote or line break). Numbers are written with up to 6 decimals, no exponent,
 * so Excel and LibreOffice read them as numbers.
 *
 * Tables are streamed: a `CsvWriter` hands lines to a sink in chunks of about 1 MB, so a
 * 48-month interval table is never one 20 MB string.
 */

export type Cell = string | number

/** Where CSV text goes (a file, a string being built). */
export interface TextSink {
  write(chunk: string): void
}

/**
 * Up to 6 decimals (rounded half up), trailing zeros and a trailing point removed; "" for NaN and
 * infinities. Below 1e9 in magnitude (every count, second and rate ccsim writes) the digits come
 * from one integer, Math.round(|x| × 1e6) — ~10× faster than toFixed, which a 48-month interval
 * table calls 5 million times; it can differ from toFixed(6) only by one unit of the 6th decimal,
 * for a value within a relative 1e-16 of a rounding tie (and writes 0, not -0, for tiny negatives).
 */
export const formatNumber = (x: number): string => {
  if (!Number.isFinite(x)) return ""
  if (Number.isInteger(x)) return String(x)
  const a = x < 0 ? -x : x
  if (a < 1e9) {
    const n = Math.round(a * 1e6)
    const whole = Math.floor(n / 1e6)
    let frac = n - whole * 1e6
    const sign = x < 0 && n !== 0 ? "-" : ""
    if (frac === 0) return sign + whole
    let digits = 6
    while (frac % 10 === 0) {
      frac /= 10
      digits--
    }
    const f = String(frac)
    return `${sign}${whole}.${f.length < digits ? "0".repeat(digits - f.length) + f : f}`
  }
  const s = x.toFixed(6)
  let end = s.length
  while (s.charCodeAt(end - 1) === 48 /* 0 */) end--
  if (s.charCodeAt(end - 1) === 46 /* . */) end--
  return s.slice(0, end)
}

const quote = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)

export const csvCell = (c: Cell): string => (typeof c === "number" ? formatNumber(c) : quote(c))

const CHUNK_CHARS = 1 << 20

/** Writes a CSV table line by line to a sink, in chunks. */
export class CsvWriter {
  private lines: string[] = []
  private chars = 0

  constructor(
    private readonly sink: TextSink,
    header: ReadonlyArray<string>
  ) {
    this.line(header.map(quote).join(","))
  }

  /** One row of cells. */
  row(cells: ReadonlyArray<Cell>): void {
    this.line(cells.map(csvCell).join(","))
  }

  /** One row already formatted (cells joined by commas, numbers by formatNumber). */
  line(text: string): void {
    this.lines.push(text)
    this.chars += text.length
    if (this.chars >= CHUNK_CHARS) this.flush()
  }

  /** Hands what is buffered to the sink (call once more at the end). */
  flush(): void {
    if (this.lines.length === 0) return
    this.sink.write(this.lines.join("\r\n") + "\r\n")
    this.lines = []
    this.chars = 0
  }
}

/** A sink that keeps the text (for small tables and tests). */
export const stringSink = (): TextSink & { text: () => string } => {
  const parts: string[] = []
  return { write: (chunk) => void parts.push(chunk), text: () => parts.join("") }
}

export const toCsv = (header: ReadonlyArray<string>, rows: Iterable<ReadonlyArray<Cell>>): string => {
  const sink = stringSink()
  const w = new CsvWriter(sink, header)
  for (const row of rows) w.row(row)
  w.flush()
  return sink.text()
}
