/**
 * The third view: the pure simulation of the run's scenario, seed and window — `simulate` on the
 * compiled model, the KPIs of the window's intervals per replication. Replication 0 drew the very
 * callers the run injected (./plan.ts); the others give the spread (mean and 95% interval).
 *
 * Only day runs have one: a profile's callers are not the scenario's arrival process.
 */
import type { Model } from "../model/model.js"
import { simulate } from "../run/simulate.js"
import type { Plan } from "./plan.js"
import { kpiRow, simulationKpis, simulationSums, type KpiRow } from "./views.js"

export const simulateWindow = async (
  model: Model,
  plan: Plan,
  replications: number,
  workers?: number
): Promise<{ replications: number; perReplication: KpiRow[] } & ReturnType<typeof simulationKpis>> => {
  const results = await simulate(model, { seed: plan.seed, replications, ...(workers === undefined ? {} : { workers }) })
  const perReplication = results.map((r) => kpiRow(simulationSums(plan, r.table), model.productiveHoursPerDay))
  return { replications, perReplication, ...simulationKpis(perReplication) }
}
