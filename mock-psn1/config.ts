/**
 * mock-psn1's start-up configuration: from the settings an operator gives (`ccsim mock psn1`'s
 * flags, parsed by sim/cli/mock-psn1.ts) to the options of `buildApp`, with the mock's own rules
 * — the password policy for the officer, the ranges it supports, times in ms.
 *
 * Invariant: `parseFlags` either returns a complete configuration or every problem at once
 * (never the first only, never a throw); the CLI reports them as bad input (exit 2) before
 * anything is built. Loading this module loads no server code.
 */
import * as Option from "effect/Option"
import type { Problem } from "../sim/domain/problem.js"
import type { BuildOptions } from "./app.js"
import { DAY_MS, MINUTE_MS } from "./clock.js"
import { DEFAULT_POLICY } from "./domain/accounts.js"
import { passwordProblems } from "./domain/secrets.js"

/** The start-up settings, as `ccsim mock psn1` parses its flags (sim/cli/mock-psn1.ts). */
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

/**
 * Checks the settings; returns the configuration or every problem found, each named by its
 * flag (`--officer`, `--population`, …) since that is what the operator typed.
 */
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
