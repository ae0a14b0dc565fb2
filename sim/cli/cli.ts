/**
 * What every entry of the command line shares (sim/cli/main.ts, every command; sim/cli/main-run.ts,
 * `ccsim run` alone): the root command over the subcommands it is given, effect/cli's parsing, and
 * the exit code of the outcome. Exit codes (DESIGN.md): 0 ok, 1 runtime failure, 2 bad input
 * (scenario, flags, files), 3 a staffing target no plan within the rules meets, 99 a `ccsim load`
 * threshold failed (k6's code). Bad input prints every problem with its path and never a stack trace.
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Command from "effect/cli/Command"
import * as CliError from "effect/cli/CliError"
import { platformLayer } from "./platform.js"
import { BadInput, formatProblems } from "../domain/problem.js"
import { TargetNotMet, THRESHOLD_EXIT_CODE, ThresholdsFailed } from "./failures.js"

export const VERSION = "0.1.0"

/**
 * Runs the command line `process.argv` over these subcommands, then ends the process with its exit
 * code. (Each command has its own name and flags, hence `any` for those; none needs a service the
 * platform layer does not give.)
 */
export const runCli = (subcommands: ReadonlyArray<Command.Command<any, any, any, unknown, never>>): void => {
  const root = Command.make("ccsim").pipe(
    Command.withDescription("Simulation and load-testing harness for the 3422 Mon espace santé contact centre"),
    Command.withSubcommands(subcommands)
  )
  const program = Command.runWith(root, { version: VERSION })(process.argv.slice(2)).pipe(Effect.provide(platformLayer))

  // A reader that stops early (`ccsim run … --json | head`) closes the pipe: stop quietly, as a Unix
  // tool killed by SIGPIPE does, instead of a stack trace for an unhandled EPIPE.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e
    process.exit(process.exitCode ?? 0)
  })

  // The command is done once its program is (every command awaits its own work: files written,
  // servers closed, child processes stopped). Then the process ends at once when stdout and stderr
  // hold nothing unwritten (Node's writable streams report what they still buffer), rather than
  // when Node's event loop has emptied: that also waited for terminated worker threads
  // to wind down and for V8's background tasks, ~10-15 ms after every run (interleaved A/B of the
  // textbook run, 24 trials: -14 ms). Otherwise the loop drains first, as before.
  void Effect.runPromiseExit(program).then((exit) => {
    const code = exitCodeOf(exit)
    process.exitCode = code
    if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit(code)
  })
}

/** Maps the outcome of a command to the process exit code, printing what the user must see. */
const exitCodeOf = (exit: Exit.Exit<unknown, unknown>): number => {
  if (Exit.isSuccess(exit)) return 0
  const failure = exit.cause.reasons.find(Cause.isFailReason)
  const error: unknown = failure?.error
  if (error instanceof BadInput) {
    process.stderr.write(`ccsim: ${formatProblems(error.source, error.problems)}\n`)
    return 2
  }
  if (error instanceof TargetNotMet) {
    process.stderr.write(`ccsim: ${error.message}\n`)
    return 3
  }
  if (error instanceof ThresholdsFailed) {
    process.stderr.write(`ccsim: ${error.message}\n`)
    return THRESHOLD_EXIT_CODE
  }
  if (CliError.isCliError(error)) {
    // effect/cli has already printed the parse error and the help text.
    return error._tag === "ShowHelp" && error.errors.length === 0 ? 0 : 2
  }
  if (error !== undefined) {
    const message = error instanceof Error ? error.message : String(error)
    process.stderr.write(`ccsim: ${message}\n`)
    return 1
  }
  process.stderr.write(`ccsim: internal error\n${Cause.pretty(exit.cause)}\n`)
  return 1
}
