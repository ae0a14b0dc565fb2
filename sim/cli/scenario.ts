/**
 * Loading a scenario for a command: decode (every problem with its path) then compile, reading
 * files the scenario names (a forecast CSV) relative to the scenario file. Compile problems are
 * bad input too, reported with the scenario path or file:line — never a stack trace.
 */
import { readFileSync } from "node:fs"
import { dirname, resolve } from "node:path"
import * as Effect from "effect/Effect"
import { loadScenario } from "../../scenarios/schema/load.js"
import type { Scenario } from "../../scenarios/schema/scenario.js"
import { compile, CompileError } from "../model/compile.js"
import type { Model } from "../model/model.js"
import { BadInput } from "../domain/problem.js"

export const loadModel = (path: string): Effect.Effect<{ scenario: Scenario; model: Model }, BadInput> =>
  Effect.gen(function* () {
    const scenario = yield* loadScenario(path)
    const base = dirname(path)
    const model = yield* Effect.try({
      try: () => compile(scenario, { readFile: (file) => readFileSync(resolve(base, file), "utf8") }),
      catch: (e) =>
        new BadInput({
          source: path,
          problems: e instanceof CompileError ? e.problems : [{ path: "", message: e instanceof Error ? e.message : String(e) }]
        })
    })
    return { scenario, model }
  })

/** Checks a numeric CLI flag, as bad input when out of range. */
export const requireFlag = (ok: boolean, flag: string, message: string): Effect.Effect<void, BadInput> =>
  ok ? Effect.void : Effect.fail(new BadInput({ source: "command line", problems: [{ path: flag, message }] }))
