/**
 * The coordinator of a live run when things go wrong (sim/live/run.ts, setup.ts): a run stopped
 * part-way still gets its generators' reports and hangs up its callers left waiting; a fault
 * request answered out of contract is said, not a crash; PSN1's census is bounded and refuses a
 * cursor that loops; 10 s windows are kept encoded and give the same latency.csv and HDR logs as
 * the decoded merge. Loopback only; each run lasts a few seconds and stops by itself.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http"
import { connect } from "node:net"
import * as Effect from "effect/Effect"
import { describe, expect, it, onTestFinished } from "vitest"
import { syntheticAccounts } from "../../sim/live/accounts.js"
import { OutOfContract } from "../../sim/live/contract.js"
import { parseFault, type Fault } from "../../sim/live/faults.js"
import { MergedMetrics, Metrics } from "../../sim/live/metrics.js"
import { OdigoRest } from "../../sim/live/odigo-rest.js"
import { hdrLogs, latencyCsv } from "../../sim/live/outputs.js"
import { inProcessPort } from "../../sim/live/ports.js"
import { buildProfilePlan } from "../../sim/live/profile.js"
import { Psn1Client } from "../../sim/live/psn1-client.js"
import { failureOf, runLoad, WindowStore, type LoadRun } from "../../sim/live/run.js"
import { LoadFailure, psn1Census } from "../../sim/live/setup.js"
import { loadModel } from "../../sim/model/load.js"
import { OFFICER, startServers } from "./servers.js"

const stationary = await Effect.runPromise(loadModel("test/fixtures/live/stationary.yaml"))

/** A plain HTTP server on 127.0.0.1 for the test, closed when it ends. */
const serve = async (handler: (req: IncomingMessage, res: ServerResponse) => void) => {
  const server = createServer(handler)
  onTestFinished(() => new Promise<void>((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  }))
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()))
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` }
}

describe("live coordinator, robustness", () => {
  it("interrupted mid-run: the generator still reports, and the run's callers left queued are hung up on the server", async () => {
    const servers = await startServers()
    // One advisor for 20 calls a second: the queue grows; slow time (×10) keeps the callers patient.
    const plan = buildProfilePlan(stationary.model, { seed: 3, speed: 10, kind: "steady", ratePerSecond: 20, durationSeconds: 20, advisors: 1 })
    const abort = new AbortController()
    const lines: string[] = []
    let stopAt: NodeJS.Timeout | undefined
    onTestFinished(() => clearTimeout(stopAt))
    const run = await runLoad({
      plan,
      model: stationary.model,
      odigoUrl: servers.odigoUrl,
      psn1Url: servers.psn1Url,
      accounts: { kind: "create", officer: OFFICER },
      ports: [inProcessPort()],
      faults: [],
      log: (l) => void lines.push(l),
      signal: abort.signal,
      onStart: (t0) => void (stopAt = setTimeout(() => abort.abort(), t0 - Date.now() + 2500))
    })
    expect(run.failure?.code).toBe("INTERRUPTED")
    expect(run.wallSeconds).toBeLessThan(15)
    // The report of the generator was awaited after the failure: partial results kept.
    expect(run.reports).toHaveLength(1)
    const census = run.reports[0]!.census
    expect(census.injected).toBeGreaterThan(20)
    expect(census.queued).toBeGreaterThan(5)
    // …and those callers were hung up: nothing the run injected is left queued on the server.
    const odigo = new OdigoRest(servers.odigoUrl)
    onTestFinished(() => odigo.close())
    const audit = (await odigo.audit()).value!
    expect(audit.census.injected).toBe(census.injected)
    expect(audit.census.queued).toBe(0)
    expect(audit.census.abandoned).toBeGreaterThanOrEqual(census.queued)
  }, 60_000)

  it("a fault request answered out of contract is a fault not applied, and a refused clear at the end is said: no crash, the run goes on", async () => {
    const servers = await startServers()
    // A proxy before the mock Odigo that answers POST/DELETE /admin/faults with a body out of contract.
    const target = new URL(servers.odigoUrl)
    const proxy = await serve((req, res) => {
      if (req.url?.startsWith("/admin/faults") === true) {
        req.resume()
        return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ nonsense: true }))
      }
      const up = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers)
        r.pipe(res)
      })
      up.on("error", () => res.destroy())
      req.pipe(up)
    })
    // Websockets (the agent bar) go through as raw bytes.
    proxy.server.on("upgrade", (req: IncomingMessage, socket, head: Buffer) => {
      const up = connect(Number(target.port), target.hostname, () => {
        up.write(`${req.method} ${req.url} HTTP/1.1\r\n${Object.entries(req.headers).map(([k, v]) => `${k}: ${String(v)}`).join("\r\n")}\r\n\r\n`)
        up.write(head)
        up.pipe(socket).pipe(up)
      })
      up.on("error", () => socket.destroy())
      socket.on("error", () => up.destroy())
    })
    const plan = buildProfilePlan(stationary.model, { seed: 4, speed: 60, kind: "steady", ratePerSecond: 2, durationSeconds: 3, advisors: 3 })
    const faults = [parseFault("1s latency 50ms for 1s"), parseFault("2s server-closing")] as Fault[]
    const unhandled: unknown[] = []
    const onUnhandled = (e: unknown): void => void unhandled.push(e)
    process.on("unhandledRejection", onUnhandled)
    onTestFinished(() => void process.off("unhandledRejection", onUnhandled))
    const run = await runLoad({
      plan,
      model: stationary.model,
      odigoUrl: proxy.url,
      psn1Url: servers.psn1Url,
      accounts: { kind: "create", officer: OFFICER },
      ports: [inProcessPort()],
      faults,
      drainMs: 3000,
      log: () => {}
    })
    expect(unhandled).toEqual([])
    expect(run.failure).toBeNull()
    expect(run.reports).toHaveLength(1)
    expect(run.faults.map((f) => [f.fault.kind, f.applied])).toEqual([["latency", false], ["server-closing", false]])
    for (const f of run.faults) expect(f.message).toMatch(/not applied: POST \/admin\/faults: answer out of contract/)
    // The end of the latency was refused too, and the clear at the end: both in the error samples.
    expect(run.total.samples.some((s) => s.startsWith("FAULT_NOT_LIFTED: 1s latency 50ms for 1s"))).toBe(true)
    expect(run.total.samples.some((s) => s.startsWith("FAULTS_NOT_CLEARED: DELETE /admin/faults"))).toBe(true)
  }, 60_000)

  it("a generator that cannot start is a failure with a code, and no report or clean-up is asked of it", async () => {
    // A port whose generator never answers: START_TIMEOUT is long (60 s); here the run is stopped by its signal instead.
    const servers = await startServers()
    const plan = buildProfilePlan(stationary.model, { seed: 5, speed: 60, kind: "steady", ratePerSecond: 1, durationSeconds: 2, advisors: 1 })
    const sent: string[] = []
    const silent = { send: (m: { kind: string }) => void sent.push(m.kind), onMessage: () => {}, onExit: () => {}, close: async () => {} }
    const abort = new AbortController()
    const t = setTimeout(() => abort.abort(new LoadFailure("SERVER_DIED", "the embedded Odigo mock stopped unexpectedly (test)")), 1500)
    onTestFinished(() => clearTimeout(t))
    const run = await runLoad({
      plan,
      model: stationary.model,
      odigoUrl: servers.odigoUrl,
      psn1Url: servers.psn1Url,
      accounts: { kind: "create", officer: OFFICER },
      ports: [silent],
      faults: [],
      log: () => {},
      signal: abort.signal
    })
    // The abort's reason is the failure; the silent generator was told init, then abort — never report nor cleanup.
    expect(run.failure).toEqual({ code: "SERVER_DIED", message: "the embedded Odigo mock stopped unexpectedly (test)" })
    expect(sent).toContain("init")
    expect(sent).toContain("abort")
    expect(sent).not.toContain("report")
    expect(sent).not.toContain("cleanup")
    expect(run.wallSeconds).toBeLessThan(10)
  }, 30_000)

  it("errors met by the coordinator: OutOfContract is OUT_OF_CONTRACT with its message; anything else INTERNAL, without a stack", () => {
    expect(failureOf(new OutOfContract("GET /admin/audit", "census is missing"))).toEqual({ code: "OUT_OF_CONTRACT", message: "GET /admin/audit: answer out of contract: census is missing" })
    expect(failureOf(new LoadFailure("UNREACHABLE", "no"))).toEqual({ code: "UNREACHABLE", message: "no" })
    const internal = failureOf(new TypeError("x is undefined"))
    expect(internal).toEqual({ code: "INTERNAL", message: "x is undefined" })
  })
})

describe("PSN1's census, bounded", () => {
  const accounts = syntheticAccounts([], 1)
  it("a cursor that comes back is out of contract (the pages would loop forever)", async () => {
    let pages = 0
    const psn1 = await serve((req, res) => {
      req.resume()
      pages++
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ items: [], next: pages % 2 === 0 ? "T000002" : "T000001" }))
    })
    const client = new Psn1Client(psn1.url)
    onTestFinished(() => client.close())
    const e = await psn1Census(client, "t", accounts, "2026-01-01T00:00:00Z", new Set()).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(LoadFailure)
    expect((e as LoadFailure).code).toBe("OUT_OF_CONTRACT")
    expect((e as LoadFailure).message).toContain('GET /tickets: the cursor "T000001" came back a second time')
    expect(pages).toBe(3)
  })

  it("a server that pages on and on is stopped by the census deadline (CENSUS_TIMEOUT)", async () => {
    let pages = 0
    const psn1 = await serve((req, res) => {
      req.resume()
      pages++
      // A new cursor every time, a little slowly.
      setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ items: [], next: `T${String(pages).padStart(6, "0")}` })), 20)
    })
    const client = new Psn1Client(psn1.url)
    onTestFinished(() => client.close())
    const t = Date.now()
    const e = await psn1Census(client, "t", accounts, "2026-01-01T00:00:00Z", new Set(), 400).catch((x: unknown) => x)
    expect((e as LoadFailure).code).toBe("CENSUS_TIMEOUT")
    expect(Date.now() - t).toBeLessThan(2000)
    expect(pages).toBeGreaterThan(3)
  })
})

describe("10 s windows kept encoded", () => {
  it("give the very latency.csv and HDR logs the decoded merge gave, and none stays decoded once every generator sent it", () => {
    // Two generators' windows, as they send them.
    const parts = [new Metrics(), new Metrics()]
    const sent: Array<Array<ReturnType<Metrics["takeWindow"]>>> = [[], []]
    parts.forEach((m, g) => {
      for (let w = 0; w < 3; w++) {
        for (let i = 0; i < 200; i++) {
          m.record("offer_latency", 0.5 + ((i * 7919 + g * 31 + w * 101) % 1000) / 10)
          if (i % 3 === 0) m.record("command_ack", 1 + (i % 17))
        }
        m.count("calls.injected", 10 + g + w)
        m.error("CALL_NOT_FOUND")
        sent[g]!.push(m.takeWindow())
      }
    })
    // Before: one MergedMetrics per window (decoded histograms).
    const decoded = [0, 1, 2].map((w) => new MergedMetrics().add(sent[0]![w]!).add(sent[1]![w]!))
    // Now: the store, parts arriving interleaved.
    const store = new WindowStore(2)
    store.add(0, sent[0]![0]!)
    store.add(1, sent[0]![1]!)
    expect(store.openCount).toBe(2)
    store.add(0, sent[1]![0]!)
    store.add(1, sent[1]![1]!)
    store.add(2, sent[1]![2]!)
    store.add(2, sent[0]![2]!)
    expect(store.openCount).toBe(0)
    const base = { t0: 1_780_000_000_000 } as unknown as LoadRun
    const before = { ...base, windows: decoded } as unknown as LoadRun
    const after = { ...base, windows: store.all() } as LoadRun
    expect(latencyCsv(after)).toBe(latencyCsv(before))
    expect(latencyCsv(after).split("\n").length).toBeGreaterThan(20)
    expect([...hdrLogs(after)]).toEqual([...hdrLogs(before)])
    expect([...hdrLogs(after).keys()]).toEqual(["command_ack", "offer_latency"])
    // Encoded, a window is a few KiB of text, not decoded histograms.
    const size = JSON.stringify(store.all().map((w) => w.snapshot)).length
    expect(size).toBeLessThan(3 * 16 * 1024)
  })

  it("a window a generator never completed (it died) is closed at the end; a late part merges into a closed window", () => {
    const m = new Metrics()
    m.record("inject", 3)
    const a = m.takeWindow()
    m.record("inject", 5)
    const b = m.takeWindow()
    const store = new WindowStore(2)
    store.add(1, a)
    expect(store.openCount).toBe(1)
    const windows = store.all()
    expect(windows).toHaveLength(2)
    expect(windows[0]!.histograms.get("inject")).toBeUndefined()
    expect(windows[1]!.histograms.get("inject")!.totalCount).toBe(1)
    store.add(1, b)
    expect(store.all()[1]!.histograms.get("inject")!.totalCount).toBe(2)
  })
})
