/**
 * The FIFO call queue: a ring over absolute positions [head, tail). A caller who abandons is
 * flagged in place and skipped when the head reaches them, so abandonment is O(1) and the head is
 * always a waiting caller. Positions only grow, so an abandonment timer can tell from its
 * position alone whether its caller already left the queue (position < head).
 *
 * Each entry holds what the caller brings with them (drawn at arrival): arrival time, talk and
 * wrap-up durations, arrival interval, caller id and a packed `meta` word (see ./callmeta.ts) —
 * under the same field names as sim/model/arrivals.ts CallRecords, so code can read a call from
 * either.
 */

export class CallQueue {
  head = 0
  tail = 0
  /** Callers waiting (abandoned ones excluded). */
  waiting = 0
  mask: number
  time: Float64Array
  talk: Float64Array
  wrap: Float64Array
  interval: Int32Array
  caller: Int32Array
  meta: Int32Array
  gone: Uint8Array

  constructor(capacity = 1024) {
    this.mask = capacity - 1
    this.time = new Float64Array(capacity)
    this.talk = new Float64Array(capacity)
    this.wrap = new Float64Array(capacity)
    this.interval = new Int32Array(capacity)
    this.caller = new Int32Array(capacity)
    this.meta = new Int32Array(capacity)
    this.gone = new Uint8Array(capacity)
  }

  /** Appends a caller; returns their position. */
  push(time: number, talk: number, wrap: number, interval: number, caller: number, meta: number): number {
    const q = this.tail
    if (q - this.head > this.mask) this.grow()
    const k = q & this.mask
    this.time[k] = time
    this.talk[k] = talk
    this.wrap[k] = wrap
    this.interval[k] = interval
    this.caller[k] = caller
    this.meta[k] = meta
    this.gone[k] = 0
    this.tail = q + 1
    this.waiting++
    return q
  }

  /** True when the caller at position q is still waiting. */
  isWaiting(q: number): boolean {
    return q >= this.head && this.gone[q & this.mask] === 0
  }

  /** Removes the head (a waiting caller; requires waiting > 0); returns its ring index. */
  shift(): number {
    const k = this.head & this.mask
    this.head++
    this.waiting--
    this.skipGone()
    return k
  }

  /** Flags the waiting caller at position q as gone (abandoned); returns its ring index. */
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
    const time = new Float64Array(cap)
    const talk = new Float64Array(cap)
    const wrap = new Float64Array(cap)
    const interval = new Int32Array(cap)
    const caller = new Int32Array(cap)
    const meta = new Int32Array(cap)
    const gone = new Uint8Array(cap)
    for (let q = this.head; q < this.tail; q++) {
      const o = q & oldMask
      const k = q & mask
      time[k] = this.time[o]!
      talk[k] = this.talk[o]!
      wrap[k] = this.wrap[o]!
      interval[k] = this.interval[o]!
      caller[k] = this.caller[o]!
      meta[k] = this.meta[o]!
      gone[k] = this.gone[o]!
    }
    this.mask = mask
    this.time = time
    this.talk = talk
    this.wrap = wrap
    this.interval = interval
    this.caller = caller
    this.meta = meta
    this.gone = gone
  }
}
