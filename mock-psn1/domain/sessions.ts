/**
 * Bearer-token sessions: issue, authenticate, revoke, expire.
 *
 * Invariants: a token is stored only as its keyed digest (the table cannot be replayed if
 * dumped); a session is valid iff now < expiresAtMs and it was not revoked; once expired or
 * revoked it stays known for `graceMs` so clients get TOKEN_EXPIRED / TOKEN_REVOKED /
 * ACCOUNT_REMOVED / ACCOUNT_DISABLED instead of the vaguer TOKEN_INVALID, then it is purged (memory is bounded
 * by the login rate × (TTL + grace)). Looking a token up by its keyed digest reveals nothing
 * through timing, as the attacker does not know the key.
 */
import { DAY_MS } from "../clock.js"
import { Psn1Error } from "../errors.js"
import type { Role } from "../schema/fields.js"
import { newToken, SecretDigester, TOKEN_SHAPE } from "./secrets.js"

export type RevokedReason = "logout" | "accountRemoved" | "accountDisabled"

/** The answer to a token whose account was disabled (idle rule): 403, whatever its state since. */
export const accountDisabledForToken = (): Psn1Error =>
  new Psn1Error("ACCOUNT_DISABLED", "this account was disabled by the idle rule (no login within the limit); its tokens no longer work: " +
    "ask the security officer to reactivate it, then log in again")

export interface Session {
  /** Hex digest of the token: the session's key (never sent anywhere). */
  readonly key: string
  readonly email: string
  readonly role: Role
  readonly issuedAtMs: number
  readonly expiresAtMs: number
  revoked: RevokedReason | null
  /** True once the expiry was announced (websocket `session.expired`). */
  expiryAnnounced: boolean
}

/** The header every 401 carries (RFC 6750). */
export const BEARER_CHALLENGE: Readonly<Record<string, string>> = { "WWW-Authenticate": 'Bearer realm="psn1"' }

export class Sessions {
  private readonly byKey = new Map<string, Session>()
  private readonly digester = new SecretDigester()

  /** @param graceMs how long a dead session is remembered to explain rejections. */
  constructor(private readonly ttlMs: number, private readonly graceMs: number = DAY_MS) {}

  /** Opens a session; the token is returned once and never stored. */
  issue(email: string, role: Role, nowMs: number): { token: string; session: Session } {
    const token = newToken()
    const key = this.digester.digestHex(token)
    const session: Session = { key, email, role, issuedAtMs: nowMs, expiresAtMs: nowMs + this.ttlMs, revoked: null, expiryAnnounced: false }
    this.byKey.set(key, session)
    return { token, session }
  }

  /** The live session of `token`, or the 401 error explaining why there is none. */
  authenticate(token: string | undefined, nowMs: number): Session {
    if (token === undefined) throw new Psn1Error("AUTH_REQUIRED", "send Authorization: Bearer <token> (obtained from POST /auth/otp)", { headers: BEARER_CHALLENGE })
    const session = TOKEN_SHAPE.test(token) ? this.byKey.get(this.digester.digestHex(token)) : undefined
    if (session === undefined) throw new Psn1Error("TOKEN_INVALID", "unknown or malformed bearer token", { headers: BEARER_CHALLENGE })
    if (session.revoked === "accountRemoved") throw new Psn1Error("ACCOUNT_REMOVED", "this account was removed by the security officer", { headers: BEARER_CHALLENGE })
    if (session.revoked === "accountDisabled") throw accountDisabledForToken()
    if (session.revoked === "logout") throw new Psn1Error("TOKEN_REVOKED", "this token was revoked by logout", { headers: BEARER_CHALLENGE })
    if (nowMs >= session.expiresAtMs) throw new Psn1Error("TOKEN_EXPIRED", `this token expired at ${new Date(session.expiresAtMs).toISOString()}`, { headers: BEARER_CHALLENGE })
    return session
  }

  revoke(session: Session, reason: RevokedReason): void {
    session.revoked ??= reason
  }

  /** Revokes every session of `email`; returns them (to close their websockets). */
  revokeAll(email: string, reason: RevokedReason): Array<Session> {
    const hit: Array<Session> = []
    for (const s of this.byKey.values()) {
      if (s.email === email && s.revoked === null) {
        s.revoked = reason
        hit.push(s)
      }
    }
    return hit
  }

  /**
   * Housekeeping at `nowMs`: returns sessions that expired since the last call (once each)
   * and forgets sessions dead for longer than the grace period.
   */
  sweep(nowMs: number): Array<Session> {
    const expired: Array<Session> = []
    for (const [key, s] of this.byKey) {
      if (nowMs >= s.expiresAtMs && !s.expiryAnnounced) {
        s.expiryAnnounced = true
        if (s.revoked === null) expired.push(s)
      }
      if (nowMs >= s.expiresAtMs + this.graceMs) this.byKey.delete(key)
    }
    return expired
  }

  get size(): number {
    return this.byKey.size
  }

  /** Read-only copy of the sessions, without their keys (tests compare it before and after a request). */
  list(): Array<{ email: string; role: Role; issuedAtMs: number; expiresAtMs: number; revoked: RevokedReason | null }> {
    return [...this.byKey.values()].map((s) => ({ email: s.email, role: s.role, issuedAtMs: s.issuedAtMs, expiresAtMs: s.expiresAtMs, revoked: s.revoked }))
  }
}
