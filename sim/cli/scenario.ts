/**
 * Loading a scenario for a command: decode (every problem with its path) then compile. A compile
 * failure on a decoded scenario is still reported as bad input with the scenario's name, never
 * as a stack trace.
 */
import * as Effect from "effect/Effect"
import { loadScenario } from "../../scenarios/schema/load.js"
import type { Scenario } from "../../scenarios/schema/scenario.js"
import { compile } from "../model/compile.js"
import type { Model } from "../model/model.js"
import { BadInput } from "./errors.js"

export const loadModel = (path: string): Effect.Effect<{ scenario: Scenario; model: Model }, BadInput> =>
  Effect.gen(function* () {
    const scenario = yield* loadScenario(path)
    const model = yield* Effect.try({
      try: () => compile(scenario),
      catch: (e) => new BadInput({ source: path, problems: [{ path: "", message: e instanceof Error ? e.message : String(e) }] })
    })
    return { scenario, model }
  })

/** Checks a numeric CLI flag, as bad input when out of range. */
export const requireFlag = (ok: boolean, flag: string, message: string): Effect.Effect<void, BadInput> =>
  ok ? Effect.void : Effect.fail(new BadInput({ source: "command line", problems: [{ path: flag, message }] }))
