/** What compiling needs besides the scenario, what it reports, and its defaults. */

/** Default target answer time of the service level, seconds. */
export const DEFAULT_SERVICE_LEVEL_SECONDS = 20
/** Default accounting interval, minutes (CCTP statistics are per 15-minute interval). */
export const DEFAULT_INTERVAL_MINUTES = 15

import { ProblemsError } from "../domain/problem.js"

/** Problems found while compiling, each with the path of the scenario field (or file:line) at fault. */
export class CompileError extends ProblemsError {}

/** Options for reading files the scenario refers to (CSV forecasts). */
export interface CompileOptions {
  /** Reads a text file named in the scenario (a path relative to the scenario file). */
  readonly readFile?: (path: string) => string
}
