// Starts ccsim's first worker thread before the CLI bundle is even read (dist/ccsim.mjs calls
// this first). A worker takes ~35-50 ms to boot; started here, it boots on the second core while
// this thread loads the bundle, parses flags and compiles the scenario, instead of after. It then
// serves as the first-attempt producer of a single replication or as the pool's first worker
// (sim/run/pool.ts takes it with takePrestartedWorker()).
//
// Only for `ccsim run` when worker threads will be used (not `--workers 1`, not on one core). It
// is unref'd, so a run that stops early (bad input) exits without waiting for it; whoever adopts
// it refs it. A worker that dies before being adopted is never handed out.
import { availableParallelism } from "node:os"
import { Worker } from "node:worker_threads"

const KEY = "__ccsimPrestartedWorker"

/** True when `ccsim run` with these arguments will use worker threads. */
export const runUsesWorkers = (args) => {
  if (args[0] !== "run") return false
  for (let i = 1; i < args.length; i++) {
    const value = args[i] === "--workers" ? args[i + 1] : args[i]?.startsWith("--workers=") ? args[i].slice("--workers=".length) : undefined
    if (value !== undefined) return value.trim() !== "1" // 0 (default: one per core) or several
  }
  return availableParallelism() > 1
}

/** Starts the worker (dist/worker.mjs) when `args` (process.argv.slice(2)) call for one. */
export function prestartWorker(args, workerUrl) {
  if (!runUsesWorkers(args)) return
  const worker = new Worker(workerUrl)
  worker.unref()
  const entry = { worker, alive: true, online: undefined }
  // Until adopted, nobody else listens: an error must not crash the process, and marks it unusable.
  const dead = () => {
    entry.alive = false
  }
  worker.once("error", dead)
  worker.once("exit", dead)
  entry.online = new Promise((resolve, reject) => {
    worker.once("online", resolve)
    worker.once("error", reject)
  })
  entry.online.catch(() => {}) // observed by whoever adopts the worker
  globalThis[KEY] = entry
}
