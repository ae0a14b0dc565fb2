/** What compiling needs besides the scenario, what it reports, and its defaults. */

/** Default target answer time of the service level, seconds. */
export const DEFAULT_SERVICE_LEVEL_SECONDS = 20
/** Default accounting interval, minutes (CCTP statistics are per 15-minute interval). */
export const DEFAULT_INTERVAL_MINUTES = 15

/** One problem in user input: where it is and what is wrong. */
export interface Problem {
  /** Location: `file`, `file:line`, or a dotted path inside a document (`horizon.hours`). */
  readonly path: string
  readonly message: string
}

/** Problems found while compiling, each with the path of the scenario field (or file:line) at fault. */
export class CompileError extends Error {
  constructor(readonly problems: ReadonlyArray<Problem>) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join("; "))
  }
}

/** Options for reading files the scenario refers to (CSV forecasts). */
export interface CompileOptions {
  /** Reads a text file named in the scenario (a path relative to the scenario file). */
  readonly readFile?: (path: string) => string
}
