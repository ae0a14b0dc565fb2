/**
 * The penalties of one month of one replication (CCTP 9), as a pure function of that month's
 * indicators and invoice: the table of rules (sim/domain/penalties.ts, with the scenario's
 * overrides) applied row by row, then the named steps after it — the run-in, the 120% rule,
 * the 10% cap. Euros are integer cents: an invoice is rounded to the cent once, each penalty is
 * rate × its base invoice rounded to the cent, the cap is 10% of the month's invoice rounded to
 * the cent, and totals are sums of cents (exact).
 *
 * Readings taken (README "Money"):
 * - a row triggers when its indicator is strictly beyond its threshold (CCTP: "seuil de
 *   déclenchement"); an indicator with nothing to measure (no call, no form, no order) never
 *   triggers;
 * - the 120% rule suspends the SLA rows of a month; plan conformity (a matter of delivering the
 *   ordered hours) stays;
 * - when the cap bites, each row keeps its amount and `total` is the cap.
 */
import { PENALTY_CAP_SHARE, PENALTY_KEYS, type InvoiceBase, type PenaltyKey } from "../domain/penalties.js"
import type { AppliedRow } from "./terms.js"

/** The value of each row's indicator in a month (NaN: nothing to measure). */
export type Indicators = Readonly<Record<PenaltyKey, number>>

/** A month's production invoice, in cents. */
export interface InvoiceCents {
  readonly phone: number
  readonly forms: number
}

export interface MonthPenaltyInput {
  readonly indicators: Indicators
  /** null: no pricing — rows still trigger, but there are no euros and no cap. */
  readonly invoice: InvoiceCents | null
  /** The month starts on or after the end of the run-in: SLA rows apply. */
  readonly afterRunIn: boolean
  /** The 120% rule suspends SLA rows this month. */
  readonly suspended: boolean
}

export interface MonthPenalty {
  /** Rows whose threshold was crossed and that apply this month. */
  readonly triggered: Readonly<Record<PenaltyKey, boolean>>
  /** Each row's penalty in cents (0 when not triggered); null without pricing. */
  readonly cents: Readonly<Record<PenaltyKey, number>> | null
  /** Sum of the rows, before the cap (cents). */
  readonly beforeCapCents: number | null
  /** 10% of the month's invoice (cents). */
  readonly capCents: number | null
  /** What is paid: min(beforeCap, cap) (cents). */
  readonly totalCents: number | null
  readonly capped: boolean | null
}

/** True when `value` crosses the row's threshold (strictly). */
export const crosses = (row: Pick<AppliedRow, "when" | "threshold">, value: number): boolean =>
  Number.isFinite(value) && (row.when === "below" ? value < row.threshold : value > row.threshold)

/** The invoice a row's rate applies to (cents). */
export const baseCents = (base: InvoiceBase, invoice: InvoiceCents): number =>
  base === "phone" ? invoice.phone : base === "forms" ? invoice.forms : invoice.phone + invoice.forms

/** Applies the rules to one month. */
export const monthPenalties = (rules: Readonly<Record<PenaltyKey, AppliedRow>>, m: MonthPenaltyInput): MonthPenalty => {
  const triggered = {} as Record<PenaltyKey, boolean>
  const cents = {} as Record<PenaltyKey, number>
  let beforeCap = 0
  for (const key of PENALTY_KEYS) {
    const row = rules[key]
    const applies = row.enabled && (row.fromDayOne || (m.afterRunIn && !m.suspended))
    const hit = applies && crosses(row, m.indicators[key])
    triggered[key] = hit
    const c = hit && m.invoice !== null ? Math.round(row.rate * baseCents(row.base, m.invoice)) : 0
    cents[key] = c
    beforeCap += c
  }
  if (m.invoice === null) return { triggered, cents: null, beforeCapCents: null, capCents: null, totalCents: null, capped: null }
  const capCents = Math.round(PENALTY_CAP_SHARE * (m.invoice.phone + m.invoice.forms))
  return { triggered, cents, beforeCapCents: beforeCap, capCents, totalCents: Math.min(beforeCap, capCents), capped: beforeCap > capCents }
}
