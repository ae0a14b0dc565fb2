/**
 * Loading a scenario for a command: decode (every problem with its path) then compile, reading
 * files the scenario names (a forecast CSV) relative to the scenario file. Compile problems are
 * bad input too, reported with the scenario path or file:line — never a stack trace. With
 * `limits`, a scenario whose estimated work goes past them (sim/model/budget.ts) is bad input
 * as well: `run` refuses it before simulating, `validate` says so.
 */
import { dirname, resolve } from "node:path"
import * as Effect from "effect/Effect"
import * as Flag from "effect/cli/Flag"
import { readInputFile } from "../../scenarios/schema/input-file.js"
import { loadScenario } from "../../scenarios/schema/load.js"
import type { Scenario } from "../../scenarios/schema/scenario.js"
import { budgetProblems, DEFAULT_MAX_CALLS, estimateWork, horizonProblems, type WorkEstimate, type WorkLimits } from "../model/budget.js"
import { compile, CompileError } from "../model/compile.js"
import type { Model } from "../model/model.js"
import { BadInput } from "../domain/problem.js"

export const loadModel = (
  path: string,
  options: { readonly limits?: WorkLimits } = {}
): Effect.Effect<{ scenario: Scenario; model: Model; work: WorkEstimate }, BadInput> =>
  Effect.gen(function* () {
    const scenario = yield* loadScenario(path)
    // Before compiling: compiling allocates every interval's tables.
    const horizon = horizonProblems(scenario)
    if (horizon.length > 0) return yield* Effect.fail(new BadInput({ source: path, problems: horizon }))
    const base = dirname(path)
    const model = yield* Effect.try({
      try: () => compile(scenario, { readFile: (file) => readInputFile(resolve(base, file), "csv") }),
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

/** Checks a numeric CLI flag, as bad input when out of range. */
export const requireFlag = (ok: boolean, flag: string, message: string): Effect.Effect<void, BadInput> =>
  ok ? Effect.void : Effect.fail(new BadInput({ source: "command line", problems: [{ path: flag, message }] }))

/** `--max-calls N`: the most calls (and forms) per replication a run accepts (sim/model/budget.ts). */
export const maxCallsFlag = Flag.Finite("max-calls").pipe(
  Flag.withDefault(DEFAULT_MAX_CALLS),
  Flag.withDescription(`Refuse a scenario expecting more calls (or forms) per replication than this (default ${DEFAULT_MAX_CALLS.toExponential().replace("e+", "e")})`)
)
