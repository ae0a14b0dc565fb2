/** `ccsim mock odigo` — command definition (to be filled in by the mock's implementation). */
import * as Effect from "effect/Effect"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"

export const odigoCommand = Command.make("odigo", {
  port: Flag.Int("port").pipe(Flag.withDefault(0))
}, () => Effect.fail(new Error("mock odigo: not built yet")))
