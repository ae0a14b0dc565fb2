/**
 * The mock's sense of time: "now" and cancellable timers, behind one small interface.
 *
 * Everything in the server that depends on time — RONA and patience timeouts, the reconnection
 * grace period, the login timeout, fault latency, the rate limiter, supervision ticks, the
 * statistics intervals — reads this clock, never `Date.now()` or `setTimeout` directly. Tests
 * pass a `ManualClock` and move time forward explicitly, so a 60-second grace period takes no
 * wall time. (Only the websocket heartbeat runs on real timers: it measures the network, and a
 * manual jump of several intervals would otherwise terminate healthy clients before their pongs
 * could arrive.)
 *
 * Invariant of `ManualClock`: timers fire in (due time, creation order) and `nowMs()` never goes
 * backwards; a timer scheduled by a firing timer for a time within the same `advance` fires in
 * that same `advance`.
 *
 * Why not Effect's `Clock`: the routing core is plain synchronous TypeScript (like the simulator
 * engine) and runs thousands of timers per second; the Effect runtime stays at the edges
 * (server lifecycle, CLI).
 */

/** A scheduled timer, opaque to callers. */
export interface Timer {
  readonly __timer: unique symbol
}

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  nowMs(): number
  /** Calls `fn` once after `delayMs` milliseconds (0 or negative: as soon as possible). */
  setTimer(delayMs: number, fn: () => void): Timer
  /** Cancels a timer; harmless if it already fired or was cancelled. */
  clearTimer(timer: Timer | undefined): void
}

/** Wall-clock time and Node timers. */
export const systemClock: Clock = {
  nowMs: () => Date.now(),
  setTimer: (delayMs, fn) => setTimeout(fn, Math.max(0, delayMs)) as unknown as Timer,
  clearTimer: (timer) => {
    if (timer !== undefined) clearTimeout(timer as unknown as NodeJS.Timeout)
  }
}

interface ManualTimer {
  dueMs: number
  seq: number
  fn: (() => void) | undefined
}

/** A clock that only moves when told to; for tests. */
export class ManualClock implements Clock {
  private now: number
  private seq = 0
  private timers: Array<ManualTimer> = []

  /** @param startMs epoch milliseconds the clock starts at. */
  constructor(startMs: number) {
    this.now = startMs
  }

  nowMs(): number {
    return this.now
  }

  setTimer(delayMs: number, fn: () => void): Timer {
    const t: ManualTimer = { dueMs: this.now + Math.max(0, delayMs), seq: this.seq++, fn }
    this.timers.push(t)
    return t as unknown as Timer
  }

  clearTimer(timer: Timer | undefined): void {
    if (timer === undefined) return
    const t = timer as unknown as ManualTimer
    t.fn = undefined
  }

  /** Number of timers still pending. */
  get pending(): number {
    return this.timers.filter((t) => t.fn !== undefined).length
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error(`ManualClock.advance: expected a non-negative number of ms, got ${ms}`)
    const target = this.now + ms
    for (;;) {
      let next: ManualTimer | undefined
      for (const t of this.timers) {
        if (t.fn === undefined || t.dueMs > target) continue
        if (next === undefined || t.dueMs < next.dueMs || (t.dueMs === next.dueMs && t.seq < next.seq)) next = t
      }
      if (next === undefined) break
      this.now = Math.max(this.now, next.dueMs)
      const fn = next.fn!
      next.fn = undefined
      fn()
    }
    this.now = target
    this.timers = this.timers.filter((t) => t.fn !== undefined)
  }
}
