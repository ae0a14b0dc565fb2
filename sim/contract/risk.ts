/**
 * From judged replications to what a bid team and a planner read: per month, per calendar year
 * and for the whole horizon, the hours ordered and delivered, the invoice, every penalty in
 * euros (mean and 95% interval across replications), and the risk — P(any penalty),
 * P(each indicator's penalty), P(the cap bites), the 90th percentile of the penalty.
 *
 * Invariant: every figure is an estimate over per-replication values (a year's penalty of one
 * replication is the sum of its months); euros are rounded to the cent on output only.
 */
import { estimate, type Estimate } from "../engine/stats.js"
import { PENALTY_KEYS, type PenaltyKey } from "../domain/penalties.js"
import type { Judgement, MonthRecord } from "./judge.js"

/** Cents (exact integers) to euros, rounded to the cent (half a cent up). */
const toEuros = (c: number) => (Number.isFinite(c) ? Math.round(c) / 100 : c)
/** An estimate in euros from per-replication amounts in cents: estimated in cents, then rounded to the cent. */
const euros = (cents: ReadonlyArray<number>): Estimate => {
  const e = estimate(cents, 0.95, { min: 0 })
  return { mean: toEuros(e.mean), ci95: [toEuros(e.ci95[0]), toEuros(e.ci95[1])] }
}
const share = (flags: ReadonlyArray<boolean>): number => (flags.length === 0 ? NaN : flags.filter((x) => x).length / flags.length)
const avg = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)

/** The q-quantile (0..1) of values (linear interpolation between order statistics). */
export const quantile = (values: ReadonlyArray<number>, q: number): number => {
  const xs = values.filter(Number.isFinite).sort((a, b) => a - b)
  if (xs.length === 0) return NaN
  const h = (xs.length - 1) * q
  const lo = Math.floor(h)
  return xs[lo]! + (h - lo) * ((xs[Math.min(lo + 1, xs.length - 1)] ?? xs[lo]!) - xs[lo]!)
}

export interface OrdersSummary {
  readonly orderedHours: number
  readonly orderedPhoneHours: number
  readonly orderedFormsHours: number
  readonly deliveredHours: Estimate
  readonly planConformity: Estimate
  readonly hoursAbove120: Estimate
}

export interface InvoiceSummary {
  readonly phone: Estimate
  readonly forms: Estimate
  readonly total: Estimate
}

export type PenaltiesSummary = { readonly [K in PenaltyKey]: Estimate } & {
  /** What is paid, after the cap. */
  readonly total: Estimate
  /** Share of replications where the cap bit. */
  readonly capped: number
}

export interface RiskSummary {
  /** Share of replications with at least one penalty (in the period). */
  readonly pAnyPenalty: number
  /** Share of replications where the 10% cap bit (null without pricing). */
  readonly pCapped: number | null
  /** 90th percentile of the penalty paid across replications (euros; null without pricing). */
  readonly penaltyP90: number | null
  /** Share of replications where each indicator was penalised. */
  readonly byIndicator: { readonly [K in PenaltyKey]: number }
}

/** What a period (a month, a year, the horizon) gains in summary.json. */
export interface MoneySummary {
  readonly orders: OrdersSummary
  /** Absent without pricing. */
  readonly invoice?: InvoiceSummary
  readonly penalties?: PenaltiesSummary
  /** Invoice − penalties paid (euros). */
  readonly netRevenue?: Estimate
  readonly risk: RiskSummary
}

export interface MonthMoney extends MoneySummary {
  /** Share of replications whose month the 120% rule suspended. */
  readonly suspended: number
}

export interface RollUpMoney extends MoneySummary {
  readonly period: string
  /** Mean number of months (per replication) with a penalty, and suspended by the 120% rule. */
  readonly monthsPenalised: number
  readonly monthsSuspended: number
}

/** One replication's figures over a set of months. */
interface RepTotals {
  ordered: { phone: number; forms: number }
  delivered: number
  above120: number
  invoice: { phone: number; forms: number } | null
  penalties: Record<PenaltyKey, number> | null
  paid: number | null
  triggered: Record<PenaltyKey, boolean>
  any: boolean
  capped: boolean
  monthsPenalised: number
  monthsSuspended: number
}

const totalsOf = (records: ReadonlyArray<MonthRecord>): RepTotals => {
  const t: RepTotals = {
    ordered: { phone: 0, forms: 0 },
    delivered: 0,
    above120: 0,
    invoice: null,
    penalties: null,
    paid: null,
    triggered: Object.fromEntries(PENALTY_KEYS.map((k) => [k, false])) as Record<PenaltyKey, boolean>,
    any: false,
    capped: false,
    monthsPenalised: 0,
    monthsSuspended: 0
  }
  for (const m of records) {
    t.ordered.phone += m.ordered.phone
    t.ordered.forms += m.ordered.forms
    t.delivered += m.delivered.phone + m.delivered.forms
    t.above120 += m.hoursAbove120
    const anyThisMonth = PENALTY_KEYS.some((k) => m.penalty.triggered[k])
    for (const k of PENALTY_KEYS) if (m.penalty.triggered[k]) t.triggered[k] = true
    if (anyThisMonth) t.monthsPenalised++
    if (m.suspended) t.monthsSuspended++
    t.any ||= anyThisMonth
    t.capped ||= m.penalty.capped === true
    if (m.invoice !== null) {
      t.invoice ??= { phone: 0, forms: 0 }
      t.invoice.phone += m.invoice.phone
      t.invoice.forms += m.invoice.forms
      t.penalties ??= Object.fromEntries(PENALTY_KEYS.map((k) => [k, 0])) as Record<PenaltyKey, number>
      for (const k of PENALTY_KEYS) t.penalties[k] += m.penalty.cents![k]
      t.paid = (t.paid ?? 0) + m.penalty.totalCents!
    }
  }
  return t
}

/** The money summary of a set of months, given per replication (reps[r] = that replication's months). */
const summarizeMoney = (reps: ReadonlyArray<ReadonlyArray<MonthRecord>>): MoneySummary & { monthsPenalised: number; monthsSuspended: number } => {
  const totals = reps.map(totalsOf)
  const first = totals[0]
  const orderedPhone = first?.ordered.phone ?? 0
  const orderedForms = first?.ordered.forms ?? 0
  const ordered = orderedPhone + orderedForms
  const hours = (xs: ReadonlyArray<number>) => {
    const e = estimate(xs, 0.95, { min: 0 })
    return e
  }
  const orders: OrdersSummary = {
    orderedHours: ordered,
    orderedPhoneHours: orderedPhone,
    orderedFormsHours: orderedForms,
    deliveredHours: hours(totals.map((t) => t.delivered)),
    planConformity: hours(totals.map((t) => (ordered > 0 ? t.delivered / ordered : NaN))),
    hoursAbove120: hours(totals.map((t) => t.above120))
  }
  const priced = totals.every((t) => t.invoice !== null) && totals.length > 0
  const risk: RiskSummary = {
    pAnyPenalty: share(totals.map((t) => t.any)),
    pCapped: priced ? share(totals.map((t) => t.capped)) : null,
    penaltyP90: priced ? toEuros(quantile(totals.map((t) => t.paid!), 0.9)) : null,
    byIndicator: Object.fromEntries(PENALTY_KEYS.map((k) => [k, share(totals.map((t) => t.triggered[k]))])) as { [K in PenaltyKey]: number }
  }
  const counts = { monthsPenalised: avg(totals.map((t) => t.monthsPenalised)), monthsSuspended: avg(totals.map((t) => t.monthsSuspended)) }
  if (!priced) return { orders, risk, ...counts }
  const invoice: InvoiceSummary = {
    phone: euros(totals.map((t) => t.invoice!.phone)),
    forms: euros(totals.map((t) => t.invoice!.forms)),
    total: euros(totals.map((t) => t.invoice!.phone + t.invoice!.forms))
  }
  const penalties = {
    ...Object.fromEntries(PENALTY_KEYS.map((k) => [k, euros(totals.map((t) => t.penalties![k]))])),
    total: euros(totals.map((t) => t.paid!)),
    capped: share(totals.map((t) => t.capped))
  } as PenaltiesSummary
  const netRevenue = euros(totals.map((t) => t.invoice!.phone + t.invoice!.forms - t.paid!))
  return { orders, invoice, penalties, netRevenue, risk, ...counts }
}

/** The money of each month (in the order of the judgement's months). */
export const monthMoney = (j: Judgement): MonthMoney[] =>
  j.months.map((reps) => {
    const { monthsPenalised: _p, monthsSuspended: _s, ...money } = summarizeMoney(reps.map((m) => [m]))
    return { ...money, suspended: share(reps.map((m) => m.suspended)) }
  })

/** Months by replication, for months whose label passes `keep`. */
const byReplication = (j: Judgement, keep: (month: string) => boolean): MonthRecord[][] => {
  const reps = j.months[0]?.length ?? 0
  return Array.from({ length: reps }, (_, r) => j.months.filter((ms) => keep(ms[0]!.month)).map((ms) => ms[r]!))
}

/** The money of each calendar year ("2026"), then of the whole horizon. */
export const rollUps = (j: Judgement): { years: RollUpMoney[]; horizon: RollUpMoney } => {
  const years = [...new Set(j.months.map((ms) => ms[0]!.month.slice(0, 4)))]
  return {
    years: years.map((y) => ({ period: y, ...summarizeMoney(byReplication(j, (m) => m.startsWith(y))) })),
    horizon: { period: "horizon", ...summarizeMoney(byReplication(j, () => true)) }
  }
}
