/**
 * Loading a scenario file into a runnable Model: decode (every problem with its path), then
 * compile, reading the files the scenario names (forecast and plan CSVs) relative to the scenario
 * file. Compile problems are bad input too, reported with the scenario path or file:line — never
 * a stack trace. Every command that runs a scenario (run, staff, bid, load, report) comes here.
 */
import { readFileSync } from "node:fs"
import { dirname, resolve } from "node:path"
import * as Effect from "effect/Effect"
import { BadInput } from "../domain/problem.js"
import { loadScenario } from "../../scenarios/schema/load.js"
import type { Scenario } from "../../scenarios/schema/scenario.js"
import { compile, CompileError } from "./compile.js"
import type { Model } from "./model.js"

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
