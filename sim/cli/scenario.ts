/**
 * Loading what a command runs: the scenario's model (sim/model/load.ts) and, for dated
 * scenarios, the contract terms it is judged by (orders CSV read relative to the scenario) —
 * every problem as bad input with its path, before anything is simulated. Also: checking flags.
 */
import { readFileSync } from "node:fs"
import { dirname, resolve } from "node:path"
import * as Effect from "effect/Effect"
import { contractTerms, type ContractTerms } from "../contract/terms.js"
import { parseDate } from "../domain/dates.js"
import { BadInput, ProblemsError } from "../domain/problem.js"
import { loadModel } from "../model/load.js"
import type { Model } from "../model/model.js"
import type { Scenario } from "../../scenarios/schema/scenario.js"

export { loadModel } from "../model/load.js"

/** A scenario ready to run: its model and, when dated, its contract terms. */
export interface LoadedRun {
  readonly scenario: Scenario
  readonly model: Model
  readonly terms: ContractTerms | null
}

/** Loads a scenario and resolves its contract terms (dated scenarios). */
export const loadRun = (path: string): Effect.Effect<LoadedRun, BadInput> =>
  Effect.gen(function* () {
    const { scenario, model } = yield* loadModel(path)
    if (model.firstDate === null) return { scenario, model, terms: null }
    const terms = yield* Effect.try({
      try: () =>
        contractTerms(scenario.contract, {
          firstDay: parseDate(model.firstDate!)!,
          dayCount: model.dayCount,
          scheduledSeconds: model.scheduledSeconds,
          readFile: (file) => readFileSync(resolve(dirname(path), file), "utf8")
        }),
      catch: (e) =>
        new BadInput({ source: path, problems: e instanceof ProblemsError ? e.problems : [{ path: "contract", message: e instanceof Error ? e.message : String(e) }] })
    })
    return { scenario, model, terms }
  })

/** Checks a numeric CLI flag, as bad input when out of range. */
export const requireFlag = (ok: boolean, flag: string, message: string): Effect.Effect<void, BadInput> =>
  ok ? Effect.void : Effect.fail(new BadInput({ source: "command line", problems: [{ path: flag, message }] }))
