/**
 * `ccsim mock psn1`: the command and its flags. It checks the flags with the mock's rules
 * (mock-psn1/config.ts `parseFlags`), builds the mock, listens, and closes it gracefully on
 * SIGINT/SIGTERM.
 *
 * Invariants: every flag problem is reported at once as BadInput (exit 2, no stack trace),
 * before anything is built; the server runs through `runMock` (./signals.ts), an Effect
 * resource closed on every way out — signal, failure or interruption; the mock's time is
 * effect's `Clock` service. The mock's modules are imported only when the command runs, so
 * `ccsim run` never loads them (nor fastify).
 */
import { createWriteStream } from "node:fs"
import * as Effect from "effect/Effect"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import type { Psn1Flags } from "../../mock-psn1/config.js"
import { BadInput } from "../domain/problem.js"
import { runMock } from "./signals.js"

const run = (flags: Psn1Flags) =>
  Effect.gen(function* () {
    const { parseFlags } = yield* Effect.promise(() => import("../../mock-psn1/config.js"))
    const parsed = parseFlags(flags)
    if ("problems" in parsed) return yield* Effect.fail(new BadInput({ source: "ccsim mock psn1", problems: parsed.problems }))
    const { config } = parsed
    const clock = yield* Effect.clockWith((c) => Effect.succeed(c))
    const sink = config.auditFile === undefined ? undefined : createWriteStream(config.auditFile, { flags: "a" })
    const b = config.build
    yield* runMock({
      // The server (fastify, swagger, ws) loads only when the mock is started, not at every ccsim start-up.
      build: async () => (await import("../../mock-psn1/app.js")).buildApp({
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

export const psn1Command = Command.make("psn1", {
  port: Flag.Int("port").pipe(Flag.withDefault(8082), Flag.withDescription("TCP port (0 picks a free one)")),
  host: Flag.String("host").pipe(Flag.withDefault("127.0.0.1"), Flag.withDescription("Interface to listen on (loopback by default)")),
  officer: Flag.String("officer").pipe(Flag.withDescription("Security officer account, EMAIL:PASSWORD (SEC-HAB-03); required")),
  mailbox: Flag.Boolean("mailbox").pipe(Flag.withDefault(false), Flag.withDescription("Expose GET /mailbox/:email to read login OTPs (tests, harnesses)")),
  seed: Flag.String("seed").pipe(Flag.withDefault("psn1"), Flag.withDescription("Seed of the synthetic population and generated forms")),
  population: Flag.Int("population").pipe(Flag.withDefault(10_000), Flag.withDescription("Number of synthetic insured people")),
  formsPerHour: Flag.Finite("forms-per-hour").pipe(Flag.withDefault(0), Flag.withDescription("Mean generated contact forms per hour (Poisson)")),
  tokenTtlMinutes: Flag.Int("token-ttl-minutes").pipe(Flag.withDefault(480), Flag.withDescription("Bearer token lifetime")),
  otpTtlMinutes: Flag.Int("otp-ttl-minutes").pipe(Flag.withDefault(5), Flag.withDescription("OTP lifetime")),
  maxFailures: Flag.Int("max-failures").pipe(Flag.withDefault(5), Flag.withDescription("Failed password/OTP attempts in 15 min, from one address for one email, that lock that address out of it")),
  lockoutMinutes: Flag.Int("lockout-minutes").pipe(Flag.withDefault(15), Flag.withDescription("Lockout duration")),
  idleDays: Flag.Int("idle-days").pipe(Flag.withDefault(90), Flag.withDescription("Days without login after which an account is disabled (CCTP 8.1: 90)")),
  auditRetentionDays: Flag.Int("audit-retention-days").pipe(Flag.withDefault(400), Flag.withDescription("Audit retention, at least 366 (CCTP 8.1: one year)")),
  auditFile: Flag.String("audit-file").pipe(Flag.optional, Flag.withDescription("Also append every audit entry to this JSON-lines file"))
}, run).pipe(
  Command.withDescription("Mock of PSN1, the Mon espace santé support portal (OTP login, insured people, tickets, forms, audit)")
)
