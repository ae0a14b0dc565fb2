/**
 * The /supervision websocket: supervisors log in, receive a snapshot, then a delta per second
 * (supervision.ts). Only supervisor accounts are accepted. Invariant: a connection is
 * subscribed to the feed, and listed under its login in the gateway's registry, exactly while
 * it is logged in as a supervisor — so removing the account can find and close it (4003).
 */
import type { GatewayDeps } from "./gateway.js"
import { SUPERVISION_COMMANDS, type SupervisionCommand } from "./protocol/commands.js"
import { makeFrameDecoder } from "./protocol/decode.js"
import { LoginDeadline, onClientCommands, type Conn } from "./transport.js"

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
  const loginDeadline = new LoginDeadline(conn, clock, options.loginTimeoutMs)

  const handle = (cmd: SupervisionCommand, id: string | undefined): void => {
    switch (cmd.type) {
      case "ping":
        return conn.sendAck(id)
      case "login": {
        if (login !== undefined) return conn.sendError(id, "ALREADY_LOGGED_IN", "This connection is already logged in; log out first")
        const account = accounts.authenticate(cmd.payload.login, cmd.payload.password)
        if (account === undefined) return conn.sendError(id, "BAD_CREDENTIALS", "Unknown login or wrong password")
        if (account.role !== "supervisor") return conn.sendError(id, "WRONG_ROLE", "Agent accounts connect to /agent")
        loginDeadline.stop()
        register(account.login)
        conn.sendAck(id)
        hub.add(conn)
        return
      }
      case "logout": {
        if (login === undefined) return conn.sendError(id, "NOT_LOGGED_IN", "Not logged in")
        unregister()
        conn.sendAck(id)
        loginDeadline.restart()
        return
      }
    }
  }

  onClientCommands(conn, decodeSupervisionFrame, handle, deps.onBug, "Unexpected server error")
  conn.ws.on("close", unregister)
}
