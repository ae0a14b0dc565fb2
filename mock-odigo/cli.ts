/**
 * `ccsim mock odigo`: starts mock-odigo and runs until SIGINT/SIGTERM, then closes gracefully
 * (`server.closing` to every connection, close 1001, stop listening).
 *
 * Invariant: bad flags or a bad accounts file exit with code 2 and every problem listed (via
 * BadInput); a start-up failure such as a port in use exits with code 1. The server modules
 * (fastify, ws) are imported only when this command runs.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import { BadInput, RuntimeFailure, type Problem } from "../sim/cli/errors.js"
import { Accounts, NewAccount } from "./accounts.js"
import { OdigoError } from "./errors.js"
import { DEFAULT_TRANSFER_TARGETS, InvalidOptions, resolveOptions, type OdigoOptions } from "./options.js"
import { formatIssue } from "./protocol/decode.js"
import { OdigoServer } from "./server.js"

const flags = {
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

type Flags = {
  readonly [K in keyof typeof flags]: (typeof flags)[K] extends Flag.Flag<infer A> ? A : never
}

const SeedFile = Schema.Array(NewAccount)

/** Checks the flags and the accounts file; fails with BadInput listing every problem. */
const toConfig = (f: Flags) =>
  Effect.suspend(() => {
    const problems: Array<Problem> = []
    if (!Number.isInteger(f.port) || f.port < 0 || f.port > 65535) problems.push({ path: "--port", message: `expected 0-65535, got ${f.port}` })
    const options: OdigoOptions = {
      ronaMs: f.ronaMs,
      graceMs: f.graceMs,
      transferTargets: f.transferTargets.split(",").map((s) => s.trim()).filter((s) => s !== ""),
      requireQualification: f.requireQualification,
      heartbeatMs: f.heartbeatMs,
      loginTimeoutMs: f.loginTimeoutMs,
      maxPayloadBytes: f.maxPayloadBytes,
      logger: f.log,
      ...(Option.isSome(f.adminToken) ? { adminToken: f.adminToken.value } : {})
    }
    try {
      resolveOptions(options)
    } catch (e) {
      if (!(e instanceof InvalidOptions)) throw e
      const flagName = (p: string) => `--${p.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
      for (const p of e.problems) problems.push({ path: flagName(p.path), message: p.message })
    }
    let seedAccounts: ReadonlyArray<NewAccount> = []
    if (Option.isSome(f.accounts)) {
      const r = Schema.decodeUnknownResult(SeedFile)(f.accounts.value, { errors: "all" })
      if (r._tag === "Failure") problems.push({ path: "--accounts", message: formatIssue((r as unknown as { failure: { issue: never } }).failure.issue, "accounts") })
      else {
        seedAccounts = (r as unknown as { success: ReadonlyArray<NewAccount> }).success
        const scratch = new Accounts()
        seedAccounts.forEach((a, i) => {
          try {
            scratch.create(a, 0)
          } catch (e) {
            if (e instanceof OdigoError) problems.push({ path: `--accounts: accounts[${i}] (${a.login})`, message: `${e.code}: ${e.message}` })
            else throw e
          }
        })
      }
    }
    if (problems.length > 0) return Effect.fail(new BadInput({ source: "ccsim mock odigo", problems }))
    return Effect.succeed({ ...options, port: f.port, host: f.host, seedAccounts })
  })

/** Resolves on SIGINT or SIGTERM. */
const waitForSignal = Effect.callback<string>((resume) => {
  const onSignal = (signal: NodeJS.Signals) => resume(Effect.succeed(signal))
  process.once("SIGINT", onSignal)
  process.once("SIGTERM", onSignal)
  return Effect.sync(() => {
    process.off("SIGINT", onSignal)
    process.off("SIGTERM", onSignal)
  })
})

export const odigoCommand = Command.make("odigo", flags, (f) =>
  Effect.gen(function* () {
    const config = yield* toConfig(f)
    yield* Effect.gen(function* () {
      const { url } = yield* OdigoServer
      process.stderr.write(
        `mock-odigo listening on ${url} (websockets ${url.replace(/^http/, "ws")}/agent and /supervision; ` +
          `docs ${url}/openapi.json and ${url}/asyncapi.json). Ctrl-C to stop.\n`
      )
      const signal = yield* waitForSignal
      process.stderr.write(`mock-odigo: ${signal} received, closing connections\n`)
    }).pipe(
      Effect.provide(OdigoServer.layer(config)),
      Effect.mapError((e) => new RuntimeFailure({ message: `mock odigo: ${e.message}` }))
    )
    process.stderr.write("mock-odigo: closed\n")
  })
).pipe(Command.withDescription("Mock of the Odigo telephony platform: agent bar and supervision websockets, ACD, statistics, faults"))
