/**
 * `ccsim mock psn1`: the command and its flags. Checking the flags and running the server live
 * in ./cli-run.ts, imported when the command runs — so `ccsim run` never loads the mock.
 */
import * as Effect from "effect/Effect"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import type { Psn1Flags } from "./cli-run.js"

const run = (flags: Psn1Flags) => Effect.flatMap(Effect.promise(() => import("./cli-run.js")), (m) => m.run(flags))

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
  maxFailures: Flag.Int("max-failures").pipe(Flag.withDefault(5), Flag.withDescription("Failed password/OTP attempts in 15 min that lock an email")),
  lockoutMinutes: Flag.Int("lockout-minutes").pipe(Flag.withDefault(15), Flag.withDescription("Lockout duration")),
  idleDays: Flag.Int("idle-days").pipe(Flag.withDefault(90), Flag.withDescription("Days without login after which an account is disabled (CCTP 8.1: 90)")),
  auditRetentionDays: Flag.Int("audit-retention-days").pipe(Flag.withDefault(400), Flag.withDescription("Audit retention, at least 366 (CCTP 8.1: one year)")),
  auditFile: Flag.String("audit-file").pipe(Flag.optional, Flag.withDescription("Also append every audit entry to this JSON-lines file"))
}, run).pipe(
  Command.withDescription("Mock of PSN1, the Mon espace santé support portal (OTP login, insured people, tickets, forms, audit)")
)
