/**
 * CSV export for spreadsheets (RFC 4180: comma separator, CRLF line ends, fields quoted when they
 * hold a comma, quote or line break). Numbers are written with up to 6 decimals, no exponent,
 * so Excel and LibreOffice read them as numbers.
 */

export type Cell = string | number

const formatNumber = (x: number): string => {
  if (!Number.isFinite(x)) return ""
  if (Number.isInteger(x)) return String(x)
  return x.toFixed(6).replace(/0+$/, "").replace(/\.$/, "")
}

const quote = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)

export const csvCell = (c: Cell): string => (typeof c === "number" ? formatNumber(c) : quote(c))

export const toCsv = (header: ReadonlyArray<string>, rows: Iterable<ReadonlyArray<Cell>>): string => {
  const lines = [header.map(quote).join(",")]
  for (const row of rows) lines.push(row.map(csvCell).join(","))
  return lines.join("\r\n") + "\r\n"
}
