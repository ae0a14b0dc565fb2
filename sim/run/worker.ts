/**
 * Worker-thread entry (bundled to dist/worker.cjs, one CommonJS file: build.mjs). Two jobs:
 * - `run`: one replication at a time, posting back results with their buffers transferred;
 * - `produce`: the first-attempt producer of a pipelined replication (./pipeline.ts), filling the
 *   shared ring of call records and posting back its own bookings at the end.
 */
import { parentPort } from "node:worker_threads"
import { columnBuffers, GROUP_COLUMNS, INTERVAL_COLUMNS, makeIntervalTable, tableBuffers } from "../kpi/intervals.js"
import { MAKER_GROUP_COLUMNS, MAKER_INTERVAL_COLUMNS, makeFirstAttempts, makeGroupTable } from "../model/arrivals.js"
import type { Model } from "../model/model.js"
import { bookedColumns, CHUNK_RECORDS, chunkSize, FAILED, RING_CHUNKS, takeOver, type ProducerResult, type Ring } from "./pipeline.js"
import type { FromProducer, FromWorker, ToWorker, WorkerReady } from "./protocol.js"
import { replicationStreams, runReplication } from "./replicate.js"

const port = parentPort
if (port === null) throw new Error("sim/run/worker must run in a worker thread")

/** The producer of a pipelined replication: takes over from the consumer (./pipeline.ts), then fills the ring. */
const produce = (model: Model, seed: number, replication: number, ring: Ring, firstBatch: number | null): ProducerResult | null => {
  const streams = replicationStreams(seed, replication)
  const table = makeIntervalTable(model.intervalCount, model.intervalSeconds)
  const groups = makeGroupTable(model)
  const { maker, gen } = makeFirstAttempts(model, streams, table, groups, CHUNK_RECORDS)
  const ctrl = ring.ctrl
  if (takeOver(ring, gen, firstBatch) === null) return null
  // What the replayed batches booked is the consumer's (it generated them too).
  maker.clearBookings()
  gen.skipped = 0
  for (let chunk = 0; ; chunk++) {
    const slot = chunk % RING_CHUNKS
    // Wait on the very value checked: re-reading it inside the wait could see the consumer's 0
    // and sleep through the notification that already happened.
    for (let v = Atomics.load(ctrl, slot); v !== 0; v = Atomics.load(ctrl, slot)) Atomics.wait(ctrl, slot, v, 1_000)
    const n = gen.fill(ring.records, chunkSize(chunk), slot * CHUNK_RECORDS)
    Atomics.store(ctrl, slot, n + 1)
    Atomics.notify(ctrl, slot)
    if (n === 0) break
  }
  return {
    offered: maker.offered,
    dissuaded: maker.dissuaded,
    skipped: gen.skipped,
    table: bookedColumns(table, MAKER_INTERVAL_COLUMNS),
    groups: bookedColumns(groups, MAKER_GROUP_COLUMNS)
  }
}

port.on("message", (message: ToWorker) => {
  if (message.type === "produce") {
    try {
      const result = produce(message.model, message.seed, message.replication, message.ring, message.firstBatch)
      port.postMessage(
        { type: "produced", result } satisfies FromProducer,
        result === null ? [] : columnBuffers([...Object.values(result.table), ...Object.values(result.groups)])
      )
    } catch (e) {
      Atomics.store(message.ring.ctrl, FAILED, 1)
      Atomics.notify(message.ring.ctrl, 0)
      port.postMessage({ type: "failed", message: e instanceof Error ? e.message : String(e) } satisfies FromProducer)
    }
    return
  }
  const { model, seed, replication } = message
  try {
    const result = runReplication(model, seed, replication, (fractionDone) =>
      port.postMessage({ type: "progress", replication, fractionDone } satisfies FromWorker)
    )
    port.postMessage({ type: "done", result } satisfies FromWorker, [
      ...tableBuffers(result.table, INTERVAL_COLUMNS),
      ...tableBuffers(result.groups, GROUP_COLUMNS)
    ])
  } catch (e) {
    port.postMessage({ type: "failed", replication, message: e instanceof Error ? e.message : String(e) } satisfies FromWorker)
  }
})

// Ready: whoever started this thread may now hand it work (and block waiting for it).
port.postMessage({ type: "ready" } satisfies WorkerReady)
