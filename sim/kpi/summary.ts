/**
 * The run summary (`summary.json`, schemaVersion 1): call counts as means per replication, KPIs
 * as mean + 95% Student-t interval across replications. A pure function of the replications'
 * tables; key order is fixed, so the same inputs always print the same bytes (`performance` aside).
 *
 * Two shapes, both schemaVersion 1 (README "Outputs"):
 * - textbook (undated) scenarios keep the issue-2 shape exactly: calls {offered, answered,
 *   abandoned, inSystemAtEnd}, kpi {answerRate, abandonRate, meanWaitSeconds, serviceLevel, occupancy};
 * - dated scenarios add the CCTP counts and KPIs to `calls` and `kpi` (whole horizon), `from`/`to`,
 *   `periods` (one per month), `byFlow` and `byReason`.
 * KPIs of a period are computed per replication from that replication's sums, then estimated.
 */
import { estimate, type Estimate } from "../engine/stats.js"
import type { Model } from "../model/model.js"
import { KPI_BOUNDS, KPI_NAMES, kpis, type KpiName, type Sums } from "./cctp.js"
import { GROUP_KPI_NAMES, groupKpis, type GroupKpiName } from "./groups.js"
import type { GroupDayTable, IntervalTable } from "./intervals.js"
import { periodRanges, sumGroup, sumIntervals, type GroupSums } from "./periods.js"

export const SUMMARY_SCHEMA_VERSION = 1

export interface ReplicationOutcome {
  readonly totals: { readonly offered: number; readonly events: number }
  readonly table: IntervalTable
  readonly groups: GroupDayTable
}

/** Call counts of the issue-2 summary. */
export const TEXTBOOK_CALLS = ["offered", "answered", "abandoned", "inSystemAtEnd"] as const
export const TEXTBOOK_KPIS = ["answerRate", "abandonRate", "meanWaitSeconds", "serviceLevel", "occupancy"] as const
/** Call counts of a dated summary (whole horizon). */
export const DATED_CALLS = [
  "offered", "answered", "abandoned", "inSystemAtEnd", "dissuadedClosure", "dissuadedTelecom", "dissuadedIvr",
  "transferred", "tickets", "redials", "formsReceived", "formsHandled"
] as const
/** Call counts of a period. */
export const PERIOD_CALLS = ["offered", "answered", "abandoned", "dissuadedClosure", "dissuadedTelecom", "transferred", "redials"] as const
/** KPIs of a period (CCTP 3.3.2). */
export const PERIOD_KPIS = [
  "answerRate", "meanWaitSeconds", "accessibility", "meanTalkSeconds", "meanHandleSeconds", "availabilityRate",
  "transferRate", "formsHandledRate", "formsPerAdvisorDay", "productiveHours"
] as const
export const GROUP_CALLS = ["offered", "answered", "abandoned", "dissuaded", "transferred", "tickets", "redials"] as const

type Counts<K extends string> = { readonly [P in K]: number }
type Estimates<K extends string> = { readonly [P in K]: Estimate }

export interface Period {
  readonly period: string
  readonly calls: Counts<(typeof PERIOD_CALLS)[number]>
  readonly kpi: Estimates<(typeof PERIOD_KPIS)[number]>
}

export interface GroupSummary {
  readonly calls: Counts<(typeof GROUP_CALLS)[number]>
  readonly kpi: Estimates<GroupKpiName>
}

export interface Summary {
  readonly schemaVersion: number
  readonly scenario: string
  readonly seed: number
  readonly replications: number
  readonly from?: string
  readonly to?: string
  readonly calls: Readonly<Record<string, number>>
  readonly kpi: Readonly<Record<string, Estimate>>
  readonly periods?: ReadonlyArray<Period>
  readonly byFlow?: Readonly<Record<string, GroupSummary>>
  readonly byReason?: Readonly<Record<string, GroupSummary>>
  /** Exactly the issue-2 interface: events processed and wall time of the run (not deterministic). */
  readonly performance: { readonly events: number; readonly wallSeconds: number }
}

const avg = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1)
/** Mean of each count across replications. */
export const pickCounts = <K extends string>(keys: ReadonlyArray<K>, rows: ReadonlyArray<Readonly<Record<K, number>>>): Counts<K> =>
  Object.fromEntries(keys.map((k) => [k, avg(rows.map((r) => r[k]))])) as Counts<K>
/** Mean and 95% interval (clipped to the KPI's range) of each KPI across replications. */
export const pickEstimates = <K extends string>(keys: ReadonlyArray<K>, rows: ReadonlyArray<Readonly<Record<K, number>>>): Estimates<K> =>
  Object.fromEntries(keys.map((k) => [k, estimate(rows.map((r) => r[k]), 0.95, KPI_BOUNDS[k])])) as Estimates<K>

/** KPIs of each replication over intervals [from, to). */
export const replicationKpis = (model: Model, o: ReplicationOutcome, from: number, to: number) =>
  kpis(sumIntervals(o.table, from, to), model.productiveHoursPerDay)

const groupCounts = (s: GroupSums): Counts<(typeof GROUP_CALLS)[number]> => ({
  offered: s.offered,
  answered: s.answered,
  abandoned: s.abandoned,
  dissuaded: s.dissuadedClosure + s.dissuadedTelecom + s.dissuadedIvr,
  transferred: s.transferred,
  tickets: s.tickets,
  redials: s.redials
})

/** Summary of a group (flow or reason) over days [fromDay, toDay) across replications. */
export const groupSummary = (outcomes: ReadonlyArray<ReplicationOutcome>, group: number, fromDay: number, toDay: number): GroupSummary => {
  const sums = outcomes.map((o) => sumGroup(o.groups, group, fromDay, toDay))
  return {
    calls: pickCounts(GROUP_CALLS, sums.map(groupCounts)),
    kpi: pickEstimates(GROUP_KPI_NAMES, sums.map(groupKpis))
  }
}

/**
 * @param wallSeconds wall-clock time of the whole run, for the performance block.
 */
export const summarize = (model: Model, seed: number, outcomes: ReadonlyArray<ReplicationOutcome>, wallSeconds: number): Summary => {
  const from = model.warmupIntervals
  const to = model.intervalCount
  const sums: Sums[] = outcomes.map((o) => sumIntervals(o.table, from, to))
  const perRep = sums.map((s) => kpis(s, model.productiveHoursPerDay))
  const performance = { events: outcomes.reduce((a, o) => a + o.totals.events, 0), wallSeconds }
  const head = { schemaVersion: SUMMARY_SCHEMA_VERSION, scenario: model.name, seed, replications: outcomes.length }
  if (model.firstDate === null) {
    return {
      ...head,
      calls: pickCounts(TEXTBOOK_CALLS, sums),
      kpi: pickEstimates(TEXTBOOK_KPIS, perRep),
      performance
    }
  }
  const months = periodRanges(model, "month")
  const periods: Period[] = months.map((p) => {
    const ps = outcomes.map((o) => sumIntervals(o.table, p.from, p.to))
    return {
      period: p.label,
      calls: pickCounts(PERIOD_CALLS, ps),
      kpi: pickEstimates(PERIOD_KPIS, ps.map((s) => kpis(s, model.productiveHoursPerDay)))
    }
  })
  const days = periodRanges(model, "day")
  const firstDay = days[0]?.fromDay ?? 0
  const lastDay = days[days.length - 1]?.toDay ?? 0
  const byGroup = (codes: ReadonlyArray<string>, offset: number) =>
    Object.fromEntries(codes.map((code, i) => [code, groupSummary(outcomes, offset + i, firstDay, lastDay)]))
  return {
    ...head,
    from: days[0]?.label ?? model.firstDate,
    to: days[days.length - 1]?.label ?? model.firstDate,
    calls: pickCounts(DATED_CALLS, sums),
    kpi: pickEstimates(KPI_NAMES as ReadonlyArray<KpiName>, perRep),
    periods,
    byFlow: byGroup(model.flows, model.reasons.length),
    byReason: byGroup(model.reasons, 0),
    performance
  }
}
