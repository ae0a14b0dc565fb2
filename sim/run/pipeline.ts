/**
 * One replication on two threads. Everything about a first attempt up to the queue is
 * independent of the queue (sim/model/arrivals.ts), so a producer worker generates first attempts
 * — times, flows and reasons, dissuasion, talk/wrap-up/patience/transfer/ticket draws — while this
 * thread runs the queue, advisors and forms. Records travel through a ring of chunks in shared
 * memory; the producer books offered and dissuaded calls in its own tables, added to the
 * simulation's at the end. The streams are the same as in one thread, so the results are
 * identical (tested): this only buys speed for a single long replication on a multi-core machine.
 *
 * Handover (no thread ever waits for the other to start): a worker thread takes ~50-140 ms to
 * start on the project's VM, so this thread does not wait for it — it generates the first calls itself, in batches of
 * LOCAL_BATCH records, and simulates them. ctrl[HANDOVER] says who generates what: while it is
 * h >= 0, this thread has claimed batches [0, h) (it claims the next one by compare-and-swap before
 * generating it); once started, the producer generates and drops batches from the first, to bring
 * its streams to the same point (a generator's state is its streams, so replaying is the one exact
 * way to get there), and when it has nearly caught up writes −1 − T: batches from T on are its own
 * (takeOver). It clears what it booked while replaying and fills the ring from batch T. This thread
 * generates batches up to T, then reads the ring. The calls are the same whoever generates them
 * and wherever T falls, so the results do not depend on when the worker starts (tested with the
 * handover forced at several points, and never). If every call has been generated here (a short
 * run, or a worker too slow to catch up), this thread writes CLOSED and the producer stops; a
 * worker that failed to start still fails the run, as a worker bundle that cannot load must not
 * go unseen.
 *
 * Ring protocol (Int32Array `ctrl` in shared memory): chunk slot s is empty when ctrl[s] = 0; the
 * producer fills it and stores count + 1 (1 = end of calls); the consumer waits for a non-zero
 * value, reads the records in place, and when it moves to the next chunk stores 0 and notifies. Both sides block with Atomics.wait, so a
 * chunk is never read while written. ctrl[RING_CHUNKS] flags a failed producer; the consumer also
 * gives up after 120 s without a chunk, so a dead producer can never hang a run.
 */
import type { GroupColumn, IntervalColumn, Table } from "../kpi/intervals.js"
import { makeCallRecords, type CallMaker, type CallRecords, type FirstAttempts } from "../model/arrivals.js"
import type { Model } from "../model/model.js"
import { Simulation, type ArrivalSource } from "../model/simulation.js"
import { startWorker, type StartedWorker } from "./threads.js"
import type { FromProducer, ToWorker } from "./protocol.js"
import { advanceInChunks, replicationStreams, type ReplicationResult } from "./replicate.js"
import { monotonicMs } from "../domain/clock.js"

/** Chunks in the ring and records per chunk. */
export const RING_CHUNKS = 4
export const CHUNK_RECORDS = 16_384
/**
 * The first chunks are smaller (1,024, 2,048, … records, up to CHUNK_RECORDS), so the consumer,
 * which waits for the first one, starts after ~1 ms of cold generation instead of ~20 ms.
 */
export const chunkSize = (chunk: number): number => (chunk >= 4 ? CHUNK_RECORDS : Math.min(CHUNK_RECORDS, 1024 << chunk))

/** Records per batch generated in this thread before the handover. */
export const LOCAL_BATCH = 1024
/** ctrl[FAILED] is set to 1 if the producer fails; ctrl[HANDOVER] is the handover word (above). */
export const FAILED = RING_CHUNKS
export const HANDOVER = RING_CHUNKS + 1
/** ctrl[HANDOVER] once this thread has generated every call itself: the producer has nothing to do. */
export const CLOSED = -0x8000_0000
/** The largest batch a handover may name (−1 − T must stay above CLOSED). */
export const MAX_HANDOVER_BATCH = 0x7fff_fffe

/**
 * How close (in batches) the producer must have come to the consumer before it names the handover
 * batch: T = h + HANDOVER_SLACK. The consumer then has 16 batches (~3 ms) of its own left to
 * simulate while the producer replays its last ones to T (at most 2 × 16, ~3x faster).
 */
export const HANDOVER_SLACK = 16
/**
 * What the producer sends back when it has generated every first attempt from its batch on: its
 * counts, and the columns of its interval and group tables that it booked anything in (of those
 * CallMaker writes: offered, redials, dissuaded…), to be added to the simulation's — only those,
 * so the consumer's last step is short. Null when it had nothing to do (this thread generated every call).
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
  for (const c of columns) {
    const column = table[c]
    // A plain loop: `some` with a callback boxes every number it passes (~3 MB per run).
    for (let i = 0; i < column.length; i++) {
      if (column[i] !== 0) {
        out[c] = column
        break
      }
    }
  }
  return out
}

export interface Ring {
  readonly records: CallRecords
  readonly ctrl: Int32Array
}

/** ctrl[0..RING_CHUNKS) are the chunk slots, then FAILED and HANDOVER. */
export const makeRing = (): Ring => ({
  records: makeCallRecords(RING_CHUNKS * CHUNK_RECORDS, true),
  ctrl: new Int32Array(new SharedArrayBuffer((HANDOVER + 1) * 4))
})

/**
 * The producer's side of the handover (it runs in the worker). It replays batches from the
 * start, catching up with the consumer (generating alone is ~3x faster than generating and
 * simulating); once within HANDOVER_SLACK batches of the consumer's claimed count h, it claims
 * batch T = h + HANDOVER_SLACK onwards and replays up to T. The consumer never waits long for the
 * ring, and if the producer never catches up (a loaded machine) the consumer simply generates
 * every call. `firstBatch` forces T at once (tests; never below what the consumer has claimed).
 * Returns T with `gen` at batch T, or null when there is nothing to produce (the consumer closed
 * the handover, or the calls end before T).
 */
export const takeOver = (ring: Ring, gen: FirstAttempts, firstBatch: number | null): number | null => {
  const ctrl = ring.ctrl
  let replayed = 0
  // Replayed calls are written into the ring's first slot, which the consumer reads only once the
  // producer publishes it: `fill` then sees the very arrays it will fill for real (V8's code stays
  // optimized across the handover instead of being redone on the first chunks).
  const replayTo = (batch: number): boolean => {
    for (; replayed < batch; replayed++) if (gen.fill(ring.records, LOCAL_BATCH, 0) < LOCAL_BATCH) return false
    return true
  }
  for (;;) {
    const h = Atomics.load(ctrl, HANDOVER)
    if (h < 0) return null // CLOSED
    if (firstBatch === null && replayed + HANDOVER_SLACK < h) {
      if (!replayTo(replayed + 1)) return null
      continue
    }
    const start = Math.min(MAX_HANDOVER_BATCH, firstBatch === null ? h + HANDOVER_SLACK : Math.max(h, firstBatch))
    if (Atomics.compareExchange(ctrl, HANDOVER, h, -1 - start) === h) {
      Atomics.notify(ctrl, HANDOVER) // a consumer held at a forced batch (tests) goes on
      return replayTo(start) ? start : null
    }
  }
}

/** For tests: where the handover must fall, and where it fell (null: never). */
export interface HandoverHooks {
  /**
   * Forces the handover batch (MAX_HANDOVER_BATCH: never); this thread then waits at that batch
   * (up to 10 s) for the producer to claim it, so the handover falls exactly there.
   */
  readonly firstBatch?: number | null
  /** Called when this thread has simulated every call, with the batch the producer took over from. */
  readonly onDone?: (handoverBatch: number | null) => void
}

/** The consumer gives up when the producer has sent nothing for this long. */
const STALL_LIMIT_MS = 120_000

/** The simulation's own generator (booking in its tables), used until the handover. */
interface LocalPart {
  readonly maker: CallMaker
  readonly gen: FirstAttempts
  readonly records: CallRecords
}

/** The consumer's side: batches of its own until the handover, then the ring's chunks, read in place. */
class PipelineSource implements ArrivalSource {
  readonly outcomes = null
  current: CallRecords
  private readonly views: CallRecords[]
  private chunk = 0
  private held = -1
  private ended = false
  /** Batches generated here (booked in the simulation's tables; their counts join the producer's in counts()). */
  private batches = 0
  private onRing = false
  result: ProducerResult | null = null
  constructor(
    private readonly ring: Ring,
    private readonly local: LocalPart,
    /** Tests: a forced handover batch this thread waits at (up to 10 s) for the producer to claim it. */
    private holdAt = Infinity
  ) {
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
    this.current = local.records
  }
  /** True once the producer generates the calls (its result must then be added). */
  get handedOver(): boolean {
    return this.onRing
  }
  /** The first batch the producer generated (meaningful once handed over). */
  get handoverBatch(): number {
    return this.batches
  }
  next(): number {
    if (this.ended) return 0
    if (!this.onRing) {
      const n = this.nextLocal()
      if (n >= 0) return n
      this.onRing = true
    }
    return this.nextFromRing()
  }
  /** The next batch generated here, or −1 when it is the producer's turn. */
  private nextLocal(): number {
    const ctrl = this.ring.ctrl
    for (;;) {
      const h = Atomics.load(ctrl, HANDOVER)
      if (h >= 0) {
        if (this.batches >= this.holdAt) {
          if (Atomics.wait(ctrl, HANDOVER, h, 10_000) === "timed-out") this.holdAt = Infinity
          continue
        }
        if (Atomics.compareExchange(ctrl, HANDOVER, h, h + 1) !== h) continue // the producer just took over: read again
      } else if (this.batches >= -1 - h) return -1
      this.batches++
      const n = this.local.gen.fill(this.local.records, LOCAL_BATCH)
      if (n < LOCAL_BATCH) {
        // Every call is generated (this batch is the last): the producer, wherever it is, has nothing to do.
        this.ended = true
        Atomics.store(ctrl, HANDOVER, CLOSED)
      }
      this.current = this.local.records
      return n
    }
  }
  private nextFromRing(): number {
    const ctrl = this.ring.ctrl
    if (this.held >= 0) {
      // Done with the previous chunk (the queue copies what it keeps): hand it back.
      Atomics.store(ctrl, this.held, 0)
      Atomics.notify(ctrl, this.held)
      this.held = -1
    }
    const slot = this.chunk % RING_CHUNKS
    const deadline = Date.now() + STALL_LIMIT_MS
    while (Atomics.load(ctrl, slot) === 0) {
      if (Atomics.load(ctrl, FAILED) !== 0) throw new Error("pipeline: the arrival producer failed")
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
    const local = this.local
    const p = this.result
    if (this.onRing && p === null) throw new Error("pipeline: producer result read before the producer finished")
    return {
      offered: local.maker.offered + (p?.offered ?? 0),
      dissuaded: local.maker.dissuaded + (p?.dissuaded ?? 0),
      skipped: local.gen.skipped + (p?.skipped ?? 0)
    }
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
  producer: StartedWorker = startWorker(),
  hooks: HandoverHooks = {}
): Promise<ReplicationResult> => {
  const firstBatch = hooks.firstBatch ?? null
  const started = monotonicMs()
  const ring = makeRing()
  const worker = producer.worker
  worker.ref() // one started by Runner.prepare is unref'd until it is used
  try {
    const produced = new Promise<ProducerResult | null>((resolve, reject) => {
      worker.on("message", (m: FromProducer) => {
        if (m.type === "produced") resolve(m.result)
        else if (m.type === "failed") reject(new Error(`arrival producer failed: ${m.message}`))
      })
      worker.on("error", reject)
      worker.on("exit", (code) => reject(new Error(`the arrival producer exited (code ${code})`)))
    })
    // What went wrong with the worker, if anything (read at the end: this thread is busy till then).
    let failure: unknown = null
    producer.ready.catch((e: unknown) => (failure ??= e))
    produced.catch((e: unknown) => (failure ??= e))
    // Queued until the worker listens: this thread never waits for it to start.
    worker.postMessage({ type: "produce", model, seed, replication, ring, firstBatch } satisfies ToWorker)
    const holdAt = firstBatch === null || firstBatch >= MAX_HANDOVER_BATCH ? Infinity : firstBatch
    let source!: PipelineSource
    const sim = new Simulation(model, {
      streams: replicationStreams(seed, replication),
      // Until the handover, the simulation's own generator, booking in its own tables.
      source: ({ maker, gen }) => (source = new PipelineSource(ring, { maker, gen, records: makeCallRecords(LOCAL_BATCH) }, holdAt))
    })
    advanceInChunks(sim, model.horizonSeconds, onProgress)
    hooks.onDone?.(source.handedOver ? source.handoverBatch : null)
    if (source.handedOver) {
      source.result = await produced
      if (source.result === null) throw new Error("pipeline: the arrival producer took over but sent nothing")
      addInto(sim.table, source.result.table)
      addInto(sim.groups, source.result.groups)
    } else {
      // Every call was generated here; let the worker's pending news arrive (this thread was
      // busy): a worker that could not start, or failed, by now fails the run — the results would
      // be right, but a worker bundle that cannot load must not go unseen. (One still booting is
      // not waited for: a run this short never needed it.)
      await new Promise((resolve) => setImmediate(resolve))
      if (failure !== null) throw failure
    }
    const totals = sim.finish()
    return { replication, totals, table: sim.table, groups: sim.groups, wallSeconds: (monotonicMs() - started) / 1000 }
  } finally {
    // Done (or failed): stop the thread without waiting for it to wind down (~5-10 ms); unref'd,
    // it cannot hold the process either.
    worker.unref()
    void worker.terminate()
  }
}
