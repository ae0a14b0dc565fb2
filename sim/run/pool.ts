/**
 * Replications in parallel: a pool of worker threads, each running one replication at a time
 * with its own streams (seeded from (seed, replication), so results never depend on which worker
 * ran what). Results come back in replication order.
 */
import type { Worker } from "node:worker_threads"
import type { Model } from "../model/model.js"
import type { FromWorker, ToWorker } from "./protocol.js"
import type { ReplicationResult } from "./replicate.js"
import { startWorker } from "./threads.js"

export interface RunRequest {
  readonly seed: number
  readonly replications: number
  /** The first replication's index (default 0): replications firstReplication … firstReplication + replications − 1 run. */
  readonly firstReplication?: number | undefined
  /** Overall fraction done, in [0, 1]. */
  readonly onProgress?: ((fractionDone: number) => void) | undefined
}

export class WorkerPool {
  private readonly workers: Worker[] = []
  private readonly ready: Array<Promise<void>> = []

  constructor(readonly size: number) {
    while (this.workers.length < size) {
      const { worker, ready } = startWorker()
      this.workers.push(worker)
      this.ready.push(ready)
    }
  }

  /**
   * Runs the requested replications of `model`; resolves with results in replication order.
   * Rejects if a worker failed to start, crashes or exits before the end.
   */
  async run(model: Model, request: RunRequest): Promise<ReplicationResult[]> {
    await Promise.all(this.ready)
    const total = request.replications
    const first = request.firstReplication ?? 0
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
        const replication = first + next++
        worker.postMessage({ type: "run", model, seed: request.seed, replication } satisfies ToWorker)
      }
      for (const worker of this.workers) {
        const onMessage = (message: FromWorker) => {
          if (failed) return
          if (message.type === "progress") {
            fractions[message.replication - first] = message.fractionDone
            request.onProgress?.(fractions.reduce((a, b) => a + b, 0) / total)
          } else if (message.type === "done") {
            results[message.result.replication - first] = message.result
            fractions[message.result.replication - first] = 1
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
