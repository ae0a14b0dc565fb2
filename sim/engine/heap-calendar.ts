/**
 * The binary-heap event calendar (issue 2's engine; ./calendar.ts has the calendar queue the
 * simulation uses since issue 9): a binary min-heap over parallel typed arrays. Same API and the
 * very same order of events, so a simulation gives identical results on either (tested, and
 * `SimulationOptions.calendar: "heap"` selects it).
 *
 * Every pending event is (time, rank, seq, kind, id):
 * - `time` — when it happens, in seconds (a float64);
 * - `rank` — the tie-break order of its kind: at equal times the lower rank goes first;
 * - `seq`  — a counter incremented at every `schedule`: at equal (time, rank) the event scheduled
 *            first goes first (FIFO), so the order is total and never depends on heap layout;
 * - `kind`, `id` — small integers the model dispatches on (event kind, entity index).
 *
 * Invariant: `pop()` returns events in strictly increasing (time, rank, seq) order, whatever the
 * insertion order. The tie-break is therefore decided and repeatable — never random (STYLE 4).
 *
 * `rank` and `seq` are packed into one float64 key (`rank * 2^40 + seq`): exact as long as
 * rank < 2^12 and seq < 2^40 (1.1e12 events per run), which `schedule` checks cheaply.
 * No allocation per event: arrays grow by doubling and are reused. The heap itself moves only
 * (time, slot) pairs; the rest of an event sits in its slot (a free list recycles slots).
 */

import { refuseSchedule, freeNewSlots, grown, rankKeys, SEQ_SPAN, type Calendar } from "./calendar.js"

export class HeapCalendar implements Calendar {
  /** Number of pending events. */
  size = 0
  /** Time of the event last popped (seconds). */
  time = 0
  /** Kind of the event last popped. */
  kind = 0
  /** Entity id of the event last popped. */
  id = 0

  // The heap proper moves only two arrays: event times and slot numbers. A slot holds the rest
  // of the event (packed rank/seq key, kind, id), read only when two times are equal.
  private heapTimes: Float64Array
  private heapSlots: Int32Array
  private slotKeys: Float64Array
  private slotKinds: Int32Array
  private slotIds: Int32Array
  private freeSlots: Int32Array
  private freeTop = 0
  private nextSeq = 0
  private readonly rankOf: Float64Array

  /**
   * @param ranks tie-break rank of each event kind (`ranks[kind]`), 0 first; kinds are 0..n-1.
   * @param initialCapacity starting heap capacity (it grows as needed).
   */
  constructor(ranks: ArrayLike<number>, initialCapacity = 1024) {
    this.rankOf = rankKeys(ranks)
    const cap = Math.max(2, initialCapacity | 0)
    this.heapTimes = new Float64Array(cap)
    this.heapSlots = new Int32Array(cap)
    this.slotKeys = new Float64Array(cap)
    this.slotKinds = new Int32Array(cap)
    this.slotIds = new Int32Array(cap)
    this.freeTop = freeNewSlots((this.freeSlots = new Int32Array(cap)), 0)
  }

  /** Schedules event `kind` for entity `id` at `time` (seconds). */
  schedule(time: number, kind: number, id: number): void {
    if (!(time >= this.time && time !== Infinity && this.nextSeq < SEQ_SPAN)) refuseSchedule(time, this.time, kind, this.nextSeq)
    if (this.size === this.heapTimes.length) this.grow()
    const slot = this.freeSlots[--this.freeTop]!
    const key = this.rankOf[kind]! + this.nextSeq++
    this.slotKeys[slot] = key
    this.slotKinds[slot] = kind
    this.slotIds[slot] = id
    const i = this.size++
    this.heapTimes[i] = time
    this.heapSlots[i] = slot
    this.siftUp(i)
  }

  /** Time of the next event, or +Infinity when the calendar is empty. */
  peekTime(): number {
    return this.size > 0 ? this.heapTimes[0]! : Infinity
  }

  /** Tie-break rank of the next event, or +Infinity when the calendar is empty. */
  peekRank(): number {
    return this.size > 0 ? Math.floor(this.slotKeys[this.heapSlots[0]!]! / SEQ_SPAN) : Infinity
  }

  /**
   * Removes the next event and exposes it in `time`, `kind` and `id`.
   * Returns false (and changes nothing) when the calendar is empty.
   */
  pop(): boolean {
    const n = this.size
    if (n === 0) return false
    const times = this.heapTimes
    const slots = this.heapSlots
    const keys = this.slotKeys
    const top = slots[0]!
    this.time = times[0]!
    this.kind = this.slotKinds[top]!
    this.id = this.slotIds[top]!
    this.freeSlots[this.freeTop++] = top
    const last = n - 1
    this.size = last
    if (last === 0) return true
    // Floyd's bottom-up deletion: move the hole from the root down to a leaf along the smaller
    // child (one comparison per level), then sift the last entry up from there — usually not at
    // all, since the last entry of a heap is among the latest events.
    const t = times[last]!
    const s = slots[last]!
    times[last] = Infinity
    let i = 0
    for (;;) {
      let c = 2 * i + 1
      if (c >= last) break
      // The smaller child, without a branch on the (unpredictable) comparison: c + 1 is always
      // readable, since times[last] holds +Infinity during the descent.
      const rt = times[c + 1]!
      const ct = times[c]!
      if (rt === ct) {
        if (c + 1 < last && keys[slots[c + 1]!]! < keys[slots[c]!]!) c++
      } else c += (rt < ct) as unknown as number
      times[i] = times[c]!
      slots[i] = slots[c]!
      i = c
    }
    times[i] = t
    slots[i] = s
    this.siftUp(i)
    return true
  }

  /**
   * Moves the event at position i up to its place: parents that go after it move down. Integers
   * only cross the call (the event is read from position i): a float argument of a call V8 does not
   * inline is boxed, a heap allocation per event.
   */
  private siftUp(i: number): void {
    const times = this.heapTimes
    const slots = this.heapSlots
    const keys = this.slotKeys
    const time = times[i]!
    const slot = slots[i]!
    const key = keys[slot]!
    while (i > 0) {
      const p = (i - 1) >> 1
      const pt = times[p]!
      if (pt < time || (pt === time && keys[slots[p]!]! < key)) break
      times[i] = pt
      slots[i] = slots[p]!
      i = p
    }
    times[i] = time
    slots[i] = slot
  }

  private grow(): void {
    const cap = this.heapTimes.length * 2
    this.heapTimes = grown(this.heapTimes, cap)
    this.heapSlots = grown(this.heapSlots, cap)
    this.slotKeys = grown(this.slotKeys, cap)
    this.slotKinds = grown(this.slotKinds, cap)
    this.slotIds = grown(this.slotIds, cap)
    // The heap is full: every old slot is in use.
    this.freeTop = freeNewSlots((this.freeSlots = new Int32Array(cap)), cap / 2)
  }
}
