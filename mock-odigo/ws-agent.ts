/**
 * The /agent websocket: the agent bar's protocol (login, states, calls, wrap-up).
 *
 * Each incoming frame is charged to the connection's budget, then decoded (transport.ts
 * `onClientCommands`), then either refused with an `error` frame (stable code, the command's
 * id) or applied by the platform, which sends the
 * `ack` before the events the command causes. Invariant: one connection speaks for at most one
 * agent session, and only while it is that session's current connection — a connection that
 * was replaced (takeover) or logged out can no longer act on the session.
 */
import type { Agent } from "./acd/model.js"
import { sessionCall } from "./acd/views.js"
import type { GatewayDeps } from "./gateway.js"
import { AGENT_COMMANDS, type AgentCommand } from "./protocol/commands.js"
import { makeFrameDecoder } from "./protocol/decode.js"
import { Conn, LoginDeadline, onClientCommands } from "./transport.js"

const decodeAgentFrame = makeFrameDecoder(AGENT_COMMANDS)

export function attachAgent(conn: Conn, deps: GatewayDeps): void {
  const { platform, accounts, clock, options } = deps
  let agent: Agent | undefined
  const loginDeadline = new LoginDeadline(conn, clock, options.loginTimeoutMs)

  const handle = (cmd: AgentCommand, id: string | undefined): void => {
    // A session taken over by a newer connection, or ended, no longer listens to this one.
    if (agent !== undefined && (agent.sink !== conn || platform.sessions.get(agent.account.login) !== agent)) agent = undefined
    if (agent === undefined) {
      if (cmd.type === "ping") return conn.sendAck(id)
      if (cmd.type !== "login") return conn.sendError(id, "NOT_LOGGED_IN", `Log in before sending ${cmd.type}`)
      const account = accounts.authenticate(cmd.payload.login, cmd.payload.password)
      if (account === undefined) return conn.sendError(id, "BAD_CREDENTIALS", "Unknown login or wrong password")
      if (account.role !== "agent") return conn.sendError(id, "WRONG_ROLE", "Supervisor accounts connect to /supervision")
      loginDeadline.stop()
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
      loginDeadline.restart()
    }
  }

  onClientCommands(conn, decodeAgentFrame, handle, deps.onBug, "Unexpected server error; the command may not have been applied")
  conn.ws.on("close", () => {
    if (agent !== undefined) platform.connectionLost(agent, conn)
  })
}
