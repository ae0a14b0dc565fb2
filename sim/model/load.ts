/**
 * Loading a scenario file into a runnable Model: decode (every problem with its path), then
 * compile, reading the files the scenario names (forecast and plan CSVs) relative to the scenario
 * file, through the capped reader (regular text files only). Compile problems are bad input too,
 * reported with the scenario path or file:line — never a stack trace. With `limits`, a scenario
 * whose estimated work goes past them (./budget.ts) is bad input as well: `run` refuses it
 * before simulating, `validate` says so. Every command that runs a scenario comes here.
 */
import { dirname, resolve } from "node:path"
import * as Effect from "effect/Effect"
import { BadInput } from "../domain/problem.js"
import { readInputFile } from "../../scenarios/schema/input-file.js"
import { loadScenario } from "../../scenarios/schema/load.js"
import type { Scenario } from "../../scenarios/schema/scenario.js"
import { budgetProblems, estimateWork, horizonProblems, type WorkEstimate, type WorkLimits } from "./budget.js"
import { compile, CompileError } from "./compile.js"
import type { Model } from "./model.js"

/** Reads a file a scenario names, relative to the scenario file, through the capped reader. */
export const scenarioFileReader = (scenarioPath: string) => (file: string) => readInputFile(resolve(dirname(scenarioPath), file), "csv")

export const loadModel = (
  path: string,
  options: { readonly limits?: WorkLimits } = {}
): Effect.Effect<{ scenario: Scenario; model: Model; work: WorkEstimate }, BadInput> =>
  Effect.gen(function* () {
    const scenario = yield* loadScenario(path)
    // Before compiling: compiling allocates every interval's tables.
    const horizon = horizonProblems(scenario)
    if (horizon.length > 0) return yield* Effect.fail(new BadInput({ source: path, problems: horizon }))
    const model = yield* Effect.try({
      try: () => compile(scenario, { readFile: scenarioFileReader(path) }),
      catch: (e) =>
        new BadInput({
          source: path,
          problems: e instanceof CompileError ? e.problems : [{ path: "", message: e instanceof Error ? e.message : String(e) }]
        })
    })
    const work = estimateWork(model)
    if (options.limits) {
      const problems = budgetProblems(work, options.limits)
      if (problems.length > 0) return yield* Effect.fail(new BadInput({ source: path, problems }))
    }
    return { scenario, model, work }
  })
