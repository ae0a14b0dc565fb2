/**
 * The /agent websocket: the agent bar's protocol (login, states, calls, wrap-up).
 *
 * Each incoming frame is decoded, charged to the connection's budget, then either refused with
 * an `error` frame (stable code, the command's id) or applied by the platform, which sends the
 * `ack` before the events the command causes. Invariant: one connection speaks for at most one
 * agent session, and only while it is that session's current connection — a connection that
 * was replaced (takeover) or logged out can no longer act on the session.
 */
import type { Agent } from "./acd/model.js"
import { sessionCall } from "./acd/views.js"
import type { Clock, Timer } from "./clock.js"
import type { GatewayDeps } from "./gateway.js"
import { AGENT_COMMANDS } from "./protocol/commands.js"
import { makeFrameDecoder, type Decoded } from "./protocol/decode.js"
import { Conn, onClientFrames } from "./transport.js"

const decodeAgentFrame = makeFrameDecoder(AGENT_COMMANDS)

/** Decodes a websocket message; binary frames are refused. */
export const decodeMessage = <C>(decode: (text: string) => Decoded<C>, data: unknown, isBinary: boolean): Decoded<C> => {
  if (isBinary) return { ok: false, id: undefined, code: "BAD_FRAME", message: "Binary frames are not supported; send JSON text" }
  const text = Buffer.isBuffer(data) ? data.toString("utf8") : Array.isArray(data) ? Buffer.concat(data as Array<Buffer>).toString("utf8") : String(data)
  return decode(text)
}

/** Charges a frame to the connection's budget; false when the frame must not be processed. */
export const charge = (conn: Conn, id: string | undefined): boolean => {
  const verdict = conn.admit()
  if (verdict === "ok") return true
  if (verdict === "close") conn.close(1008, "flood")
  else conn.sendError(id, "RATE_LIMITED", "Too many frames; this one was ignored")
  return false
}

const startLoginTimer = (clock: Clock, conn: Conn, ms: number): Timer =>
  clock.setTimer(ms, () => conn.close(4001, "login timeout"))

export function attachAgent(conn: Conn, deps: GatewayDeps): void {
  const { platform, accounts, clock, options } = deps
  let agent: Agent | undefined
  let loginTimer: Timer | undefined = startLoginTimer(clock, conn, options.loginTimeoutMs)

  const handle = (data: unknown, isBinary: boolean): void => {
    const d = decodeMessage(decodeAgentFrame, data, isBinary)
    if (!charge(conn, d.id)) return
    if (!d.ok) return conn.sendError(d.id, d.code, d.message)
    const cmd = d.command
    const id = d.id
    // A session taken over by a newer connection, or ended, no longer listens to this one.
    if (agent !== undefined && (agent.sink !== conn || platform.sessions.get(agent.account.login) !== agent)) agent = undefined
    if (agent === undefined) {
      if (cmd.type === "ping") return conn.sendAck(id)
      if (cmd.type !== "login") return conn.sendError(id, "NOT_LOGGED_IN", `Log in before sending ${cmd.type}`)
      const account = accounts.authenticate(cmd.payload.login, cmd.payload.password)
      if (account === undefined) return conn.sendError(id, "BAD_CREDENTIALS", "Unknown login or wrong password")
      if (account.role !== "agent") return conn.sendError(id, "WRONG_ROLE", "Supervisor accounts connect to /supervision")
      clock.clearTimer(loginTimer)
      loginTimer = undefined
      const replaced = platform.login(account, conn, (a, restored) => {
        agent = a
        conn.sendAck(id)
        if (!restored) {
          conn.send({ type: "agent.stateChanged", payload: { state: a.state, since: new Date(a.sinceMs).toISOString() } })
          return
        }
        const call = sessionCall(a)
        conn.send({
          type: "session.restored",
          payload: {
            state: a.state,
            ...(a.reason === undefined ? {} : { reason: a.reason }),
            since: new Date(a.sinceMs).toISOString(),
            ...(call === undefined ? {} : { call })
          }
        })
      })
      if (replaced instanceof Conn && replaced !== conn) replaced.close(4000, "session replaced")
      return
    }
    const refusal = platform.command(agent, cmd, () => conn.sendAck(id))
    if (refusal !== undefined) return conn.sendError(id, refusal.code, refusal.message)
    if (cmd.type === "logout") {
      agent = undefined
      loginTimer = startLoginTimer(clock, conn, options.loginTimeoutMs)
    }
  }

  onClientFrames(conn, handle, deps.onBug, "Unexpected server error; the command may not have been applied")
  conn.ws.on("close", () => {
    clock.clearTimer(loginTimer)
    if (agent !== undefined) platform.connectionLost(agent, conn)
  })
}
