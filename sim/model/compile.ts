/**
 * compile(scenario) -> Model: expands a decoded scenario into the per-interval and per-day tables
 * the simulation reads. Pure and deterministic. The scenario has been validated by its schema;
 * what only shows when files are read and days are expanded (a CSV month missing, a campaign
 * without a previous month to compare with) is reported as `CompileError` problems with paths.
 */
import { PRODUCTIVE_HOURS_PER_DAY, SHIFT_END } from "../domain/assumptions.js"
import { makeSampler } from "../engine/distributions.js"
import type { Scenario } from "../../scenarios/schema/scenario.js"
import type { Model } from "./model.js"
import { compileDated } from "./dated.js"
import { scheduledSecondsByDay } from "./schedule.js"
import { CompileError, DEFAULT_INTERVAL_MINUTES, DEFAULT_SERVICE_LEVEL_SECONDS, type CompileOptions } from "./options.js"

export { CompileError, DEFAULT_INTERVAL_MINUTES, DEFAULT_SERVICE_LEVEL_SECONDS, type CompileOptions } from "./options.js"

export const compile = (scenario: Scenario, options: CompileOptions = {}): Model => {
  const compiled = isDated(scenario) ? compileDated(scenario, options) : compileTextbook(scenario)
  const model: Model = { ...compiled, scheduledSeconds: scheduledSecondsByDay(compiled) }
  // Build every sampler once here so a bad parameter fails at compile time, not in a worker.
  model.talk.forEach(makeSampler)
  if (model.wrapUp) makeSampler(model.wrapUp)
  if (model.patience) makeSampler(model.patience)
  if (model.formHandle) makeSampler(model.formHandle)
  if (model.redial) makeSampler(model.redial.delay)
  return Object.freeze(model)
}

/** A scenario with dates (a calendar, a forecast, advisors…), as opposed to the textbook queue. */
export const isDated = (s: Scenario): boolean => s.horizon === "contract" || s.horizon.from !== undefined

const compileTextbook = (scenario: Scenario): Model => {
  const horizon = scenario.horizon as { hours: number }
  const horizonSeconds = horizon.hours * 3600
  const intervalSeconds = (scenario.intervalMinutes ?? DEFAULT_INTERVAL_MINUTES) * 60
  const intervalCount = Math.max(1, Math.ceil(horizonSeconds / intervalSeconds))
  const intervalsPerDay = 86_400 / intervalSeconds
  const dayCount = Math.ceil(intervalCount / intervalsPerDay)
  const arrivals = scenario.arrivals as { poisson?: { perHour: number }; replay?: { seconds: ReadonlyArray<number> } }
  const handle = scenario.handleTime
  if (handle === undefined) throw new CompileError([{ path: "handleTime", message: "missing field" }])
  return {
    name: scenario.name,
    firstDate: null,
    horizonSeconds,
    intervalSeconds,
    intervalCount,
    intervalsPerDay,
    dayCount,
    arrivalTimes: arrivals.replay ? Float64Array.from(arrivals.replay.seconds) : null,
    callRate: new Float64Array(intervalCount).fill(arrivals.poisson ? arrivals.poisson.perHour / 3600 : 0),
    forecastBasisCalls: null,
    replayAttributes: null,
    formRate: new Float64Array(intervalCount),
    dayBusynessCv: 0,
    monthErrorCv: 0,
    monthOfDay: new Int32Array(dayCount),
    monthCount: 1,
    status: new Uint8Array(intervalCount),
    telecomShare: null,
    ivrShare: null,
    ivrReason: -1,
    flows: ["all"],
    reasons: ["call"],
    mixes: [{ flows: [1], reasons: [[1]] }],
    mixOfDay: new Uint8Array(dayCount),
    mixOfInterval: null,
    forecastSources: null,
    talk: [handle],
    wrapUp: null,
    patience: scenario.patience ?? null,
    redial: null,
    transferShare: new Float64Array(1),
    ticketShare: new Float64Array(1),
    staffPlan: null,
    scheduledPlan: null,
    staffBlocks: [],
    scheduledSeconds: [],
    shiftEnd: SHIFT_END,
    constantStaff: [scenario.agents ?? 0, 0, 0],
    absenceRate: 0,
    formHandle: null,
    productiveHoursPerDay: PRODUCTIVE_HOURS_PER_DAY,
    warmupIntervals: Math.ceil(((scenario.warmup?.hours ?? 0) * 3600) / intervalSeconds),
    serviceLevelSeconds: scenario.serviceLevelSeconds ?? DEFAULT_SERVICE_LEVEL_SECONDS
  }
}
