/**
 * Login throttling: failed password and OTP attempts, counted per (email, source address).
 *
 * Why per pair: counted per email alone, five anonymous wrong passwords locked the security
 * officer out for 15 minutes and nobody could lift it — the lockout was a denial of service.
 * Counted per pair, an address that guesses only ever locks itself out of that account; the
 * account's owner, from another address, is neither delayed nor locked. (What the CNIL
 * recommends for passwords, délibération n° 2022-100: restrict access to the account after
 * failures with a delay that grows with each one.)
 *
 * Invariants, for one (email, address) pair:
 * - after its n-th failure within the failure window, an attempt is admitted only once
 *   `min(throttleBaseMs × 2^(n−1), throttleMaxMs)` has passed since that failure (429
 *   LOGIN_THROTTLED before, checked no further, so it costs no hash and reveals nothing);
 * - `maxFailures` failures within the window lock the pair for `lockoutMs` (423 ACCOUNT_LOCKED);
 * - checks in flight count: an attempt is admitted only while failures + checks in flight stay
 *   under `maxFailures`, and, once the pair has failed, one check at a time — so parallel
 *   guesses can neither exceed the limit nor skip the delays;
 * - unknown emails are counted the same way (the answers do not reveal which accounts exist);
 * - the security officer can lift every lock and delay of an account at once (`unlock`).
 * The table is bounded: stale pairs are forgotten by `sweep`, run whenever it grows past 100,000.
 */
import { Psn1Error } from "../errors.js"

/** The part of the security policy this module applies. */
export interface ThrottlePolicy {
  /** Failures within `failureWindowMs` that lock an (email, address) pair. */
  readonly maxFailures: number
  readonly failureWindowMs: number
  readonly lockoutMs: number
  /** Wait after the first failure; it doubles after each further one. */
  readonly throttleBaseMs: number
  /** Longest wait between two attempts (below a lockout). */
  readonly throttleMaxMs: number
}

interface PairRecord {
  /** Failures within the window, oldest first. */
  failuresMs: Array<number>
  lockedUntilMs: number
  /** Password checks under way. */
  inFlight: number
}

/** One row of the read-only view of the table (tests compare it before and after a request). */
export interface ThrottleRow {
  readonly email: string
  readonly ip: string
  readonly failuresMs: ReadonlyArray<number>
  readonly lockedUntilMs: number
}

/** `::ffff:10.0.0.1` and `10.0.0.1` are one address. */
const normalise = (ip: string): string => (ip.startsWith("::ffff:") ? ip.slice(7) : ip)

const MAX_PAIRS = 100_000

export class LoginThrottle {
  /** email -> address -> record. */
  private readonly byEmail = new Map<string, Map<string, PairRecord>>()
  private pairs = 0

  constructor(private readonly policy: ThrottlePolicy) {}

  /**
   * Admits a password check for (email, ip) at `nowMs` and counts it in flight, or throws 423
   * ACCOUNT_LOCKED / 429 LOGIN_THROTTLED. Every admitted check must be ended with `endCheck`.
   */
  beginCheck(email: string, ipRaw: string, nowMs: number): void {
    const ip = normalise(ipRaw)
    this.assertNotLocked(email, ip, nowMs)
    const r = this.byEmail.get(email)?.get(ip)
    if (r !== undefined) {
      const failures = this.recent(r, nowMs)
      if (failures.length + r.inFlight >= this.policy.maxFailures) {
        throw new Psn1Error("ACCOUNT_LOCKED", "too many failed or pending attempts; try again in 1 s", { headers: { "Retry-After": "1" } })
      }
      const last = failures[failures.length - 1]
      if (last !== undefined) {
        if (r.inFlight > 0) throw throttled(1000)
        const allowedAtMs = last + this.waitAfter(failures.length)
        if (nowMs < allowedAtMs) throw throttled(allowedAtMs - nowMs)
      }
    }
    this.record(email, ip).inFlight++
  }

  /** Ends a check begun with `beginCheck` (whatever its outcome). */
  endCheck(email: string, ipRaw: string): void {
    const r = this.byEmail.get(email)?.get(normalise(ipRaw))
    if (r !== undefined && r.inFlight > 0) r.inFlight--
  }

  /** Throws 423 ACCOUNT_LOCKED (with `Retry-After`) while the pair is locked. */
  assertNotLocked(email: string, ipRaw: string, nowMs: number): void {
    const until = this.byEmail.get(email)?.get(normalise(ipRaw))?.lockedUntilMs ?? 0
    if (until > nowMs) {
      const seconds = Math.ceil((until - nowMs) / 1000)
      throw new Psn1Error("ACCOUNT_LOCKED", `too many failed attempts; try again in ${seconds} s`, { headers: { "Retry-After": String(seconds) } })
    }
  }

  /** Counts a failure of (email, ip); the `maxFailures`-th within the window locks the pair. */
  recordFailure(email: string, ipRaw: string, nowMs: number): void {
    const r = this.record(email, normalise(ipRaw))
    r.failuresMs = this.recent(r, nowMs)
    r.failuresMs.push(nowMs)
    if (r.failuresMs.length >= this.policy.maxFailures) {
      r.lockedUntilMs = nowMs + this.policy.lockoutMs
      r.failuresMs = []
    }
    if (this.pairs > MAX_PAIRS) this.sweep(nowMs)
  }

  /** A login completed from (email, ip): that pair starts afresh (other addresses keep their record). */
  succeeded(email: string, ipRaw: string): void {
    const ip = normalise(ipRaw)
    const r = this.byEmail.get(email)?.get(ip)
    if (r !== undefined && r.inFlight === 0) this.forget(email, ip)
    else if (r !== undefined) {
      r.failuresMs = []
      r.lockedUntilMs = 0
    }
  }

  /** Lifts every lock and delay of `email`, from every address (officer action). */
  unlock(email: string): void {
    const byIp = this.byEmail.get(email)
    if (byIp === undefined) return
    for (const [ip, r] of byIp) {
      if (r.inFlight === 0) this.forget(email, ip)
      else {
        r.failuresMs = []
        r.lockedUntilMs = 0
      }
    }
  }

  /** The end of the latest lock of `email` from any address, or null when no address is locked out. */
  lockedUntilMs(email: string, nowMs: number): number | null {
    let until: number | null = null
    for (const r of this.byEmail.get(email)?.values() ?? []) if (r.lockedUntilMs > nowMs && (until === null || r.lockedUntilMs > until)) until = r.lockedUntilMs
    return until
  }

  /** Forgets pairs with no lock, no check in flight and no failure within the window. */
  sweep(nowMs: number): void {
    for (const [email, byIp] of this.byEmail) {
      for (const [ip, r] of byIp) {
        const last = r.failuresMs[r.failuresMs.length - 1] ?? 0
        if (r.inFlight === 0 && r.lockedUntilMs <= nowMs && nowMs - last >= this.policy.failureWindowMs) this.forget(email, ip)
      }
    }
  }

  /** Password checks under way (0 at rest). */
  get checksInFlight(): number {
    let n = 0
    for (const byIp of this.byEmail.values()) for (const r of byIp.values()) n += r.inFlight
    return n
  }

  /** Read-only copy of the table. */
  table(): Array<ThrottleRow> {
    return [...this.byEmail].flatMap(([email, byIp]) =>
      [...byIp].map(([ip, r]) => ({ email, ip, failuresMs: [...r.failuresMs], lockedUntilMs: r.lockedUntilMs })))
  }

  /** Wait after the n-th failure (n ≥ 1): doubling from the base, capped. */
  private waitAfter(n: number): number {
    return Math.min(this.policy.throttleBaseMs * 2 ** Math.min(n - 1, 40), this.policy.throttleMaxMs)
  }

  private recent(r: PairRecord, nowMs: number): Array<number> {
    return r.failuresMs.filter((t) => nowMs - t < this.policy.failureWindowMs)
  }

  private record(email: string, ip: string): PairRecord {
    let byIp = this.byEmail.get(email)
    if (byIp === undefined) this.byEmail.set(email, (byIp = new Map()))
    let r = byIp.get(ip)
    if (r === undefined) {
      byIp.set(ip, (r = { failuresMs: [], lockedUntilMs: 0, inFlight: 0 }))
      this.pairs++
    }
    return r
  }

  private forget(email: string, ip: string): void {
    const byIp = this.byEmail.get(email)
    if (byIp?.delete(ip) === true) this.pairs--
    if (byIp?.size === 0) this.byEmail.delete(email)
  }
}

const throttled = (waitMs: number): Psn1Error => {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000))
  return new Psn1Error("LOGIN_THROTTLED", `a failed attempt from your address was too recent; try again in ${seconds} s`, {
    headers: { "Retry-After": String(seconds) }
  })
}
