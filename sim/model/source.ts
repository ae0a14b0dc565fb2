/**
 * Where a simulation's first attempts come from (sim/model/arrivals.ts generates them): the
 * `ArrivalSource` interface, and `LocalSource`, the source that generates them in the same thread
 * in batches (sim/run/pipeline.ts has the other one, fed by a worker thread).
 */
import { CallMaker, FirstAttempts, makeCallRecords, type CallRecords } from "./arrivals.js"
import type { StreamFactory } from "../engine/random.js"

/**
 * Where first attempts come from: batches of calls that reached the queue, in arrival order,
 * with the source's own booking of offered and dissuaded calls (sim/model/arrivals.ts).
 */
export interface ArrivalSource {
  /** Moves to the next batch, readable in `current` from index 0; returns its size (0: no more calls). */
  next(): number
  /** The current batch (valid until the next call to `next`). */
  readonly current: CallRecords
  /** With traces: the dissuasion code of each record of the last batch (0: reached the queue). */
  readonly outcomes: Uint8Array | null
  /** Calls offered and dissuaded so far, and dissuaded calls not written as records. */
  counts(): { readonly offered: number; readonly dissuaded: number; readonly skipped: number }
}

export interface SimulationOptions {
  readonly streams: StreamFactory
  /** Record a domain-level event trace (tests and debugging; slows the run). */
  readonly trace?: boolean
  /**
   * Where first attempts come from, given this simulation's own generator (booking in its tables,
   * with its replication's dissuasion): another thread's once it takes over (sim/run/pipeline.ts),
   * whose bookings are added at the end. Omitted: that generator alone (LocalSource).
   */
  readonly source?: (own: { readonly maker: CallMaker; readonly gen: FirstAttempts }) => ArrivalSource
  /**
   * The event calendar: "queue" (default: the calendar queue, sim/engine/calendar.ts) or "heap"
   * (the binary heap, sim/engine/heap-calendar.ts). Both give the same order of events, so the
   * same results; the heap is kept as the reference the queue is tested against.
   */
  readonly calendar?: "queue" | "heap"
}

/** First attempts generated in this thread, in batches (one at a time when tracing). */
export class LocalSource implements ArrivalSource {
  readonly outcomes: Uint8Array | null
  readonly current: CallRecords
  constructor(
    private readonly gen: FirstAttempts,
    private readonly maker: CallMaker,
    private readonly capacity: number
  ) {
    this.outcomes = gen.outcomes
    this.current = makeCallRecords(capacity)
  }
  next(): number {
    return this.gen.fill(this.current, this.capacity)
  }
  counts() {
    return { offered: this.maker.offered, dissuaded: this.maker.dissuaded, skipped: this.gen.skipped }
  }
}

