import { spawn } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Option from "effect/Option"
import { describe, expect, it, onTestFinished } from "vitest"
import { parseFlags, type Psn1Flags } from "../../mock-psn1/config.js"

const BIN = join(import.meta.dirname, "..", "..", "bin", "ccsim.mjs")

const flags = (over: Partial<Psn1Flags> = {}): Psn1Flags => ({
  port: 8082, host: "127.0.0.1", officer: "rssi@example.test:Secret-123", mailbox: false, seed: "psn1", population: 10_000,
  formsPerHour: 0, tokenTtlMinutes: 480, otpTtlMinutes: 5, maxFailures: 5, lockoutMinutes: 15, idleDays: 90,
  auditRetentionDays: 400, auditFile: Option.none(), ...over
})

describe("ccsim mock psn1 flags", () => {
  it("turns the defaults into the build options (times in ms)", () => {
    const parsed = parseFlags(flags({ mailbox: true, auditFile: Option.some("/tmp/a.jsonl") }))
    expect("config" in parsed && parsed.config).toMatchObject({
      host: "127.0.0.1", port: 8082, auditFile: "/tmp/a.jsonl",
      build: {
        officer: { email: "rssi@example.test", password: "Secret-123" }, mailbox: true, population: 10_000, tokenTtlMs: 480 * 60_000,
        policy: { otpTtlMs: 300_000, maxFailures: 5, lockoutMs: 900_000, idleDisableMs: 90 * 86_400_000 }, auditRetentionMs: 400 * 86_400_000
      }
    })
  })

  it("keeps a password containing colons whole (only the first colon separates)", () => {
    const parsed = parseFlags(flags({ officer: "rssi@example.test:Se:cret-123" }))
    expect("config" in parsed && parsed.config.build.officer.password).toBe("Se:cret-123")
  })

  it("reports every problem at once", () => {
    expect(parseFlags(flags({ officer: "rssi@example.test", population: 0, auditRetentionDays: 100, formsPerHour: -1 }))).toEqual({
      problems: [
        { path: "--officer", message: "expected EMAIL:PASSWORD, e.g. rssi@example.test:Secret-123" },
        { path: "--population", message: "expected an integer in 1..1000000, got 0" },
        { path: "--forms-per-hour", message: "expected a number in 0..100000, got -1" },
        { path: "--audit-retention-days", message: "expected an integer in 366..3650, got 100" }
      ]
    })
    expect(parseFlags(flags({ officer: "not-an-email:Secret-123" }))).toEqual({
      problems: [{ path: "--officer", message: '"not-an-email" is not an email address (expected EMAIL:PASSWORD)' }]
    })
    expect(parseFlags(flags({ officer: "rssi@example.test:short" }))).toEqual({
      problems: [{ path: "--officer", message: "the password must have at least 10 characters; at least 3 of: lower-case, upper-case, digit, other character" }]
    })
  })
})

interface Run {
  readonly exit: Promise<number | null>
  readonly stderr: () => string
  readonly kill: (signal: NodeJS.Signals) => void
  /** Resolves with the first stderr match of `re`. */
  readonly waitFor: (re: RegExp) => Promise<RegExpMatchArray>
}

const run = (args: ReadonlyArray<string>): Run => {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] })
  let err = ""
  const waiters: Array<[RegExp, (m: RegExpMatchArray) => void]> = []
  child.stderr.on("data", (d: Buffer) => {
    err += d.toString()
    for (const [re, resolve] of waiters.splice(0)) {
      const m = err.match(re)
      if (m !== null) resolve(m)
      else waiters.push([re, resolve])
    }
  })
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  return {
    exit,
    stderr: () => err,
    kill: (signal) => child.kill(signal),
    waitFor: (re) => new Promise((resolve, reject) => {
      const m = err.match(re)
      if (m !== null) resolve(m)
      else {
        waiters.push([re, resolve])
        void exit.then((code) => reject(new Error(`exited ${code} before ${re}: ${err}`)))
      }
    })
  }
}

describe("ccsim mock psn1 (process)", () => {
  it("exits 2 with a clear message and no stack trace on a malformed --officer", async () => {
    const r = run(["mock", "psn1", "--officer", "rssi-example.test"])
    onTestFinished(() => r.kill("SIGKILL"))
    expect(await r.exit).toBe(2)
    expect(r.stderr()).toBe("ccsim: ccsim mock psn1: 1 problem\n  --officer: expected EMAIL:PASSWORD, e.g. rssi@example.test:Secret-123\n")
  })

  it("starts, serves, has no mailbox without --mailbox, writes the audit file, and closes gracefully on SIGTERM (exit 0)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "psn1-cli-"))
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    const auditFile = join(dir, "audit.jsonl")
    const r = run(["mock", "psn1", "--port", "0", "--officer", "rssi@example.test:Secret-123", "--population", "50", "--audit-file", auditFile])
    onTestFinished(() => r.kill("SIGKILL"))
    const [, address] = await r.waitFor(/listening on (http:\/\/127\.0\.0\.1:[0-9]+)/)
    const health = await fetch(`${address}/health`)
    expect(health.status).toBe(200)
    expect(((await health.json()) as { status: string }).status).toBe("ok")
    const mailbox = await fetch(`${address}/mailbox/rssi@example.test`)
    expect(mailbox.status).toBe(404)
    expect(((await mailbox.json()) as { code: string }).code).toBe("NOT_FOUND")
    const loginRes = await fetch(`${address}/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "rssi@example.test", password: "Secret-123" }) })
    expect(loginRes.status).toBe(202)
    r.kill("SIGTERM")
    expect(await r.exit).toBe(0)
    expect(r.stderr()).toContain("mock-psn1: SIGTERM, closing")
    const lines = readFileSync(auditFile, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { action: string })
    expect(lines.map((l) => l.action)).toEqual(["health", "http.notFound", "auth.login"])
    expect(readFileSync(auditFile, "utf8").includes("Secret-123")).toBe(false)
  })
})
