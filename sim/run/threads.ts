/**
 * Worker threads of a run: where the bundled worker script is, and when a started worker is
 * ready. A worker is ready once it has posted { type: "ready" } (./worker.ts): its bundle loaded
 * and its message handler installed — only then may a thread block waiting for it.
 */
import { existsSync, readFileSync } from "node:fs"
import { availableParallelism } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { Worker } from "node:worker_threads"

/** Default number of threads: one per core. */
export const defaultWorkers = (): number => Math.max(1, availableParallelism())

/** A worker thread and the promise that it is ready for work. */
export interface StartedWorker {
  readonly worker: Worker
  readonly ready: Promise<void>
}

/** The project root: the nearest folder above this module whose package.json is ccsim's. */
const projectRoot = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const pkg = join(dir, "package.json")
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "ccsim") return dir
    const parent = dirname(dir)
    if (parent === dir) throw new Error("cannot find ccsim's package.json above " + fileURLToPath(import.meta.url))
    dir = parent
  }
}

/** The bundled worker script (built by build.mjs at `npm ci`, and by the test setup). */
export const workerScript = (): string => {
  const path = join(projectRoot(), "dist", "worker.cjs")
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\``)
  return path
}

/**
 * Resolves when `worker` posts { type: "ready" }; rejects if it fails or exits before. Must be
 * called right after `new Worker`: messages are not kept.
 */
export const workerReady = (worker: Worker): Promise<void> => {
  const ready = new Promise<void>((resolve, reject) => {
    const onMessage = (m: { type?: string } | undefined) => {
      if (m?.type !== "ready") return
      settle()
      resolve()
    }
    const onError = (e: Error) => {
      settle()
      reject(new Error(`a worker thread failed to start: ${e.message}`))
    }
    const onExit = (code: number) => {
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

const spawn = (): StartedWorker => {
  const worker = new Worker(workerScript())
  return { worker, ready: workerReady(worker) }
}

/** A worker started ahead of need (startWorkerEarly), for the next startWorker(). */
let early: StartedWorker | undefined

/**
 * Starts a worker thread now, before anything asks for one: the next startWorker() returns it.
 * For a command that will most likely need one (`ccsim run` on several cores, sim/cli/early-worker.ts):
 * a worker takes ~40-120 ms to start on the project's VM, and this way it boots while the command's
 * modules load and its flags and scenario are read, instead of from the moment the run knows it
 * wants one. `started`: a worker of dist/worker.cjs already started by whoever loaded this code
 * (build.mjs, runCached), taken instead of a new one; it must come here in the same turn of the
 * event loop as its `new Worker`, before its "ready" message can be delivered. Unref'd until taken,
 * so an unused one never holds the process; a runner that will use no thread stops it
 * (dropEarlyWorker). Does nothing if it cannot start (the bundle missing): the run that needs a
 * thread then says why. Returns the worker (undefined if it could not start).
 */
export const startWorkerEarly = (started?: Worker): StartedWorker | undefined => {
  if (early !== undefined) {
    if (started !== undefined && started !== early.worker) void started.terminate()
    return early
  }
  try {
    early = started === undefined ? spawn() : { worker: started, ready: workerReady(started) }
    early.worker.unref()
  } catch {
    early = undefined
  }
  return early
}

/** Stops the worker startWorkerEarly started, if nothing took it. */
export const dropEarlyWorker = (): void => {
  const unused = early
  early = undefined
  if (unused !== undefined) void unused.worker.terminate()
}

/** Starts a worker thread on the bundled script (or hands over the one started early). */
export const startWorker = (): StartedWorker => {
  const taken = early
  if (taken === undefined) return spawn()
  early = undefined
  taken.worker.ref()
  return taken
}
