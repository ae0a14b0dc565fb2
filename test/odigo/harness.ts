/**
 * Test harness for mock-odigo: an in-process instance on 127.0.0.1:0 with a ManualClock, a
 * websocket client that awaits protocol frames (never sleeps), synthetic nominative accounts,
 * and the end-of-test checks every test runs:
 * - `checkCalls()`: the server's conservation audit is clean, the server counts exactly the
 *   calls the test injected, and the view of each of them (`GET /calls/:callRef`) agrees with
 *   the census — none lost or duplicated. Tests may call it mid-way; teardown runs it again
 *   (on a mock the test closed itself, as an in-process audit of its platform);
 * - every frame the mock emitted (captured by the server's tap) validates against the
 *   committed AsyncAPI document.
 * Teardown is registered (onTestFinished) before the server starts listening.
 */
import { onTestFinished, expect } from "vitest"
import WebSocket from "ws"
import { audit, census } from "../../mock-odigo/acd/audit.js"
import { ManualClock } from "../../mock-odigo/clock.js"
import { buildApp, type OdigoApp } from "../../mock-odigo/app.js"
import type { OdigoOptions } from "../../mock-odigo/options.js"
import type { Channel } from "../../mock-odigo/transport.js"
import { validateFrame } from "./frame-validator.js"

/** Monday 10 Nov 2025 08:30 UTC = 09:30 in Paris, the second day of operations. */
export const T0 = Date.parse("2025-11-10T08:30:00.000Z")
export const iso = (ms: number): string => new Date(ms).toISOString()

/** A frame as received (parsed JSON). */
export type Frame = { type: string; id?: string; payload?: any; code?: string; message?: string }

/** Every frame type seen in this test file, for the coverage check of the protocol tour. */
export const seenTypes = new Set<string>()

const FIRST = ["Aline", "Basile", "Capucine", "Dorian", "Elsa", "Fabien", "Gaelle", "Hugo", "Ines", "Jules", "Lea", "Marius"]
const LAST = ["Lavande", "Orme", "Saule", "Tilleul", "Bruyere", "Cedre", "Erable", "Frene", "Glycine", "Houx", "Iris", "Jonquille"]

/** A synthetic (fictional) person for account n. */
export const person = (n: number) => {
  const firstName = FIRST[n % FIRST.length]!
  const lastName = `${LAST[Math.floor(n / FIRST.length) % LAST.length]!}${n >= FIRST.length * LAST.length ? `-${String.fromCharCode(97 + (Math.floor(n / 144) % 26))}` : ""}`
  const login = `${firstName}.${lastName}`.toLowerCase()
  return { firstName, lastName, login, email: `${login}@example.test` }
}

export interface Creds {
  readonly login: string
  readonly password: string
}

/** A websocket client that queues received frames and hands them out in order. */
export class Client {
  readonly received: Array<Frame> = []
  private cursor = 0
  private wake: (() => void) | undefined
  private seq = 0
  readonly closed: Promise<{ code: number; reason: string }>

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      this.received.push(JSON.parse(String(data)) as Frame)
      this.wake?.()
    })
    this.closed = new Promise((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: String(reason) })))
    this.closed.then(() => this.wake?.())
  }

  /** Opens a connection; rejects with the HTTP status when the upgrade is refused. */
  static open(url: string, options: WebSocket.ClientOptions = {}): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options)
      const client = new Client(ws)
      ws.once("open", () => resolve(client))
      ws.once("unexpected-response", (_req, res) => {
        let body = ""
        res.on("data", (c: Buffer) => (body += String(c)))
        res.on("end", () => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode, body: JSON.parse(body || "{}") })))
      })
      ws.once("error", (e) => reject(e))
    })
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame))
  }

  /** Sends a command with a fresh id and returns the id. */
  cmd(type: string, payload?: unknown): string {
    const id = `c${++this.seq}`
    this.send(payload === undefined ? { type, id } : { type, id, payload })
    return id
  }

  /** The next unread frame (waits for it; fails after 5 s with what was received). */
  async next(): Promise<Frame> {
    const deadline = Date.now() + 5000
    while (this.cursor >= this.received.length) {
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error(`connection closed while waiting; last frames ${JSON.stringify(this.received.slice(-3))}`)
      const timeout = deadline - Date.now()
      if (timeout <= 0) throw new Error(`no frame within 5 s; ${this.received.length} received, last ${JSON.stringify(this.received.slice(-3))}`)
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, timeout)
        this.wake = () => {
          clearTimeout(t)
          resolve()
        }
      })
      this.wake = undefined
    }
    return this.received[this.cursor++]!
  }

  async take(n: number): Promise<Array<Frame>> {
    const out: Array<Frame> = []
    for (let i = 0; i < n; i++) out.push(await this.next())
    return out
  }

  /** Sends a command (fresh id) and returns the next `count` frames: its ack or error first, then the events it caused. */
  async exchange(type: string, payload?: unknown, count = 1): Promise<Array<Frame>> {
    this.cmd(type, payload)
    return this.take(count)
  }

  /** The id the next `cmd` will use. */
  get nextId(): string {
    return `c${this.seq + 1}`
  }

  /** Asserts that nothing is pending: a ping's ack is the very next frame. */
  async expectQuiet(): Promise<void> {
    const id = this.cmd("ping")
    expect(await this.next()).toEqual({ type: "ack", id })
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate()
  }
}

export interface Harness {
  readonly mock: OdigoApp
  readonly clock: ManualClock
  readonly url: string
  readonly wsUrl: string
  readonly frames: Array<{ channel: Channel; text: string }>
  readonly injected: Array<string>
  http(method: "GET" | "POST" | "DELETE", url: string, body?: unknown): Promise<{ status: number; body: any; headers: Record<string, unknown>; text: string }>
  account(role?: "agent" | "supervisor"): Promise<Creds>
  inject(body: Record<string, unknown>): Promise<string>
  connect(path?: "/agent" | "/supervision"): Promise<Client>
  /** Connects and logs in as a new agent; the login frames are consumed. */
  agent(options?: { ready?: boolean; creds?: Creds }): Promise<Client & { creds: Creds }>
  /** The conservation check every test ends with. */
  checkCalls(): Promise<void>
  /** Resolves once the server has noticed that `login`'s connection is gone (grace period started). */
  disconnected(login: string): Promise<void>
}

/** Waits for a server-side condition, re-checking on each turn of the event loop (fails after 5 s). */
export async function until(what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((r) => setTimeout(r, 2))
  }
}

/** Starts a mock on 127.0.0.1:0 with a ManualClock at T0; teardown is registered first. */
export async function startMock(options: OdigoOptions = {}): Promise<Harness> {
  const clock = new ManualClock(T0)
  const frames: Array<{ channel: Channel; text: string }> = []
  const clients: Array<Client> = []
  const injected: Array<string> = []
  let accounts = 0
  let mock: OdigoApp | undefined

  const h: Harness = {
    get mock() {
      return mock!
    },
    clock,
    url: "",
    wsUrl: "",
    frames,
    injected,
    async http(method, url, body) {
      const headers = options.adminToken === undefined ? {} : { authorization: `Bearer ${options.adminToken}` }
      const r = await mock!.app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as never }) })
      let parsed: unknown = undefined
      try {
        parsed = JSON.parse(r.body)
      } catch {
        parsed = undefined
      }
      return { status: r.statusCode, body: parsed, headers: r.headers, text: r.body }
    },
    async account(role = "agent") {
      const p = person(accounts++)
      const creds = { login: p.login, password: "correct horse battery" }
      const r = await h.http("POST", "/admin/accounts", { ...p, password: creds.password, role })
      expect(r.status).toBe(201)
      return creds
    },
    async inject(body) {
      const r = await h.http("POST", "/calls", body)
      expect(r.status, JSON.stringify(r.body)).toBe(201)
      injected.push(r.body.callRef)
      return r.body.callRef as string
    },
    async connect(path = "/agent") {
      const c = await Client.open(`${h.wsUrl}${path}`)
      clients.push(c)
      return c
    },
    async agent(opts = {}) {
      const creds = opts.creds ?? (await h.account("agent"))
      const c = await h.connect("/agent")
      c.cmd("login", creds)
      expect(await c.take(2)).toEqual([
        { type: "ack", id: "c1" },
        { type: "agent.stateChanged", payload: { state: "notReady", since: iso(clock.nowMs()) } }
      ])
      if (opts.ready !== false) {
        c.cmd("setState", { state: "ready" })
        expect((await c.take(2)).map((f) => f.type)).toEqual(["ack", "agent.stateChanged"])
      }
      return Object.assign(c, { creds })
    },
    async disconnected(login) {
      await until(`the server sees ${login} disconnected`, () => {
        const a = mock!.platform.sessions.get(login)
        return a !== undefined && a.sink === undefined
      })
    },
    async checkCalls() {
      const audit = await h.http("GET", "/admin/audit")
      expect(audit.body.violations).toEqual([])
      const { census } = audit.body
      expect(census.injected).toBe(injected.length)
      // Each call's own view, tallied, must give the census (whose `answered` includes the calls still connected).
      const byStatus: Record<string, number> = { answered: 0, abandoned: 0, queued: 0, ringing: 0, connected: 0 }
      for (const ref of injected) {
        const r = await h.http("GET", `/calls/${ref}`)
        expect(r.status, `call ${ref}`).toBe(200)
        byStatus[r.body.status]!++
      }
      expect({ ...byStatus, answered: byStatus["answered"]! + byStatus["connected"]! }).toEqual({
        answered: census.answered,
        abandoned: census.abandoned,
        queued: census.queued,
        ringing: census.ringing,
        connected: census.connected
      })
    }
  }

  onTestFinished(async (ctx) => {
    try {
      // Always re-audited, even after a mid-test checkCalls: a call lost after it is still caught.
      // A mock the test closed no longer serves HTTP: its platform is audited in-process instead.
      if (mock !== undefined && ctx.task.result?.state !== "fail") {
        if (!mock.gateway.closing) await h.checkCalls()
        else {
          expect(audit(mock.platform)).toEqual([])
          expect(census(mock.platform).injected).toBe(injected.length)
        }
      }
    } finally {
      for (const c of clients) c.close()
      await mock?.close("test finished")
    }
    if (ctx.task.result?.state !== "fail") {
      for (const f of frames) {
        const frame = JSON.parse(f.text) as Frame
        seenTypes.add(`${f.channel}:${frame.type}`)
        const errors = validateFrame(f.channel, frame)
        expect(errors, `frame ${f.text}`).toEqual([])
      }
    }
  })

  mock = await buildApp({ clock, tap: (channel, text) => frames.push({ channel, text }), ...options })
  const url = await mock.listen(0, "127.0.0.1")
  ;(h as { url: string }).url = url
  ;(h as { wsUrl: string }).wsUrl = url.replace(/^http/, "ws")
  return h
}
