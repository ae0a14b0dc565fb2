/**
 * The run summary (`summary.json`, schemaVersion 1): means per replication of the call counts and
 * mean + 95% Student-t interval of each KPI across replications. A pure function of the
 * replications' interval tables (after the warm-up intervals); key order is fixed, so the same
 * inputs always print the same bytes (the `performance` block aside).
 *
 * KPI definitions (textbook single queue; issue 2):
 *   answerRate      = answered / offered
 *   abandonRate     = abandoned / offered
 *   meanWaitSeconds = queue wait of all offered calls (answered, abandoned, still waiting) / offered
 *   serviceLevel    = answered within serviceLevelSeconds / offered
 *   occupancy       = busy agent-seconds / logged-in agent-seconds
 */
import { estimate, type Estimate } from "../engine/stats.js"
import { columnSum, type IntervalTable } from "./intervals.js"

export const SUMMARY_SCHEMA_VERSION = 1

export interface ReplicationOutcome {
  readonly totals: { readonly offered: number; readonly events: number }
  readonly table: IntervalTable
}

export interface CallCounts {
  readonly offered: number
  readonly answered: number
  readonly abandoned: number
  readonly inSystemAtEnd: number
}

export interface Summary {
  readonly schemaVersion: number
  readonly scenario: string
  readonly seed: number
  readonly replications: number
  readonly calls: CallCounts
  readonly kpi: {
    readonly answerRate: Estimate
    readonly abandonRate: Estimate
    readonly meanWaitSeconds: Estimate
    readonly serviceLevel: Estimate
    readonly occupancy: Estimate
  }
  readonly performance: {
    readonly events: number
    readonly wallSeconds: number
    readonly eventsPerSecond: number
    readonly callsPerSecond: number
  }
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : NaN)
const avg = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1)

/** Call counts of one replication over intervals [from, end). */
export const callCounts = (t: IntervalTable, from = 0): CallCounts => ({
  offered: columnSum(t, "offered", from),
  answered: columnSum(t, "answered", from),
  abandoned: columnSum(t, "abandoned", from),
  inSystemAtEnd: columnSum(t, "inSystemAtEnd", from)
})

/** The KPI values of one replication over intervals [from, end). */
export const replicationKpis = (t: IntervalTable, from = 0) => {
  const offered = columnSum(t, "offered", from)
  return {
    answerRate: ratio(columnSum(t, "answered", from), offered),
    abandonRate: ratio(columnSum(t, "abandoned", from), offered),
    meanWaitSeconds: ratio(columnSum(t, "waitSeconds", from), offered),
    serviceLevel: ratio(columnSum(t, "answeredWithinSl", from), offered),
    occupancy: ratio(columnSum(t, "busySeconds", from), columnSum(t, "staffedSeconds", from))
  }
}

/**
 * @param fromInterval first interval counted (the warm-up intervals before it are ignored).
 * @param wallSeconds wall-clock time of the whole run, for the performance block.
 */
export const summarize = (
  scenario: string,
  seed: number,
  outcomes: ReadonlyArray<ReplicationOutcome>,
  wallSeconds: number,
  fromInterval = 0
): Summary => {
  const kpis = outcomes.map((o) => replicationKpis(o.table, fromInterval))
  const pick = (k: keyof ReturnType<typeof replicationKpis>) => estimate(kpis.map((x) => x[k]))
  const counts = outcomes.map((o) => callCounts(o.table, fromInterval))
  const events = outcomes.reduce((a, o) => a + o.totals.events, 0)
  const offeredAll = outcomes.reduce((a, o) => a + o.totals.offered, 0)
  return {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    scenario,
    seed,
    replications: outcomes.length,
    calls: {
      offered: avg(counts.map((c) => c.offered)),
      answered: avg(counts.map((c) => c.answered)),
      abandoned: avg(counts.map((c) => c.abandoned)),
      inSystemAtEnd: avg(counts.map((c) => c.inSystemAtEnd))
    },
    kpi: {
      answerRate: pick("answerRate"),
      abandonRate: pick("abandonRate"),
      meanWaitSeconds: pick("meanWaitSeconds"),
      serviceLevel: pick("serviceLevel"),
      occupancy: pick("occupancy")
    },
    performance: {
      events,
      wallSeconds,
      eventsPerSecond: wallSeconds > 0 ? events / wallSeconds : 0,
      callsPerSecond: wallSeconds > 0 ? offeredAll / wallSeconds : 0
    }
  }
}
