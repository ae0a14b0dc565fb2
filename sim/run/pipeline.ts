/**
 * One replication on two threads. Everything about a first attempt up to the queue is
 * independent of the queue (sim/model/arrivals.ts), so a producer worker generates first attempts
 * — times, flows and reasons, dissuasion, talk/wrap-up/patience/transfer/ticket draws — while this
 * thread runs the queue, advisors and forms. Records travel through a ring of chunks in shared
 * memory; the producer books offered and dissuaded calls in its own tables, added to the
 * simulation's at the end. The streams are the same as in one thread, so the results are
 * identical (tested): this only buys speed for a single long replication on a multi-core machine.
 *
 * Ring protocol (Int32Array `ctrl` in shared memory): chunk slot s is empty when ctrl[s] = 0; the
 * producer fills it and stores count + 1 (1 = end of calls); the consumer waits for a non-zero
 * value, reads the records in place, and when it moves to the next chunk stores 0 and notifies. Both sides block with Atomics.wait, so a
 * chunk is never read while written. ctrl[RING_CHUNKS] flags a failed producer; the consumer also
 * gives up after 120 s without a chunk, so a dead producer can never hang a run.
 */
import type { GroupColumn, IntervalColumn, Table } from "../kpi/intervals.js"
import { makeCallRecords, type CallRecords } from "../model/arrivals.js"
import type { Model } from "../model/model.js"
import { Simulation, type ArrivalSource } from "../model/simulation.js"
import { startWorker, type StartedWorker } from "./threads.js"
import type { FromProducer, ToWorker } from "./protocol.js"
import { advanceInChunks, replicationStreams, type ReplicationResult } from "./replicate.js"

/** Chunks in the ring and records per chunk. */
export const RING_CHUNKS = 4
export const CHUNK_RECORDS = 16_384
/**
 * The first chunks are smaller (1,024, 2,048, … records, up to CHUNK_RECORDS), so the consumer,
 * which waits for the first one, starts after ~1 ms of cold generation instead of ~20 ms.
 */
export const chunkSize = (chunk: number): number => (chunk >= 4 ? CHUNK_RECORDS : Math.min(CHUNK_RECORDS, 1024 << chunk))

/**
 * What the producer sends back when it has generated every first attempt: its counts, and the
 * columns of its interval and group tables that it booked anything in (offered, redials,
 * dissuaded…), to be added to the simulation's — only those, so the consumer's last step is short.
 */
export interface ProducerResult {
  readonly offered: number
  readonly dissuaded: number
  readonly skipped: number
  readonly table: Partial<Record<IntervalColumn, Float64Array>>
  readonly groups: Partial<Record<GroupColumn, Float64Array>>
}

/** The columns of `table` with a non-zero entry (the producer's side of ProducerResult). */
export const bookedColumns = <C extends string>(table: Table<C>, columns: ReadonlyArray<C>): Partial<Record<C, Float64Array>> => {
  const out: Partial<Record<C, Float64Array>> = {}
  for (const c of columns) if (table[c].some((x) => x !== 0)) out[c] = table[c]
  return out
}

export interface Ring {
  readonly records: CallRecords
  readonly ctrl: Int32Array
}

/** ctrl[0..RING_CHUNKS) are the chunk slots; ctrl[RING_CHUNKS] is set to 1 if the producer fails. */
export const makeRing = (): Ring => ({
  records: makeCallRecords(RING_CHUNKS * CHUNK_RECORDS, true),
  ctrl: new Int32Array(new SharedArrayBuffer((RING_CHUNKS + 1) * 4))
})

/** The consumer gives up when the producer has sent nothing for this long. */
const STALL_LIMIT_MS = 120_000

/** The consumer's side of the ring: reads each chunk in place, releases it when moving on. */
class RingSource implements ArrivalSource {
  readonly outcomes = null
  current: CallRecords
  private readonly views: CallRecords[]
  private chunk = 0
  private held = -1
  private ended = false
  result: ProducerResult | undefined
  constructor(private readonly ring: Ring) {
    const r = ring.records
    this.views = Array.from({ length: RING_CHUNKS }, (_, s) => {
      const from = s * CHUNK_RECORDS
      const to = from + CHUNK_RECORDS
      return {
        time: r.time.subarray(from, to), interval: r.interval.subarray(from, to), meta: r.meta.subarray(from, to),
        talk: r.talk.subarray(from, to), wrap: r.wrap.subarray(from, to), patience: r.patience.subarray(from, to),
        caller: r.caller.subarray(from, to)
      }
    })
    this.current = this.views[0]!
  }
  next(): number {
    const ctrl = this.ring.ctrl
    if (this.held >= 0) {
      // Done with the previous chunk (the queue copies what it keeps): hand it back.
      Atomics.store(ctrl, this.held, 0)
      Atomics.notify(ctrl, this.held)
      this.held = -1
    }
    if (this.ended) return 0
    const slot = this.chunk % RING_CHUNKS
    const deadline = Date.now() + STALL_LIMIT_MS
    while (Atomics.load(ctrl, slot) === 0) {
      if (Atomics.load(ctrl, RING_CHUNKS) !== 0) throw new Error("pipeline: the arrival producer failed")
      if (Date.now() > deadline) throw new Error(`pipeline: no calls from the arrival producer for ${STALL_LIMIT_MS / 1000} s`)
      Atomics.wait(ctrl, slot, 0, 1_000)
    }
    const n = Atomics.load(ctrl, slot) - 1
    this.current = this.views[slot]!
    this.held = slot
    this.chunk++
    if (n === 0) this.ended = true
    return n
  }
  counts() {
    if (this.result === undefined) throw new Error("pipeline: producer result read before the producer finished")
    return { offered: this.result.offered, dissuaded: this.result.dissuaded, skipped: this.result.skipped }
  }
}

const addInto = <C extends string>(target: Table<C>, source: Partial<Record<C, Float64Array>>): void => {
  for (const c of Object.keys(source) as C[]) {
    const t = target[c]
    const s = source[c]!
    for (let i = 0; i < t.length; i++) t[i]! += s[i]!
  }
}

/**
 * Runs one replication with a producer worker (started here unless one is handed over);
 * resolves when this thread is done. The worker is terminated at the end either way.
 */
export const runReplicationPipelined = async (
  model: Model,
  seed: number,
  replication: number,
  onProgress?: (fractionDone: number) => void,
  producer: StartedWorker = startWorker()
): Promise<ReplicationResult> => {
  const started = performance.now()
  const ring = makeRing()
  const worker = producer.worker
  try {
    const produced = new Promise<ProducerResult>((resolve, reject) => {
      worker.on("message", (m: FromProducer) => {
        if (m.type === "produced") resolve(m.result)
        else if (m.type === "failed") reject(new Error(`arrival producer failed: ${m.message}`))
      })
      worker.on("error", reject)
    })
    // The first read blocks this thread: make sure the worker runs first (a worker that failed to
    // start would leave it waiting for chunks that never come).
    await producer.ready
    worker.postMessage({ type: "produce", model, seed, replication, ring } satisfies ToWorker)
    const source = new RingSource(ring)
    const sim = new Simulation(model, { streams: replicationStreams(seed, replication), source })
    advanceInChunks(sim, model.horizonSeconds, onProgress)
    source.result = await produced
    addInto(sim.table, source.result.table)
    addInto(sim.groups, source.result.groups)
    const totals = sim.finish()
    return { replication, totals, table: sim.table, groups: sim.groups, wallSeconds: (performance.now() - started) / 1000 }
  } finally {
    // Done (or failed): stop the thread without waiting for it to wind down (~5-10 ms); unref'd,
    // it cannot hold the process either.
    worker.unref()
    void worker.terminate()
  }
}
