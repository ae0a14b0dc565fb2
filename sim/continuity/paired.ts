/**
 * The paired comparison: the same scenario run with and without its incidents, with the same
 * seed and replications — common random numbers (every replication's streams are seeded from
 * (seed, replication), and the baseline keeps the sites, plan and absences), so replication r of
 * both runs sees the same callers and the same absent advisors, and their difference is the
 * incident's effect. Each delta is the mean of the per-replication differences (incident −
 * baseline) with a 95% Student-t interval on those differences (engine/stats): much narrower
 * than the difference of two independent means.
 *
 * Periods: the day, ISO week and month that hold the incident's start in each replication (with
 * a random start they differ between replications: the label is then null), and the horizon.
 * Money: the incident month's penalties and invoice and the horizon's, from the contract's judge
 * (sim/contract) per replication, in euros.
 *
 * Invariant: when the incident touches nobody, both runs are identical and every delta is
 * exactly 0 (tested).
 */
import type { Judgement } from "../contract/judge.js"
import { estimate, type Estimate } from "../engine/stats.js"
import { kpis, type Kpis, type Sums } from "../kpi/cctp.js"
import type { RunGrid } from "../kpi/grid.js"
import { periodRanges, sumIntervals, type PeriodKind, type PeriodRange } from "../kpi/periods.js"
import type { ReplicationTables } from "../kpi/replicas.js"

/** The KPIs and counts whose paired differences are reported. */
export const DELTA_KPIS = ["answerRate", "abandonRate", "meanWaitSeconds", "serviceLevel", "accessibility", "formsHandledRate", "productiveHours"] as const
export const DELTA_CALLS = ["offered", "answered", "abandoned", "dissuadedClosure", "dissuadedTelecom", "redials", "formsHandled"] as const

export interface PeriodDelta {
  /** The period's label when it is the same in every replication; null when it varies (random start). */
  readonly period: string | null
  readonly calls: { readonly [K in (typeof DELTA_CALLS)[number]]: Estimate }
  readonly kpi: { readonly [K in (typeof DELTA_KPIS)[number]]: Estimate }
}

export interface MoneyDelta {
  /** Penalties and invoice of the incident's month (€), and of the whole horizon. */
  readonly monthPenalties: Estimate
  readonly monthInvoice: Estimate
  readonly horizonPenalties: Estimate
  readonly horizonInvoice: Estimate
}

/** Mean and 95% interval of paired differences (never clipped: a difference may be negative). */
export const pairedEstimate = (differences: ReadonlyArray<number>): Estimate => estimate(differences, 0.95)

/** The period of `kind` holding interval `i` (undefined in the warm-up). */
export const periodHolding = (grid: RunGrid, kind: PeriodKind, i: number): PeriodRange | undefined =>
  periodRanges(grid, kind).find((p) => p.from <= i && i < p.to)

/** Paired differences over the period of `kind` holding each replication's start interval. */
export const periodDelta = (
  grid: RunGrid,
  incident: ReadonlyArray<ReplicationTables>,
  baseline: ReadonlyArray<ReplicationTables>,
  startIntervals: ReadonlyArray<number>,
  kind: PeriodKind
): PeriodDelta => {
  const labels = new Set<string>()
  const pairs = incident.map((o, r) => {
    const p = periodHolding(grid, kind, startIntervals[r]!)
    if (p === undefined) return null
    labels.add(p.label)
    const a = sumIntervals(o.table, p.from, p.to)
    const b = sumIntervals(baseline[r]!.table, p.from, p.to)
    return { a, b, ka: kpis(a, grid.productiveHoursPerDay), kb: kpis(b, grid.productiveHoursPerDay) }
  })
  const present = pairs.filter((x): x is { a: Sums; b: Sums; ka: Kpis; kb: Kpis } => x !== null)
  return {
    period: labels.size === 1 ? [...labels][0]! : null,
    calls: Object.fromEntries(DELTA_CALLS.map((c) => [c, pairedEstimate(present.map((x) => x.a[c] - x.b[c]))])) as PeriodDelta["calls"],
    kpi: Object.fromEntries(DELTA_KPIS.map((k) => [k, pairedEstimate(present.map((x) => x.ka[k] - x.kb[k]))])) as PeriodDelta["kpi"]
  }
}

/** Penalties and invoice (€) of each replication's month `monthOf(r)`, and of the horizon. */
const money = (j: Judgement, r: number, month: number) => {
  const cents = (m: number) => {
    const rec = j.months[m]![r]!
    return { penalties: rec.penalty.totalCents, invoice: rec.invoice === null ? null : rec.invoice.phone + rec.invoice.forms }
  }
  const inMonth = month >= 0 ? cents(month) : { penalties: null, invoice: null }
  let penalties: number | null = 0
  let invoice: number | null = 0
  for (let m = 0; m < j.months.length; m++) {
    const c = cents(m)
    penalties = penalties === null || c.penalties === null ? null : penalties + c.penalties
    invoice = invoice === null || c.invoice === null ? null : invoice + c.invoice
  }
  return { month: inMonth, horizon: { penalties, invoice } }
}

/** Paired differences of money (€), or null without pricing. */
export const moneyDelta = (grid: RunGrid, incident: Judgement, baseline: Judgement, startIntervals: ReadonlyArray<number>): MoneyDelta | null => {
  const months = periodRanges(grid, "month")
  const rows = startIntervals.map((s, r) => {
    const month = months.findIndex((p) => p.from <= s && s < p.to)
    return { a: money(incident, r, month), b: money(baseline, r, month) }
  })
  if (rows.some((x) => x.a.horizon.invoice === null)) return null
  const diff = (pick: (m: ReturnType<typeof money>) => number | null) => pairedEstimate(rows.map((x) => ((pick(x.a) ?? NaN) - (pick(x.b) ?? NaN)) / 100))
  return {
    monthPenalties: diff((m) => m.month.penalties),
    monthInvoice: diff((m) => m.month.invoice),
    horizonPenalties: diff((m) => m.horizon.penalties),
    horizonInvoice: diff((m) => m.horizon.invoice)
  }
}

/** Per replication: horizon penalties and invoice differences (€), for an incident's cost. */
export const moneyDifferences = (incident: Judgement, baseline: Judgement): Array<{ penalties: number; invoice: number } | null> =>
  (incident.months[0] ?? []).map((_, r) => {
    const a = money(incident, r, -1).horizon
    const b = money(baseline, r, -1).horizon
    if (a.invoice === null || b.invoice === null || a.penalties === null || b.penalties === null) return null
    return { penalties: (a.penalties - b.penalties) / 100, invoice: (a.invoice - b.invoice) / 100 }
  })
