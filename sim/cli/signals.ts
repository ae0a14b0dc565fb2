/** Waiting for the user to stop a long-running command (the mocks): resolves on SIGINT or SIGTERM. */
import * as Effect from "effect/Effect"

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
