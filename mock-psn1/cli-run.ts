/**
 * Running `ccsim mock psn1` (loaded only when the command runs, see ./cli.ts): checks the flags,
 * builds the mock, listens, and closes it gracefully on SIGINT/SIGTERM.
 *
 * Invariants: every flag problem is reported at once as BadInput (exit 2, no stack trace),
 * before anything is built; the server runs through `runMock` (sim/cli/signals.ts), an
 * Effect resource closed on every way out — signal, failure or interruption; the mock's time
 * is effect's `Clock` service.
 */
import { createWriteStream } from "node:fs"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { BadInput, type Problem } from "../sim/domain/problem.js"
import { runMock } from "../sim/cli/signals.js"
import type { BuildOptions } from "./app.js"
import { DAY_MS, MINUTE_MS } from "./clock.js"
import { DEFAULT_POLICY } from "./domain/accounts.js"
import { passwordProblems } from "./domain/secrets.js"

/** The flags as effect/cli parsed them. */
export interface Psn1Flags {
  readonly port: number
  readonly host: string
  readonly officer: string
  readonly mailbox: boolean
  readonly seed: string
  readonly population: number
  readonly formsPerHour: number
  readonly tokenTtlMinutes: number
  readonly otpTtlMinutes: number
  readonly maxFailures: number
  readonly lockoutMinutes: number
  readonly idleDays: number
  readonly auditRetentionDays: number
  readonly auditFile: Option.Option<string>
}

export interface Psn1Config {
  readonly host: string
  readonly port: number
  readonly auditFile: string | undefined
  readonly build: BuildOptions
}

const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/

const intIn = (problems: Array<Problem>, path: string, value: number, min: number, max: number): void => {
  if (!Number.isInteger(value) || value < min || value > max) problems.push({ path, message: `expected an integer in ${min}..${max}, got ${value}` })
}

/** Checks the flags; returns the configuration or every problem found. */
export const parseFlags = (flags: Psn1Flags): { config: Psn1Config } | { problems: Array<Problem> } => {
  const problems: Array<Problem> = []
  const colon = flags.officer.indexOf(":")
  const email = colon < 0 ? "" : flags.officer.slice(0, colon)
  const password = colon < 0 ? "" : flags.officer.slice(colon + 1)
  if (colon < 0) problems.push({ path: "--officer", message: "expected EMAIL:PASSWORD, e.g. rssi@example.test:Secret-123" })
  else {
    if (!EMAIL.test(email)) problems.push({ path: "--officer", message: `"${email}" is not an email address (expected EMAIL:PASSWORD)` })
    const weak = passwordProblems(password, email.toLowerCase())
    if (weak.length > 0) problems.push({ path: "--officer", message: `the password must have ${weak.join("; ")}` })
  }
  intIn(problems, "--port", flags.port, 0, 65535)
  if (flags.host.trim() === "") problems.push({ path: "--host", message: "must not be empty" })
  if (flags.seed === "") problems.push({ path: "--seed", message: "must not be empty" })
  intIn(problems, "--population", flags.population, 1, 1_000_000)
  if (!(Number.isFinite(flags.formsPerHour) && flags.formsPerHour >= 0 && flags.formsPerHour <= 100_000)) {
    problems.push({ path: "--forms-per-hour", message: `expected a number in 0..100000, got ${flags.formsPerHour}` })
  }
  intIn(problems, "--token-ttl-minutes", flags.tokenTtlMinutes, 1, 7 * 24 * 60)
  intIn(problems, "--otp-ttl-minutes", flags.otpTtlMinutes, 1, 60)
  intIn(problems, "--max-failures", flags.maxFailures, 1, 100)
  intIn(problems, "--lockout-minutes", flags.lockoutMinutes, 1, 24 * 60)
  intIn(problems, "--idle-days", flags.idleDays, 1, 3650)
  // CCTP 8.1: access history kept at least one year.
  intIn(problems, "--audit-retention-days", flags.auditRetentionDays, 366, 3650)
  if (problems.length > 0) return { problems }
  return {
    config: {
      host: flags.host,
      port: flags.port,
      auditFile: Option.getOrUndefined(flags.auditFile),
      build: {
        officer: { email, password },
        mailbox: flags.mailbox,
        seed: flags.seed,
        population: flags.population,
        formsPerHour: flags.formsPerHour,
        tokenTtlMs: flags.tokenTtlMinutes * MINUTE_MS,
        policy: {
          ...DEFAULT_POLICY,
          otpTtlMs: flags.otpTtlMinutes * MINUTE_MS,
          maxFailures: flags.maxFailures,
          lockoutMs: flags.lockoutMinutes * MINUTE_MS,
          idleDisableMs: flags.idleDays * DAY_MS
        },
        auditRetentionMs: flags.auditRetentionDays * DAY_MS
      }
    }
  }
}

export const run = (flags: Psn1Flags) =>
  Effect.gen(function* () {
    const parsed = parseFlags(flags)
    if ("problems" in parsed) return yield* Effect.fail(new BadInput({ source: "ccsim mock psn1", problems: parsed.problems }))
    const { config } = parsed
    const clock = yield* Effect.clockWith((c) => Effect.succeed(c))
    const sink = config.auditFile === undefined ? undefined : createWriteStream(config.auditFile, { flags: "a" })
    const b = config.build
    yield* runMock({
      // The server (fastify, swagger, ws) loads only when the mock is started, not at every ccsim start-up.
      build: async () => (await import("./app.js")).buildApp({
        ...b,
        clock: { nowMs: () => clock.currentTimeMillisUnsafe() },
        ...(sink === undefined ? {} : { auditSink: (line: string) => { sink.write(line) } })
      }),
      listen: (app) => app.listen({ host: config.host, port: config.port }),
      close: async (app) => {
        await app.close()
        if (sink !== undefined) await new Promise<void>((resolve) => sink.end(() => resolve()))
      },
      buildFailed: (e) => `mock psn1: could not start: ${e.message}`,
      listenFailed: (e) => `mock psn1: cannot listen on ${config.host}:${config.port}: ${e.message}`,
      banner: (address) =>
        `mock-psn1 listening on ${address} (officer ${b.officer.email}, ${b.population} insured, seed "${b.seed}", ` +
        `forms ${b.formsPerHour}/h, mailbox ${b.mailbox === true ? "on" : "off"}); OpenAPI at ${address}/openapi.json, ` +
        `websocket ${address.replace(/^http/, "ws")}/events; Ctrl-C to stop`,
      stopping: (signal) => `mock-psn1: ${signal}, closing`
    })
  })
