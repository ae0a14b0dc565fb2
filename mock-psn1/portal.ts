/**
 * The Portal: all the state of one running PSN1 mock — accounts, sessions, mailbox, audit,
 * insured directory, tickets, forms — and the events hub that tells connected advisors.
 *
 * Invariants: one Portal per server, nothing at module level, so tests run many side by side.
 * A request is served only for a live session whose account still exists and is enabled
 * (`authenticate`): ending an account — removal or the idle rule — revokes its sessions and
 * closes their sockets, and every request checks the account again (defence in depth).
 * Time only comes from `options.clock`; `tick()` is the one place background work happens
 * (generated form arrivals, session expiry pushes, the idle rule, purges): the server calls it
 * every second, and tests call it after moving a ManualClock.
 */
import { DAY_MS, HOUR_MS, isoOf, type Clock } from "./clock.js"
import { Accounts, DEFAULT_POLICY, type Origin, type SecurityPolicy } from "./domain/accounts.js"
import { AuditLog } from "./domain/audit.js"
import { Forms } from "./domain/forms.js"
import { Directory } from "./domain/insured.js"
import { Mailbox } from "./domain/mailbox.js"
import { generatePopulation } from "./domain/population.js"
import type { ScryptParams } from "./domain/secrets.js"
import { accountDisabledForToken, BEARER_CHALLENGE, Sessions, type RevokedReason, type Session } from "./domain/sessions.js"
import { Psn1Error } from "./errors.js"
import { Tickets } from "./domain/tickets.js"
import { EventHub } from "./hub.js"

export interface PortalOptions {
  readonly clock: Clock
  /** The security officer (SEC-HAB-03), from `--officer EMAIL:PASSWORD`. */
  readonly officer: { readonly email: string; readonly password: string }
  /** Seed of the synthetic population and of generated forms. */
  readonly seed: string
  /** Number of insured people. */
  readonly population: number
  /** Mean generated contact forms per hour (0: none). */
  readonly formsPerHour: number
  readonly tokenTtlMs: number
  readonly policy: SecurityPolicy
  /** scrypt cost; tests lower it to keep the suite fast. */
  readonly scrypt?: ScryptParams | undefined
  readonly auditRetentionMs: number
  readonly auditMaxEntries: number
  readonly auditSink?: ((line: string) => void) | undefined
  /** Slow-reader threshold of /events (bytes). */
  readonly wsHighWaterBytes: number
}

/** Defaults of every option that has one (the CLI and buildApp start from these). */
export const DEFAULT_PORTAL_OPTIONS = {
  seed: "psn1",
  population: 10_000,
  formsPerHour: 0,
  /** 8 h, one working day: an **assumption** (the CCTP gives no session length). */
  tokenTtlMs: 8 * HOUR_MS,
  policy: DEFAULT_POLICY,
  /** 400 days ≥ the CCTP's one year. */
  auditRetentionMs: 400 * DAY_MS,
  auditMaxEntries: 2_000_000,
  wsHighWaterBytes: 1 << 20
} as const

export class Portal {
  readonly clock: Clock
  readonly sessions: Sessions
  readonly mailbox = new Mailbox()
  readonly audit: AuditLog
  readonly accounts: Accounts
  readonly directory: Directory
  readonly tickets = new Tickets()
  readonly forms: Forms
  readonly hub: EventHub
  readonly officerEmail: string

  private constructor(readonly options: PortalOptions) {
    this.clock = options.clock
    this.sessions = new Sessions(options.tokenTtlMs)
    this.audit = new AuditLog({ retentionMs: options.auditRetentionMs, maxEntries: options.auditMaxEntries, sink: options.auditSink })
    this.hub = new EventHub(options.clock, options.wsHighWaterBytes)
    this.accounts = new Accounts({
      sessions: this.sessions, mailbox: this.mailbox, audit: this.audit, policy: options.policy, scrypt: options.scrypt,
      onDisabled: (email, revoked) => {
        this.endSessions(revoked, "accountDisabled")
        this.releaseFormsOf(email)
      }
    })
    this.directory = new Directory(generatePopulation(options.seed, options.population))
    this.forms = new Forms(this.directory, { seed: options.seed, formsPerHour: options.formsPerHour, startMs: options.clock.nowMs() })
    this.officerEmail = options.officer.email.toLowerCase()
  }

  /** Builds the state, the officer's account and the login's dummy hash (hashing takes a moment). */
  static async create(options: PortalOptions): Promise<Portal> {
    const portal = new Portal(options)
    await Promise.all([
      portal.accounts.createOfficer(options.officer.email, options.officer.password, "Responsable", "Sécurité", options.clock.nowMs()),
      portal.accounts.prepare()
    ])
    return portal
  }

  nowMs(): number {
    return this.clock.nowMs()
  }

  /** Background work due at the current time; idempotent, cheap when nothing is due. */
  tick(): void {
    const now = this.clock.nowMs()
    for (const form of this.forms.generateDue(now)) this.hub.toStaff({ type: "form.received", form })
    for (const s of this.sessions.sweep(now)) {
      this.hub.endSession(s.key, { type: "session.expired", expiredAt: isoOf(s.expiresAtMs) })
    }
    this.accounts.sweep(now)
    this.tickets.sweep(now)
    this.audit.purge(now)
  }

  /**
   * The live session of a bearer token (HTTP and websocket), or the 401/403 error. Besides
   * the token (`Sessions.authenticate`), the account must still exist and be enabled; the idle
   * rule is applied here, so a token never outlives its account's right to log in, even
   * between two ticks. `origin` is only used to audit a disable; `identified` is told the
   * session once the token is known, before the account is checked (the audit's actor).
   */
  authenticate(token: string | undefined, nowMs: number, origin: () => Origin, identified?: (session: Session) => void): Session {
    const session = this.sessions.authenticate(token, nowMs)
    identified?.(session)
    this.assertAccountActive(session, nowMs, origin)
    return session
  }

  /** Throws ACCOUNT_REMOVED / ACCOUNT_DISABLED (revoking the session) when its account is gone or disabled. */
  private assertAccountActive(session: Session, nowMs: number, origin: () => Origin): void {
    const account = this.accounts.get(session.email)
    if (account === undefined) {
      this.endSessions([session], "accountRemoved")
      throw new Psn1Error("ACCOUNT_REMOVED", "this account was removed by the security officer", { headers: BEARER_CHALLENGE })
    }
    if (account.disabledAtMs !== null || this.accounts.applyIdleRule(account, nowMs, origin())) {
      if (session.revoked === null) this.endSessions([session], "accountDisabled")
      throw accountDisabledForToken()
    }
  }

  /** Logout: revokes the session and closes its sockets. */
  logout(session: Session): void {
    this.sessions.revoke(session, "logout")
    this.hub.endSession(session.key, { type: "session.revoked", reason: "logout" })
  }

  /** Officer removes an account: sessions revoked, sockets closed, held forms released. */
  removeAccount(email: string): void {
    this.endSessions(this.accounts.remove(email), "accountRemoved")
    this.releaseFormsOf(email)
  }

  /**
   * The forms an account held go back to the queue, in their place, when it can no longer answer
   * them: removed, or disabled by the idle rule (its owner may never be reactivated).
   */
  private releaseFormsOf(email: string): void {
    for (const formId of this.forms.releaseAllOf(email.toLowerCase())) {
      this.hub.toStaff({ type: "form.updated", formId, status: "new", claimedBy: null })
    }
  }

  /** Revokes `sessions` (if not yet) and closes their sockets with `session.revoked`. */
  private endSessions(sessions: ReadonlyArray<Session>, reason: Exclude<RevokedReason, "logout">): void {
    for (const s of sessions) {
      this.sessions.revoke(s, reason)
      this.hub.endSession(s.key, { type: "session.revoked", reason })
    }
  }
}
