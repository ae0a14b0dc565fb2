/**
 * `ccsim load` as a user runs it (the built CLI, child processes, the embedded mocks): the
 * files it writes, k6's exit code for a failed threshold, and bad input — an unreachable
 * endpoint, a refused login, a protocol error from the server, a threshold that does not parse,
 * a day outside the horizon — each with a clear message, a non-zero exit code and the partial
 * results saved. Loopback only; every run is a few seconds of wall time and stops by itself.
 */
import { spawn } from "node:child_process"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as hdr from "hdr-histogram-js"
import { WebSocketServer } from "ws"
import { afterAll, describe, expect, it, onTestFinished } from "vitest"
import { root } from "../cli/run-cli.js"

const tmp = mkdtempSync(join(tmpdir(), "ccsim-load-"))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** Runs the built CLI without blocking this process (a test server may have to answer it). */
const ccsim = (args: ReadonlyArray<string>, timeoutMs = 110_000): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const c = spawn(process.execPath, [join(root, "bin/ccsim.mjs"), ...args], { cwd: root })
    let stdout = ""
    let stderr = ""
    c.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
    c.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
    const t = setTimeout(() => c.kill("SIGKILL"), timeoutMs)
    c.on("exit", (code) => {
      clearTimeout(t)
      resolve({ code, stdout, stderr })
    })
  })

const summaryOf = (dir: string): { status: string; failure: { code: string; message: string } | null; [k: string]: unknown } => JSON.parse(readFileSync(join(dir, "load-summary.json"), "utf8"))
const STATIONARY = "test/fixtures/live/stationary.yaml"

describe("ccsim load", () => {
  it("writes load-summary.json, latency.csv and HDR logs, prints the summary, and exits 99 when a threshold fails (as k6)", async () => {
    const out = join(tmp, "run")
    const r = await ccsim(["load", STATIONARY, "--speed", "900", "--duration", "3s", "--replications", "3", "--generators", "2", "--out", out,
      "--threshold", "offer_latency p(99)<5000ms", "--threshold", "lost_calls==0", "--threshold", "command_ack p(50)<0.001ms"])
    expect(r.stderr).toContain("ccsim: threshold failed: command_ack p(50)<0.001ms")
    expect(r.code).toBe(99)
    expect(r.stdout).toContain("FAIL  command_ack p(50)<0.001ms")
    expect(r.stdout).toContain("PASS  lost_calls==0")
    expect(r.stdout).toMatch(/census: harness .* → equal, none lost/)
    const s = summaryOf(out) as unknown as { schemaVersion: number; status: string; census: { equal: boolean; harness: { injected: number } }; latencies: Record<string, { count: number }>; thresholds: Array<{ ok: boolean }>; kpis: { simulation: { replications: number } } }
    expect(s.schemaVersion).toBe(1)
    expect(s.status).toBe("thresholdsFailed")
    expect(s.census.equal).toBe(true)
    expect(s.census.harness.injected).toBeGreaterThan(50)
    expect(s.thresholds.map((t) => t.ok)).toEqual([true, true, false])
    expect(s.kpis.simulation.replications).toBe(3)
    const csv = readFileSync(join(out, "latency.csv"), "utf8").split("\n")
    expect(csv[0]).toBe("window_start_s,window_end_s,metric,count,mean_ms,p50_ms,p90_ms,p99_ms,p999_ms,max_ms")
    expect(csv.some((l) => l.startsWith("0,10,offer_latency,"))).toBe(true)
    // The HDR log reads back with HdrHistogram's own reader: its intervals hold every offer measured.
    expect(readdirSync(join(out, "hdr"))).toContain("offer_latency.hlog")
    const reader = new hdr.HistogramLogReader(readFileSync(join(out, "hdr", "offer_latency.hlog"), "utf8"))
    let count = 0
    for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) count += h.totalCount
    expect(count).toBe(s.latencies["offer_latency"]!.count)
  }, 120_000)

  it("refuses a threshold that does not parse and a day outside the horizon: exit 2, the problem named, the reason saved", async () => {
    const out = join(tmp, "bad-threshold")
    const r = await ccsim(["load", STATIONARY, "--out", out, "--threshold", "p99 offer<50ms", "--threshold", "error_rate<0.1%"])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--threshold[0] "p99 offer<50ms": expected METRIC [avg|min|med|max|count|p(N)] OP VALUE[ms|s|us|%]')
    expect(r.stderr).not.toContain("    at ")
    expect(summaryOf(out)).toMatchObject({ status: "failed", failure: { code: "BAD_INPUT" } })
    const out2 = join(tmp, "bad-day")
    const d = await ccsim(["load", "scenarios/baseline-2026.yaml", "--day", "2027-05-05", "--out", out2])
    expect(d.code).toBe(2)
    expect(d.stderr).toContain("--day: 2027-05-05 is outside the scenario's horizon 2026-01-01..2026-12-31")
    expect(summaryOf(out2).failure!.message).toContain("outside the scenario's horizon")
  }, 60_000)

  it("stops on an unreachable endpoint: exit 1, the server named, partial results saved", async () => {
    const out = join(tmp, "unreachable")
    const r = await ccsim(["load", STATIONARY, "--out", out, "--odigo", "http://127.0.0.1:9", "--psn1", "http://127.0.0.1:9", "--psn1-officer", "rssi.essai@example.test:Secret-Pass-1", "--replications", "0"])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("UNREACHABLE: cannot reach Odigo at http://127.0.0.1:9/: ECONNREFUSED")
    expect(summaryOf(out)).toMatchObject({ status: "failed", failure: { code: "UNREACHABLE" } })
  }, 60_000)

  it("stops on a frame out of the protocol from the server: exit 1, the frame's problem said, partial results saved", async () => {
    // An "Odigo" that answers REST correctly and then acks a login with a field the protocol does not have.
    const http = createServer((req: IncomingMessage, res: ServerResponse) => {
      const json = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body))
      req.resume()
      const census = { injected: 0, answered: 0, abandoned: 0, queued: 0, ringing: 0, connected: 0 }
      if (req.url === "/health") return json(200, { status: "ok" })
      if (req.url === "/admin/accounts") return json(201, {})
      if (req.url === "/admin/audit") return json(200, { ok: true, census, violations: [] })
      if (req.url === "/config") {
        return json(200, { ronaMs: 15000, graceMs: 60000, loginTimeoutMs: 10000, heartbeatMs: 30000, supervisionTickMs: 1000, maxPayloadBytes: 4096, requireQualification: false, maxQueuedCalls: 100000,
          transferTargets: ["cpam-1"], gates: [{ flow: "opposition", gateId: "g1" }, { flow: "horsOpposition", gateId: "g2" }], agentRate: { ratePerSec: 50, burst: 100 } })
      }
      if (req.url === "/calls") return json(201, { callRef: "x-1", status: "queued" })
      return json(404, { code: "NOT_FOUND", message: "no" })
    })
    const wss = new WebSocketServer({ noServer: true })
    http.on("upgrade", (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => ws.on("message", (data) => {
      const f = JSON.parse(String(data)) as { id?: string }
      ws.send(JSON.stringify({ type: "ack", id: f.id, sessionId: "not in the protocol" }))
    })))
    onTestFinished(() => new Promise<void>((resolve) => {
      wss.close()
      http.closeAllConnections()
      http.close(() => resolve())
    }))
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", () => resolve()))
    const port = (http.address() as { port: number }).port
    const out = join(tmp, "protocol")
    const r = await ccsim(["load", STATIONARY, "--out", out, "--odigo", `http://127.0.0.1:${port}`, "--replications", "0", "--duration", "2s"])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/PROTOCOL_VIOLATION: ws:\/\/127\.0\.0\.1:[0-9]+\/(agent|supervision).*ack: .*sessionId/)
    expect(summaryOf(out)).toMatchObject({ status: "failed", failure: { code: "PROTOCOL_VIOLATION" } })
  }, 60_000)
})
