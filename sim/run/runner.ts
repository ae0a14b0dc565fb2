/**
 * The run API as an Effect service, for commands: `SimulationRunner.layer(workers)` owns a
 * `Runner` (./simulate.ts) and closes its threads when the program's scope ends, whatever the
 * outcome (acquireRelease); a failed run is a `RuntimeFailure` (exit 1).
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { RuntimeFailure } from "../domain/problem.js"
import type { Model } from "../model/model.js"
import { createRunner, type ReplicationResult, type SimulateOptions } from "./simulate.js"

export class SimulationRunner extends Context.Service<
  SimulationRunner,
  {
    /** Starts the threads a run of this many replications will use (Runner.prepare). */
    readonly prepare: (replications: number) => Effect.Effect<void>
    readonly run: (model: Model, options: SimulateOptions) => Effect.Effect<ReplicationResult[], RuntimeFailure>
  }
>()("ccsim/SimulationRunner") {
  static layer(workers: number): Layer.Layer<SimulationRunner> {
    return Layer.effect(
      SimulationRunner,
      Effect.map(
        Effect.acquireRelease(
          Effect.sync(() => createRunner(workers)),
          (runner) => Effect.promise(() => runner.close())
        ),
        (runner) =>
          SimulationRunner.of({
            prepare: (replications) => Effect.sync(() => runner.prepare(replications)),
            run: (model, options) =>
              Effect.tryPromise({
                try: () => runner.run(model, options),
                catch: (e) => new RuntimeFailure({ message: e instanceof Error ? e.message : String(e) })
              })
          })
      )
    )
  }
}
