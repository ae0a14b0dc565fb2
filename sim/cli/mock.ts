/**
 * `ccsim mock odigo` and `ccsim mock psn1`: the two commands (./mock-odigo.ts, ./mock-psn1.ts)
 * under one group. The mocks keep their knowledge (options, accounts, configuration) in their
 * own folders; the flags and the process life cycle are the CLI's.
 */
import * as Command from "effect/cli/Command"
import { odigoCommand } from "./mock-odigo.js"
import { psn1Command } from "./mock-psn1.js"

export const mockCommand = Command.make("mock").pipe(
  Command.withDescription("Start a mock of Odigo (telephony) or PSN1 (support portal) on loopback"),
  Command.withSubcommands([odigoCommand, psn1Command])
)
