/**
 * Worker-thread entry (bundled to dist/worker.mjs): runs the replications it is sent, one at a
 * time, and posts back the results with their interval buffers transferred (not copied).
 */
import { parentPort } from "node:worker_threads"
import { GROUP_COLUMNS, INTERVAL_COLUMNS, tableBuffers } from "../kpi/intervals.js"
import type { FromWorker, ToWorker } from "./protocol.js"
import { runReplication } from "./replicate.js"

const port = parentPort
if (port === null) throw new Error("sim/run/worker must run in a worker thread")

port.on("message", (message: ToWorker) => {
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
