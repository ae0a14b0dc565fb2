/**
 * `ccsim run` on several cores uses a worker thread (a pipelined replication, or the pool): the
 * command line's entries start it before the command loads, so that it boots while the command's
 * modules load and its flags and scenario are read (sim/run/threads.ts; the runner takes it). When
 * the line sets --workers, the runner starts what that asks for, as before.
 */
import type { Worker } from "node:worker_threads"
import { defaultWorkers, startWorkerEarly } from "../run/threads.js"

/**
 * Starts `ccsim run`'s worker thread early when `argv` (process.argv) asks for a run that will use
 * one, or takes `started`, one its loader already started (build.mjs, runCached); a `started` worker
 * the line will not use is stopped.
 */
export const startRunWorkerEarly = (argv: ReadonlyArray<string>, started?: Worker): void => {
  if (argv[2] === "run" && defaultWorkers() > 1 && !argv.some((a) => a === "--workers" || a.startsWith("--workers="))) startWorkerEarly(started)
  else if (started !== undefined) void started.terminate()
}
