/**
 * Loading what a command runs: the scenario's model (sim/model/load.ts, with the work limits
 * when given) and, for dated scenarios, the contract terms it is judged by (an orders CSV read
 * relative to the scenario) — every problem as bad input with its path, before anything is
 * simulated. Also: checking flags, and the `--max-calls` flag `run` and `validate` share.
 */
import * as Effect from "effect/Effect"
import * as Flag from "effect/cli/Flag"
import { contractTerms, type ContractTerms } from "../contract/terms.js"
import { parseDate } from "../domain/dates.js"
import { BadInput, ProblemsError } from "../domain/problem.js"
import { DEFAULT_MAX_CALLS, type WorkEstimate, type WorkLimits } from "../model/budget.js"
import { loadModel, scenarioFileReader } from "../model/load.js"
import type { Model } from "../model/model.js"
import type { Scenario } from "../../scenarios/schema/scenario.js"

export { loadModel } from "../model/load.js"

/** A scenario ready to run: its model, its estimated work and, when dated, its contract terms. */
export interface LoadedRun {
  readonly scenario: Scenario
  readonly model: Model
  readonly work: WorkEstimate
  readonly terms: ContractTerms | null
}

/** Loads a scenario and resolves its contract terms (dated scenarios). */
export const loadRun = (path: string, options: { readonly limits?: WorkLimits } = {}): Effect.Effect<LoadedRun, BadInput> =>
  Effect.gen(function* () {
    const { scenario, model, work } = yield* loadModel(path, options)
    if (model.firstDate === null) return { scenario, model, work, terms: null }
    const terms = yield* Effect.try({
      try: () =>
        contractTerms(scenario.contract, {
          firstDay: parseDate(model.firstDate!)!,
          dayCount: model.dayCount,
          scheduledSeconds: model.scheduledSeconds,
          readFile: scenarioFileReader(path)
        }),
      catch: (e) =>
        new BadInput({ source: path, problems: e instanceof ProblemsError ? e.problems : [{ path: "contract", message: e instanceof Error ? e.message : String(e) }] })
    })
    return { scenario, model, work, terms }
  })

/** Checks a numeric CLI flag, as bad input when out of range. */
export const requireFlag = (ok: boolean, flag: string, message: string): Effect.Effect<void, BadInput> =>
  ok ? Effect.void : Effect.fail(new BadInput({ source: "command line", problems: [{ path: flag, message }] }))

/** `--max-calls N`: the most calls (and forms) per replication a run accepts (sim/model/budget.ts). */
export const maxCallsFlag = Flag.Finite("max-calls").pipe(
  Flag.withDefault(DEFAULT_MAX_CALLS),
  Flag.withDescription(`Refuse a scenario expecting more calls (or forms) per replication than this (default ${DEFAULT_MAX_CALLS.toExponential().replace("e+", "e")})`)
)
