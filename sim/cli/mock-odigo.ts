/**
 * `ccsim mock odigo`: starts mock-odigo and runs it until SIGINT/SIGTERM, then closes it
 * gracefully (`server.closing` to every connection, close 1001, stop listening).
 *
 * The flags and their checking are the CLI's; what they mean is the mock's (`optionProblems`,
 * `checkSeedAccounts`, `buildApp`). Invariants: bad flags or a bad accounts file exit with code 2
 * and every problem listed (BadInput), before anything is built; a start-up failure such as a
 * port in use exits with code 1. Only the mock's options module (defaults and their checks) is
 * loaded with the CLI: the rest of the mock — and fastify, ws, swagger — is imported when the
 * command runs, so `ccsim run` never loads them.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import type { NewAccount } from "../../mock-odigo/accounts.js"
import { DEFAULT_TRANSFER_TARGETS, optionProblems, type OdigoOptions } from "../../mock-odigo/options.js"
import { BadInput, formatProblemsInline, type Problem } from "../domain/problem.js"
import { runMock } from "./signals.js"

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

/** `ronaMs` -> `--rona-ms`: the mock names its options, the CLI names their flags. */
const flagOf = (option: string): string => `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`

/** Checks the flags and the accounts file; fails with BadInput listing every problem. */
const toConfig = (f: Flags) =>
  Effect.gen(function* () {
    const { checkSeedAccounts } = yield* Effect.promise(() => import("../../mock-odigo/accounts.js"))
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
    for (const p of optionProblems(options)) problems.push({ path: flagOf(p.path), message: p.message })
    let seedAccounts: ReadonlyArray<NewAccount> = []
    if (Option.isSome(f.accounts)) {
      const seeded = checkSeedAccounts(f.accounts.value)
      if (seeded.kind === "ok") seedAccounts = seeded.accounts
      else if (seeded.kind === "invalid") problems.push({ path: "--accounts", message: formatProblemsInline(seeded.problems) })
      else for (const p of seeded.problems) problems.push({ path: `--accounts: ${p.path}`, message: p.message })
    }
    if (problems.length > 0) return yield* Effect.fail(new BadInput({ source: "ccsim mock odigo", problems }))
    return { options, port: f.port, host: f.host, seedAccounts }
  })

const runOdigo = (f: Flags) =>
  Effect.gen(function* () {
    const { options, port, host, seedAccounts } = yield* toConfig(f)
    yield* runMock({
      build: async () => {
        const { buildApp } = await import("../../mock-odigo/app.js")
        const mock = await buildApp(options)
        try {
          for (const a of seedAccounts) mock.accounts.create(a, mock.platform.clock.nowMs())
        } catch (e) {
          await mock.close("start-up failed")
          throw e
        }
        return mock
      },
      listen: (mock) => mock.listen(port, host),
      close: (mock) => mock.close("shutdown"),
      buildFailed: (e) => `mock odigo: ${e.message}`,
      listenFailed: (e) => `mock odigo: ${e.message}`,
      banner: (url) =>
        `mock-odigo listening on ${url} (websockets ${url.replace(/^http/, "ws")}/agent and /supervision; ` +
        `docs ${url}/openapi.json and ${url}/asyncapi.json). Ctrl-C to stop.`,
      stopping: (signal) => `mock-odigo: ${signal} received, closing connections`,
      closed: "mock-odigo: closed"
    })
  })

export const odigoCommand = Command.make("odigo", flags, runOdigo).pipe(
  Command.withDescription("Mock of the Odigo telephony platform: agent bar and supervision websockets, ACD, statistics, faults")
)
