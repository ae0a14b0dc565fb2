/**
 * Running `ccsim mock odigo` (loaded only when the command runs): checks the flags and the
 * accounts file, then runs the server with `runMock` (sim/cli/signals.ts): build, seed the
 * accounts, listen, wait for SIGINT/SIGTERM, close gracefully.
 *
 * Invariant: bad flags or a bad accounts file exit with code 2 and every problem listed (via
 * BadInput); a start-up failure such as a port in use exits with code 1.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { BadInput, type Problem } from "../sim/domain/problem.js"
import { runMock } from "../sim/cli/signals.js"
import { Accounts, NewAccount } from "./accounts.js"
import { buildApp } from "./app.js"
import type { Flags } from "./cli.js"
import { OdigoError } from "./errors.js"
import { InvalidOptions, resolveOptions, type OdigoOptions } from "./options.js"
import { formatIssue } from "./protocol/decode.js"

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

export const runOdigo = (f: Flags) =>
  Effect.gen(function* () {
    const { seedAccounts, port, host, ...options } = yield* toConfig(f)
    yield* runMock({
      build: async () => {
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
