/**
 * The websocket gateway: upgrades on /agent and /supervision, the heartbeat, the registry of
 * connections, and the connection-level faults (refusal, VPN cut, closing notice).
 *
 * ws runs with `noServer: true` on the fastify HTTP server, a small `maxPayload` (frames above
 * it are closed with 1009 by ws), no compression, and a ping/pong heartbeat that terminates a
 * connection silent for a whole interval. Invariant: a problem on one connection — bad frames,
 * floods, a slow reader, a crash in a handler — is contained to that connection; the server
 * and the other clients carry on.
 */
import type { IncomingMessage } from "node:http"
import type { Duplex } from "node:stream"
import type { WebSocket, WebSocketServer } from "ws"
import type { Accounts } from "./accounts.js"
import type { Platform } from "./acd/platform.js"
import type { Clock } from "./clock.js"
import type { ErrorCode } from "./errors.js"
import type { Faults } from "./faults.js"
import type { ServerFrame } from "./protocol/events.js"
import type { SupervisionHub } from "./supervision.js"
import { Conn, type Channel, type FrameTap, type TransportLimits } from "./transport.js"
import { attachAgent } from "./ws-agent.js"
import { attachSupervisor } from "./ws-supervision.js"

export interface GatewayOptions {
  /** Largest frame a client may send, bytes. */
  readonly maxPayloadBytes: number
  /** Heartbeat period (real time), ms; a connection silent for a whole period is terminated. */
  readonly heartbeatMs: number
  /** Time allowed between connecting and a successful login, ms. */
  readonly loginTimeoutMs: number
  /** Most websocket connections at once. */
  readonly maxConnections: number
  readonly agentLimits: TransportLimits
  readonly supervisorLimits: TransportLimits
}

export interface GatewayDeps {
  readonly platform: Platform
  readonly accounts: Accounts
  readonly hub: SupervisionHub
  readonly faults: Faults
  readonly clock: Clock
  readonly tap: FrameTap | undefined
  readonly options: GatewayOptions
  /** Reports unexpected handler errors (bugs); the connection survives them. */
  readonly onBug: (error: unknown) => void
}

const PATHS: Record<string, Channel> = { "/agent": "agent", "/supervision": "supervision" }

const STATUS_TEXT: Record<number, string> = { 404: "Not Found", 503: "Service Unavailable" }

export class Gateway {
  readonly conns = new Set<Conn>()
  /** Logged-in supervisor connections by login (one supervisor may watch from several). */
  readonly supervisors = new Map<string, Set<Conn>>()
  readonly counters = { heldFrames: 0 }
  private readonly heartbeat: NodeJS.Timeout
  /** True once shutdown began: upgrades are refused. */
  closing = false

  constructor(
    private readonly wss: WebSocketServer,
    readonly deps: GatewayDeps
  ) {
    // Each connection is pinged on its own phase (see `beat`), so the server never pings
    // thousands of clients in one tick; the tick runs 10 times per heartbeat period.
    this.heartbeat = setInterval(() => this.beat(), Math.max(5, Math.floor(deps.options.heartbeatMs / 10)))
    this.heartbeat.unref()
  }

  /** Handles an HTTP upgrade request from the fastify server. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", () => socket.destroy())
    const path = new URL(req.url ?? "/", "http://localhost").pathname
    const channel = PATHS[path]
    if (channel === undefined) return reject(socket, 404, "NOT_FOUND", `No websocket at ${path}; use /agent or /supervision`)
    if (this.closing) return reject(socket, 503, "CONNECTIONS_REFUSED", "The server is shutting down")
    if (this.deps.faults.settings.refuseConnections) return reject(socket, 503, "CONNECTIONS_REFUSED", "New connections are refused (fault injected)")
    if (this.conns.size >= this.deps.options.maxConnections) {
      return reject(socket, 503, "CONNECTIONS_REFUSED", `Connection limit reached (${this.deps.options.maxConnections})`)
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, channel))
  }

  /** Number of open connections on a channel. */
  count(channel: Channel): number {
    let n = 0
    for (const c of this.conns) if (c.channel === channel && !c.closed) n++
    return n
  }

  /** Cuts agent connections without a close frame (a VPN cut); returns how many were cut. */
  disconnectAgents(target: "all" | ReadonlyArray<string>): number {
    const victims: Array<Conn> = []
    if (target === "all") {
      for (const c of this.conns) if (c.channel === "agent" && !c.closed) victims.push(c)
    } else {
      for (const login of target) {
        const sink = this.deps.platform.sessions.get(login)?.sink
        if (sink instanceof Conn && !sink.closed) victims.push(sink)
      }
    }
    for (const c of victims) c.terminate()
    return victims.length
  }

  /** Closes an agent's connection with a close code (account removed). */
  closeAgent(login: string, code: 4003, reason: string): void {
    const sink = this.deps.platform.sessions.get(login)?.sink
    if (sink instanceof Conn) sink.close(code, reason)
  }

  /** Closes every supervision connection logged in as `login` (account removed); returns how many. */
  closeSupervisor(login: string, code: 4003, reason: string): number {
    const conns = this.supervisors.get(login)
    if (conns === undefined) return 0
    this.supervisors.delete(login)
    for (const c of conns) {
      // Conn.close alone already stops every send; removing it here as well takes it off the
      // feed's books at once (no delta built for it, hub size exact) rather than when the closing
      // handshake completes, up to 1 s later (its close handler removes it again, harmlessly).
      this.deps.hub.remove(c)
      c.close(code, reason)
    }
    return conns.size
  }

  /** Sends a frame to every open connection, serialised once; returns how many received it. */
  broadcast(frame: ServerFrame): number {
    const text = JSON.stringify(frame)
    let n = 0
    for (const c of this.conns) {
      if (c.closed) continue
      c.sendText(text)
      n++
    }
    return n
  }

  /** Closes every connection with `code` and resolves once they are all gone (at most ~1 s). */
  async closeAll(code: 1001, reason: string): Promise<void> {
    clearInterval(this.heartbeat)
    const gone = [...this.conns].map(
      (c) => new Promise<void>((resolve) => (c.ws.readyState === 3 ? resolve() : c.ws.once("close", () => resolve())))
    )
    for (const c of this.conns) c.close(code, reason)
    await Promise.all(gone)
  }

  private accept(ws: WebSocket, channel: Channel): void {
    const { options, clock, faults, tap } = this.deps
    const limits = channel === "agent" ? options.agentLimits : options.supervisorLimits
    const conn = new Conn(ws, channel, limits, { clock, faults, tap, counters: this.counters })
    this.conns.add(conn)
    ws.on("pong", () => {
      conn.alive = true
    })
    ws.on("error", () => {
      // ws reports protocol errors (e.g. a frame above maxPayload) here, then closes with the
      // matching code (1009); nothing else to do.
    })
    ws.on("close", () => {
      this.conns.delete(conn)
      conn.dispose()
    })
    if (channel === "agent") attachAgent(conn, this.deps)
    else attachSupervisor(conn, this.deps, this.supervisors)
  }

  /**
   * Heartbeat round: every connection whose beat is due is terminated if it stayed silent
   * (no pong, no frame) since its previous ping, otherwise pinged again. First beats are
   * spread over the first period at random, so 5,000 agents connecting together are pinged
   * ~50 per tick rather than all at once (which stalls the event loop for ~100 ms).
   */
  private beat(): void {
    const now = Date.now()
    const period = this.deps.options.heartbeatMs
    for (const c of this.conns) {
      if (c.nextBeatAtMs === 0) c.nextBeatAtMs = now + Math.floor(Math.random() * period) + 1
      if (now < c.nextBeatAtMs) continue
      c.nextBeatAtMs = now + period
      if (!c.alive) {
        c.terminate()
        continue
      }
      c.alive = false
      if (c.ws.readyState === 1) c.ws.ping()
    }
  }
}

function reject(socket: Duplex, status: number, code: ErrorCode, message: string): void {
  const body = JSON.stringify({ code, message })
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? "Error"}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  )
}
