/**
 * Advisor accounts and the login that guards them (SEC-HAB-01/02/03, CCTP 8.1).
 *
 * Invariants:
 * - Accounts are nominative and only the security officer (given on the command line)
 *   creates or removes them; the officer's own account cannot be removed through the API.
 * - Login is two steps: password (scrypt) → a 6-digit OTP by email (single use, short-lived,
 *   few attempts) → a bearer token. An expired OTP is answered OTP_EXPIRED (never counted as a
 *   failure) for one failure window after its expiry, background sweeps included. A wrong
 *   email and a wrong password get the same answer and cost the same time (a dummy hash is
 *   verified for unknown emails).
 * - Failures (passwords and OTPs) are counted per (email, source address), existing email or
 *   not (./throttle.ts): each failure doubles the wait before that address's next attempt for
 *   that email, and reaching the limit locks that pair — only that pair — for the lockout
 *   period, during which even the right password is refused without being checked.
 * - Password checks in flight count against the limit, and a check that ends after the lock
 *   fell is answered with the same 423 whatever the password, so no answer given after the
 *   lock depends on the password.
 * - An account (other than the officer's) with no login for more than the idle limit
 *   (90 days) is disabled and stays so until the officer reactivates it; disabling it revokes
 *   its sessions at once (`onDisabled` closes their websockets), as removal does.
 * Nothing here stores a password, an OTP or a token in clear.
 */
import { isFunctionalMailbox, nominativeProblems } from "../../sim/domain/accounts.js"
import { DAY_MS, MINUTE_MS } from "../clock.js"
import { Psn1Error } from "../errors.js"
import type { Role } from "../schema/fields.js"
import type { AuditLog } from "./audit.js"
import type { Mailbox } from "./mailbox.js"
import { DEFAULT_SCRYPT, hashPassword, newOtp, passwordProblems, SecretDigester, verifyPassword, type ScryptParams } from "./secrets.js"
import type { Session, Sessions } from "./sessions.js"
import { LoginThrottle, type ThrottleRow } from "./throttle.js"

/** Security timings and limits; defaults in `DEFAULT_POLICY`. */
export interface SecurityPolicy {
  readonly otpTtlMs: number
  readonly otpMaxAttempts: number
  /** Failures within `failureWindowMs` that lock an email. */
  readonly maxFailures: number
  readonly failureWindowMs: number
  readonly lockoutMs: number
  /** Wait before an address's next attempt for an email after its first failure; doubles after each further one. */
  readonly throttleBaseMs: number
  /** Longest such wait. */
  readonly throttleMaxMs: number
  /** No login for longer than this disables the account (CCTP 8.1: 90 days). */
  readonly idleDisableMs: number
}

/**
 * OTP 5 min / 3 tries; per (email, address): waits of 1, 2, 4 … s up to 1 min, and 5 failures in
 * 15 min lock for 15 min: **assumptions** (CCTP: none; the growing wait follows the CNIL's
 * recommendation on passwords); 90 days: CCTP 8.1.
 */
export const DEFAULT_POLICY: SecurityPolicy = {
  otpTtlMs: 5 * MINUTE_MS,
  otpMaxAttempts: 3,
  maxFailures: 5,
  failureWindowMs: 15 * MINUTE_MS,
  lockoutMs: 15 * MINUTE_MS,
  throttleBaseMs: 1000,
  throttleMaxMs: MINUTE_MS,
  idleDisableMs: 90 * DAY_MS
}

export interface AccountRecord {
  readonly email: string
  readonly firstName: string
  readonly lastName: string
  readonly role: Role
  readonly passwordHash: string
  readonly createdAtMs: number
  readonly createdBy: string | null
  lastLoginAtMs: number | null
  disabledAtMs: number | null
  /** When the officer last reactivated it: restarts the idle clock. */
  reactivatedAtMs: number | null
}

interface PendingOtp {
  readonly digest: Buffer
  readonly expiresAtMs: number
  attemptsLeft: number
}

/** Where a request comes from, for the audit of background security events. */
export interface Origin {
  readonly ip: string
  readonly userAgent: string | null
}

const maskEmail = (email: string): string => {
  const [local = "", domain = ""] = email.split("@")
  return `${local.slice(0, 1)}***@${domain}`
}

export class Accounts {
  private readonly accounts = new Map<string, AccountRecord>()
  private readonly throttle: LoginThrottle
  private readonly otps = new Map<string, PendingOtp>()
  private readonly digester = new SecretDigester()
  /** Verified for unknown emails so they cost one scrypt run too; built by `prepare()`. */
  private dummyHash: string | null = null

  constructor(
    private readonly deps: {
      readonly sessions: Sessions
      readonly mailbox: Mailbox
      readonly audit: AuditLog
      readonly policy: SecurityPolicy
      readonly scrypt?: ScryptParams | undefined
      /**
       * Told when the idle rule disables an account, with the sessions it revoked (to close their
       * sockets and release what the account held).
       */
      readonly onDisabled?: ((email: string, revoked: ReadonlyArray<Session>) => void) | undefined
    }
  ) {
    this.throttle = new LoginThrottle(deps.policy)
  }

  /**
   * Builds the dummy hash verified for unknown emails. Awaited when the portal is created, so
   * even the first unknown-email login costs one hash, not two (no timing difference).
   */
  async prepare(): Promise<void> {
    this.dummyHash ??= await hashPassword("not-a-password-of-anyone", this.deps.scrypt ?? DEFAULT_SCRYPT)
  }

  /** Creates the security officer's account (command line; exempt from the idle rule). */
  async createOfficer(email: string, password: string, firstName: string, lastName: string, nowMs: number): Promise<AccountRecord> {
    return this.insert({ email: email.toLowerCase(), password, firstName, lastName, role: "securityOfficer" }, null, nowMs)
  }

  /** Officer action: creates a nominative advisor or supervisor account. */
  async create(
    input: { email: string; password: string; firstName: string; lastName: string; role: "advisor" | "supervisor" },
    by: string,
    nowMs: () => number
  ): Promise<AccountRecord> {
    const email = input.email.toLowerCase()
    // SEC-HAB-01, the same rule as mock-odigo's (sim/domain/accounts.ts); the email is the login.
    if (isFunctionalMailbox(email)) {
      throw new Psn1Error("GENERIC_ACCOUNT", `${email} is a shared mailbox; create one account per person (SEC-HAB-01)`)
    }
    const notNominative = nominativeProblems({ firstName: input.firstName, lastName: input.lastName, email })
    if (notNominative.length > 0) {
      throw new Psn1Error("GENERIC_ACCOUNT", `account refused, not nominative (SEC-HAB-01): ${notNominative.map((p) => p.message).join("; ")}`)
    }
    const problems = passwordProblems(input.password, email)
    if (problems.length > 0) {
      throw new Psn1Error("WEAK_PASSWORD", `password policy: ${problems.join("; ")}`, {
        problems: problems.map((message) => ({ path: "body.password", message }))
      })
    }
    if (this.accounts.has(email)) throw new Psn1Error("ACCOUNT_EXISTS", `an account already exists for ${email}`)
    // Hashing is asynchronous: check again afterwards, a concurrent request may have won.
    const hash = await hashPassword(input.password, this.deps.scrypt ?? DEFAULT_SCRYPT)
    if (this.accounts.has(email)) throw new Psn1Error("ACCOUNT_EXISTS", `an account already exists for ${email}`)
    return this.store({ ...input, email }, hash, by, nowMs())
  }

  /** Officer action: removes an account, revoking its sessions; returns them. */
  remove(emailRaw: string): Array<Session> {
    const email = emailRaw.toLowerCase()
    const account = this.accounts.get(email)
    if (account === undefined) throw new Psn1Error("ACCOUNT_NOT_FOUND", `no account for ${email}`)
    if (account.role === "securityOfficer") throw new Psn1Error("CANNOT_REMOVE_OFFICER", "the security officer's account is managed on the command line")
    this.accounts.delete(email)
    this.otps.delete(email)
    this.deps.mailbox.forget(email)
    return this.deps.sessions.revokeAll(email, "accountRemoved")
  }

  /** Officer action: re-enables an idle-disabled account and lifts any lockout. */
  reactivate(emailRaw: string, nowMs: number): AccountRecord {
    const email = emailRaw.toLowerCase()
    const account = this.accounts.get(email)
    if (account === undefined) throw new Psn1Error("ACCOUNT_NOT_FOUND", `no account for ${email}`)
    if (account.role === "securityOfficer") throw new Psn1Error("CANNOT_REMOVE_OFFICER", "the security officer's account is managed on the command line")
    account.disabledAtMs = null
    account.reactivatedAtMs = nowMs
    this.throttle.unlock(email)
    return account
  }

  /**
   * Officer action: lifts every lockout and wait of an account, from every address — the
   * officer's own account included (a lockout never revokes a token, so a logged-in officer
   * can always unlock itself, or be unlocked by a session opened from another address).
   */
  unlock(emailRaw: string): AccountRecord {
    const email = emailRaw.toLowerCase()
    const account = this.accounts.get(email)
    if (account === undefined) throw new Psn1Error("ACCOUNT_NOT_FOUND", `no account for ${email}`)
    this.throttle.unlock(email)
    return account
  }

  get(emailRaw: string): AccountRecord | undefined {
    return this.accounts.get(emailRaw.toLowerCase())
  }

  list(): Array<AccountRecord> {
    return [...this.accounts.values()]
  }

  /** Read-only copy of the failure counters per (email, address) (tests compare it before and after a request). */
  failureTable(): Array<ThrottleRow> {
    return this.throttle.table()
  }

  /** Read-only copy of the pending OTPs, as keyed digests (never the codes). */
  pendingOtps(): Array<{ email: string; digestHex: string; expiresAtMs: number; attemptsLeft: number }> {
    return [...this.otps].map(([email, o]) => ({ email, digestHex: o.digest.toString("hex"), expiresAtMs: o.expiresAtMs, attemptsLeft: o.attemptsLeft }))
  }

  /** Password checks under way (0 at rest). */
  get checksInFlight(): number {
    return this.throttle.checksInFlight
  }

  /** The end of the latest lockout of `email` from any address, or null when no address is locked out. */
  lockedUntilMs(email: string, nowMs: number): number | null {
    return this.throttle.lockedUntilMs(email, nowMs)
  }

  /**
   * Step 1: checks the password and emails an OTP. `nowMs` is read again after hashing, as
   * time passes while scrypt runs.
   */
  async login(emailRaw: string, password: string, nowMs: () => number, origin: Origin): Promise<{ sentTo: string; otpExpiresAtMs: number }> {
    const email = emailRaw.toLowerCase()
    this.throttle.beginCheck(email, origin.ip, nowMs())
    const account = this.accounts.get(email)
    let ok: boolean
    try {
      ok = account === undefined
        ? (await verifyPassword(password, this.dummy()), false)
        : await verifyPassword(password, account.passwordHash)
    } finally {
      this.throttle.endCheck(email, origin.ip)
    }
    const now = nowMs()
    // The lock may have fallen while scrypt ran (other attempts, wrong OTPs): refuse before
    // looking at the result, so the right and a wrong password get the same 423.
    this.throttle.assertNotLocked(email, origin.ip, now)
    // The account may have been removed while scrypt ran: then the credentials are invalid.
    if (!ok || account === undefined || this.accounts.get(email) !== account) {
      this.throttle.recordFailure(email, origin.ip, now)
      throw new Psn1Error("INVALID_CREDENTIALS", "wrong email or password")
    }
    this.assertEnabled(account, now, origin)
    const otp = newOtp()
    const expiresAtMs = now + this.deps.policy.otpTtlMs
    this.otps.set(email, { digest: this.digester.digest(otp), expiresAtMs, attemptsLeft: this.deps.policy.otpMaxAttempts })
    const minutes = Math.round(this.deps.policy.otpTtlMs / MINUTE_MS)
    this.deps.mailbox.send(email, "PSN1 : votre code de connexion",
      `Bonjour ${account.firstName},\n\nVotre code de connexion PSN1 est ${otp}. Il est valable ${minutes} minutes et ne sert qu'une fois.\n` +
      "Si vous n'êtes pas à l'origine de cette demande, prévenez votre responsable sécurité.\n", now)
    return { sentTo: maskEmail(email), otpExpiresAtMs: expiresAtMs }
  }

  /** Step 2: checks the OTP and opens a session. Synchronous, so two tries cannot both win. */
  verifyOtp(emailRaw: string, otp: string, nowMs: number, origin: Origin): { token: string; session: Session; account: AccountRecord } {
    const email = emailRaw.toLowerCase()
    this.throttle.assertNotLocked(email, origin.ip, nowMs)
    const pending = this.otps.get(email)
    if (pending === undefined) {
      this.throttle.recordFailure(email, origin.ip, nowMs)
      throw new Psn1Error("OTP_INVALID", "wrong code, or no login pending for this email")
    }
    // Kept (not deleted) once expired: every later try gets the same OTP_EXPIRED, not counted,
    // until a new login supersedes it or the sweep forgets it.
    if (nowMs >= pending.expiresAtMs) throw new Psn1Error("OTP_EXPIRED", "the code has expired; log in again to receive a new one")
    if (!this.digester.matches(otp, pending.digest)) {
      pending.attemptsLeft--
      if (pending.attemptsLeft <= 0) this.otps.delete(email)
      this.throttle.recordFailure(email, origin.ip, nowMs)
      throw new Psn1Error("OTP_INVALID", "wrong code, or no login pending for this email")
    }
    this.otps.delete(email)
    const account = this.accounts.get(email)
    if (account === undefined) throw new Psn1Error("OTP_INVALID", "wrong code, or no login pending for this email")
    this.assertEnabled(account, nowMs, origin)
    this.throttle.succeeded(email, origin.ip)
    account.lastLoginAtMs = nowMs
    const { token, session } = this.deps.sessions.issue(email, account.role, nowMs)
    return { token, session, account }
  }

  /**
   * Housekeeping: applies the idle rule to every account (auditing each new disable) and
   * forgets stale failure records and OTPs expired for more than a failure window.
   */
  sweep(nowMs: number): void {
    const origin = { ip: "-", userAgent: null }
    for (const account of this.accounts.values()) this.applyIdleRule(account, nowMs, origin)
    this.throttle.sweep(nowMs)
    // An expired OTP is remembered for one failure window more, so that its late use is told
    // OTP_EXPIRED (and not counted) rather than OTP_INVALID (counted towards the lockout).
    for (const [email, otp] of this.otps) if (nowMs >= otp.expiresAtMs + this.deps.policy.failureWindowMs) this.otps.delete(email)
  }

  /** Applies the 90-day rule; true when the account is (now) disabled. */
  applyIdleRule(account: AccountRecord, nowMs: number, origin: Origin): boolean {
    if (account.disabledAtMs !== null) return true
    if (account.role === "securityOfficer") return false
    const since = Math.max(account.lastLoginAtMs ?? account.createdAtMs, account.reactivatedAtMs ?? 0)
    if (nowMs - since <= this.deps.policy.idleDisableMs) return false
    account.disabledAtMs = nowMs
    this.deps.audit.append({
      atMs: nowMs, actor: null, role: null, action: "account.idleDisabled", target: `account:${account.email}`,
      outcome: "success", status: 200, code: null, ip: origin.ip, userAgent: origin.userAgent
    })
    this.deps.onDisabled?.(account.email, this.deps.sessions.revokeAll(account.email, "accountDisabled"))
    return true
  }

  private assertEnabled(account: AccountRecord, nowMs: number, origin: Origin): void {
    if (this.applyIdleRule(account, nowMs, origin)) {
      const days = Math.round(this.deps.policy.idleDisableMs / DAY_MS)
      throw new Psn1Error("ACCOUNT_DISABLED", `this account was disabled after ${days} day${days === 1 ? "" : "s"} without login; ask the security officer to reactivate it`)
    }
  }

  private dummy(): string {
    if (this.dummyHash === null) throw new Error("Accounts: prepare() must be awaited before the first login")
    return this.dummyHash
  }

  private async insert(
    input: { email: string; password: string; firstName: string; lastName: string; role: Role },
    by: string | null,
    nowMs: number
  ): Promise<AccountRecord> {
    const hash = await hashPassword(input.password, this.deps.scrypt ?? DEFAULT_SCRYPT)
    return this.store(input, hash, by, nowMs)
  }

  private store(input: { email: string; firstName: string; lastName: string; role: Role }, hash: string, by: string | null, nowMs: number): AccountRecord {
    const record: AccountRecord = {
      email: input.email, firstName: input.firstName, lastName: input.lastName, role: input.role, passwordHash: hash,
      createdAtMs: nowMs, createdBy: by, lastLoginAtMs: null, disabledAtMs: null, reactivatedAtMs: null
    }
    this.accounts.set(input.email, record)
    return record
  }
}
