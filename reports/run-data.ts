/**
 * What a report reads of a run (`ReportInput`), in one shape whether the run is still in memory
 * (`ccsim run`, ./from-run.ts) or comes back from its folder (`ccsim report`, ./from-files.ts):
 *
 * - `meta` (run.json): the scenario as decoded, the run's seed and grid, the model inputs a
 *   report shows or needs (patience for Erlang A, the planned phone headcount per interval);
 * - `summary` (summary.json), with the money when the run was judged;
 * - `days` and `months`: rows of days.csv and months.csv (mean counts, KPI means and 95% bounds,
 *   under the CSV's column names; days carry only what the day charts draw);
 * - `reportDays`: the intervals of the days the report zooms on (the busiest, and `--report-day`);
 * - `replicas` (replicas.json): every replication's month and horizon KPIs and money — fans across
 *   replications and paired comparisons need them, means cannot give them.
 *
 * Values a run cannot measure (no call in a period) are NaN in memory and null in JSON files.
 */
import type { SummaryWithMoney } from "../sim/contract/outputs.js"
import type { Summary } from "../sim/kpi/summary.js"

/** Mean counts of a period row (days.csv / months.csv columns). */
export const PERIOD_COUNTS = ["offered", "answered", "abandoned", "dissuadedClosure", "formsReceived", "formsHandled"] as const
/** KPIs of a period row, each with `<kpi>Low` and `<kpi>High` (95% interval across replications). */
export const PERIOD_KPIS = [
  "answerRate", "abandonRate", "meanWaitSeconds", "serviceLevel", "occupancy", "accessibility", "meanHandleSeconds",
  "availabilityRate", "formsHandledRate", "formsPerAdvisorDay", "productiveHours"
] as const
export type PeriodKpi = (typeof PERIOD_KPIS)[number]
export type PeriodColumn = (typeof PERIOD_COUNTS)[number] | PeriodKpi | `${PeriodKpi}Low` | `${PeriodKpi}High`
export const PERIOD_COLUMNS: ReadonlyArray<PeriodColumn> = [...PERIOD_COUNTS, ...PERIOD_KPIS.flatMap((k) => [k, `${k}Low`, `${k}High`] as const)]

/** A month: its label ("2026-09") and its columns (months.csv). */
export type PeriodRow = { readonly period: string } & { readonly [K in PeriodColumn]: number }

/**
 * The KPIs a day row carries: only what the day charts draw (a 48-month run has 1,460 days; each
 * KPI more costs an interval estimate per day and bytes in the page).
 */
export const DAY_KPIS = ["answerRate", "meanWaitSeconds"] as const
export type DayKpi = (typeof DAY_KPIS)[number]
export type DayColumn = "offered" | DayKpi | `${DayKpi}Low` | `${DayKpi}High`
export const DAY_COLUMNS: ReadonlyArray<DayColumn> = ["offered", ...DAY_KPIS.flatMap((k) => [k, `${k}Low`, `${k}High`] as const)]
/** A day: its label ("2026-09-14") and its columns (days.csv). */
export type DayRow = { readonly period: string } & { readonly [K in DayColumn]: number }

/** The interval columns a report day reads (mean over replications). */
export const INTERVAL_FIELDS = [
  "offered", "dissuadedClosure", "dissuadedTelecom", "dissuadedIvr", "answered", "answeredWithinSl", "abandoned",
  "waitSeconds", "talkSeconds", "wrapSeconds", "phoneStaffedSeconds", "busySeconds"
] as const
export type IntervalField = (typeof INTERVAL_FIELDS)[number]
export type IntervalSums = { readonly [K in IntervalField]: number }

/** One interval of a report day, as the day charts plot it. */
export interface IntervalRow {
  /** Start, "HH:MM" (Paris time), or "+HH:MM" from the day's start for undated runs. */
  readonly time: string
  readonly interval: number
  /** Calls received, and those that reached the queue (received − dissuaded). */
  readonly offered: number
  readonly queued: number
  readonly answered: number
  readonly abandoned: number
  /** Mean talk + wrap-up of the interval's answered calls (the day's mean when none), seconds. */
  readonly handleSeconds: number
  /** Offered load: queued calls × handle time / interval length (erlangs, i.e. advisors kept busy). */
  readonly offeredLoad: number
  /** Phone advisors logged in (mean over replications, after absence). */
  readonly staffed: number
  /** Phone advisors on a call or its wrap-up (mean). */
  readonly busy: number
  /** Phone-capable advisors of the plan, before absence. */
  readonly planned: number
  /** Fewest advisors meeting the answer-rate and mean-wait targets by exact Erlang A (NaN: no call). */
  readonly required: number
  readonly answerRate: number
  readonly meanWaitSeconds: number
  readonly serviceLevel: number
}

/** A day the report zooms on: its intervals from the first to the last with any activity. */
export interface ReportDay {
  readonly date: string
  readonly day: number
  /** Why it is shown: the busiest day (most calls received), the day asked for, or both. */
  readonly why: ReadonlyArray<"busiest" | "chosen">
  readonly offered: number
  readonly rows: ReadonlyArray<IntervalRow>
}

/** run.json: the run's inputs as the report needs them. */
export interface RunMeta {
  readonly schemaVersion: 1
  readonly scenario: string
  /** The scenario file as given on the command line. */
  readonly scenarioFile: string
  readonly seed: number
  readonly replications: number
  /** First and last day (dated runs), else null. */
  readonly from: string | null
  readonly to: string | null
  readonly intervalSeconds: number
  readonly intervalsPerDay: number
  readonly intervalCount: number
  readonly dayCount: number
  readonly warmupIntervals: number
  readonly serviceLevelSeconds: number
  /** Mean caller patience (seconds); null: callers never abandon. */
  readonly patienceMeanSeconds: number | null
  /** Resolved model inputs worth reading beside the scenario (named assumptions in effect). */
  readonly inputs: ReadonlyArray<{ readonly name: string; readonly value: string }>
  /** Phone-capable advisors planned per interval (before absence), run-length encoded: [advisors, intervals]. */
  readonly plannedPhone: ReadonlyArray<readonly [number, number]>
  /** The scenario as decoded (defaults not filled in: what the file says, `extends` resolved). */
  readonly decoded: unknown
}

/** The per-replication columns of replicas.json. */
export const REPLICA_COLUMNS = [
  "offered", "answered", "answerRate", "abandonRate", "meanWaitSeconds", "serviceLevel", "accessibility", "meanHandleSeconds",
  "availabilityRate", "formsHandledRate", "formsPerAdvisorDay", "productiveHours",
  /** Euros invoiced, penalties paid (after the cap) and 1 when any penalty row triggered: judged runs only (else NaN). */
  "invoice", "penalties", "penalised"
] as const
export type ReplicaColumn = (typeof REPLICA_COLUMNS)[number]

/** replicas.json: per period (months, then "horizon"), one row of REPLICA_COLUMNS per replication. */
export interface Replicas {
  readonly schemaVersion: 1
  readonly scenario: string
  readonly seed: number
  /** The replication numbers, in row order (their seeds: same seed and numbers ⇒ paired runs). */
  readonly replications: ReadonlyArray<number>
  readonly columns: ReadonlyArray<ReplicaColumn>
  readonly periods: ReadonlyArray<{ readonly period: string; readonly values: ReadonlyArray<ReadonlyArray<number>> }>
}

export interface ReportInput {
  readonly meta: RunMeta
  readonly summary: Summary | SummaryWithMoney
  readonly days: ReadonlyArray<DayRow>
  readonly months: ReadonlyArray<PeriodRow>
  readonly reportDays: ReadonlyArray<ReportDay>
  readonly replicas: Replicas
}

/** The summary's money, when the run was judged. */
export const moneyOf = (s: Summary | SummaryWithMoney): SummaryWithMoney | null => ("years" in s && "contract" in s ? (s as SummaryWithMoney) : null)

/** One replica column of a period, across replications. */
export const replicaValues = (r: Replicas, period: string, column: ReplicaColumn): number[] => {
  const p = r.periods.find((x) => x.period === period)
  const c = r.columns.indexOf(column)
  if (p === undefined || c < 0) return []
  return p.values.map((row) => row[c] ?? NaN)
}
