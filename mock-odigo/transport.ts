/**
 * One websocket connection as the server sees it: sending frames (through the fault shaper),
 * admitting incoming frames (flood budget), and keeping a slow reader from growing memory.
 *
 * Invariants:
 * - frames of one connection are delivered in the order they were sent, whatever the injected
 *   latency and jitter — a close included: frames still held back by latency when the server
 *   closes a connection are written before the close frame (without the rest of their delay),
 *   so a `server.closing` notice is never lost on shutdown. Only a cut (`terminate`) and a
 *   slow consumer's close (4002) discard them, as a network failure would;
 * - a client that sends faster than its budget gets RATE_LIMITED errors, then is closed with
 *   1008 if it keeps going — its frames are never queued unboundedly;
 * - a client that does not read: past `highWaterBytes` of unsent data the server stops reading
 *   its input (ws `pause()`), so it cannot make the server produce more replies; past
 *   `hardLimitBytes` it is closed with 4002. Server memory per connection stays bounded.
 * Backlog polling uses real timers (it watches the socket, not the simulated world).
 */
import type { WebSocket } from "ws"
import type { Clock, Timer } from "./clock.js"
import type { CloseCode, ErrorCode } from "./errors.js"
import type { Faults } from "./faults.js"
import { frameIdOf, type Decoded } from "./protocol/decode.js"
import type { ServerFrame } from "./protocol/events.js"

export type Channel = "agent" | "supervision"

/** Receives the text of every frame the server emits (before faults drop or delay it). */
export type FrameTap = (channel: Channel, text: string) => void

export interface TransportLimits {
  /** Sustained frames per second a client may send. */
  readonly ratePerSec: number
  /** Frames a client may send in a burst above the sustained rate. */
  readonly burst: number
  /** Consecutive over-budget frames tolerated before closing with 1008. */
  readonly floodCloseAfter: number
  /** Unsent bytes above which the server stops reading the client's input. */
  readonly highWaterBytes: number
  /** Unsent bytes above which the connection is closed with 4002 (slow consumer). */
  readonly hardLimitBytes: number
}

export interface TransportContext {
  readonly clock: Clock
  readonly faults: Faults
  readonly tap: FrameTap | undefined
  /** Frames currently held back by injected latency, all connections together. */
  readonly counters: { heldFrames: number }
}

const OPEN = 1

export class Conn {
  /** Heartbeat: set on pong or any frame, cleared when a ping is sent. */
  alive = true
  /** When the gateway next pings this connection (real time, epoch ms); 0 until scheduled. */
  nextBeatAtMs = 0
  private closing = false
  private tokens: number
  private refilledAtMs: number
  private rejectedInRow = 0
  private held: Array<{ dueMs: number; text: string }> = []
  private heldBytes = 0
  private heldTimer: Timer | undefined = undefined
  private lastDueMs = 0
  private pollTimer: NodeJS.Timeout | undefined = undefined

  constructor(
    readonly ws: WebSocket,
    readonly channel: Channel,
    private readonly limits: TransportLimits,
    private readonly ctx: TransportContext
  ) {
    this.tokens = limits.burst
    this.refilledAtMs = ctx.clock.nowMs()
  }

  /** True once the server decided to close this connection, or the socket is no longer open. */
  get closed(): boolean {
    return this.closing || this.ws.readyState !== OPEN
  }

  /** Unsent bytes: held back by faults plus buffered in the socket. */
  get bufferedAmount(): number {
    return this.ws.bufferedAmount + this.heldBytes
  }

  send(frame: ServerFrame): void {
    if (this.closed) return
    this.sendText(JSON.stringify(frame))
  }

  /** Sends an already serialised frame (a fan-out serialises once for all its recipients). */
  sendText(text: string): void {
    if (this.closed) return
    this.ctx.tap?.(this.channel, text)
    const faults = this.ctx.faults
    if (!faults.shaping && this.held.length === 0) {
      this.write(text)
      return
    }
    if (faults.drop()) return
    const now = this.ctx.clock.nowMs()
    const dueMs = Math.max(this.lastDueMs, now + faults.delayMs())
    this.lastDueMs = dueMs
    if (dueMs <= now && this.held.length === 0) {
      this.write(text)
      return
    }
    this.held.push({ dueMs, text })
    this.heldBytes += text.length
    this.ctx.counters.heldFrames++
    if (this.heldTimer === undefined) this.heldTimer = this.ctx.clock.setTimer(dueMs - now, () => this.release())
  }

  sendError(id: string | undefined, code: ErrorCode, message: string): void {
    this.send(id === undefined ? { type: "error", code, message } : { type: "error", id, code, message })
  }

  sendAck(id: string | undefined): void {
    if (id !== undefined) this.send({ type: "ack", id })
  }

  /** Takes one frame from the budget: "ok", "limited" (reply RATE_LIMITED) or "close" (flood). */
  admit(): "ok" | "limited" | "close" {
    const now = this.ctx.clock.nowMs()
    const { ratePerSec, burst, floodCloseAfter } = this.limits
    this.tokens = Math.min(burst, this.tokens + ((now - this.refilledAtMs) * ratePerSec) / 1000)
    this.refilledAtMs = now
    if (this.tokens >= 1) {
      this.tokens -= 1
      this.rejectedInRow = 0
      return "ok"
    }
    this.rejectedInRow++
    return this.rejectedInRow > floodCloseAfter ? "close" : "limited"
  }

  /** Closes with a close frame, after the frames held back by injected latency (except for 4002). */
  close(code: CloseCode, reason: string): void {
    if (this.closing) return
    this.closing = true
    if (code === 4002) this.dropHeld()
    else this.flushHeld()
    if (this.ws.readyState === OPEN) this.ws.close(code, reason)
    // A client that does not read never completes the closing handshake: cut it after 1 s.
    setTimeout(() => this.ws.terminate(), 1000).unref()
  }

  /** Cuts the connection without a close frame (network failure, VPN cut, heartbeat). */
  terminate(): void {
    this.closing = true
    this.dropHeld()
    this.ws.terminate()
  }

  /** Releases resources once the socket is closed. */
  dispose(): void {
    this.closing = true
    this.dropHeld()
    if (this.pollTimer !== undefined) clearTimeout(this.pollTimer)
  }

  private write(text: string): void {
    this.ws.send(text)
    const backlog = this.ws.bufferedAmount
    if (backlog > this.limits.highWaterBytes) this.throttle(backlog)
  }

  private throttle(backlog: number): void {
    if (backlog > this.limits.hardLimitBytes) {
      this.close(4002, "slow consumer")
      return
    }
    if (this.ws.isPaused || this.closing) return
    this.ws.pause()
    const poll = (): void => {
      this.pollTimer = undefined
      if (this.closed) return
      if (this.ws.bufferedAmount <= this.limits.highWaterBytes / 2) this.ws.resume()
      else this.pollTimer = setTimeout(poll, 25)
    }
    this.pollTimer = setTimeout(poll, 25)
  }

  private release(): void {
    this.heldTimer = undefined
    const now = this.ctx.clock.nowMs()
    while (this.held.length > 0 && this.held[0]!.dueMs <= now) {
      const f = this.held.shift()!
      this.heldBytes -= f.text.length
      this.ctx.counters.heldFrames--
      if (!this.closed) this.write(f.text)
    }
    if (this.held.length > 0) this.heldTimer = this.ctx.clock.setTimer(this.held[0]!.dueMs - now, () => this.release())
  }

  /** Writes every held frame now, in order (a graceful close must not lose them). */
  private flushHeld(): void {
    const held = this.held
    this.dropHeld()
    if (this.ws.readyState !== OPEN) return
    for (const f of held) this.ws.send(f.text)
  }

  private dropHeld(): void {
    this.ctx.clock.clearTimer(this.heldTimer)
    this.heldTimer = undefined
    this.ctx.counters.heldFrames -= this.held.length
    this.held = []
    this.heldBytes = 0
  }
}

/** The text of a websocket message (ws hands text frames over as Buffers). */
const textOf = (data: unknown): string =>
  Buffer.isBuffer(data) ? data.toString("utf8") : Array.isArray(data) ? Buffer.concat(data as Array<Buffer>).toString("utf8") : String(data)

/**
 * Routes every frame a client sends on `conn` (the prelude both sockets share). Any frame marks
 * the connection alive; frames after a close are ignored. The frame is charged to the flood
 * budget first, before any parsing, so a flood costs no decoding: over budget it gets
 * RATE_LIMITED (naming its id when it has one) or, if the flood goes on, closes the connection
 * with 1008. Within budget it is decoded: binary frames and decoding failures get their error
 * frame, a command goes to `handle`. An exception in `handle` is a bug: it is reported to
 * `onBug` and the client gets an INTERNAL error frame, while the connection and the server stay up.
 */
export const onClientCommands = <C>(
  conn: Conn,
  decode: (text: string) => Decoded<C>,
  handle: (command: C, id: string | undefined) => void,
  onBug: (error: unknown) => void,
  internalMessage: string
): void => {
  conn.ws.on("message", (data, isBinary) => {
    conn.alive = true
    if (conn.closed) return
    try {
      const verdict = conn.admit()
      if (verdict === "close") return conn.close(1008, "flood")
      if (verdict === "limited") {
        return conn.sendError(isBinary ? undefined : frameIdOf(textOf(data)), "RATE_LIMITED", "Too many frames; this one was ignored")
      }
      if (isBinary) return conn.sendError(undefined, "BAD_FRAME", "Binary frames are not supported; send JSON text")
      const d = decode(textOf(data))
      if (!d.ok) return conn.sendError(d.id, d.code, d.message)
      handle(d.command, d.id)
    } catch (error) {
      onBug(error)
      conn.sendError(undefined, "INTERNAL", internalMessage)
    }
  })
}

/**
 * The time a connection has to log in: when it runs out the connection is closed with 4001
 * "login timeout". Runs from construction; `stop` on login, `restart` on logout; stopped when
 * the socket closes. Domain time (the mock's clock), like the rest of the session rules.
 */
export class LoginDeadline {
  private timer: Timer | undefined = undefined

  constructor(
    private readonly conn: Conn,
    private readonly clock: Clock,
    private readonly ms: number
  ) {
    this.restart()
    conn.ws.on("close", () => this.stop())
  }

  restart(): void {
    this.stop()
    this.timer = this.clock.setTimer(this.ms, () => this.conn.close(4001, "login timeout"))
  }

  stop(): void {
    this.clock.clearTimer(this.timer)
    this.timer = undefined
  }
}
