/**
 * Long-running commands (the mocks): waiting for the user to stop them, and the one way a mock
 * server is started and stopped — build, listen, print its banner, wait for SIGINT/SIGTERM,
 * close gracefully.
 *
 * Invariant: once built, a server is an Effect resource (`acquireRelease`), so it is closed
 * exactly once on every way out — signal, failure to listen, or interruption.
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { RuntimeFailure } from "../domain/problem.js"

/** Succeeds with the signal's name on the first SIGINT or SIGTERM, and stops listening. */
export const waitForStopSignal: Effect.Effect<string> = Effect.callback<string>((resume) => {
  const onSignal = (signal: NodeJS.Signals) => resume(Effect.succeed(signal))
  process.once("SIGINT", onSignal)
  process.once("SIGTERM", onSignal)
  return Effect.sync(() => {
    process.off("SIGINT", onSignal)
    process.off("SIGTERM", onSignal)
  })
})

/** How `runMock` starts, stops and announces one mock server. */
export interface MockServer<S> {
  /** Builds the server, not listening yet. A build that fails must clean up after itself. */
  readonly build: () => Promise<S>
  /** Starts listening; resolves with the base URL (`http://host:port`). */
  readonly listen: (server: S) => Promise<string>
  /** Closes gracefully (connections told, then closed; listener stopped). */
  readonly close: (server: S) => Promise<void>
  /** The message of the runtime failure (exit 1) when building or listening fails. */
  readonly buildFailed: (error: Error) => string
  readonly listenFailed: (error: Error) => string
  /** Stderr lines: once listening, when the stop signal arrives, and once closed (if any). */
  readonly banner: (url: string) => string
  readonly stopping: (signal: string) => string
  readonly closed?: string | undefined
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)))

/**
 * Runs a mock until SIGINT/SIGTERM: build, listen, banner on stderr, wait for the signal, close.
 * Fails with RuntimeFailure (exit 1) when the server cannot be built or cannot listen.
 */
export const runMock = <S>(mock: MockServer<S>): Effect.Effect<void, RuntimeFailure> =>
  Effect.gen(function* () {
    const server = yield* Effect.acquireRelease(
      Effect.tryPromise({ try: mock.build, catch: (e) => new RuntimeFailure({ message: mock.buildFailed(asError(e)) }) }),
      (s) => Effect.promise(() => mock.close(s))
    )
    const url = yield* Effect.tryPromise({
      try: () => mock.listen(server),
      catch: (e) => new RuntimeFailure({ message: mock.listenFailed(asError(e)) })
    })
    yield* Console.error(mock.banner(url))
    const signal = yield* waitForStopSignal
    yield* Console.error(mock.stopping(signal))
  }).pipe(
    Effect.scoped,
    Effect.andThen(mock.closed === undefined ? Effect.void : Console.error(mock.closed))
  )
