/**
 * The run summary (`summary.json`, schemaVersion 1): means per replication of the call counts and
 * mean + 95% Student-t interval of each KPI across replications. A pure function of the
 * replications' totals and interval tables; key order is fixed, so the same inputs always print
 * the same bytes (the `performance` block aside).
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
  readonly totals: {
    readonly offered: number
    readonly answered: number
    readonly abandoned: number
    readonly inSystemAtEnd: number
    readonly events: number
  }
  readonly table: IntervalTable
}

export interface Summary {
  readonly schemaVersion: number
  readonly scenario: string
  readonly seed: number
  readonly replications: number
  readonly calls: { readonly offered: number; readonly answered: number; readonly abandoned: number; readonly inSystemAtEnd: number }
  readonly kpi: {
    readonly answerRate: Estimate
    readonly abandonRate: Estimate
    readonly meanWaitSeconds: Estimate
    readonly serviceLevel: Estimate
    readonly occupancy: Estimate
  }
  readonly performance: { readonly events: number; readonly wallSeconds: number; readonly eventsPerSecond: number; readonly callsPerSecond: number }
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : NaN)
const avg = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1)

/** The per-replication KPI values of one outcome. */
export const replicationKpis = (o: ReplicationOutcome) => {
  const t = o.table
  const offered = o.totals.offered
  return {
    answerRate: ratio(o.totals.answered, offered),
    abandonRate: ratio(o.totals.abandoned, offered),
    meanWaitSeconds: ratio(columnSum(t, "waitSeconds"), offered),
    serviceLevel: ratio(columnSum(t, "answeredWithinSl"), offered),
    occupancy: ratio(columnSum(t, "busySeconds"), columnSum(t, "staffedSeconds"))
  }
}

export const summarize = (
  scenario: string,
  seed: number,
  outcomes: ReadonlyArray<ReplicationOutcome>,
  wallSeconds: number
): Summary => {
  const kpis = outcomes.map(replicationKpis)
  const pick = (k: keyof ReturnType<typeof replicationKpis>) => estimate(kpis.map((x) => x[k]))
  const events = outcomes.reduce((a, o) => a + o.totals.events, 0)
  const offered = outcomes.reduce((a, o) => a + o.totals.offered, 0)
  return {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    scenario,
    seed,
    replications: outcomes.length,
    calls: {
      offered: avg(outcomes.map((o) => o.totals.offered)),
      answered: avg(outcomes.map((o) => o.totals.answered)),
      abandoned: avg(outcomes.map((o) => o.totals.abandoned)),
      inSystemAtEnd: avg(outcomes.map((o) => o.totals.inSystemAtEnd))
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
      callsPerSecond: wallSeconds > 0 ? offered / wallSeconds : 0
    }
  }
}
