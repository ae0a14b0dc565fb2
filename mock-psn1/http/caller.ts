/**
 * Who is calling, for REST routes and the `/events` upgrade alike: where the request comes from
 * (address and user agent, for the audit) and which session its bearer token opens.
 *
 * Invariant: both transports authenticate through `authenticateBearer`, so a token is judged
 * the same way everywhere — a malformed `Authorization` header is TOKEN_INVALID, every 401
 * carries the `WWW-Authenticate` challenge, and the account behind a live token must still
 * exist and be enabled (`Portal.authenticate`).
 */
import type { IncomingHttpHeaders } from "node:http"
import type { Origin } from "../domain/accounts.js"
import { BEARER_CHALLENGE, type Session } from "../domain/sessions.js"
import { Psn1Error } from "../errors.js"
import type { Portal } from "../portal.js"

/** Longest user agent kept in the audit, in characters. */
const USER_AGENT_MAX_CHARS = 200

/** The request's user agent as the audit keeps it (truncated), or null when absent. */
export const userAgentOf = (headers: IncomingHttpHeaders): string | null => {
  const ua = headers["user-agent"]
  return typeof ua === "string" ? ua.slice(0, USER_AGENT_MAX_CHARS) : null
}

/** Where a request comes from (fastify request, or `{ ip, headers }` built from a raw upgrade). */
export const originOf = (r: { readonly ip: string; readonly headers: IncomingHttpHeaders }): Origin => ({ ip: r.ip, userAgent: userAgentOf(r.headers) })

const BEARER = /^Bearer ([^\s]+)$/i

/**
 * The live session of the request's bearer token, or the 401/403 error (with the challenge
 * header on 401). `identified` is told the session as soon as the token is known, before its
 * account is checked, so the audit can name who was refused; `origin` is read only to audit a
 * disable by the idle rule.
 */
export const authenticateBearer = (
  portal: Portal,
  headers: IncomingHttpHeaders,
  origin: () => Origin,
  identified?: (session: Session) => void
): Session => {
  const header = headers.authorization
  let token: string | undefined
  if (header !== undefined) {
    const match = BEARER.exec(header)
    if (match === null) throw new Psn1Error("TOKEN_INVALID", "the Authorization header must be `Bearer <token>`", { headers: BEARER_CHALLENGE })
    token = match[1]
  }
  return portal.authenticate(token, portal.nowMs(), origin, identified)
}
