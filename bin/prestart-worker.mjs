// Starts ccsim's first worker thread before the CLI bundle is even read (dist/ccsim.mjs calls
// prestartWorker first). A worker takes ~35-50 ms to boot; started here, it boots on the second
// core while this thread loads the bundle, parses flags and compiles the scenario, instead of
// after. The run then adopts it (takePrestartedWorker, from sim/run/pool.ts) as the first-attempt
// producer of a single replication or as the pool's first worker.
//
// Only for `ccsim run` when worker threads will be used (not `--workers 1`, not on one core). It
// is unref'd, so a run that stops early (bad input) exits without waiting for it; whoever adopts
// it refs it. A worker is ready once it has posted { type: "ready" } (sim/run/worker.ts): its
// bundle loaded and its message handler installed.
import { existsSync } from "node:fs"
import { availableParallelism } from "node:os"
import { fileURLToPath } from "node:url"
import { Worker } from "node:worker_threads"

const KEY = "__ccsimPrestartedWorker"

/** True when `ccsim run` with these arguments (process.argv.slice(2)) will use worker threads. */
export const runUsesWorkers = (args) => {
  if (args[0] !== "run") return false
  let workers = 0 // the default: one per core
  for (let i = 1; i < args.length; i++) {
    if (args[i] === "--workers") workers = Number(args[i + 1])
    else if (args[i]?.startsWith("--workers=")) workers = Number(args[i].slice("--workers=".length))
  }
  return workers === 0 ? availableParallelism() > 1 : workers > 1
}

/**
 * Resolves when `worker` posts { type: "ready" }; rejects if it fails or exits before. Must be
 * called before the worker can have posted it (right after `new Worker`): messages are not kept.
 */
export const workerReady = (worker) => {
  const ready = new Promise((resolve, reject) => {
    const onMessage = (m) => {
      if (m?.type !== "ready") return
      settle()
      resolve()
    }
    const onError = (e) => {
      settle()
      reject(new Error(`a worker thread failed to start: ${e?.message ?? e}`))
    }
    const onExit = (code) => {
      settle()
      reject(new Error(`a worker thread exited (code ${code}) before it was ready`))
    }
    const settle = () => {
      worker.off("message", onMessage)
      worker.off("error", onError)
      worker.off("exit", onExit)
    }
    worker.on("message", onMessage)
    worker.on("error", onError)
    worker.on("exit", onExit)
  })
  ready.catch(() => {}) // observed by whoever awaits it
  return ready
}

/** Starts the worker at `workerUrl` (dist/worker.mjs) when `args` call for one. */
export function prestartWorker(args, workerUrl) {
  if (!runUsesWorkers(args) || !existsSync(fileURLToPath(workerUrl))) return // missing: the run says so
  const worker = new Worker(workerUrl)
  worker.unref()
  // Until adopted, nobody else listens: an error must not crash the process.
  worker.on("error", () => {})
  globalThis[KEY] = { worker, ready: workerReady(worker) }
}

/**
 * The prestarted worker, if any: handed out once, ref'd again (it keeps the process alive while
 * it works). Await `ready` before relying on it: it may have failed to start.
 */
export const takePrestartedWorker = () => {
  const entry = globalThis[KEY]
  delete globalThis[KEY]
  if (entry === undefined) return undefined
  entry.worker.ref()
  return entry
}
