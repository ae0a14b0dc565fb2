/**
 * CSV export for spreadsheets (RFC 4180: comma separator, CRLF line ends, fields quoted when they
 * hold a comma, quote or line break). Numbers are written with up to 6 decimals, no exponent,
 * so Excel and LibreOffice read them as numbers.
 *
 * Tables are streamed: a `CsvWriter` hands rows to a sink in chunks of about 1 MB, so a
 * 48-month interval table is never one 20 MB string.
 */
import { writeSync } from "node:fs"

export type Cell = string | number

/**
 * Where CSV text goes (a file, a string being built): text, or UTF-8 bytes that are valid only
 * during the call (the writer reuses its buffer: write them out or copy them before returning).
 */
export interface TextSink {
  readonly write: (chunk: string | Uint8Array) => void
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

const CHUNK_BYTES = 1 << 20
const FULL_BYTES = CHUNK_BYTES + 4096
const FIRST_BYTES = 1 << 16
const COMMA = 44
const CR = 13
const LF = 10
const ZERO = 48
const DOT = 46
const MINUS = 45
const encoder = new TextEncoder()
/** "00" to "99" as ASCII bytes, two per number: the tens digit, then the units. */
const PAIRS = Uint8Array.from({ length: 200 }, (_, i) => ZERO + (i % 2 === 0 ? Math.floor(i / 20) : (i >> 1) % 10))

/**
 * Writes a CSV table row by row to a sink, in chunks of about 1 MB. Cells are written as bytes
 * into one reused buffer — digits of numbers straight from their value (the digits formatNumber
 * gives), ASCII text byte by byte, other text as UTF-8 — and each chunk reaches the sink at once: a 48-month
 * interval table (5 million cells) then builds no string per cell, which had made writing it
 * ~2 s of string building and garbage collection. Chunks reach the sink as bytes.
 */
export class CsvWriter {
  /** Starts small (a few-row table costs 64 KB), doubles up to a chunk and a row's slack. */
  private buf = Buffer.allocUnsafe(FIRST_BYTES)
  private pos = 0
  private lineStart = true
  private readonly digits = new Uint8Array(24)

  constructor(
    private readonly sink: TextSink,
    header: ReadonlyArray<string>
  ) {
    for (const h of header) this.text(h)
    this.end()
  }

  /** One row of cells. */
  row(cells: ReadonlyArray<Cell>): void {
    for (const c of cells) {
      if (typeof c === "number") this.num(c)
      else this.text(c)
    }
    this.end()
  }

  /** A number cell, as formatNumber writes it. */
  num(x: number): void {
    this.room(32)
    this.sep()
    if (x === 0) {
      this.buf[this.pos++] = ZERO
      return
    }
    if (!Number.isFinite(x)) return
    const a = x < 0 ? -x : x
    if (Number.isInteger(x)) {
      if (a >= 1e15) return this.ascii(String(x))
      if (x < 0) this.buf[this.pos++] = MINUS
      this.uint(a, 0)
      return
    }
    if (a >= 1e9) return this.ascii(formatNumber(x))
    const n = Math.round(a * 1e6)
    const whole = Math.floor(n / 1e6)
    let frac = n - whole * 1e6
    if (x < 0 && n !== 0) this.buf[this.pos++] = MINUS
    this.uint(whole, 0)
    if (frac === 0) return
    let digits = 6
    while (frac % 10 === 0) {
      frac /= 10
      digits--
    }
    this.buf[this.pos++] = DOT
    this.uint(frac, digits)
  }

  /** A text cell, quoted when it holds a comma, a quote or a line break. */
  text(s: string): void {
    this.sep()
    this.ascii(quote(s))
  }

  /**
   * A cell made of ASCII bytes already checked to need no quoting (no comma, quote or line
   * break), then more such bytes: a dated interval's start as its day's bytes and its time's.
   */
  bytes(head: Uint8Array, tail?: Uint8Array): void {
    this.room(head.length + (tail?.length ?? 0) + 1)
    this.sep()
    this.buf.set(head, this.pos)
    this.pos += head.length
    if (tail === undefined) return
    this.buf.set(tail, this.pos)
    this.pos += tail.length
  }

  /** Ends the row (CRLF); hands a full chunk to the sink. */
  end(): void {
    this.room(2)
    this.buf[this.pos++] = CR
    this.buf[this.pos++] = LF
    this.lineStart = true
    if (this.pos >= CHUNK_BYTES) this.flush()
  }

  /** Hands what is buffered to the sink (call once more at the end). */
  flush(): void {
    if (this.pos === 0) return
    this.sink.write(this.buf.subarray(0, this.pos))
    this.pos = 0
  }

  private sep(): void {
    if (this.lineStart) this.lineStart = false
    else this.buf[this.pos++] = COMMA
  }

  /** The decimal digits of a whole number 0 <= v < 1e15, left-padded with zeros to `width` (two digits a step). */
  private uint(v: number, width: number): void {
    const d = this.digits
    let k = 0
    while (v >= 100) {
      const q = Math.floor(v / 100)
      const r = (v - q * 100) * 2
      d[k++] = PAIRS[r + 1]!
      d[k++] = PAIRS[r]!
      v = q
    }
    if (v >= 10) {
      d[k++] = ZERO + (v % 10)
      d[k++] = ZERO + Math.floor(v / 10)
    } else d[k++] = ZERO + v
    while (k < width) d[k++] = ZERO
    const buf = this.buf
    let pos = this.pos
    while (k > 0) buf[pos++] = d[--k]!
    this.pos = pos
  }

  /** A string as it is (ASCII byte by byte, anything else as UTF-8). */
  private ascii(s: string): void {
    this.room(s.length * 3 + 1)
    const buf = this.buf
    let pos = this.pos
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i)
      if (c >= 128) {
        this.pos += encoder.encodeInto(s, buf.subarray(this.pos)).written
        return
      }
      buf[pos++] = c
    }
    this.pos = pos
  }

  /** Makes room for n more bytes (a chunk goes to the sink; a huge cell grows the buffer). */
  private room(n: number): void {
    const need = this.pos + n + 1
    if (need <= this.buf.length) return
    if (this.buf.length < FULL_BYTES && need <= FULL_BYTES) {
      let size = this.buf.length
      while (size < need) size *= 2
      const grown = Buffer.allocUnsafe(Math.min(size, FULL_BYTES))
      this.buf.copy(grown, 0, 0, this.pos)
      this.buf = grown
      return
    }
    this.flush()
    if (n + 1 > this.buf.length) this.buf = Buffer.allocUnsafe(n + 4096)
  }
}

/** A sink that writes to an open file descriptor at once (whole chunks: a short write goes on). */
export const fileSink = (fd: number): TextSink => ({
  write: (chunk) => {
    if (typeof chunk === "string") return void writeSync(fd, chunk)
    for (let done = 0; done < chunk.length; ) done += writeSync(fd, chunk, done)
  }
})

/** A sink that keeps the text (for small tables and tests). */
export const stringSink = (): TextSink & { text: () => string } => {
  const parts: string[] = []
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true })
  return { write: (chunk) => void parts.push(typeof chunk === "string" ? chunk : decoder.decode(chunk)), text: () => parts.join("") }
}

export const toCsv = (header: ReadonlyArray<string>, rows: Iterable<ReadonlyArray<Cell>>): string => {
  const sink = stringSink()
  const w = new CsvWriter(sink, header)
  for (const row of rows) w.row(row)
  w.flush()
  return sink.text()
}
