/**
 * The replication × period table: for every period of a kind (day, week, month, year, the
 * horizon) and every replication, that replication's column sums and its KPIs by the CCTP
 * formulas. Everything that judges a run reads it: summaries and CSV tables (means and
 * intervals across replications), penalties (per replication and month, then risk), the
 * staffing search's objective, charts (fans across replications).
 *
 * Invariant: `sums[p][r]` are replication r's interval sums over period p (time order, warm-up
 * left out), and `kpis[p][r] = kpis(sums[p][r])` — a KPI is never averaged from sub-period KPIs.
 */
import { estimate, type Estimate } from "../engine/stats.js"
import { KPI_BOUNDS, kpis, type Kpis, type Sums } from "./cctp.js"
import type { RunGrid } from "./grid.js"
import { groupKpis, type GroupKpis } from "./groups.js"
import type { GroupDayTable, IntervalTable } from "./intervals.js"
import { periodRanges, sumGroup, sumIntervals, type GroupSums, type PeriodKind, type PeriodRange } from "./periods.js"

/** What one replication leaves for the KPI floor: its interval table and its per-day group table. */
export interface ReplicationTables {
  readonly table: IntervalTable
  readonly groups: GroupDayTable
}

export interface ReplicaTable {
  readonly kind: PeriodKind
  readonly periods: ReadonlyArray<PeriodRange>
  readonly replications: number
  /** sums[period][replication] */
  readonly sums: ReadonlyArray<ReadonlyArray<Sums>>
  /** kpis[period][replication] */
  readonly kpis: ReadonlyArray<ReadonlyArray<Kpis>>
}

/** The replication × period table of `kind` over a run's replications. */
export const replicaTable = (grid: RunGrid, outcomes: ReadonlyArray<ReplicationTables>, kind: PeriodKind): ReplicaTable => {
  const periods = periodRanges(grid, kind)
  const sums = periods.map((p) => outcomes.map((o) => sumIntervals(o.table, p.from, p.to)))
  return {
    kind,
    periods,
    replications: outcomes.length,
    sums,
    kpis: sums.map((row) => row.map((s) => kpis(s, grid.productiveHoursPerDay)))
  }
}

export interface GroupReplicaTable {
  readonly kind: PeriodKind
  readonly periods: ReadonlyArray<PeriodRange>
  /** Row of the group in the per-day group table (a reason index, or reasons.length + a flow index). */
  readonly group: number
  /** sums[period][replication] */
  readonly sums: ReadonlyArray<ReadonlyArray<GroupSums>>
  readonly kpis: ReadonlyArray<ReadonlyArray<GroupKpis>>
}

/** The same for one IVR flow or call reason, over whole days. */
export const groupReplicaTable = (grid: RunGrid, outcomes: ReadonlyArray<ReplicationTables>, group: number, kind: PeriodKind): GroupReplicaTable => {
  const periods = periodRanges(grid, kind)
  const sums = periods.map((p) => outcomes.map((o) => sumGroup(o.groups, group, p.fromDay, p.toDay)))
  return { kind, periods, group, sums, kpis: sums.map((row) => row.map(groupKpis)) }
}

type Counts<K extends string> = { readonly [P in K]: number }
type Estimates<K extends string> = { readonly [P in K]: Estimate }

// Plain loops: a 48-month day table by call reason asks for these ~25,000 times.

/** Mean of each count across replications. */
export const meanCounts = <K extends string>(keys: ReadonlyArray<K>, rows: ReadonlyArray<Readonly<Record<K, number>>>): Counts<K> => {
  const out: Record<string, number> = {}
  for (const k of keys) {
    let sum = 0
    for (const r of rows) sum += r[k]
    out[k] = sum / Math.max(rows.length, 1)
  }
  return out as Counts<K>
}

/** One reused array of a KPI's values across replications (estimate keeps nothing of it). */
const scratch: number[] = []

/** Mean and 95% interval (clipped to the KPI's range) of each KPI across replications. */
export const kpiEstimates = <K extends string>(keys: ReadonlyArray<K>, rows: ReadonlyArray<Readonly<Record<K, number>>>): Estimates<K> => {
  const out: Record<string, Estimate> = {}
  const values = scratch
  for (const k of keys) {
    values.length = 0
    for (const r of rows) values.push(r[k])
    out[k] = estimate(values, 0.95, KPI_BOUNDS[k])
  }
  return out as Estimates<K>
}
