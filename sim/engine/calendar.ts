/**
 * The event calendar: a binary min-heap over parallel typed arrays.
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
 * No allocation per event: arrays grow by doubling and are reused.
 */

const SEQ_SPAN = 2 ** 40
const MAX_RANK = 2 ** 12

export class EventCalendar {
  /** Number of pending events. */
  size = 0
  /** Time of the event last popped (seconds). */
  time = 0
  /** Kind of the event last popped. */
  kind = 0
  /** Entity id of the event last popped. */
  id = 0

  private times: Float64Array
  private keys: Float64Array
  private payloadKinds: Int32Array
  private payloadIds: Int32Array
  private nextSeq = 0
  private readonly rankOf: Float64Array

  /**
   * @param ranks tie-break rank of each event kind (`ranks[kind]`), 0 first; kinds are 0..n-1.
   * @param initialCapacity starting heap capacity (it grows as needed).
   */
  constructor(ranks: ArrayLike<number>, initialCapacity = 1024) {
    this.rankOf = new Float64Array(ranks.length)
    for (let k = 0; k < ranks.length; k++) {
      const r = ranks[k]!
      if (!Number.isInteger(r) || r < 0 || r >= MAX_RANK) throw new RangeError(`rank of kind ${k} must be an integer in [0, ${MAX_RANK})`)
      this.rankOf[k] = r * SEQ_SPAN
    }
    const cap = Math.max(2, initialCapacity | 0)
    this.times = new Float64Array(cap)
    this.keys = new Float64Array(cap)
    this.payloadKinds = new Int32Array(cap)
    this.payloadIds = new Int32Array(cap)
  }

  /** Schedules event `kind` for entity `id` at `time` (seconds). */
  schedule(time: number, kind: number, id: number): void {
    if (!(time >= this.time)) {
      throw new RangeError(`cannot schedule kind ${kind} at ${time}: before the current time ${this.time} (or NaN)`)
    }
    if (this.nextSeq >= SEQ_SPAN) throw new RangeError("event sequence exhausted (2^40 events)")
    const key = this.rankOf[kind]! + this.nextSeq++
    let i = this.size++
    if (i === this.times.length) this.grow()
    const times = this.times
    const keys = this.keys
    const kinds = this.payloadKinds
    const ids = this.payloadIds
    // Sift up: move parents down until the new entry's slot is found.
    while (i > 0) {
      const p = (i - 1) >> 1
      const pt = times[p]!
      if (pt < time || (pt === time && keys[p]! < key)) break
      times[i] = pt
      keys[i] = keys[p]!
      kinds[i] = kinds[p]!
      ids[i] = ids[p]!
      i = p
    }
    times[i] = time
    keys[i] = key
    kinds[i] = kind
    ids[i] = id
  }

  /** Time of the next event, or +Infinity when the calendar is empty. */
  peekTime(): number {
    return this.size > 0 ? this.times[0]! : Infinity
  }

  /** Tie-break rank of the next event, or +Infinity when the calendar is empty. */
  peekRank(): number {
    return this.size > 0 ? Math.floor(this.keys[0]! / SEQ_SPAN) : Infinity
  }

  /**
   * Removes the next event and exposes it in `time`, `kind` and `id`.
   * Returns false (and changes nothing) when the calendar is empty.
   */
  pop(): boolean {
    const n = this.size
    if (n === 0) return false
    const times = this.times
    const keys = this.keys
    const kinds = this.payloadKinds
    const ids = this.payloadIds
    this.time = times[0]!
    this.kind = kinds[0]!
    this.id = ids[0]!
    const last = n - 1
    this.size = last
    if (last === 0) return true
    // Sift the last entry down from the root.
    const t = times[last]!
    const key = keys[last]!
    const kind = kinds[last]!
    const id = ids[last]!
    const half = last >> 1
    let i = 0
    while (i < half) {
      let c = 2 * i + 1
      let ct = times[c]!
      let ck = keys[c]!
      const r = c + 1
      if (r < last) {
        const rt = times[r]!
        if (rt < ct || (rt === ct && keys[r]! < ck)) {
          c = r
          ct = rt
          ck = keys[r]!
        }
      }
      if (t < ct || (t === ct && key < ck)) break
      times[i] = ct
      keys[i] = ck
      kinds[i] = kinds[c]!
      ids[i] = ids[c]!
      i = c
    }
    times[i] = t
    keys[i] = key
    kinds[i] = kind
    ids[i] = id
    return true
  }

  /** Drops every pending event (the clock and the sequence counter are kept). */
  clear(): void {
    this.size = 0
  }

  private grow(): void {
    const cap = this.times.length * 2
    const times = new Float64Array(cap)
    times.set(this.times)
    const keys = new Float64Array(cap)
    keys.set(this.keys)
    const kinds = new Int32Array(cap)
    kinds.set(this.payloadKinds)
    const ids = new Int32Array(cap)
    ids.set(this.payloadIds)
    this.times = times
    this.keys = keys
    this.payloadKinds = kinds
    this.payloadIds = ids
  }
}
