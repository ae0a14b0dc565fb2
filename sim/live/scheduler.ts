/**
 * A generator's timetable: actions due at given instants (epoch milliseconds, sub-millisecond),
 * run in (instant, scheduling order) by one Node timer armed for the earliest. Each action is
 * told how late it runs, so the generator can report its own lag and every latency can be timed
 * from the instant the action was *meant* to happen (STYLE 19).
 *
 * Invariants: an action runs once, never before its instant; actions due at the same instant
 * run in the order they were scheduled; a cancelled action never runs; `stop()` leaves no
 * timer behind.
 */
import { performance } from "node:perf_hooks"

/** Milliseconds since the Unix epoch with sub-millisecond resolution; comparable across processes of one machine. */
export const nowEpochMs = (): number => performance.timeOrigin + performance.now()

export type Action = (intendedMs: number, lateMs: number) => void

interface Entry {
  at: number
  seq: number
  fn: Action | null
}

/** Handle of a scheduled action (to cancel it). */
export interface Scheduled {
  readonly at: number
  cancel(): void
}

export class Scheduler {
  private heap: Entry[] = []
  private seq = 0
  private timer: NodeJS.Timeout | undefined
  private armedFor = Infinity
  private stopped = false

  constructor(
    private readonly now: () => number = nowEpochMs,
    /** Called with the lateness of every action run (ms). */
    private readonly onLate: (lateMs: number) => void = () => {}
  ) {}

  get size(): number {
    return this.heap.length
  }

  /** Runs `fn` at `atMs` (epoch ms); at once (on the next turn) if that is past. */
  at(atMs: number, fn: Action): Scheduled {
    const e: Entry = { at: atMs, seq: this.seq++, fn }
    this.push(e)
    this.arm()
    return { at: atMs, cancel: () => void (e.fn = null) }
  }

  /** Runs `fn` `delayMs` from now. */
  after(delayMs: number, fn: Action): Scheduled {
    return this.at(this.now() + delayMs, fn)
  }

  stop(): void {
    this.stopped = true
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.heap = []
  }

  private arm(): void {
    if (this.stopped) return
    const head = this.heap[0]
    if (head === undefined) return
    if (this.timer !== undefined && head.at >= this.armedFor) return
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.armedFor = head.at
    this.timer = setTimeout(() => this.run(), Math.max(0, head.at - this.now()))
  }

  private run(): void {
    this.timer = undefined
    this.armedFor = Infinity
    // Node timers have millisecond granularity and may fire a hair early: anything due within
    // the next 0.25 ms runs now rather than re-arming a zero timer.
    const limit = this.now() + 0.25
    let n = 0
    while (!this.stopped && this.heap.length > 0 && this.heap[0]!.at <= limit && n < 10_000) {
      const e = this.pop()
      const fn = e.fn
      if (fn === null) continue
      n++
      const late = Math.max(0, this.now() - e.at)
      this.onLate(late)
      fn(e.at, late)
    }
    this.arm()
  }

  private push(e: Entry): void {
    const h = this.heap
    h.push(e)
    let i = h.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!before(h[i]!, h[p]!)) break
      ;[h[i], h[p]] = [h[p]!, h[i]!]
      i = p
    }
  }

  private pop(): Entry {
    const h = this.heap
    const top = h[0]!
    const last = h.pop()!
    if (h.length > 0) {
      h[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < h.length && before(h[l]!, h[m]!)) m = l
        if (r < h.length && before(h[r]!, h[m]!)) m = r
        if (m === i) break
        ;[h[i], h[m]] = [h[m]!, h[i]!]
        i = m
      }
    }
    return top
  }
}

const before = (a: Entry, b: Entry): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq)
