/**
 * The money in a run's outputs: summary.json's periods gain `orders`, `invoice`, `penalties`,
 * `netRevenue`, `risk` and `suspended`; the summary gains `years` (calendar years) and
 * `contract` (the terms and the whole horizon's roll-up); two CSV files let anyone recompute —
 * `orders.csv` (per 10-working-day block) and `penalties.csv` (per month and replication, every
 * indicator, base and penalty in euros). Also the status of a KPI against its CCTP target and
 * penalty threshold, for reports.
 */
import { formatDate } from "../domain/dates.js"
import { KPI_TARGETS } from "../domain/cctp.js"
import { PENALTY_KEYS, type PenaltyKey } from "../domain/penalties.js"
import { estimate } from "../engine/stats.js"
import { toCsv, type Cell } from "../kpi/csv.js"
import type { Summary } from "../kpi/summary.js"
import { judge, type JudgeContext, type Judgement } from "./judge.js"
import type { ReplicationTables } from "../kpi/replicas.js"
import { monthMoney, rollUps, type MonthMoney, type RollUpMoney } from "./risk.js"
import { startDate, type AppliedRow, type ContractTerms } from "./terms.js"

export interface ContractSection {
  readonly start: string
  readonly runInMonths: number
  readonly firstPenalisedMonth: string
  readonly orders: "derived" | "csv"
  readonly orderFactor: number
  readonly volumeCapBasis: "calls" | "hours"
  readonly pricing: ContractTerms["pricing"]
  /** The penalty table as applied (CCTP 9 with the scenario's overrides). */
  readonly rules: Readonly<Record<PenaltyKey, { readonly when: string; readonly threshold: number; readonly rate: number; readonly base: string; readonly enabled: boolean }>>
  /** The whole horizon's roll-up. */
  readonly total: RollUpMoney
}

export type SummaryWithMoney = Summary & {
  readonly periods: ReadonlyArray<NonNullable<Summary["periods"]>[number] & MonthMoney>
  readonly years: ReadonlyArray<RollUpMoney>
  readonly contract: ContractSection
}

/** Adds the judgement to a dated summary (its periods are the judgement's months, in order). */
export const withMoney = (summary: Summary, terms: ContractTerms, j: Judgement): SummaryWithMoney => {
  const months = monthMoney(j)
  const periods = (summary.periods ?? []).map((p, i) => {
    const m = months[i]
    if (m === undefined || j.months[i]?.[0]?.month !== p.period) throw new Error(`withMoney: month ${p.period} has no judgement`)
    return { ...p, ...m }
  })
  const { years, horizon } = rollUps(j)
  const { performance, ...head } = summary
  return {
    ...head,
    periods,
    years,
    contract: {
      start: startDate(terms),
      runInMonths: terms.runInMonths,
      firstPenalisedMonth: terms.firstPenalisedMonth,
      orders: terms.orderSource,
      orderFactor: terms.orderFactor,
      volumeCapBasis: terms.volumeCapBasis,
      pricing: terms.pricing,
      rules: Object.fromEntries(
        PENALTY_KEYS.map((k) => {
          const r = terms.rules[k]
          return [k, { when: r.when, threshold: r.threshold, rate: r.rate, base: r.base, enabled: r.enabled }]
        })
      ) as ContractSection["rules"],
      total: horizon
    },
    performance
  }
}

/**
 * Judges a dated run and adds the money to its summary (`ccsim run`, the staffing search, the
 * bid, continuity's paired runs all come here).
 */
export const judgeRun = (
  ctx: JudgeContext,
  summary: Summary,
  outcomes: ReadonlyArray<ReplicationTables>
): { readonly summary: SummaryWithMoney; readonly judgement: Judgement } => {
  const judgement = judge(ctx, outcomes)
  return { summary: withMoney(summary, ctx.terms, judgement), judgement }
}

/** penalties.csv: one row per month and replication — what the judge saw and decided (euros). */
export const penaltiesCsv = (j: Judgement): string => {
  const header = [
    "month", "replication", "afterRunIn", "suspended", "firstAttempts", "basisCalls",
    "orderedPhoneHours", "orderedFormsHours", "deliveredPhoneHours", "deliveredFormsHours", "hoursAbove120", "answered", "formsHandled",
    ...PENALTY_KEYS.map((k) => `indicator_${k}`),
    "invoicePhone", "invoiceForms", "invoiceTotal",
    ...PENALTY_KEYS.map((k) => `penalty_${k}`),
    "penaltiesBeforeCap", "cap", "capped", "penaltyTotal"
  ]
  const money = (c: number | null | undefined): Cell => (c === null || c === undefined ? "" : (c / 100).toFixed(2))
  const rows: Cell[][] = []
  for (const reps of j.months) {
    for (const m of reps) {
      const p = m.penalty
      rows.push([
        m.month, m.replication, m.afterRunIn ? 1 : 0, m.suspended ? 1 : 0, m.firstAttempts, m.basisCalls,
        m.ordered.phone, m.ordered.forms, m.delivered.phone, m.delivered.forms, m.hoursAbove120, m.answered, m.formsHandled,
        ...PENALTY_KEYS.map((k) => m.indicators[k]),
        money(m.invoice?.phone), money(m.invoice?.forms), money(m.invoice === null ? null : m.invoice.phone + m.invoice.forms),
        ...PENALTY_KEYS.map((k) => (p.cents === null ? "" : money(p.cents[k]))),
        money(p.beforeCapCents), money(p.capCents), p.capped === null ? "" : p.capped ? 1 : 0, money(p.totalCents)
      ])
    }
  }
  return toCsv(header, rows)
}

/** orders.csv: one row per 10-working-day block — ordered hours, delivered hours and plan conformity (means and 95% intervals). */
export const ordersCsv = (j: Judgement): string => {
  const header = [
    "block", "from", "to", "orderedPhoneHours", "orderedFormsHours", "orderedHours",
    "deliveredHours", "deliveredHoursLow", "deliveredHoursHigh", "planConformity", "planConformityLow", "planConformityHigh", "hoursAbove120"
  ]
  const rows = j.blocks.map((reps) => {
    const b = reps[0]!
    const ordered = b.ordered.phone + b.ordered.forms
    const delivered = estimate(reps.map((x) => x.delivered.phone + x.delivered.forms), 0.95, { min: 0 })
    const conformity = estimate(reps.map((x) => (ordered > 0 ? (x.delivered.phone + x.delivered.forms) / ordered : NaN)), 0.95, { min: 0 })
    const above = reps.reduce((a, x) => a + x.hoursAbove120, 0) / reps.length
    return [
      b.index, formatDate(b.fromDay), formatDate(b.toDay), b.ordered.phone, b.ordered.forms, ordered,
      delivered.mean, delivered.ci95[0], delivered.ci95[1], conformity.mean, conformity.ci95[0], conformity.ci95[1], above
    ] as Cell[]
  })
  return toCsv(header, rows)
}

/** Where a KPI value stands: the CCTP target met, missed, or the penalty threshold crossed. */
export type KpiStatus = "met" | "targetMissed" | "penalised" | "none"

/** The penalty row and CCTP 3.3.2 target of the KPIs a month table shows. */
const STATUS_OF: Readonly<Record<string, { readonly row?: PenaltyKey; readonly target: number; readonly higherIsBetter: boolean }>> = {
  answerRate: { row: "answerRate", target: KPI_TARGETS.answerRate, higherIsBetter: true },
  meanWaitSeconds: { row: "meanWait", target: KPI_TARGETS.meanWaitSeconds, higherIsBetter: false },
  accessibility: { row: "accessibility", target: KPI_TARGETS.accessibility, higherIsBetter: true },
  meanTalkSeconds: { target: KPI_TARGETS.meanTalkSeconds, higherIsBetter: false },
  meanHandleSeconds: { row: "handlingTime", target: KPI_TARGETS.meanHandleSeconds, higherIsBetter: false },
  availabilityRate: { target: KPI_TARGETS.availabilityRate, higherIsBetter: false },
  formsHandledRate: { row: "formsHandled", target: KPI_TARGETS.formsHandledRate, higherIsBetter: true },
  formsPerAdvisorDay: { row: "formsPerAdvisorDay", target: KPI_TARGETS.formsPerAdvisorDay, higherIsBetter: true },
  planConformity: { row: "planConformity", target: 1, higherIsBetter: true }
}

/**
 * The status of a KPI value (a month's mean): "penalised" when it crosses its penalty row's
 * threshold (with the scenario's overrides), "targetMissed" when it misses its CCTP target
 * (strictly worse), "met" otherwise; "none" for KPIs without a target or an unmeasured value.
 */
export const kpiStatus = (kpi: string, value: number, rules?: Readonly<Record<PenaltyKey, AppliedRow>>): KpiStatus => {
  const s = STATUS_OF[kpi]
  if (s === undefined || !Number.isFinite(value)) return "none"
  if (s.row !== undefined && rules !== undefined) {
    const r = rules[s.row]
    if (r.enabled && (r.when === "below" ? value < r.threshold : value > r.threshold)) return "penalised"
  }
  return (s.higherIsBetter ? value < s.target : value > s.target) ? "targetMissed" : "met"
}
