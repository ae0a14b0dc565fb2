/**
 * Replications in parallel: a pool of worker threads, each running one replication at a time
 * with its own streams (seeded from (seed, replication), so results never depend on which worker
 * ran what). Results come back in replication order. With one worker the work runs in this
 * thread; a single replication with several cores is pipelined over two threads (./pipeline.ts).
 *
 * Exposed to the CLI as the `ReplicationRunner` Effect service; its layer owns the pool
 * (acquireRelease: workers are terminated when the program ends, whatever the outcome).
 */
import { existsSync, readFileSync } from "node:fs"
import { availableParallelism } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { Worker } from "node:worker_threads"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { RuntimeFailure } from "../domain/problem.js"
import type { Model } from "../model/model.js"
import type { FromWorker, ToWorker } from "./protocol.js"
import { takePrestartedWorker, workerReady, type StartedWorker } from "../../bin/prestart-worker.mjs"
import { runReplicationPipelined, startProducerWorker } from "./pipeline.js"
import { runReplication, type ReplicationResult } from "./replicate.js"

export interface RunRequest {
  readonly seed: number
  readonly replications: number
  /** Overall fraction done, in [0, 1]. */
  readonly onProgress?: ((fractionDone: number) => void) | undefined
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
  const path = join(projectRoot(), "dist", "worker.mjs")
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\``)
  return path
}

export class WorkerPool {
  private readonly workers: Worker[] = []
  private readonly ready: Array<Promise<void>> = []

  /** `size` workers; `first`, when given (a prestarted one), is one of them. */
  constructor(
    readonly size: number,
    first?: StartedWorker
  ) {
    if (first !== undefined) {
      this.workers.push(first.worker)
      this.ready.push(first.ready)
    }
    const script = workerScript()
    while (this.workers.length < size) {
      const worker = new Worker(script)
      this.workers.push(worker)
      this.ready.push(workerReady(worker))
    }
  }

  /**
   * Runs replications 0..R-1 of `model`; resolves with results in replication order. Rejects if a
   * worker failed to start, crashes or exits before the end.
   */
  async run(model: Model, request: RunRequest): Promise<ReplicationResult[]> {
    await Promise.all(this.ready)
    const total = request.replications
    const results: Array<ReplicationResult | undefined> = new Array(total)
    const fractions = new Float64Array(total)
    let next = 0
    let finished = 0
    return new Promise((resolve, reject) => {
      let failed = false
      const cleanups: Array<() => void> = []
      const fail = (message: string) => {
        if (failed) return
        failed = true
        cleanups.forEach((f) => f())
        reject(new Error(message))
      }
      const dispatch = (worker: Worker) => {
        if (next >= total) return
        const replication = next++
        worker.postMessage({ type: "run", model, seed: request.seed, replication } satisfies ToWorker)
      }
      for (const worker of this.workers) {
        const onMessage = (message: FromWorker) => {
          if (failed) return
          if (message.type === "progress") {
            fractions[message.replication] = message.fractionDone
            request.onProgress?.(fractions.reduce((a, b) => a + b, 0) / total)
          } else if (message.type === "done") {
            results[message.result.replication] = message.result
            fractions[message.result.replication] = 1
            finished++
            if (finished === total) {
              cleanups.forEach((f) => f())
              resolve(results as ReplicationResult[])
            } else dispatch(worker)
          } else if (message.type === "failed") fail(`replication ${message.replication} failed: ${message.message}`)
        }
        const onError = (e: Error) => fail(`a worker crashed: ${e.message}`)
        const onExit = (code: number) => fail(`a worker thread exited (code ${code}) before the replications were done`)
        worker.on("message", onMessage)
        worker.on("error", onError)
        worker.on("exit", onExit)
        cleanups.push(() => {
          worker.off("message", onMessage)
          worker.off("error", onError)
          worker.off("exit", onExit)
        })
      }
      for (const worker of this.workers) dispatch(worker)
    })
  }

  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()))
  }
}

/** A producer worker, or undefined when one cannot be started now (the run will say why). */
const startProducerWorkerOrNothing = (): StartedWorker | undefined => {
  try {
    return startProducerWorker()
  } catch {
    return undefined
  }
}

/** Runs the replications in this thread, one after the other. */
export const runInProcess = (model: Model, request: RunRequest): ReplicationResult[] => {
  const out: ReplicationResult[] = []
  for (let r = 0; r < request.replications; r++) {
    out.push(runReplication(model, request.seed, r, (f) => request.onProgress?.((r + f) / request.replications)))
  }
  return out
}

/** Default number of worker threads: one per core. */
export const defaultWorkers = (): number => Math.max(1, availableParallelism())

/** Runs all replications of a model (workers or in-process, as the layer decides). */
export class ReplicationRunner extends Context.Service<
  ReplicationRunner,
  { readonly run: (model: Model, request: RunRequest) => Effect.Effect<ReplicationResult[], RuntimeFailure> }
>()("ccsim/ReplicationRunner") {
  /**
   * A runner with up to `workers` threads. Threads start lazily, on the first run with more
   * than one replication, and are terminated when the layer's scope closes.
   */
  static layer(workers: number, options: { readonly prestartProducer?: boolean } = {}): Layer.Layer<ReplicationRunner> {
    return Layer.effect(
      ReplicationRunner,
      Effect.gen(function* () {
        let pool: WorkerPool | undefined
        // A worker already booting since before the bundle loaded (bin/prestart-worker.mjs)?
        let prestarted = workers > 1 ? takePrestartedWorker() : undefined
        // A single pipelined replication is coming: start its producer thread now (unless it is
        // prestarted), so it loads while the scenario is read and compiled. If it cannot start
        // (no worker script), the run tries again and reports why.
        let producer: StartedWorker | undefined
        if (options.prestartProducer && workers > 1) {
          producer = prestarted ?? startProducerWorkerOrNothing()
          prestarted = undefined
        }
        yield* Effect.addFinalizer(() =>
          Effect.promise(async () => {
            await pool?.terminate()
            await producer?.worker.terminate()
            await prestarted?.worker.terminate()
          })
        )
        const run = (model: Model, request: RunRequest) => {
          const size = Math.min(workers, request.replications)
          if (request.replications === 1 && workers > 1) {
            // One replication, several cores: pipeline its first attempts on a second thread.
            const ready = producer
            producer = undefined
            return Effect.tryPromise({
              try: async () => [await runReplicationPipelined(model, request.seed, 0, request.onProgress, ready)],
              catch: (e) => new RuntimeFailure({ message: e instanceof Error ? e.message : String(e) })
            })
          }
          if (size <= 1) {
            return Effect.try({
              try: () => runInProcess(model, request),
              catch: (e) => new RuntimeFailure({ message: e instanceof Error ? e.message : String(e) })
            })
          }
          return Effect.tryPromise({
            try: () => {
              if (pool === undefined || pool.size < size) {
                const old = pool
                pool = new WorkerPool(size, prestarted)
                prestarted = undefined
                if (old) void old.terminate()
              }
              return pool.run(model, request)
            },
            catch: (e) => new RuntimeFailure({ message: e instanceof Error ? e.message : String(e) })
          })
        }
        return ReplicationRunner.of({ run })
      })
    )
  }
}
