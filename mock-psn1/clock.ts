/**
 * Clock: where every piece of mock-psn1 reads the time.
 *
 * Invariant: no module of the mock calls `Date.now()` or `new Date()` for domain time (token
 * expiry, OTP lifetime, lockout windows, the 90-day idle rule, audit timestamps, form
 * arrivals). They read `clock.nowMs()`, so tests drive time with a `ManualClock` instead of
 * sleeping, and the CLI wires in effect's `Clock` service (sim/cli/mock-psn1.ts).
 */

/** A source of wall-clock time in milliseconds since the Unix epoch. */
export interface Clock {
  nowMs(): number
}

/** The process's real time. */
export const systemClock: Clock = { nowMs: () => Date.now() }

/** A clock that only moves when told to; for tests. */
export class ManualClock implements Clock {
  private currentMs: number

  /** @param startMs initial time, ms since the epoch (default 2026-01-05T08:30:00Z). */
  constructor(startMs: number = Date.parse("2026-01-05T08:30:00.000Z")) {
    this.currentMs = startMs
  }

  nowMs(): number {
    return this.currentMs
  }

  /** Moves time forward by `deltaMs` (must be ≥ 0: time never goes back). */
  advance(deltaMs: number): void {
    if (!(deltaMs >= 0)) throw new Error(`ManualClock.advance: negative or NaN delta ${deltaMs}`)
    this.currentMs += deltaMs
  }
}

export const MINUTE_MS = 60_000
export const HOUR_MS = 60 * MINUTE_MS
export const DAY_MS = 24 * HOUR_MS

/** ISO-8601 UTC timestamp of `ms`, the wire format of every time field. */
export const isoOf = (ms: number): string => new Date(ms).toISOString()

/** `isoOf`, or null for a time that has not happened (nullable time fields). */
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : isoOf(ms))
