/**
 * The run summary (`summary.json`, schemaVersion 1): call counts as means per replication, KPIs
 * as mean + 95% Student-t interval across replications. A pure function of the replication ×
 * period tables (./replicas.ts); key order is fixed, so the same inputs always print the same
 * bytes (`performance` aside).
 *
 * Two shapes, both schemaVersion 1 (README "Outputs"):
 * - textbook (undated) scenarios keep the issue-2 shape exactly: calls {offered, answered,
 *   abandoned, inSystemAtEnd}, kpi {answerRate, abandonRate, meanWaitSeconds, serviceLevel, occupancy};
 * - dated scenarios add the CCTP counts and KPIs to `calls` and `kpi` (whole horizon), `from`/`to`,
 *   `periods` (one per month), `byFlow` and `byReason`.
 * KPIs of a period are computed per replication from that replication's sums, then estimated.
 */
import type { Estimate } from "../engine/stats.js"
import { parseDate, weekday } from "../domain/dates.js"
import { KPI_NAMES, kpis, type KpiName } from "./cctp.js"
import { INTERVAL_COLUMNS, type IntervalColumn } from "./intervals.js"
import type { RunGrid } from "./grid.js"
import { GROUP_KPI_NAMES, type GroupKpiName } from "./groups.js"
import { periodRanges, type GroupSums } from "./periods.js"
import { groupReplicaTable, kpiEstimates, meanCounts, replicaTable, type ReplicaTable, type ReplicationTables } from "./replicas.js"

export const SUMMARY_SCHEMA_VERSION = 1

/** What a replication brings to a summary: its tables, and its event count (performance block). */
export interface ReplicationOutcome extends ReplicationTables {
  readonly totals: { readonly offered: number; readonly events: number }
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
  /** Dated runs: calls and KPIs of all Mondays, all Tuesdays, … of the horizon. */
  readonly byWeekday?: Readonly<Record<string, Omit<Period, "period">>>
  /** Dated runs driven by an interval forecast: how many days it gave, and how many came from the monthly forecast. */
  readonly forecast?: { readonly intervalsCsv: string | null; readonly intervalDays: number; readonly profileDays: number }
  /** Exactly the issue-2 interface: events processed and wall time of the run (not deterministic). */
  readonly performance: { readonly events: number; readonly wallSeconds: number }
}

/** The counts a group table reports (dissuaded of every kind together). */
export const groupCounts = (s: GroupSums): Counts<(typeof GROUP_CALLS)[number]> => ({
  offered: s.offered,
  answered: s.answered,
  abandoned: s.abandoned,
  dissuaded: s.dissuadedClosure + s.dissuadedTelecom + s.dissuadedIvr,
  transferred: s.transferred,
  tickets: s.tickets,
  redials: s.redials
})

/** Counts and KPIs of one group in one period, from its row of a group replica table. */
export const groupPeriodSummary = (sums: ReadonlyArray<GroupSums>, kpis: ReadonlyArray<Readonly<Record<GroupKpiName, number>>>): GroupSummary => ({
  calls: meanCounts(GROUP_CALLS, sums.map(groupCounts)),
  kpi: kpiEstimates(GROUP_KPI_NAMES, kpis)
})

/** The `periods` entries of a dated summary, from the month table. */
export const periodSummaries = (months: ReplicaTable): Period[] =>
  months.periods.map((p, i) => ({
    period: p.label,
    calls: meanCounts(PERIOD_CALLS, months.sums[i]!),
    kpi: kpiEstimates(PERIOD_KPIS, months.kpis[i]!)
  }))

const WEEKDAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const

/** Calls and KPIs of each day of the week over the horizon, per replication then estimated. */
export const weekdaySummaries = (grid: RunGrid, outcomes: ReadonlyArray<ReplicationTables>): Record<string, Omit<Period, "period">> => {
  const days = replicaTable(grid, outcomes, "day")
  const first = parseDate(grid.firstDate ?? "1970-01-01")!
  const totals = WEEKDAY_NAMES.map(() => outcomes.map(() => Object.fromEntries(INTERVAL_COLUMNS.map((c) => [c, 0])) as Record<IntervalColumn, number>))
  days.periods.forEach((p, i) => {
    const w = weekday(first + p.fromDay)
    days.sums[i]!.forEach((s, r) => {
      const t = totals[w]![r]!
      for (const c of INTERVAL_COLUMNS) t[c] += s[c]
    })
  })
  return Object.fromEntries(
    WEEKDAY_NAMES.map((name, w) => [
      name,
      { calls: meanCounts(PERIOD_CALLS, totals[w]!), kpi: kpiEstimates(PERIOD_KPIS, totals[w]!.map((s) => kpis(s, grid.productiveHoursPerDay))) }
    ])
  )
}

/**
 * @param wallSeconds wall-clock time of the whole run, for the performance block.
 */
export const summarize = (grid: RunGrid, seed: number, outcomes: ReadonlyArray<ReplicationOutcome>, wallSeconds: number): Summary => {
  const whole = replicaTable(grid, outcomes, "horizon")
  const sums = whole.sums[0] ?? []
  const perRep = whole.kpis[0] ?? []
  const performance = { events: outcomes.reduce((a, o) => a + o.totals.events, 0), wallSeconds }
  const head = { schemaVersion: SUMMARY_SCHEMA_VERSION, scenario: grid.name, seed, replications: outcomes.length }
  if (grid.firstDate === null) {
    return {
      ...head,
      calls: meanCounts(TEXTBOOK_CALLS, sums),
      kpi: kpiEstimates(TEXTBOOK_KPIS, perRep),
      performance
    }
  }
  const days = periodRanges(grid, "day")
  const byGroup = (codes: ReadonlyArray<string>, offset: number) =>
    Object.fromEntries(
      codes.map((code, i) => {
        const g = groupReplicaTable(grid, outcomes, offset + i, "horizon")
        return [code, groupPeriodSummary(g.sums[0] ?? [], g.kpis[0] ?? [])]
      })
    )
  return {
    ...head,
    from: days[0]?.label ?? grid.firstDate,
    to: days[days.length - 1]?.label ?? grid.firstDate,
    calls: meanCounts(DATED_CALLS, sums),
    kpi: kpiEstimates(KPI_NAMES as ReadonlyArray<KpiName>, perRep),
    periods: periodSummaries(replicaTable(grid, outcomes, "month")),
    byFlow: byGroup(grid.flows, grid.reasons.length),
    byReason: byGroup(grid.reasons, 0),
    byWeekday: weekdaySummaries(grid, outcomes),
    performance
  }
}
