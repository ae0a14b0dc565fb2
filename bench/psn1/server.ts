/**
 * The psn1 bench's server process: runs the real `ccsim mock psn1` command (mock-psn1/cli.ts)
 * with the arguments it was given, without the esbuild bundle, so the bench measures the
 * mock and not the rest of the CLI. Stops on SIGTERM like the command does.
 */
import * as Effect from "effect/Effect"
import * as Command from "effect/cli/Command"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { psn1Command } from "../../mock-psn1/cli.js"

const exit = await Effect.runPromiseExit(
  Command.runWith(psn1Command, { version: "bench" })(process.argv.slice(2)).pipe(Effect.provide(NodeServices.layer))
)
process.exitCode = exit._tag === "Success" ? 0 : 1
