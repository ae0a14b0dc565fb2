/** Test helpers: build models from in-memory scenario documents, run replications. */
import * as Effect from "effect/Effect"
import { decodeDocument } from "../scenarios/schema/load.js"
import { Scenario, type ScenarioEncoded } from "../scenarios/schema/scenario.js"
import { compile } from "../sim/model/compile.js"
import type { Model } from "../sim/model/model.js"
import { scheduledSecondsByDay } from "../sim/model/schedule.js"
import { Simulation, type SimulationOptions } from "../sim/model/simulation.js"
import { RandomStreams } from "../sim/engine/random.js"

/** Decodes (throwing with the problems on bad input) and compiles a scenario document. */
export const modelOf = (doc: ScenarioEncoded): Model =>
  compile(Effect.runSync(decodeDocument(Scenario, doc, "test").pipe(Effect.mapError((e) => new Error(e.message)))))

/** The model with an explicit phone headcount per interval (no forms or blended advisors). */
export const withPhoneStaff = (model: Model, phone: ArrayLike<number>): Model => {
  const staffPlan = [Int32Array.from(phone), new Int32Array(model.intervalCount), new Int32Array(model.intervalCount)]
  return { ...model, staffPlan, scheduledSeconds: scheduledSecondsByDay({ ...model, staffPlan }) }
}

export const simulate = (model: Model, seed = 1, replication = 0, options: Partial<SimulationOptions> = {}) => {
  const sim = new Simulation(model, { streams: new RandomStreams(seed, replication), ...options })
  const totals = sim.run()
  return { sim, totals, table: sim.table }
}
