/** Checking command-line flags: a flag out of range is bad input (exit 2), named by its flag. */
import * as Effect from "effect/Effect"
import { BadInput } from "../domain/problem.js"

export { loadModel } from "../model/load.js"

/** Checks a numeric CLI flag, as bad input when out of range. */
export const requireFlag = (ok: boolean, flag: string, message: string): Effect.Effect<void, BadInput> =>
  ok ? Effect.void : Effect.fail(new BadInput({ source: "command line", problems: [{ path: flag, message }] }))
