/**
 * A supervisor's screen: one websocket to Odigo's `/supervision`, logged in with a nominative
 * supervisor account, reading the snapshot and the deltas the platform sends every second.
 * What it measures is staleness: how old the picture is when it arrives (the delta's server
 * time `at` → its reception) — what a supervisor watching the queues would see lag behind.
 *
 * Invariants: frames are decoded with the mock's own schemas (a frame out of the protocol stops
 * the run); a dropped feed is reopened (counted), and `close()` leaves nothing open.
 */
import type WebSocket from "ws"
import { decodeSupervisionEvent, encodeCommand, ProtocolViolation } from "../../mock-odigo/protocol/client.js"
import type { Metrics } from "./metrics.js"
import { nowEpochMs } from "./scheduler.js"
import { Ws } from "./ws.js"

export class SupervisionWatcher {
  private ws: WebSocket | undefined
  private closed = false
  /** Latest figures seen (the coordinator may show them). */
  lastWaiting = 0

  constructor(
    private readonly url: string,
    private readonly account: { readonly login: string; readonly password: string },
    private readonly metrics: Metrics,
    private readonly fatal: (code: string, message: string) => void
  ) {}

  start(): void {
    if (this.closed) return
    const ws = new (Ws())(this.url, { perMessageDeflate: false, handshakeTimeout: 10_000 })
    this.ws = ws
    ws.on("open", () => ws.send(encodeCommand({ type: "login", id: "s1", payload: { login: this.account.login, password: this.account.password } })))
    ws.on("message", (data) => {
      const now = nowEpochMs()
      let f
      try {
        f = decodeSupervisionEvent(String(data))
      } catch (e) {
        if (!(e instanceof ProtocolViolation)) throw e
        this.metrics.error("PROTOCOL_VIOLATION")
        this.fatal("PROTOCOL_VIOLATION", `${this.url}: ${e.message}`)
        return
      }
      if (f.type === "supervision.snapshot" || f.type === "supervision.delta") {
        this.metrics.record("supervision_staleness", now - Date.parse(f.payload.at))
        this.lastWaiting = f.payload.queues.reduce((a, q) => a + q.waiting, 0)
      } else if (f.type === "error") {
        this.metrics.error(f.code)
        if (f.id === "s1") this.fatal("LOGIN_REFUSED", `Odigo refused the supervisor login of ${this.account.login}: ${f.code} (${f.message})`)
      }
    })
    ws.on("error", (e: NodeJS.ErrnoException) => this.metrics.error(e.code ?? "WS_ERROR"))
    ws.on("close", () => {
      if (this.closed) return
      this.metrics.count("supervisionReconnects")
      setTimeout(() => this.start(), 200).unref()
    })
  }

  close(): void {
    this.closed = true
    this.ws?.terminate()
  }
}
