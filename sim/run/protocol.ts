/** Messages between the replication pool and its worker threads. */
import type { Model } from "../model/model.js"
import type { ReplicationResult } from "./replicate.js"

export type ToWorker = { readonly type: "run"; readonly model: Model; readonly seed: number; readonly replication: number }

export type FromWorker =
  | { readonly type: "progress"; readonly replication: number; readonly fractionDone: number }
  | { readonly type: "done"; readonly result: ReplicationResult }
  | { readonly type: "failed"; readonly replication: number; readonly message: string }
