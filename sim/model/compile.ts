/**
 * compile(scenario) -> Model: expands a decoded scenario into the per-interval tables the
 * simulation reads. Pure and deterministic; the scenario has already been validated, so this
 * only throws on a bug.
 */
import { makeSampler } from "../engine/distributions.js"
import type { Scenario } from "../../scenarios/schema/scenario.js"
import type { Model } from "./model.js"

/** Default target answer time of the service level, seconds (issue 2 textbook format). */
export const DEFAULT_SERVICE_LEVEL_SECONDS = 20
/** Default accounting interval, minutes (CCTP statistics are per 15-minute interval). */
export const DEFAULT_INTERVAL_MINUTES = 15

export const compile = (scenario: Scenario): Model => {
  const horizonSeconds = scenario.horizon.hours * 3600
  const intervalSeconds = (scenario.intervalMinutes ?? DEFAULT_INTERVAL_MINUTES) * 60
  const intervalCount = Math.max(1, Math.ceil(horizonSeconds / intervalSeconds))
  const { poisson, replay } = scenario.arrivals
  const arrivalRatePerSecond = new Float64Array(intervalCount).fill(poisson ? poisson.perHour / 3600 : 0)
  const arrivalTimes = replay ? Float64Array.from(replay.seconds) : null
  const staff = new Int32Array(intervalCount).fill(scenario.agents)
  // Build the samplers once here so a bad parameter fails at compile time, not in a worker.
  makeSampler(scenario.handleTime)
  if (scenario.patience) makeSampler(scenario.patience)
  return Object.freeze({
    name: scenario.name,
    horizonSeconds,
    intervalSeconds,
    intervalCount,
    arrivalTimes,
    arrivalRatePerSecond,
    staff,
    handleTime: scenario.handleTime,
    patience: scenario.patience ?? null,
    warmupIntervals: Math.ceil(((scenario.warmup?.hours ?? 0) * 3600) / intervalSeconds),
    serviceLevelSeconds: scenario.serviceLevelSeconds ?? DEFAULT_SERVICE_LEVEL_SECONDS
  })
}
