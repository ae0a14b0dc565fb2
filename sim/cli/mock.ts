/**
 * `ccsim mock odigo` and `ccsim mock psn1`: each mock owns its command definition in its own
 * folder (mock-odigo/cli.ts, mock-psn1/cli.ts); this module only groups them.
 */
import * as Command from "effect/cli/Command"
import { odigoCommand } from "../../mock-odigo/cli.js"
import { psn1Command } from "../../mock-psn1/cli.js"

export const mockCommand = Command.make("mock").pipe(
  Command.withDescription("Start a mock of Odigo (telephony) or PSN1 (support portal) on loopback"),
  Command.withSubcommands([odigoCommand, psn1Command])
)
