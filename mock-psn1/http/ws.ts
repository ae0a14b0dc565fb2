/**
 * The `/events` websocket endpoint: authenticated upgrade, client frames, and wiring of each
 * socket into the EventHub.
 *
 * Invariants:
 * - ws runs with `noServer: true`: we own the HTTP upgrade, so a request without a live token
 *   of an enabled account is answered with a JSON 401/403 (same codes as REST) and never
 *   becomes a websocket.
 * - `maxPayload` is small (4 KiB by default, far below ws's 100 MiB): clients only send pings.
 * - A bad client frame gets an `error` frame (WS_INVALID_MESSAGE); the socket and the server
 *   stay up. Every upgrade, accepted or refused, is audited (`events.connect`).
 */
import type { IncomingMessage } from "node:http"
import type { Duplex } from "node:stream"
import type { FastifyInstance } from "fastify"
import type { RawData, WebSocket } from "ws"
import { isoOf } from "../clock.js"
import { outcomeOf } from "../domain/audit.js"
import { isPsn1Error, Psn1Error, type ErrorCode } from "../errors.js"
import type { Portal } from "../portal.js"
import { makeDecoder } from "../schema/decode.js"
import { PingFrame } from "../schema/events.js"
import type { Connection } from "../hub.js"
import type { Origin } from "../domain/accounts.js"
import type { Session } from "../domain/sessions.js"
import { authenticateBearer, originOf } from "./caller.js"

export interface EventsOptions {
  readonly maxPayloadBytes: number
  /** 0 disables the heartbeat. */
  readonly heartbeatMs: number
}

const decodePing = makeDecoder(PingFrame, "frame")

const originOfUpgrade = (req: IncomingMessage): Origin => originOf({ ip: req.socket.remoteAddress ?? "-", headers: req.headers })

const STATUS_TEXT: Readonly<Record<number, string>> = { 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 500: "Internal Server Error" }

const refuse = (socket: Duplex, error: Psn1Error): void => {
  const body = JSON.stringify(error.toBody())
  const reason = STATUS_TEXT[error.statusCode] ?? "Bad Request"
  const headers = { "Content-Type": "application/json; charset=utf-8", "Content-Length": String(Buffer.byteLength(body)), Connection: "close", ...error.headers }
  socket.end(`HTTP/1.1 ${error.statusCode} ${reason}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join("\r\n")}\r\n\r\n${body}`)
}

const onClientFrame = (portal: Portal, conn: Connection, data: RawData, isBinary: boolean): void => {
  try {
    if (isBinary) throw new Psn1Error("WS_INVALID_MESSAGE", "binary frames are not accepted; send JSON text")
    let parsed: unknown
    try {
      parsed = JSON.parse(data.toString())
    } catch {
      throw new Psn1Error("WS_INVALID_MESSAGE", "the frame is not JSON")
    }
    let ping: typeof PingFrame.Type
    try {
      ping = decodePing(parsed)
    } catch (e) {
      throw new Psn1Error("WS_INVALID_MESSAGE", `the only client frame is {"type":"ping","id"?:string}: ${isPsn1Error(e) ? e.message : "invalid"}`)
    }
    portal.hub.send(conn, { type: "pong", id: ping.id ?? null })
  } catch (e) {
    const error = isPsn1Error(e) ? e : new Psn1Error("WS_INVALID_MESSAGE", "invalid frame")
    portal.hub.send(conn, { type: "error", code: error.code, message: error.message })
  }
}

/** Attaches `/events` to the app's HTTP server (ws loads here: see buildApp in ../app.ts). */
export const attachEvents = async (app: FastifyInstance, portal: Portal, options: EventsOptions): Promise<void> => {
  const { WebSocketServer } = await import("ws")
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes, perMessageDeflate: false, clientTracking: false })

  const audit = (req: IncomingMessage, status: number, code: ErrorCode | null, session: Session | null): void => {
    portal.audit.append({
      atMs: portal.nowMs(), actor: session?.email ?? null, role: session?.role ?? null, action: "events.connect", target: null,
      outcome: outcomeOf(status), status, code, ...originOfUpgrade(req)
    })
  }

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on("error", () => socket.destroy())
    const path = (req.url ?? "").split("?")[0]
    if (path !== "/events") {
      refuse(socket, new Psn1Error("NOT_FOUND", "websocket endpoint is /events"))
      return
    }
    let session: Session
    try {
      session = authenticateBearer(portal, req.headers, () => originOfUpgrade(req))
    } catch (e) {
      const error = isPsn1Error(e) ? e : new Psn1Error("INTERNAL", "upgrade failed")
      audit(req, error.statusCode, error.code, null)
      refuse(socket, error)
      return
    }
    const live = session
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      audit(req, 101, null, live)
      const conn = portal.hub.add(ws, live)
      ws.on("pong", () => { conn.alive = true })
      ws.on("message", (data, isBinary) => onClientFrame(portal, conn, data, isBinary))
      ws.on("close", () => portal.hub.remove(conn))
      // Errors (e.g. a frame over maxPayload) close the socket; they must never crash the server.
      ws.on("error", () => ws.terminate())
      portal.hub.send(conn, {
        type: "hello", account: { email: live.email, role: live.role }, sessionExpiresAt: isoOf(live.expiresAtMs)
      })
    })
  }

  app.server.on("upgrade", onUpgrade)
  if (options.heartbeatMs > 0) portal.hub.startHeartbeat(options.heartbeatMs)
  app.addHook("onClose", async () => {
    app.server.off("upgrade", onUpgrade)
    portal.hub.stopHeartbeat()
    portal.hub.closeAll(1001, "server shutting down")
    await new Promise<void>((resolve) => wss.close(() => resolve()))
  })
}
