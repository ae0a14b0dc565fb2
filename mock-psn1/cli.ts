/** `ccsim mock psn1` — command definition (to be filled in by the mock's implementation). */
import * as Effect from "effect/Effect"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"

export const psn1Command = Command.make("psn1", {
  port: Flag.Int("port").pipe(Flag.withDefault(0))
}, () => Effect.fail(new Error("mock psn1: not built yet")))
