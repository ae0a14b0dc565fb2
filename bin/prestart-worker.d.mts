// Types of bin/prestart-worker.mjs (plain JavaScript: it runs before the bundle loads).
import type { Worker } from "node:worker_threads"

/** A worker thread and the promise that it is ready (its bundle loaded, its handler installed). */
export interface StartedWorker {
  readonly worker: Worker
  readonly ready: Promise<void>
}

export declare const runUsesWorkers: (args: ReadonlyArray<string>) => boolean
export declare const workerReady: (worker: Worker) => Promise<void>
export declare function prestartWorker(args: ReadonlyArray<string>, workerUrl: URL): void
export declare const takePrestartedWorker: () => StartedWorker | undefined
