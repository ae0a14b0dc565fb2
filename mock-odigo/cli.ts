/**
 * `ccsim mock odigo`: starts mock-odigo and runs until SIGINT/SIGTERM, then closes gracefully
 * (`server.closing` to every connection, close 1001, stop listening).
 *
 * This module only declares the flags; checking them and running the server live in
 * ./cli-run.ts, imported when the command runs — so `ccsim run` never loads the mock.
 */
import * as Effect from "effect/Effect"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import { DEFAULT_TRANSFER_TARGETS } from "./options.js"

export const flags = {
  port: Flag.Int("port").pipe(Flag.withDefault(8081), Flag.withDescription("TCP port to listen on (0: any free port)")),
  host: Flag.String("host").pipe(Flag.withDefault("127.0.0.1"), Flag.withDescription("Interface to bind; loopback by default")),
  ronaMs: Flag.Int("rona-ms").pipe(Flag.withDefault(15_000), Flag.withDescription("Ring time before an unanswered offer is redirected (RONA), ms")),
  graceMs: Flag.Int("grace-ms").pipe(Flag.withDefault(60_000), Flag.withDescription("Reconnection grace period keeping a lost agent's session and call, ms")),
  transferTargets: Flag.String("transfer-targets").pipe(
    Flag.withDefault(DEFAULT_TRANSFER_TARGETS.join(",")),
    Flag.withDescription("Comma-separated level-1+ platforms calls may be transferred to")
  ),
  requireQualification: Flag.Boolean("require-qualification").pipe(Flag.withDefault(false), Flag.withDescription("Refuse endWrapUp until the call is qualified")),
  heartbeatMs: Flag.Int("heartbeat-ms").pipe(Flag.withDefault(30_000), Flag.withDescription("Websocket ping period; silent connections are cut, ms")),
  loginTimeoutMs: Flag.Int("login-timeout-ms").pipe(Flag.withDefault(10_000), Flag.withDescription("Time allowed to log in after connecting, ms")),
  maxPayloadBytes: Flag.Int("max-payload-bytes").pipe(Flag.withDefault(4096), Flag.withDescription("Largest websocket frame a client may send, bytes")),
  adminToken: Flag.String("admin-token").pipe(
    Flag.optional,
    Flag.withDescription("Require 'Authorization: Bearer <token>' on admin endpoints instead of loopback-only access")
  ),
  accounts: Flag.FileParse("accounts").pipe(
    Flag.optional,
    Flag.withDescription("JSON or YAML file: a list of accounts {login, password, firstName, lastName, email, role} to create at start")
  ),
  log: Flag.Boolean("log").pipe(Flag.withDefault(false), Flag.withDescription("Log every HTTP request (JSON lines on stdout)"))
}

export type Flags = {
  readonly [K in keyof typeof flags]: (typeof flags)[K] extends Flag.Flag<infer A> ? A : never
}

export const odigoCommand = Command.make("odigo", flags, (f) =>
  Effect.flatMap(
    Effect.promise(() => import("./cli-run.js")),
    (run) => run.runOdigo(f)
  )
).pipe(Command.withDescription("Mock of the Odigo telephony platform: agent bar and supervision websockets, ACD, statistics, faults"))
