/**
 * mock-odigo load bench, agents process: creates the synthetic accounts, connects and logs in
 * N virtual agents over websockets, then injects calls over REST at a steady rate and lets the
 * agents work them (answer at once, talk for a random short time, hang up, qualify, end
 * wrap-up, ready again) so calls keep flowing. It measures the offer latency of every call:
 * from just before the injecting POST leaves to the `call.offered` frame arriving at an agent
 * (both instants on this process's clock), correlated through `attachedData.benchId`.
 *
 * It speaks the protocol through the mock's own schemas (mock-odigo/protocol/): commands and
 * REST bodies are values of the protocol's types, every frame received is decoded with the
 * event schemas, so a protocol change breaks the bench at compile time, and a frame out of
 * contract stops it (counted as an error). One timer per call in conversation.
 */
import http from "node:http"
import { performance } from "node:perf_hooks"
import * as hdr from "hdr-histogram-js"
import WebSocket from "ws"
import { decodeAgentEvent, encodeCommand, ProtocolViolation } from "../../mock-odigo/protocol/client.js"
import type { InjectBody } from "../../mock-odigo/protocol/rest.js"
import { REASON_CODES } from "../../sim/domain/vocabulary.js"
import { callsDue, windowOver } from "./schedule.js"
import { benchAccount, type AgentsCommand, type AgentsConfig, type AgentsMessage, type AgentsResult } from "./shared.js"

const cfg = JSON.parse(process.argv[2] ?? "{}") as AgentsConfig
const send = (m: AgentsMessage): void => {
  process.send?.(m)
}
const base = new URL(cfg.url)
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 64 })

function post(path: "/admin/accounts" | "/calls", body: ReturnType<typeof benchAccount> | InjectBody): Promise<{ status: number; text: string }> {
  const data = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: base.hostname, port: base.port, path, method: "POST", agent: keepAlive, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data) } },
      (res) => {
        let text = ""
        res.setEncoding("utf8")
        res.on("data", (c: string) => (text += c))
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }))
      }
    )
    req.on("error", reject)
    req.end(data)
  })
}

const newHistogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 })
const total = newHistogram()
let second = newHistogram()
/** benchId -> performance.now() when its injection was sent. */
const sentAt = new Map<number, number>()
const counts = { injected: 0, injectErrors: 0, offered: 0, answered: 0, completed: 0, errorFrames: 0, closed: 0 }
/** The first frames that broke the protocol (a few are enough to see why). */
const violations: Array<string> = []

async function createAccounts(): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < cfg.agents) {
      const i = next++
      const r = await post("/admin/accounts", benchAccount(i))
      if (r.status !== 201) throw new Error(`account ${i}: ${r.status} ${r.text}`)
    }
  }
  await Promise.all(Array.from({ length: 32 }, worker))
}

const wsUrl = `${cfg.url.replace(/^http/, "ws")}/agent`
let seq = 0
const id = (): string => (++seq).toString(36)
const talkMs = (): number => cfg.talkMinMs + Math.random() * (cfg.talkMaxMs - cfg.talkMinMs)

/** Connects one agent, logs it in and makes it ready; resolves when it is ready. */
function startAgent(i: number): Promise<void> {
  const acct = benchAccount(i)
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, { perMessageDeflate: false })
    let ready = false
    ws.on("open", () => {
      ws.send(encodeCommand({ type: "login", id: id(), payload: { login: acct.login, password: acct.password } }))
      ws.send(encodeCommand({ type: "setState", id: id(), payload: { state: "ready" } }))
    })
    ws.on("error", (e) => {
      if (!ready) reject(e)
    })
    ws.on("close", () => {
      counts.closed++
    })
    ws.on("message", (data) => {
      const now = performance.now()
      let f
      try {
        f = decodeAgentEvent(String(data))
      } catch (e) {
        if (!(e instanceof ProtocolViolation)) throw e
        counts.errorFrames++
        if (violations.length < 5) violations.push(e.message)
        return
      }
      switch (f.type) {
        case "call.offered": {
          counts.offered++
          const bid = Number(f.payload.attachedData["benchId"])
          const t0 = sentAt.get(bid)
          if (t0 !== undefined) {
            const us = Math.max(1, Math.round((now - t0) * 1000))
            total.recordValue(us)
            second.recordValue(us)
            sentAt.delete(bid)
          }
          ws.send(encodeCommand({ type: "answer", id: id(), payload: { callRef: f.payload.callRef } }))
          break
        }
        case "call.connected": {
          counts.answered++
          const callRef = f.payload.callRef
          setTimeout(() => ws.send(encodeCommand({ type: "hangup", id: id(), payload: { callRef } })), talkMs())
          break
        }
        case "wrapup.started": {
          counts.completed++
          const reason = REASON_CODES[Math.floor(Math.random() * REASON_CODES.length)]!
          ws.send(encodeCommand({ type: "qualify", id: id(), payload: { callRef: f.payload.callRef, reason } }))
          ws.send(encodeCommand({ type: "endWrapUp", id: id() }))
          break
        }
        case "agent.stateChanged":
          if (!ready && f.payload.state === "ready") {
            ready = true
            resolve()
          }
          break
        case "error":
          counts.errorFrames++
          break
      }
    })
  })
}

async function connectAll(): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < cfg.agents) await startAgent(next++)
  }
  await Promise.all(Array.from({ length: 200 }, worker))
}

/**
 * Injects `ratePerSec` calls per second for `durationS` seconds, evenly paced every 10 ms: call
 * i is due at (i + 1) / ratePerSec s, so floor(ratePerSec x durationS) calls in the window
 * (./schedule.ts, which the orchestrator's rate check uses too).
 * Resolves with the seconds until the last tick and the worst lag behind that schedule.
 */
function inject(): Promise<{ seconds: number; maxLagMs: number }> {
  return new Promise((resolve) => {
    const started = performance.now()
    let due = 0
    let lastSecond = 0
    let maxLagMs = 0
    const tick = setInterval(() => {
      const now = performance.now()
      const target = callsDue(started, now, cfg.ratePerSec, cfg.durationS)
      for (; due < target; due++) {
        const bid = due
        const t = performance.now()
        sentAt.set(bid, t)
        maxLagMs = Math.max(maxLagMs, t - (started + ((bid + 1) * 1000) / cfg.ratePerSec))
        counts.injected++
        post("/calls", { flow: bid % 50 === 0 ? "opposition" : "horsOpposition", attachedData: { benchId: String(bid) } }).then(
          (r) => {
            if (r.status !== 201) counts.injectErrors++
          },
          () => counts.injectErrors++
        )
      }
      const s = Math.floor((now - started) / 1000)
      if (s > lastSecond) {
        lastSecond = s
        send({ kind: "progress", second: s, injected: counts.injected, offered: counts.offered, p99Ms: second.getValueAtPercentile(99) / 1000 })
        second = newHistogram()
      }
      if (windowOver(started, now, cfg.durationS)) {
        clearInterval(tick)
        resolve({ seconds: (now - started) / 1000, maxLagMs })
      }
    }, 10)
  })
}

const waitFor = async (cond: () => boolean, ms: number): Promise<void> => {
  const deadline = Date.now() + ms
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
}

const t0 = performance.now()
await createAccounts()
const t1 = performance.now()
await connectAll()
const t2 = performance.now()
send({ kind: "ready", loggedIn: cfg.agents, accountsMs: t1 - t0, connectMs: t2 - t1 })
await new Promise<void>((resolve) => process.once("message", (m: AgentsCommand) => m.kind === "start" && resolve()))
const cpu0 = process.cpuUsage()
const { seconds: injectSeconds, maxLagMs } = await inject()
// Let the calls in progress finish: every injected call offered, answered and wrapped up.
await waitFor(() => counts.completed + counts.injectErrors >= counts.injected, cfg.talkMaxMs + 15_000)
const cpu = process.cpuUsage(cpu0)
const result: AgentsResult = {
  injected: counts.injected,
  injectErrors: counts.injectErrors,
  offered: counts.offered,
  answered: counts.answered,
  completed: counts.completed,
  errorFrames: counts.errorFrames,
  protocolViolations: violations,
  closedConnections: counts.closed,
  injectSeconds,
  maxLagMs,
  latencyMs: {
    p50: total.getValueAtPercentile(50) / 1000,
    p90: total.getValueAtPercentile(90) / 1000,
    p99: total.getValueAtPercentile(99) / 1000,
    p999: total.getValueAtPercentile(99.9) / 1000,
    max: total.maxValue / 1000,
    mean: total.mean / 1000
  },
  cpuMs: (cpu.user + cpu.system) / 1000,
  rssBytes: process.memoryUsage().rss
}
send({ kind: "done", result })
process.on("disconnect", () => process.exit(0))
