/**
 * The fan-out of `/events`: which connected advisor gets which frame, heartbeats, and
 * protection against slow readers.
 *
 * Invariants:
 * - A connection belongs to one session; when that session expires or is revoked it gets a
 *   final frame and is closed (4001); nothing else is sent to it afterwards.
 * - Heartbeat: every `heartbeatMs` each socket is pinged; one that has not answered the
 *   previous ping is terminated (dead peers never pile up).
 * - Slow readers: a frame is skipped, and counted, while the socket's `bufferedAmount`
 *   exceeds `highWaterBytes`; the next frame that goes through is preceded by
 *   `frames.dropped {count}` so the client knows to resynchronise. Session-ending frames are
 *   never skipped. Memory per client is thus bounded by the high-water mark.
 */
import { isoOf, type Clock } from "./clock.js"
import type { Role } from "./schema/fields.js"
import { CLOSE_SESSION_ENDED, type ServerFrame } from "./schema/events.js"

/** What the hub needs of a websocket (ws's WebSocket satisfies it; tests pass fakes). */
export interface SocketLike {
  readonly readyState: number
  readonly bufferedAmount: number
  send(data: string): void
  ping(): void
  close(code?: number, reason?: string): void
  terminate(): void
}

const OPEN = 1

export interface Connection {
  readonly socket: SocketLike
  readonly sessionKey: string
  readonly email: string
  readonly role: Role
  alive: boolean
  dropped: number
}

type FrameBody = ServerFrame extends infer F ? (F extends { at: string } ? Omit<F, "at"> : never) : never

export class EventHub {
  private readonly connections = new Set<Connection>()
  private heartbeat: ReturnType<typeof setInterval> | undefined

  constructor(private readonly clock: Clock, private readonly highWaterBytes: number = 1 << 20) {}

  add(socket: SocketLike, session: { key: string; email: string; role: Role }): Connection {
    const conn: Connection = { socket, sessionKey: session.key, email: session.email, role: session.role, alive: true, dropped: 0 }
    this.connections.add(conn)
    return conn
  }

  remove(conn: Connection): void {
    this.connections.delete(conn)
  }

  get size(): number {
    return this.connections.size
  }

  /** Sends one frame to one connection, honouring the slow-reader rule. */
  send(conn: Connection, body: FrameBody, critical = false): void {
    if (!this.admits(conn, critical)) return
    const at = isoOf(this.clock.nowMs())
    this.write(conn, JSON.stringify({ ...body, at }), at)
  }

  /** To every advisor and supervisor. */
  toStaff(body: FrameBody): void {
    this.fanOut(body, (c) => c.role !== "securityOfficer")
  }

  /** To the given accounts and to every supervisor. */
  toAccountsAndSupervisors(emails: ReadonlySet<string>, body: FrameBody): void {
    this.fanOut(body, (c) => c.role === "supervisor" || emails.has(c.email))
  }

  /** One frame to every connection `to` selects: serialised once, the same text to each. */
  private fanOut(body: FrameBody, to: (c: Connection) => boolean): void {
    let text: string | undefined
    let at = ""
    for (const c of this.connections) {
      if (!to(c) || !this.admits(c, false)) continue
      if (text === undefined) {
        at = isoOf(this.clock.nowMs())
        text = JSON.stringify({ ...body, at })
      }
      this.write(c, text, at)
    }
  }

  /** False when the socket is not open, or (unless `critical`) skips the frame for a slow reader. */
  private admits(conn: Connection, critical: boolean): boolean {
    if (conn.socket.readyState !== OPEN) return false
    if (!critical && conn.socket.bufferedAmount > this.highWaterBytes) {
      conn.dropped++
      return false
    }
    return true
  }

  /** Writes a serialised frame stamped `at`, preceded by `frames.dropped` when frames were skipped. */
  private write(conn: Connection, text: string, at: string): void {
    if (conn.dropped > 0) {
      conn.socket.send(JSON.stringify({ type: "frames.dropped", at, count: conn.dropped }))
      conn.dropped = 0
    }
    conn.socket.send(text)
  }

  /** Sends the final frame to every socket of a session and closes them. */
  endSession(sessionKey: string, body: FrameBody): void {
    for (const c of this.connections) {
      if (c.sessionKey !== sessionKey) continue
      this.send(c, body, true)
      c.socket.close(CLOSE_SESSION_ENDED, body.type)
      this.connections.delete(c)
    }
  }

  /** Starts the ping/pong heartbeat (real time: it is about sockets, not domain time). */
  startHeartbeat(heartbeatMs: number): void {
    this.stopHeartbeat()
    this.heartbeat = setInterval(() => this.beat(), heartbeatMs)
    this.heartbeat.unref()
  }

  stopHeartbeat(): void {
    if (this.heartbeat !== undefined) clearInterval(this.heartbeat)
    this.heartbeat = undefined
  }

  /** One heartbeat round: terminate the silent, ping the rest. */
  beat(): void {
    for (const c of this.connections) {
      if (!c.alive) {
        c.socket.terminate()
        this.connections.delete(c)
        continue
      }
      c.alive = false
      c.socket.ping()
    }
  }

  /** Closes every connection (server shutdown). */
  closeAll(code: number, reason: string): void {
    for (const c of this.connections) c.socket.close(code, reason)
    this.connections.clear()
  }
}
