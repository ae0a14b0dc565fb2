/**
 * The CSV writer: numbers written byte by byte must read exactly as formatNumber writes them,
 * text is quoted by RFC 4180, and chunks handed to a sink are whole UTF-8 (a cell is never cut).
 */
import seedrandom from "seedrandom"
import { describe, expect, it } from "vitest"
import { csvCell, CsvWriter, formatNumber, toCsv, type Cell } from "../../sim/kpi/csv.js"

const expected = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<Cell>>): string =>
  [header, ...rows].map((r) => r.map(csvCell).join(",") + "\r\n").join("")

describe("formatNumber", () => {
  it("writes up to 6 decimals, no exponent, no trailing zeros, nothing for non-finite values", () => {
    expect([0, -0, 7, -7, 1.5, -2.25, 0.1 + 0.2, 0.0000004, 0.0000005, -0.0000004, 123456789.1234567].map(formatNumber)).toEqual([
      "0",
      "0",
      "7",
      "-7",
      "1.5",
      "-2.25",
      "0.3",
      "0",
      "0.000001",
      "0",
      "123456789.123457"
    ])
    expect([NaN, Infinity, -Infinity].map(formatNumber)).toEqual(["", "", ""])
    expect(formatNumber(123456789012.5)).toBe("123456789012.5")
    expect(formatNumber(4503599627370497)).toBe("4503599627370497")
  })

  it("agrees with toFixed(6) on values away from a rounding tie", () => {
    const rng = seedrandom("format")
    for (let i = 0; i < 20_000; i++) {
      const x = (rng() - 0.5) * 10 ** Math.floor(rng() * 12 - 3)
      const fixed = x.toFixed(6).replace(/\.?0+$/, "")
      const f = formatNumber(x)
      if (Math.abs(x * 1e6 - Math.trunc(x * 1e6)) > 0.4999 && Math.abs(x * 1e6 - Math.trunc(x * 1e6)) < 0.5001) continue
      expect(f === "-0" ? "0" : f, `${x}`).toBe(fixed === "-0" ? "0" : fixed)
    }
  })
})

describe("CsvWriter", () => {
  it("writes every number as formatNumber does (integers, decimals, negatives, large, tiny)", () => {
    const rng = seedrandom("writer")
    const rows: number[][] = []
    for (let r = 0; r < 2_000; r++) {
      rows.push(
        Array.from({ length: 8 }, (_, c) => {
          const scale = 10 ** Math.floor(rng() * 20 - 8)
          const x = (rng() - 0.3) * scale
          return c % 3 === 0 ? Math.round(x) : x
        })
      )
    }
    rows.push([0, -0, NaN, Infinity, -Infinity, 1e21, -1e16, 999999999.9999999])
    const header = Array.from({ length: 8 }, (_, c) => `c${c}`)
    expect(toCsv(header, rows)).toBe(expected(header, rows))
  })

  it("quotes text holding a comma, a quote or a line break, and keeps other text as it is", () => {
    const rows: Cell[][] = [["plain", "a,b", 'say "hi"', "two\nlines", "cr\rlf", "é à ç", "€ 3422", ""]]
    expect(toCsv(["h1", "h,2"], rows)).toBe('h1,"h,2"\r\nplain,"a,b","say ""hi""","two\nlines","cr\rlf",é à ç,€ 3422,\r\n')
  })

  it("hands a long table to the sink in chunks of whole UTF-8 cells, which add up to the table", () => {
    const rng = seedrandom("chunks")
    const rows: Cell[][] = []
    for (let r = 0; r < 60_000; r++) rows.push([`motif-é${r}`, rng() * 1000, "Sécurité, ordonnance", r, "€"])
    const header = ["raison", "valeur", "libellé", "n", "devise"]
    const chunks: Uint8Array[] = []
    const decoder = new TextDecoder("utf-8", { fatal: true })
    const w = new CsvWriter({ write: (c) => void chunks.push(typeof c === "string" ? new TextEncoder().encode(c) : Uint8Array.from(c)) }, header)
    for (const row of rows) w.row(row)
    w.flush()
    expect(chunks.length).toBeGreaterThan(2)
    const text = chunks.map((c) => decoder.decode(c)).join("")
    expect(text).toBe(expected(header, rows))
  })

  it("writes a cell of prepared bytes after the others, separated like any cell", () => {
    const out: string[] = []
    const w = new CsvWriter({ write: (c) => void out.push(typeof c === "string" ? c : new TextDecoder().decode(c)) }, ["n", "start"])
    w.num(3)
    w.bytes(new TextEncoder().encode("2026-03-02"), new TextEncoder().encode("T08:30"))
    w.end()
    w.bytes(new TextEncoder().encode("x"))
    w.num(1.25)
    w.end()
    w.flush()
    expect(out.join("")).toBe("n,start\r\n3,2026-03-02T08:30\r\nx,1.25\r\n")
  })
})
