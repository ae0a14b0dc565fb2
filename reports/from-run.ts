/**
 * The report's input from a run still in memory (`ccsim run`): the same numbers the run's files
 * hold (days.csv, months.csv, intervals.csv read the same replication × period tables), computed
 * once more only for what the report shows — days and months, the report days' intervals — so
 * writing the report stays a small fraction of a run (bench/report.ts).
 *
 * replicas.json is built here too: each replication's months and horizon (KPIs from its own sums,
 * money from the judge's month records).
 */
import type { Judgement } from "../sim/contract/judge.js"
import type { SummaryWithMoney } from "../sim/contract/outputs.js"
import { formatDate, parseDate } from "../sim/domain/dates.js"
import type { RunGrid } from "../sim/kpi/grid.js"
import { periodRanges, type PeriodKind } from "../sim/kpi/periods.js"
import { kpiEstimates, meanCounts, replicaTable, type ReplicaTable } from "../sim/kpi/replicas.js"
import type { ReplicationOutcome, Summary } from "../sim/kpi/summary.js"
import type { Model } from "../sim/model/model.js"
import type { Scenario } from "../scenarios/schema/scenario.js"
import { chooseReportDays, reportDay, type RequiredAdvisors } from "./days.js"
import { plannedPhoneAdvisors, runMeta, type RunFacts } from "./meta.js"
import {
  DAY_KPIS, INTERVAL_FIELDS, PERIOD_COUNTS, PERIOD_KPIS, REPLICA_COLUMNS,
  type DayRow, type IntervalSums, type PeriodKpi, type PeriodRow, type ReplicaColumn, type Replicas, type ReportDay, type ReportInput, type RunMeta
} from "./run-data.js"

type Outcome = ReplicationOutcome & { readonly replication?: number }

/** Rows of days.csv / months.csv (the report's columns) from a replication × period table. */
export const periodRows = <K extends PeriodKpi>(t: ReplicaTable, counts: ReadonlyArray<(typeof PERIOD_COUNTS)[number]>, kpiNames: ReadonlyArray<K>): Array<Record<string, number | string>> =>
  t.periods.map((p, i) => {
    const row: Record<string, number | string> = { period: p.label, ...meanCounts(counts, t.sums[i]!) }
    const kpis = kpiEstimates(kpiNames, t.kpis[i]!)
    for (const k of kpiNames) {
      row[k] = kpis[k].mean
      row[`${k}Low`] = kpis[k].ci95[0]
      row[`${k}High`] = kpis[k].ci95[1]
    }
    return row
  })

/** Mean over replications of the report's interval columns, for intervals [from, to). */
export const meanIntervalSums = (outcomes: ReadonlyArray<ReplicationOutcome>, from: number, to: number): IntervalSums[] => {
  const rows: IntervalSums[] = []
  for (let i = from; i < to; i++) {
    const s: Record<string, number> = {}
    for (const c of INTERVAL_FIELDS) {
      let v = 0
      for (const o of outcomes) v += o.table[c][i] ?? 0
      s[c] = v / outcomes.length
    }
    rows.push(s as IntervalSums)
  }
  return rows
}

const euros = (cents: number | null | undefined) => (cents === null || cents === undefined ? NaN : cents / 100)

/** replicas.json of a run: each replication's months (dated runs) and horizon. */
export const replicasOf = (grid: RunGrid, seed: number, outcomes: ReadonlyArray<Outcome>, judgement: Judgement | null): Replicas => {
  const kinds: PeriodKind[] = grid.firstDate === null ? ["horizon"] : ["month", "horizon"]
  const periods: Array<{ period: string; values: number[][] }> = []
  for (const kind of kinds) {
    const t = replicaTable(grid, outcomes, kind)
    t.periods.forEach((p, i) => {
      const values = outcomes.map((_, r) => {
        const sums = t.sums[i]![r]!
        const k = t.kpis[i]![r]!
        // Money of this replication over the period's months (the horizon: all of them).
        const months = judgement === null ? [] : judgement.months.filter((ms) => kind === "horizon" || ms[0]?.month === p.label).map((ms) => ms[r]!)
        const priced = months.length > 0 && months.every((m) => m.invoice !== null)
        const money: Record<"invoice" | "penalties" | "penalised", number> = {
          invoice: priced ? months.reduce((a, m) => a + euros(m.invoice!.phone + m.invoice!.forms), 0) : NaN,
          penalties: priced ? months.reduce((a, m) => a + euros(m.penalty.totalCents), 0) : NaN,
          penalised: months.length === 0 ? NaN : months.some((m) => Object.values(m.penalty.triggered).some(Boolean)) ? 1 : 0
        }
        return REPLICA_COLUMNS.map((c: ReplicaColumn) =>
          c === "invoice" || c === "penalties" || c === "penalised" ? money[c] : c === "offered" || c === "answered" ? sums[c] : k[c]
        )
      })
      periods.push({ period: p.label, values })
    })
  }
  return {
    schemaVersion: 1,
    scenario: grid.name,
    seed,
    replications: outcomes.map((o, r) => o.replication ?? r),
    columns: REPLICA_COLUMNS,
    periods
  }
}

/** The day index of a `--report-day` (YYYY-MM-DD) in a dated run, or a message saying why not. */
export const reportDayIndex = (grid: Pick<RunGrid, "firstDate" | "dayCount">, date: string): number | string => {
  if (grid.firstDate === null) return "a textbook run has no dates: --report-day applies to dated scenarios"
  const d = parseDate(date)
  if (d === undefined) return `expected a date YYYY-MM-DD, got ${JSON.stringify(date)}`
  const index = d - parseDate(grid.firstDate)!
  if (index < 0 || index >= grid.dayCount) return `${date} is outside the run (${grid.firstDate} to ${formatDate(parseDate(grid.firstDate)! + grid.dayCount - 1)})`
  return index
}

/** Labels of a run's days ("2026-09-14", or "day-3" for undated runs). */
export const dayLabels = (grid: Pick<RunGrid, "firstDate" | "dayCount">): string[] => {
  const first = grid.firstDate === null ? undefined : parseDate(grid.firstDate)
  return Array.from({ length: grid.dayCount }, (_, d) => (first === undefined ? `day-${d + 1}` : formatDate(first + d)))
}

/** The report days of a run from per-day offered calls and a function giving a day's interval sums. */
export const buildReportDays = (
  meta: RunMeta,
  dayOffered: ArrayLike<number>,
  requested: number | null,
  daySums: (day: number) => IntervalSums[],
  planned: ArrayLike<number>,
  required: RequiredAdvisors
): ReportDay[] => {
  const labels = dayLabels({ firstDate: meta.from, dayCount: meta.dayCount })
  return chooseReportDays(dayOffered, requested).map(({ day, why }) => {
    const from = day * meta.intervalsPerDay
    const plannedOfDay = Array.from({ length: meta.intervalsPerDay }, (_, k) => planned[from + k] ?? 0)
    return reportDay({ date: labels[day]!, day, why }, daySums(day), plannedOfDay, from, meta.intervalSeconds, meta.patienceMeanSeconds, meta.from !== null, required)
  })
}

export interface RunInMemory {
  readonly model: Model
  readonly scenario: Scenario
  readonly facts: RunFacts
  readonly summary: Summary | SummaryWithMoney
  readonly outcomes: ReadonlyArray<Outcome>
  readonly judgement: Judgement | null
  /** Day index of `--report-day` (reportDayIndex), or null. */
  readonly reportDay: number | null
  readonly required: RequiredAdvisors
}

export const reportInputFromRun = (run: RunInMemory): ReportInput => {
  const { model, outcomes } = run
  const meta = runMeta(model, run.scenario, run.facts)
  const dated = model.firstDate !== null
  const days = dated ? (periodRows(replicaTable(model, outcomes, "day"), ["offered"], DAY_KPIS) as DayRow[]) : []
  const months = dated ? (periodRows(replicaTable(model, outcomes, "month"), PERIOD_COUNTS, PERIOD_KPIS) as PeriodRow[]) : []
  // Calls received per day (mean): from the day rows, or summed from intervals (undated runs).
  const dayOffered = new Float64Array(model.dayCount)
  if (dated) {
    const ranges = periodRanges(model, "day")
    ranges.forEach((p, i) => (dayOffered[p.fromDay] = days[i]!.offered))
  } else {
    for (const o of outcomes) for (let i = model.warmupIntervals; i < model.intervalCount; i++) dayOffered[Math.floor(i / model.intervalsPerDay)]! += o.table.offered[i]! / outcomes.length
  }
  const reportDays = buildReportDays(
    meta,
    dayOffered,
    run.reportDay,
    (d) => meanIntervalSums(outcomes, d * model.intervalsPerDay, Math.min((d + 1) * model.intervalsPerDay, model.intervalCount)),
    plannedPhoneAdvisors(model),
    run.required
  )
  return { meta, summary: run.summary, days, months, reportDays, replicas: replicasOf(model, run.facts.seed, outcomes, run.judgement) }
}
