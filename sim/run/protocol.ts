/** Messages between the replication pool and its worker threads. */
import type { Model } from "../model/model.js"
import type { ProducerResult, Ring } from "./pipeline.js"
import type { ReplicationResult } from "./replicate.js"

export type ToWorker =
  /** Run one replication (the replication pool). */
  | { readonly type: "run"; readonly model: Model; readonly seed: number; readonly replication: number }
  /** Produce the first attempts of a pipelined replication into `ring` from the handover on (./pipeline.ts; firstBatch: forced handover, tests). */
  | { readonly type: "produce"; readonly model: Model; readonly seed: number; readonly replication: number; readonly ring: Ring; readonly firstBatch: number | null }

/** Posted once by every worker when its handler is installed (./threads.ts workerReady). */
export interface WorkerReady {
  readonly type: "ready"
}

/** What a producer worker posts back (./pipeline.ts). */
export type FromProducer =
  | WorkerReady
  /** null: nothing to produce (the consumer generated every call itself). */
  | { readonly type: "produced"; readonly result: ProducerResult | null }
  | { readonly type: "failed"; readonly message: string }

/** What a replication worker posts back. */
export type FromWorker =
  | WorkerReady
  | { readonly type: "progress"; readonly replication: number; readonly fractionDone: number }
  | { readonly type: "done"; readonly result: ReplicationResult }
  | { readonly type: "failed"; readonly replication: number; readonly message: string }
