/**
 * The FIFO call queue: a ring over absolute positions [head, tail). A caller who abandons is
 * flagged in place and skipped when the head reaches them, so abandonment is O(1) and the head is
 * always a waiting caller. Positions only grow, so an abandonment timer can tell from its
 * position alone whether its caller already left the queue (position < head).
 *
 * Entries live in a `CallRecords` (sim/model/arrivals.ts), the same shape as a batch of arriving
 * calls, so the code that picks up a call reads either through one hidden class.
 */
import { makeCallRecords, type CallRecords } from "./arrivals.js"

export class CallQueue {
  head = 0
  tail = 0
  /** Callers waiting (abandoned ones excluded). */
  waiting = 0
  mask: number
  rec: CallRecords
  gone: Uint8Array

  constructor(capacity = 1024) {
    this.mask = capacity - 1
    this.rec = makeCallRecords(capacity)
    this.gone = new Uint8Array(capacity)
  }

  /** Appends call k of `src`; returns the caller's position. */
  push(src: CallRecords, k: number): number {
    const q = this.tail
    if (q - this.head > this.mask) this.grow()
    const i = q & this.mask
    const r = this.rec
    r.time[i] = src.time[k]!
    r.talk[i] = src.talk[k]!
    r.wrap[i] = src.wrap[k]!
    r.interval[i] = src.interval[k]!
    r.caller[i] = src.caller[k]!
    r.meta[i] = src.meta[k]!
    this.gone[i] = 0
    this.tail = q + 1
    this.waiting++
    return q
  }

  /** True when the caller at position q is still waiting. */
  isWaiting(q: number): boolean {
    return q >= this.head && this.gone[q & this.mask] === 0
  }

  /** Removes the head (a waiting caller; requires waiting > 0); returns its index in `rec`. */
  shift(): number {
    const k = this.head & this.mask
    this.head++
    this.waiting--
    this.skipGone()
    return k
  }

  /** Flags the waiting caller at position q as gone (abandoned); returns its index in `rec`. */
  remove(q: number): number {
    const k = q & this.mask
    this.gone[k] = 1
    this.waiting--
    this.skipGone()
    return k
  }

  private skipGone(): void {
    while (this.head < this.tail && this.gone[this.head & this.mask] !== 0) this.head++
  }

  private grow(): void {
    const oldMask = this.mask
    const cap = (oldMask + 1) * 2
    const mask = cap - 1
    const old = this.rec
    const rec = makeCallRecords(cap)
    const gone = new Uint8Array(cap)
    for (let q = this.head; q < this.tail; q++) {
      const o = q & oldMask
      const k = q & mask
      rec.time[k] = old.time[o]!
      rec.talk[k] = old.talk[o]!
      rec.wrap[k] = old.wrap[o]!
      rec.interval[k] = old.interval[o]!
      rec.caller[k] = old.caller[o]!
      rec.meta[k] = old.meta[o]!
      gone[k] = this.gone[o]!
    }
    this.mask = mask
    this.rec = rec
    this.gone = gone
  }
}
