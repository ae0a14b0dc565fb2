import { spawn, spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it, onTestFinished } from "vitest"
import { Client, person } from "./harness.js"
import { validateFrame } from "./frame-validator.js"

const root = fileURLToPath(new URL("../..", import.meta.url))
const bin = join(root, "bin/ccsim.mjs")

const tempFile = (name: string, text: string): string => {
  const dir = mkdtempSync(join(tmpdir(), "odigo-cli-"))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe("ccsim mock odigo (the command)", () => {
  it("starts on the given port with seeded accounts, serves agents, and on SIGTERM sends server.closing, closes 1001 and exits 0", async () => {
    const p = person(0)
    const accounts = tempFile("accounts.json", JSON.stringify([{ ...p, password: "correct horse battery", role: "agent" }]))
    const child = spawn(process.execPath, [bin, "mock", "odigo", "--port", "0", "--rona-ms", "20000", "--accounts", accounts], { cwd: root, stdio: ["ignore", "pipe", "pipe"] })
    onTestFinished(() => {
      if (child.exitCode === null) child.kill("SIGKILL")
    })
    let stderr = ""
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on("data", (d: Buffer) => {
        stderr += String(d)
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)
        if (m) resolve(m[1]!)
      })
      child.once("exit", (code) => reject(new Error(`exited with ${code}: ${stderr}`)))
    })
    const health = (await (await fetch(`${url}/health`)).json()) as { status: string; accounts: number }
    expect(health).toMatchObject({ status: "ok", accounts: 1 })
    expect(((await (await fetch(`${url}/config`)).json()) as { ronaMs: number }).ronaMs).toBe(20_000)
    const a = await Client.open(`${url.replace("http", "ws")}/agent`)
    expect((await a.exchange("login", { login: p.login, password: "correct horse battery" }, 2))[1]!.payload.state).toBe("notReady")
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
    child.kill("SIGTERM")
    const closing = await a.next()
    expect(closing).toEqual({ type: "server.closing", payload: { reason: "shutdown" } })
    expect(validateFrame("agent", closing)).toEqual([])
    expect((await a.closed).code).toBe(1001)
    expect(await exited).toBe(0)
    expect(stderr).toContain("mock-odigo: SIGTERM received, closing connections")
    expect(stderr).toContain("mock-odigo: closed")
  })

  it("exits 2 listing every bad flag", () => {
    const r = spawnSync(process.execPath, [bin, "mock", "odigo", "--port", "70000", "--grace-ms", "-1", "--transfer-targets", "cpam 1"], { cwd: root, encoding: "utf8", timeout: 60_000 })
    expect(r.status).toBe(2)
    expect(r.stderr).toBe(
      [
        "ccsim: ccsim mock odigo: 3 problems",
        "  --port: expected 0-65535, got 70000",
        "  --grace-ms: expected an integer >= 0, got -1",
        `  --transfer-targets: "cpam 1" must be 1-64 letters, digits, '.', '_' or '-'`,
        ""
      ].join("\n")
    )
  })

  it("exits 2 when the accounts file holds a generic account, naming it", () => {
    const accounts = tempFile("accounts.yaml", "- login: agent01\n  password: shared-password\n  role: agent\n")
    const r = spawnSync(process.execPath, [bin, "mock", "odigo", "--port", "0", "--accounts", accounts], { cwd: root, encoding: "utf8", timeout: 60_000 })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain("--accounts: accounts[0] (agent01): GENERIC_ACCOUNT: Account refused (not nominative, CCTP SEC-HAB-01)")
  })

  it("exits 1 when the port is taken", async () => {
    const busy = (await import("node:net")).createServer()
    await new Promise<void>((r) => busy.listen(0, "127.0.0.1", r))
    onTestFinished(() => new Promise<void>((r) => busy.close(() => r())))
    const port = (busy.address() as { port: number }).port
    const r = spawnSync(process.execPath, [bin, "mock", "odigo", "--port", String(port)], { cwd: root, encoding: "utf8", timeout: 60_000 })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(`ccsim: mock odigo: listen EADDRINUSE: address already in use 127.0.0.1:${port}`)
  })
})
