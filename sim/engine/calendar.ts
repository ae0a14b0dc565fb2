/**
 * The event calendar: a calendar queue (R. Brown, "Calendar queues", CACM 31(10), 1988) over
 * parallel typed arrays.
 *
 * Every pending event is (time, rank, seq, kind, id):
 * - `time` — when it happens, in seconds (a float64);
 * - `rank` — the tie-break order of its kind: at equal times the lower rank goes first;
 * - `seq`  — a counter incremented at every `schedule`: at equal (time, rank) the event scheduled
 *            first goes first (FIFO), so the order is total and never depends on the layout;
 * - `kind`, `id` — small integers the model dispatches on (event kind, entity index).
 *
 * Invariant: `pop()` returns events in strictly increasing (time, rank, seq) order, whatever the
 * insertion order. The tie-break is therefore decided and repeatable — never random (STYLE 4).
 *
 * `rank` and `seq` are packed into one float64 key (`rank * 2^40 + seq`): exact as long as
 * rank < 2^12 and seq < 2^40 (1.1e12 events per run), which `schedule` checks cheaply.
 *
 * How: time is cut into buckets of `width` seconds; bucket number b = floor(time / width) (its
 * "day"), kept in a ring of 2^k lists by b mod 2^k (a "year" is 2^k days). Each list is sorted by
 * (time, key). The earliest event is the head of the first list, from the current day on, whose
 * head falls on that very day; when a whole year holds none, a direct search of the heads finds it.
 * Scheduling is an insertion into a short list; popping moves the current day forward over empty
 * buckets. With about one event per bucket near the front that is O(1) per event, against
 * O(log n) moves for the binary heap it replaced: on the simulation's pattern (a pop, then a
 * schedule ~1 mean service time ahead, ~90 pending) 2M pop+schedule cycles took ~78 ms against
 * ~126 ms, and the whole textbook run went from 661 to 617 ms (interleaved A/B, 20 trials).
 * The ring doubles or halves with the number of pending events, and the width follows the mean gap
 * between popped events (their mean over the last 1,024 pops): the ring doubles as soon as it holds
 * more than half an event per bucket, and every 1,024 pops it halves when under an eighth, or
 * takes a new width when the gaps say one 2x off; each re-buckets all pending events, O(n).
 * Neither ever changes the order, only the speed. Slow cases (order still exact): k events at the
 * very same time cost O(k) each to insert (a list walk; the heap did O(log k)); day numbers past
 * 2^53 (times beyond ~285 years at the narrowest width) make every search the O(buckets) one.
 *
 * No allocation per event: arrays grow by doubling and are reused (a free list recycles slots).
 */

export const SEQ_SPAN = 2 ** 40
const MAX_RANK = 2 ** 12
/** The ring doubles when it holds more than GROW_AT events per bucket (and halves under a quarter of that). */
const GROW_AT = 0.5
/** Fewest buckets in the ring. */
const MIN_BUCKETS = 16
/** Width of a bucket before any event has been popped (seconds). */
const INITIAL_WIDTH = 1
/** Target width, in mean gaps between popped events: about one event per bucket at the front. */
const GAPS_PER_BUCKET = 1
/** Narrowest bucket (seconds): consecutive day numbers stay distinct (below 2^53) over any plausible horizon. */
const MIN_WIDTH = 1e-6
/** Pops between two looks at the width. */
const TUNE_EVERY = 1024

/** What a simulation needs of an event calendar (EventCalendar here; HeapCalendar, ./heap-calendar.ts). */
export interface Calendar {
  /** Number of pending events. */
  readonly size: number
  /** Time, kind and entity id of the event last popped. */
  readonly time: number
  readonly kind: number
  readonly id: number
  schedule(time: number, kind: number, id: number): void
  peekTime(): number
  peekRank(): number
  pop(): boolean
}

export class EventCalendar implements Calendar {
  /** Number of pending events. */
  size = 0
  /** Time of the event last popped (seconds). */
  time = 0
  /** Kind of the event last popped. */
  kind = 0
  /** Entity id of the event last popped. */
  id = 0

  // Slots: one per pending event (a free list recycles them).
  private slotTimes: Float64Array
  private slotKeys: Float64Array
  private slotKinds: Int32Array
  private slotIds: Int32Array
  /** Next slot in the same bucket's list (-1: the last). */
  private slotNext: Int32Array
  /** The event's day: floor(time / width), an integer held in a float64. */
  private slotDay: Float64Array
  private freeSlots: Int32Array
  private freeTop = 0
  private nextSeq = 0
  private readonly rankOf: Float64Array

  // The ring of buckets.
  /** First slot of each bucket's list (-1: empty). */
  private heads: Int32Array
  private mask: number
  private width = INITIAL_WIDTH
  private invWidth = 1 / INITIAL_WIDTH
  /** No pending event lies before this day. */
  private day = 0
  /** The earliest pending event's slot, once found (-1: not known yet). */
  private first = -1
  /** Time of the event popped when the width was last looked at, and the pops since. */
  private tunedAt = 0
  private pops = 0

  /**
   * @param ranks tie-break rank of each event kind (`ranks[kind]`), 0 first; kinds are 0..n-1.
   * @param initialCapacity starting capacity in events (it grows as needed).
   */
  constructor(ranks: ArrayLike<number>, initialCapacity = 1024) {
    this.rankOf = rankKeys(ranks)
    const cap = Math.max(2, initialCapacity | 0)
    this.slotTimes = new Float64Array(cap)
    this.slotKeys = new Float64Array(cap)
    this.slotKinds = new Int32Array(cap)
    this.slotIds = new Int32Array(cap)
    this.slotNext = new Int32Array(cap)
    this.slotDay = new Float64Array(cap)
    this.freeTop = freeNewSlots((this.freeSlots = new Int32Array(cap)), 0)
    this.heads = new Int32Array(MIN_BUCKETS).fill(-1)
    this.mask = MIN_BUCKETS - 1
  }

  /** Schedules event `kind` for entity `id` at `time` (seconds). */
  schedule(time: number, kind: number, id: number): void {
    if (!(time >= this.time && time !== Infinity && this.nextSeq < SEQ_SPAN)) refuseSchedule(time, this.time, kind, this.nextSeq)
    if (this.freeTop === 0) this.grow()
    const slot = this.freeSlots[--this.freeTop]!
    const key = this.rankOf[kind]! + this.nextSeq++
    this.slotTimes[slot] = time
    this.slotKeys[slot] = key
    this.slotKinds[slot] = kind
    this.slotIds[slot] = id
    const day = Math.floor(time * this.invWidth)
    this.slotDay[slot] = day
    this.insert(slot)
    this.size++
    if (day < this.day) this.day = day
    const f = this.first
    if (f >= 0 && (time < this.slotTimes[f]! || (time === this.slotTimes[f]! && key < this.slotKeys[f]!))) this.first = slot
    if (this.size > GROW_AT * (this.mask + 1)) this.rebucket(2 * (this.mask + 1), this.width)
  }

  /** Time of the next event, or +Infinity when the calendar is empty. */
  peekTime(): number {
    if (this.size === 0) return Infinity
    const f = this.first >= 0 ? this.first : this.findFirst()
    return this.slotTimes[f]!
  }

  /** Tie-break rank of the next event, or +Infinity when the calendar is empty. */
  peekRank(): number {
    if (this.size === 0) return Infinity
    const f = this.first >= 0 ? this.first : this.findFirst()
    return Math.floor(this.slotKeys[f]! / SEQ_SPAN)
  }

  /**
   * Removes the next event and exposes it in `time`, `kind` and `id`.
   * Returns false (and changes nothing) when the calendar is empty.
   */
  pop(): boolean {
    if (this.size === 0) return false
    const f = this.first >= 0 ? this.first : this.findFirst()
    // The earliest event heads its bucket's list.
    this.heads[this.day & this.mask] = this.slotNext[f]!
    const t = this.slotTimes[f]!
    this.time = t
    this.kind = this.slotKinds[f]!
    this.id = this.slotIds[f]!
    this.freeSlots[this.freeTop++] = f
    this.first = -1
    this.size--
    if (++this.pops >= TUNE_EVERY) this.tune()
    return true
  }

  /**
   * Inserts `slot` (its time, key and day already stored) in its bucket's list, after every event
   * that goes before it. Only the slot crosses the call: where V8 does not inline this one (a
   * caller that already inlined much, such as the simulation's arrival handler), float arguments
   * would be boxed, a heap allocation per event.
   */
  private insert(slot: number): void {
    const times = this.slotTimes
    const keys = this.slotKeys
    const next = this.slotNext
    const time = times[slot]!
    const key = keys[slot]!
    const b = this.slotDay[slot]! & this.mask
    let p = this.heads[b]!
    if (p < 0 || time < times[p]! || (time === times[p]! && key < keys[p]!)) {
      next[slot] = p
      this.heads[b] = slot
      return
    }
    for (let q = next[p]!; q >= 0 && (times[q]! < time || (times[q]! === time && keys[q]! < key)); q = next[q]!) p = q
    next[slot] = next[p]!
    next[p] = slot
  }

  /**
   * Finds the earliest pending event (size > 0): the head of the first bucket, from the current
   * day on, that falls on its own day; after a whole year without one, the earliest of the heads.
   * A bucket's head is its earliest event, and no event lies before `day`, so the first head found
   * on its day goes before every other event (at equal times: equal days, the same list, by key).
   */
  private findFirst(): number {
    const heads = this.heads
    const days = this.slotDay
    const mask = this.mask
    let day = this.day
    for (let n = 0; n <= mask; n++, day++) {
      const h = heads[day & mask]!
      if (h >= 0 && days[h] === day) {
        this.day = day
        return (this.first = h)
      }
    }
    const times = this.slotTimes
    const keys = this.slotKeys
    let best = -1
    for (let b = 0; b <= mask; b++) {
      const h = heads[b]!
      if (h >= 0 && (best < 0 || times[h]! < times[best]! || (times[h]! === times[best]! && keys[h]! < keys[best]!))) best = h
    }
    this.day = days[best]!
    return (this.first = best)
  }

  /** Every TUNE_EVERY pops: halves the ring when under an eighth full, and re-buckets when the width is off by 2x from the gaps between events. */
  private tune(): void {
    // The mean gap between the events popped since the last look.
    const wanted = Math.max(MIN_WIDTH, ((this.time - this.tunedAt) / this.pops) * GAPS_PER_BUCKET)
    this.tunedAt = this.time
    this.pops = 0
    const buckets = this.mask + 1
    const widthOff = wanted > 2 * this.width || wanted < 0.5 * this.width
    const tooMany = buckets > MIN_BUCKETS && this.size < (GROW_AT * buckets) / 4
    if (widthOff || tooMany) this.rebucket(tooMany ? Math.max(MIN_BUCKETS, buckets / 2) : buckets, widthOff ? wanted : this.width)
  }

  /** Rebuilds the ring with `buckets` buckets of `width` seconds; the order of events is unchanged. */
  private rebucket(buckets: number, width: number): void {
    const old = this.heads
    const pending = this.freeSlots.subarray(this.freeTop, this.freeTop + this.size) // scratch: the free list's unused tail
    let n = 0
    for (let b = 0; b < old.length; b++) for (let s = old[b]!; s >= 0; s = this.slotNext[s]!) pending[n++] = s
    this.heads = buckets === old.length ? old.fill(-1) : new Int32Array(buckets).fill(-1)
    this.mask = buckets - 1
    this.width = width
    this.invWidth = 1 / width
    this.first = -1
    this.day = Infinity
    for (let i = 0; i < n; i++) {
      const s = pending[i]!
      const day = Math.floor(this.slotTimes[s]! * this.invWidth)
      this.slotDay[s] = day
      this.insert(s)
      if (day < this.day) this.day = day
    }
    if (n === 0) this.day = Math.floor(this.time * this.invWidth)
  }

  private grow(): void {
    const cap = this.slotTimes.length * 2
    this.slotTimes = grown(this.slotTimes, cap)
    this.slotKeys = grown(this.slotKeys, cap)
    this.slotKinds = grown(this.slotKinds, cap)
    this.slotIds = grown(this.slotIds, cap)
    this.slotNext = grown(this.slotNext, cap)
    this.slotDay = grown(this.slotDay, cap)
    this.freeTop = freeNewSlots((this.freeSlots = new Int32Array(cap)), cap / 2)
  }
}

/**
 * What both calendars refuse to schedule: a time before the current one (or NaN), +Infinity, and a
 * 2^40th event (the packed key would lose its sequence number). The test stays in each `schedule`
 * (`time >= now && time !== Infinity && nextSeq < SEQ_SPAN`); only the throw is shared. A shared
 * check called on every schedule was not inlined where the simulation's arrival handler inlines
 * `schedule` itself: each call there boxed its two float arguments, ~14 MB of garbage per textbook
 * run (V8's sampling heap profiler, collected objects included).
 */
export function refuseSchedule(time: number, now: number, kind: number, nextSeq: number): never {
  if (!(time >= now)) throw new RangeError(`cannot schedule kind ${kind} at ${time}: before the current time ${now} (or NaN)`)
  if (nextSeq >= SEQ_SPAN) throw new RangeError("event sequence exhausted (2^40 events)")
  throw new RangeError(`cannot schedule kind ${kind} at +Infinity`)
}

/** Each kind's rank as the high part of its packed key (rank * 2^40); checks the ranks fit. */
export function rankKeys(ranks: ArrayLike<number>): Float64Array {
  const keys = new Float64Array(ranks.length)
  for (let k = 0; k < ranks.length; k++) {
    const r = ranks[k]!
    if (!Number.isInteger(r) || r < 0 || r >= MAX_RANK) throw new RangeError(`rank of kind ${k} must be an integer in [0, ${MAX_RANK})`)
    keys[k] = r * SEQ_SPAN
  }
  return keys
}

/** A copy of `a`, `capacity` long (the rest zero). */
export function grown<A extends Float64Array | Int32Array>(a: A, capacity: number): A {
  const b = new (a.constructor as new (n: number) => A)(capacity)
  b.set(a)
  return b
}

/**
 * Slots old … length − 1 are free, those below in use (a new calendar: old = 0; one that doubled:
 * old = the former length). Fills the free list with them (the lowest on top); returns its top.
 */
export function freeNewSlots(freeSlots: Int32Array, old: number): number {
  let top = 0
  for (let i = freeSlots.length - 1; i >= old; i--) freeSlots[top++] = i
  return top
}
