/**
 * The one way to run a model: `simulate(model, options)` -> Promise of every replication's
 * outcome, in replication order. No CLI, no Effect, no start-up tricks: the staffing search, the
 * live harness, continuity's paired runs, tests and the CLI all come through here.
 *
 * How the work is spread (never changes the results — each replication's streams are seeded
 * from (seed, replication) in ./replicate.ts):
 * - one worker (`workers: 1`, or a single core): every replication in this thread;
 * - one replication, several cores: pipelined over two threads (./pipeline.ts);
 * - several replications: a pool of worker threads, one replication each at a time (./pool.ts).
 *
 * A `Runner` keeps its pool between calls (a search simulates many candidate plans); `simulate`
 * is a one-shot runner. `prepare(replications)` starts the threads the next run will need at once,
 * so that their start-up (~50-140 ms each on the project's VM: a Node environment and the worker
 * bundle) overlaps whatever the caller does before `run` (the CLI reads and compiles the scenario
 * meanwhile).
 */
import type { Model } from "../model/model.js"
import { runReplicationPipelined } from "./pipeline.js"
import { WorkerPool, type RunRequest } from "./pool.js"
import { defaultWorkers, dropEarlyWorker, startWorker, type StartedWorker } from "./threads.js"
import { runReplication, type ReplicationResult } from "./replicate.js"

export type { ReplicationResult } from "./replicate.js"

export interface SimulateOptions {
  /** Run seed (same model + same seed = same results). */
  readonly seed: number
  /** Independent replications (default 1). */
  readonly replications?: number | undefined
  /** Index of the first replication (default 0): seeds never seen by an earlier run start past its count. */
  readonly firstReplication?: number | undefined
  /** Overall fraction done, in [0, 1]. */
  readonly onProgress?: ((fractionDone: number) => void) | undefined
}

export { defaultWorkers } from "./threads.js"

export interface Runner {
  readonly workers: number
  /**
   * Starts now the threads a run of `replications` will use (a producer for a pipelined single
   * replication, the pool otherwise; none on one worker). Optional: `run` starts what is missing.
   * Threads started for nothing are stopped by `close`.
   */
  prepare(replications: number): void
  run(model: Model, options: SimulateOptions): Promise<ReplicationResult[]>
  /** Stops the pool's threads (idempotent). */
  close(): Promise<void>
}

/** Runs replications one after the other in this thread. */
export const runInThisThread = (model: Model, request: RunRequest): ReplicationResult[] => {
  const out: ReplicationResult[] = []
  const first = request.firstReplication ?? 0
  for (let r = 0; r < request.replications; r++) {
    out.push(runReplication(model, request.seed, first + r, (f) => request.onProgress?.((r + f) / request.replications)))
  }
  return out
}

/** A runner with up to `workers` threads (default one per core); the pool starts on first use. */
export const createRunner = (workers: number = defaultWorkers()): Runner => {
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be a whole number >= 1, got ${workers}`)
  let pool: WorkerPool | undefined
  /** A producer thread started by prepare(1), handed to the next pipelined run. */
  let producer: StartedWorker | undefined
  const ensurePool = (size: number): WorkerPool => {
    if (pool === undefined || pool.size < size) {
      const old = pool
      pool = new WorkerPool(size)
      if (old) void old.terminate()
    }
    return pool
  }
  return {
    workers,
    prepare(replications) {
      // A thread started early (sim/cli/early-worker.ts) that this runner will not use stops now.
      if (workers === 1) dropEarlyWorker()
      try {
        if (replications === 1 && workers > 1 && producer === undefined) {
          producer = startWorker()
          producer.worker.unref() // a runner never closed must not hold the process
        }
        else if (Math.min(workers, replications) > 1) ensurePool(Math.min(workers, replications))
      } catch {
        // A thread that cannot start (its bundle missing) is reported by `run`, which starts it again.
      }
    },
    async run(model, options) {
      const request: RunRequest = {
        seed: options.seed,
        replications: options.replications ?? 1,
        firstReplication: options.firstReplication,
        onProgress: options.onProgress
      }
      if (!(request.replications >= 1)) throw new RangeError(`replications must be >= 1, got ${request.replications}`)
      if (request.replications === 1 && workers > 1) {
        const started = producer ?? startWorker()
        producer = undefined
        return [await runReplicationPipelined(model, request.seed, request.firstReplication ?? 0, request.onProgress, started)]
      }
      const size = Math.min(workers, request.replications)
      if (size <= 1) return runInThisThread(model, request)
      return ensurePool(size).run(model, request)
    },
    async close() {
      const p = pool
      const w = producer
      pool = undefined
      producer = undefined
      dropEarlyWorker()
      await Promise.all([p?.terminate(), w?.worker.terminate()])
    }
  }
}

/** Simulates `model`: every replication's outcome, in replication order. */
export const simulate = async (model: Model, options: SimulateOptions & { readonly workers?: number | undefined }): Promise<ReplicationResult[]> => {
  const runner = createRunner(options.workers ?? defaultWorkers())
  try {
    return await runner.run(model, options)
  } finally {
    await runner.close()
  }
}
