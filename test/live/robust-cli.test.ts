/**
 * `ccsim load` (the built CLI, its child processes) when it is stopped or given what it cannot
 * use: Ctrl-C on the terminal (SIGINT to the whole process group) keeps the partial results, an
 * embedded server that dies stops the run cleanly, and bad input (an https URL, an accounts file
 * with the embedded mocks or that does not parse) is refused with exit 2 and load-summary.json.
 * Loopback only; every run is bounded (a kill after its timeout).
 */
import { spawn, spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { root } from "../cli/run-cli.js"
import { startServers } from "./servers.js"

const tmp = mkdtempSync(join(tmpdir(), "ccsim-load-robust-"))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))
const STATIONARY = "test/fixtures/live/stationary.yaml"

interface Ran { readonly code: number | null; readonly stdout: string; readonly stderr: string }

/**
 * The built CLI in a process group of its own (as a shell runs a foreground job), so that a
 * "terminal Ctrl-C" can reach it and all its children at once; `when(stderr, pid)` is called on
 * each chunk of stderr to act on the run (interrupt it, kill a server).
 */
const ccsim = (args: ReadonlyArray<string>, when?: (stderr: string, pid: number) => void, timeoutMs = 90_000, env: Record<string, string> = {}): Promise<Ran> =>
  new Promise((resolve) => {
    const c = spawn(process.execPath, [join(root, "bin/ccsim.mjs"), ...args], { cwd: root, detached: true, env: { ...process.env, ...env } })
    let stdout = ""
    let stderr = ""
    c.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
    c.stderr.on("data", (d: Buffer) => {
      stderr += d.toString()
      when?.(stderr, c.pid!)
    })
    const t = setTimeout(() => {
      try {
        process.kill(-c.pid!, "SIGKILL")
      } catch {
        // already gone
      }
    }, timeoutMs)
    c.on("exit", (code) => {
      clearTimeout(t)
      resolve({ code, stdout, stderr })
    })
  })

const summaryOf = (dir: string) => JSON.parse(readFileSync(join(dir, "load-summary.json"), "utf8")) as {
  status: string
  failure: { code: string; message: string } | null
  census: { harness: { injected: number } }
  calls: { injected: number }
}

/** The pids of `pid`'s children whose command line contains `text`. */
const childrenOf = (pid: number, text: string): number[] => {
  const r = spawnSync("ps", ["-o", "pid=,args=", "--ppid", String(pid)], { encoding: "utf8" })
  return r.stdout.split("\n").filter((l) => l.includes(text)).map((l) => Number(l.trim().split(/\s+/)[0]))
}

describe("ccsim load, stopped part-way", () => {
  it("Ctrl-C on the terminal (SIGINT to the process group): the generators survive it, report, and the files are written with INTERRUPTED", async () => {
    const out = join(tmp, "interrupted")
    let sent = false
    const r = await ccsim(["load", STATIONARY, "--speed", "300", "--duration", "30s", "--replications", "0", "--generators", "2", "--out", out], (stderr, pid) => {
      // Once the window has run a little (progress lines are for terminals: wait for the start line, then 3 s).
      if (sent || !stderr.includes("generator(s), servers embedded")) return
      sent = true
      setTimeout(() => process.kill(-pid, "SIGINT"), 4000)
    })
    expect(sent).toBe(true)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("load: INTERRUPTED: the run was interrupted (SIGINT/SIGTERM); partial results kept")
    expect(r.stderr).not.toContain("GENERATOR_DIED")
    const s = summaryOf(out)
    expect(s.status).toBe("failed")
    expect(s.failure!.code).toBe("INTERRUPTED")
    // Both generators' reports made it: what the run injected is counted.
    expect(s.calls.injected).toBeGreaterThan(5)
    expect(existsSync(join(out, "latency.csv"))).toBe(true)
  }, 120_000)

  it("an embedded server process that dies mid-run stops the run cleanly: SERVER_DIED, exit 1, partial results written", async () => {
    const out = join(tmp, "server-died")
    let killed = false
    const r = await ccsim(["load", STATIONARY, "--speed", "300", "--duration", "30s", "--replications", "0", "--generators", "1", "--out", out], (stderr, pid) => {
      if (killed || !stderr.includes("generator(s), servers embedded")) return
      killed = true
      setTimeout(() => {
        for (const p of childrenOf(pid, "servers --psn1")) process.kill(p, "SIGKILL")
      }, 3000)
    })
    expect(killed).toBe(true)
    expect(r.code).toBe(1)
    const s = summaryOf(out)
    expect(s.failure!.code).toBe("SERVER_DIED")
    expect(s.failure!.message).toContain("the embedded PSN1 mock stopped unexpectedly")
    expect(r.stderr).toContain("SERVER_DIED")
    expect(existsSync(join(out, "latency.csv"))).toBe(true)
  }, 120_000)
})

describe("ccsim load, embedded servers that cannot start", () => {
  it("a servers' process that exits before it listens: exit 1, SERVER_START_FAILED in load-summary.json", async () => {
    const out = join(tmp, "no-server")
    // Node refuses an unknown flag: the child exits at once.
    const r = await ccsim(["load", STATIONARY, "--out", out, "--replications", "0"], undefined, 60_000, { CCSIM_LOAD_CHILD_FLAGS: "--no-such-node-flag-ccsim" })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/SERVER_START_FAILED: could not start the embedded Odigo mock: the embedded Odigo mock's process exited \(9\)/)
    expect(summaryOf(out)).toMatchObject({ status: "failed", failure: { code: "SERVER_START_FAILED" } })
  }, 60_000)
})

describe("ccsim load, bad input: exit 2, a clear message, load-summary.json", () => {
  it("refuses https:// (the harness speaks plain HTTP and ws://)", async () => {
    const out = join(tmp, "https")
    const r = await ccsim(["load", STATIONARY, "--out", out, "--odigo", "https://odigo.example.test", "--psn1", "http://127.0.0.1:9", "--psn1-officer", "a@example.test:x"])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("--odigo: https is not supported")
    expect(summaryOf(out)).toMatchObject({ status: "failed", failure: { code: "BAD_INPUT" } })
  }, 60_000)

  it("refuses --accounts with the embedded mocks (their logins could only be refused)", async () => {
    const out = join(tmp, "accounts-embedded")
    const accounts = join(tmp, "accounts-any.json")
    writeFileSync(accounts, "{}")
    const r = await ccsim(["load", STATIONARY, "--out", out, "--accounts", accounts, "--psn1", "http://127.0.0.1:9"])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("--accounts: an accounts file is for servers of yours: give both --odigo URL and --psn1 URL")
    expect(summaryOf(out)).toMatchObject({ status: "failed", failure: { code: "BAD_INPUT" } })
  }, 60_000)

  it("an accounts file that does not parse, or cannot be read, is said with load-summary.json", async () => {
    const out = join(tmp, "accounts-garbage")
    const accounts = join(tmp, "accounts-garbage.yaml")
    writeFileSync(accounts, "odigo: [unclosed\n  - {")
    const urls = ["--odigo", "http://127.0.0.1:9", "--psn1", "http://127.0.0.1:9"]
    const r = await ccsim(["load", STATIONARY, "--out", out, "--accounts", accounts, ...urls])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`--accounts: ${accounts} is neither JSON nor YAML`)
    expect(summaryOf(out)).toMatchObject({ status: "failed", failure: { code: "BAD_INPUT" } })
    const out2 = join(tmp, "accounts-missing")
    const m = await ccsim(["load", STATIONARY, "--out", out2, "--accounts", join(tmp, "nowhere.json"), ...urls])
    expect(m.code).toBe(2)
    expect(m.stderr).toContain("ENOENT")
    expect(summaryOf(out2)).toMatchObject({ status: "failed", failure: { code: "BAD_INPUT" } })
  }, 60_000)

  it("an accounts file the servers do not know (servers of yours): exit 1, LOGIN_REFUSED, the account named", async () => {
    const servers = await startServers()
    const out = join(tmp, "refused")
    const accounts = join(tmp, "accounts.json")
    const agents = Array.from({ length: 18 }, (_, i) => ({ login: `aline.inconnue${String.fromCharCode(97 + i)}`, password: "wrong-password-1" }))
    writeFileSync(accounts, JSON.stringify({
      odigo: { agents, supervisor: { login: "sabine.inconnue", password: "wrong-password-1" } },
      psn1: { advisors: agents.map((a) => ({ email: `${a.login}@example.test`, password: "Wrong-Password-1" })), supervisor: { email: "roland.inconnu@example.test", password: "Wrong-Password-1" } }
    }))
    const r = await ccsim(["load", STATIONARY, "--out", out, "--accounts", accounts, "--odigo", servers.odigoUrl, "--psn1", servers.psn1Url, "--replications", "0", "--duration", "2s"])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("LOGIN_REFUSED: PSN1 refused the login of roland.inconnu@example.test at the password step: 401 INVALID_CREDENTIALS")
    expect(summaryOf(out)).toMatchObject({ status: "failed", failure: { code: "LOGIN_REFUSED" } })
  }, 60_000)
})
