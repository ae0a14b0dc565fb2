/**
 * Errors the CLI turns into exit codes (DESIGN.md): 0 ok, 1 runtime failure, 2 bad input.
 *
 * `BadInput` carries every problem found, each with the path of the offending value (a file,
 * a line, or a path inside a scenario such as `arrivals.poisson.perHour`), so a planner can fix
 * them all in one go. No stack trace is ever shown for it.
 */
import * as Data from "effect/Data"

import type { Problem } from "../model/options.js"

export type { Problem }

/** The user's input (file, flags, scenario) is wrong; exit code 2. */
export class BadInput extends Data.TaggedError("BadInput")<{
  /** What was being read, e.g. the scenario file name. */
  readonly source: string
  readonly problems: ReadonlyArray<Problem>
}> {
  override get message(): string {
    return formatBadInput(this)
  }
}

/** A failure that is not the user's input (I/O, worker crash); exit code 1. */
export class RuntimeFailure extends Data.TaggedError("RuntimeFailure")<{
  readonly message: string
}> {}

export const formatBadInput = (e: { source: string; problems: ReadonlyArray<Problem> }): string => {
  const n = e.problems.length
  const head = `${e.source}: ${n} problem${n === 1 ? "" : "s"}`
  return [head, ...e.problems.map((p) => (p.path ? `  ${p.path}: ${p.message}` : `  ${p.message}`))].join("\n")
}
