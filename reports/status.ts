/**
 * Where a run stands against the CCTP targets (3.3.2), per KPI, for the report's headline:
 *
 * - **missed** — the horizon's mean misses the target, or at least one month's mean does;
 * - **at risk** — every mean meets it, but chance could make it miss: the horizon's or a month's
 *   95% interval reaches past the target, or some replication's month misses it;
 * - **met** — none of that.
 *
 * "Misses" is kpiStatus (sim/contract/outputs.ts): strictly worse than the target; a month is
 * counted "penalised" when its mean crosses the penalty row's threshold (with the scenario's
 * overrides). Months are the contract's unit (penalties are monthly); undated runs are judged on
 * their horizon only.
 */
import { kpiStatus } from "../sim/contract/outputs.js"
import type { AppliedRow } from "../sim/contract/terms.js"
import { KPI_TARGETS } from "../sim/domain/cctp.js"
import { PENALTY_TABLE, type PenaltyKey } from "../sim/domain/penalties.js"
import type { Estimate } from "../sim/engine/stats.js"
import { moneyOf, replicaValues, type PeriodKpi, type ReportInput } from "./run-data.js"

export type Standing = "met" | "atRisk" | "missed" | "none"

/** The KPIs with a CCTP target, their penalty row and which way is better. */
export const TARGETED_KPIS: ReadonlyArray<{
  readonly kpi: PeriodKpi & keyof typeof KPI_TARGETS
  readonly label: string
  readonly row?: PenaltyKey
  readonly higherIsBetter: boolean
  readonly unit: "share" | "seconds" | "count"
}> = [
  { kpi: "answerRate", label: "Answer rate", row: "answerRate", higherIsBetter: true, unit: "share" },
  { kpi: "meanWaitSeconds", label: "Mean wait", row: "meanWait", higherIsBetter: false, unit: "seconds" },
  { kpi: "accessibility", label: "Accessibility", row: "accessibility", higherIsBetter: true, unit: "share" },
  { kpi: "meanHandleSeconds", label: "Mean handling time (DMT)", row: "handlingTime", higherIsBetter: false, unit: "seconds" },
  { kpi: "availabilityRate", label: "Availability rate", higherIsBetter: false, unit: "share" },
  { kpi: "formsHandledRate", label: "Forms handled", row: "formsHandled", higherIsBetter: true, unit: "share" },
  { kpi: "formsPerAdvisorDay", label: "Forms per advisor-day", row: "formsPerAdvisorDay", higherIsBetter: true, unit: "count" }
]

/** The penalty threshold of a row, as the run applied it (or the CCTP's table). */
export const thresholdOf = (row: PenaltyKey | undefined, rules: Readonly<Record<PenaltyKey, AppliedRow>> | undefined): number | null => {
  if (row === undefined) return null
  const r = rules?.[row] ?? PENALTY_TABLE[row]
  return "enabled" in r && r.enabled === false ? null : r.threshold
}

export interface KpiStanding {
  readonly kpi: string
  readonly label: string
  readonly unit: "share" | "seconds" | "count"
  readonly target: number
  readonly threshold: number | null
  readonly higherIsBetter: boolean
  readonly horizon: Estimate
  readonly standing: Standing
  /** Months measured, months whose mean misses the target, months whose mean crosses the penalty threshold. */
  readonly months: number
  readonly monthsMissed: number
  readonly monthsPenalised: number
  /** Why it is at risk or missed, in a few words. */
  readonly why: string
}

const worse = (higherIsBetter: boolean, value: number, target: number) => (higherIsBetter ? value < target : value > target)

/** The standing of every targeted KPI the run measured. */
export const standings = (input: ReportInput): KpiStanding[] => {
  const rules = moneyOf(input.summary)?.contract.rules as Readonly<Record<PenaltyKey, AppliedRow>> | undefined
  const out: KpiStanding[] = []
  for (const t of TARGETED_KPIS) {
    const horizon = input.summary.kpi[t.kpi]
    if (horizon === undefined || !Number.isFinite(horizon.mean)) continue
    const target = KPI_TARGETS[t.kpi]
    const months = input.months.filter((m) => Number.isFinite(m[t.kpi]))
    const statuses = months.map((m) => kpiStatus(t.kpi, m[t.kpi], rules))
    const monthsMissed = statuses.filter((s) => s === "targetMissed" || s === "penalised").length
    const monthsPenalised = statuses.filter((s) => s === "penalised").length
    const crosses = (lo: number, hi: number) => (t.higherIsBetter ? Number.isFinite(lo) && lo < target : Number.isFinite(hi) && hi > target)
    const monthIntervalCrosses = months.filter((m) => crosses(m[`${t.kpi}Low`], m[`${t.kpi}High`])).length
    const replicationMonthsMissed = months.filter((m) => replicaValues(input.replicas, m.period, t.kpi).some((v) => Number.isFinite(v) && worse(t.higherIsBetter, v, target))).length
    let standing: Standing
    let why: string
    if (worse(t.higherIsBetter, horizon.mean, target)) {
      standing = "missed"
      why = "the whole run's mean misses the target"
    } else if (monthsMissed > 0) {
      standing = "missed"
      why = `${monthsMissed} month${monthsMissed > 1 ? "s" : ""} of ${months.length} miss the target`
    } else if (crosses(horizon.ci95[0], horizon.ci95[1]) || monthIntervalCrosses > 0 || replicationMonthsMissed > 0) {
      standing = "atRisk"
      why =
        monthIntervalCrosses > 0
          ? `the 95% interval of ${monthIntervalCrosses} month${monthIntervalCrosses > 1 ? "s" : ""} reaches past the target`
          : replicationMonthsMissed > 0
            ? `some replications miss it in ${replicationMonthsMissed} month${replicationMonthsMissed > 1 ? "s" : ""}`
            : "the 95% interval reaches past the target"
    } else {
      standing = "met"
      why = months.length > 0 ? `every month meets it, with its 95% interval` : "the mean and its 95% interval meet it"
    }
    out.push({
      kpi: t.kpi,
      label: t.label,
      unit: t.unit,
      target,
      threshold: thresholdOf(t.row, rules),
      higherIsBetter: t.higherIsBetter,
      horizon,
      standing,
      months: months.length,
      monthsMissed,
      monthsPenalised,
      why
    })
  }
  return out
}
