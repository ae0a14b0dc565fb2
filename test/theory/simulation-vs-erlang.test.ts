/**
 * The simulator against exact queueing theory: for each parameter set, from light load to
 * overload (Erlang A with λ > cμ), the exact answer rate, abandon rate, mean wait and service level
 * must lie inside the 99% Student-t interval of 30 replications (each of ~60,000 calls after a
 * warm-up). Seeds are fixed, so the verdict is repeatable.
 */
import { describe, expect, it } from "vitest"
import { estimate } from "../../sim/engine/stats.js"
import { replicaTable } from "../../sim/kpi/replicas.js"
import { queueMetrics } from "../../sim/staffing/erlang.js"
import { modelOf, simulate } from "../helpers.js"

interface Case {
  readonly name: string
  readonly perHour: number
  readonly handle: number
  readonly patience?: number
  readonly agents: number
  readonly sl: number
}

const cases: Case[] = [
  { name: "Erlang C, light load (ρ = 0.63)", perHour: 100, handle: 180, agents: 8, sl: 20 },
  { name: "Erlang C, moderate load (ρ = 0.89)", perHour: 600, handle: 240, agents: 45, sl: 20 },
  { name: "Erlang C, heavy load (ρ = 0.93)", perHour: 1000, handle: 300, agents: 90, sl: 20 },
  { name: "Erlang A, light load", perHour: 200, handle: 300, patience: 60, agents: 20, sl: 10 },
  { name: "Erlang A, the issue's textbook scenario", perHour: 1000, handle: 300, patience: 180, agents: 90, sl: 20 },
  { name: "Erlang A, overload λ > cμ (load 100 on 90)", perHour: 1200, handle: 300, patience: 120, agents: 90, sl: 20 },
  { name: "Erlang A, small team in overload (load 10 on 5)", perHour: 60, handle: 600, patience: 300, agents: 5, sl: 60 }
]

const REPLICATIONS = 30
const CALLS_PER_REPLICATION = 60_000

describe("simulation agrees with exact Erlang C / Erlang A", () => {
  it.each(cases)("$name", (k) => {
    const warmupHours = Math.max(2, (20 * k.handle) / 3600)
    const hours = CALLS_PER_REPLICATION / k.perHour + warmupHours
    const model = modelOf({
      name: "theory",
      horizon: { hours },
      warmup: { hours: warmupHours },
      calendar: "always-open",
      arrivals: { poisson: { perHour: k.perHour } },
      handleTime: { exponential: { meanSeconds: k.handle } },
      ...(k.patience ? { patience: { exponential: { meanSeconds: k.patience } } } : {}),
      agents: k.agents,
      serviceLevelSeconds: k.sl
    })
    const outcomes = Array.from({ length: REPLICATIONS }, (_, r) => { const { table, sim } = simulate(model, 2024, r); return { table, groups: sim.groups } })
    const runs = replicaTable(model, outcomes, "horizon").kpis[0]!
    const exact = queueMetrics({
      arrivalsPerHour: k.perHour,
      meanHandleSeconds: k.handle,
      meanPatienceSeconds: k.patience,
      agents: k.agents,
      serviceLevelSeconds: k.sl
    })
    const check = (label: string, values: number[], truth: number) => {
      const e = estimate(values, 0.99)
      const ok = e.ci95[0] <= truth && truth <= e.ci95[1]
      expect(ok, `${label}: exact ${truth} outside 99% CI [${e.ci95[0]}, ${e.ci95[1]}] (mean ${e.mean})`).toBe(true)
    }
    check("answer rate", runs.map((r) => r.answerRate), exact.answerRate)
    if (k.patience) check("abandon rate", runs.map((r) => r.abandonRate), exact.abandonRate)
    else expect(runs.every((r) => r.abandonRate === 0)).toBe(true)
    check("mean wait", runs.map((r) => r.meanWaitSeconds), exact.meanWaitSeconds)
    check("service level", runs.map((r) => r.serviceLevel), exact.serviceLevel)
    check("occupancy", runs.map((r) => r.occupancy), exact.occupancy)
  })
})
