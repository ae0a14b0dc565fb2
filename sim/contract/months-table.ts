/**
 * A month table a user brings, for `ccsim penalties`: the columns of a run's months.csv (or a
 * real month's statistics in the same names), read into the indicators and invoices of
 * ./penalties.ts so the same rules judge them.
 *
 * Columns (header names, any order, `,` or `;`, French numbers accepted): `month` (YYYY-MM,
 * required); the KPIs `answerRate`, `meanWaitSeconds`, `accessibility`, `meanHandleSeconds`,
 * `formsHandledRate`, `formsPerAdvisorDay` (rates as shares: 0.91, not 91%); optionally
 * `planConformity` (or `orderedHours` with `productiveHours`), `qualityCalls`, `qualityTickets`,
 * `qualityForms` (/100), `invoicePhone`, `invoiceForms` (euros; without them no euros) and
 * `suspended` (1 when the 120% rule applies). A missing column leaves its row unjudged (said in
 * the output); an empty cell is "nothing to measure".
 */
import { parseFrenchNumber, readCsv, rowsWhileSensible } from "../domain/csv.js"
import { PENALTY_KEYS, type PenaltyKey } from "../domain/penalties.js"
import { quote, type Problem } from "../domain/problem.js"
import type { Indicators, InvoiceCents } from "./penalties.js"

export interface MonthRow {
  readonly line: number
  readonly month: string
  readonly indicators: Indicators
  readonly invoice: InvoiceCents | null
  readonly suspended: boolean
}

/** The months.csv column each penalty row reads. */
export const INDICATOR_COLUMNS: Readonly<Record<PenaltyKey, string>> = {
  planConformity: "planconformity",
  accessibility: "accessibility",
  answerRate: "answerrate",
  meanWait: "meanwaitseconds",
  handlingTime: "meanhandleseconds",
  qualityCalls: "qualitycalls",
  qualityTickets: "qualitytickets",
  formsHandled: "formshandledrate",
  formsPerAdvisorDay: "formsperadvisorday",
  qualityForms: "qualityforms"
}

export const parseMonthsTable = (text: string, file: string): { rows: MonthRow[]; unjudged: PenaltyKey[]; problems: Problem[] } => {
  const problems: Problem[] = []
  const table = readCsv(text)
  if (table === undefined) return { rows: [], unjudged: [], problems: [{ path: file, message: "the file is empty" }] }
  const col = (name: string) => table.header.indexOf(name.toLowerCase())
  const monthCol = col("month") >= 0 ? col("month") : col("mois")
  if (monthCol < 0) return { rows: [], unjudged: [], problems: [{ path: `${file}:${table.headerLine}`, message: 'no "month" column in the header' }] }
  const ordered = col("orderedhours")
  const productive = col("productivehours")
  const unjudged = PENALTY_KEYS.filter((k) => col(INDICATOR_COLUMNS[k]) < 0 && !(k === "planConformity" && ordered >= 0 && productive >= 0))
  const invoicePhone = col("invoicephone")
  const invoiceForms = col("invoiceforms")
  const suspendedCol = col("suspended")
  const rows: MonthRow[] = []
  for (const { line, cells } of rowsWhileSensible(table, file, problems)) {
    const at = `${file}:${line}`
    const month = (cells[monthCol] ?? "").trim()
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) problems.push({ path: at, message: `month: expected YYYY-MM, got ${quote(month)}` })
    const value = (c: number, name: string): number => {
      if (c < 0) return NaN
      const raw = (cells[c] ?? "").trim()
      if (raw === "") return NaN
      const v = parseFrenchNumber(raw)
      if (v === undefined) {
        problems.push({ path: at, message: `${name}: expected a number, got ${quote(raw)}` })
        return NaN
      }
      return v
    }
    const indicators = Object.fromEntries(PENALTY_KEYS.map((k) => [k, value(col(INDICATOR_COLUMNS[k]), INDICATOR_COLUMNS[k])])) as Record<PenaltyKey, number>
    if (!Number.isFinite(indicators.planConformity) && ordered >= 0 && productive >= 0) {
      const o = value(ordered, "orderedHours")
      indicators.planConformity = o > 0 ? value(productive, "productiveHours") / o : NaN
    }
    const phone = value(invoicePhone, "invoicePhone")
    const forms = value(invoiceForms, "invoiceForms")
    for (const [name, v] of [["invoicePhone", phone], ["invoiceForms", forms]] as const) {
      if (v < 0) problems.push({ path: at, message: `${name}: expected euros >= 0, got ${v}` })
    }
    const invoice = invoicePhone < 0 && invoiceForms < 0 ? null : { phone: Math.round(100 * (Number.isFinite(phone) ? phone : 0)), forms: Math.round(100 * (Number.isFinite(forms) ? forms : 0)) }
    rows.push({ line, month, indicators, invoice, suspended: value(suspendedCol, "suspended") === 1 })
  }
  if (rows.length === 0 && problems.length === 0) problems.push({ path: file, message: "no month rows after the header" })
  return { rows, unjudged, problems }
}
