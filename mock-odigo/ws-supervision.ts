/**
 * The /supervision websocket: supervisors log in, receive a snapshot, then a delta per second
 * (supervision.ts). Only supervisor accounts are accepted. Invariant: a connection is
 * subscribed to the feed, and listed under its login in the gateway's registry, exactly while
 * it is logged in as a supervisor — so removing the account can find and close it (4003).
 */
import type { GatewayDeps } from "./gateway.js"
import { SUPERVISION_COMMANDS } from "./protocol/commands.js"
import { makeFrameDecoder } from "./protocol/decode.js"
import { onClientFrames, type Conn } from "./transport.js"
import { charge, decodeMessage } from "./ws-agent.js"
import type { Timer } from "./clock.js"

const decodeSupervisionFrame = makeFrameDecoder(SUPERVISION_COMMANDS)

/** Logged-in supervisor connections by login (owned by the gateway). */
export type SupervisorRegistry = Map<string, Set<Conn>>

export function attachSupervisor(conn: Conn, deps: GatewayDeps, registry: SupervisorRegistry): void {
  const { accounts, hub, clock, options } = deps
  /** The login this connection is logged in as, if any. */
  let login: string | undefined = undefined
  const register = (l: string): void => {
    login = l
    let set = registry.get(l)
    if (set === undefined) registry.set(l, (set = new Set()))
    set.add(conn)
  }
  const unregister = (): void => {
    if (login === undefined) return
    const set = registry.get(login)
    set?.delete(conn)
    if (set?.size === 0) registry.delete(login)
    login = undefined
    hub.remove(conn)
  }
  let loginTimer: Timer | undefined = clock.setTimer(options.loginTimeoutMs, () => conn.close(4001, "login timeout"))

  const handle = (data: unknown, isBinary: boolean): void => {
    const d = decodeMessage(decodeSupervisionFrame, data, isBinary)
    if (!charge(conn, d.id)) return
    if (!d.ok) return conn.sendError(d.id, d.code, d.message)
    const cmd = d.command
    switch (cmd.type) {
      case "ping":
        return conn.sendAck(d.id)
      case "login": {
        if (login !== undefined) return conn.sendError(d.id, "ALREADY_LOGGED_IN", "This connection is already logged in; log out first")
        const account = accounts.authenticate(cmd.payload.login, cmd.payload.password)
        if (account === undefined) return conn.sendError(d.id, "BAD_CREDENTIALS", "Unknown login or wrong password")
        if (account.role !== "supervisor") return conn.sendError(d.id, "WRONG_ROLE", "Agent accounts connect to /agent")
        clock.clearTimer(loginTimer)
        loginTimer = undefined
        register(account.login)
        conn.sendAck(d.id)
        hub.add(conn)
        return
      }
      case "logout": {
        if (login === undefined) return conn.sendError(d.id, "NOT_LOGGED_IN", "Not logged in")
        unregister()
        conn.sendAck(d.id)
        loginTimer = clock.setTimer(options.loginTimeoutMs, () => conn.close(4001, "login timeout"))
        return
      }
    }
  }

  onClientFrames(conn, handle, deps.onBug, "Unexpected server error")
  conn.ws.on("close", () => {
    clock.clearTimer(loginTimer)
    unregister()
  })
}
