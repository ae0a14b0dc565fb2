/**
 * What `ccsim run` adds for a scenario with a `continuity` block: the paired baseline run (the
 * same model without its incidents, same seed and replications — common random numbers), the
 * `continuity` section of summary.json (sim/continuity/section.ts), timeline.csv and the verdict
 * text printed before the KPI report. Kept apart so run.ts only calls three functions.
 */
import * as Effect from "effect/Effect"
import type { Judgement } from "../contract/judge.js"
import type { ContractTerms } from "../contract/terms.js"
import type { RuntimeFailure } from "../domain/problem.js"
import { continuityDetail, continuitySection, type ContinuitySection } from "../continuity/section.js"
import { writeTimelineCsv } from "../continuity/timeline.js"
import type { TextSink } from "../kpi/csv.js"
import type { Summary } from "../kpi/summary.js"
import { baselineOf } from "../model/continuity.js"
import type { Model } from "../model/model.js"
import type { SimulationRunner } from "../run/runner.js"
import type { ReplicationResult } from "../run/simulate.js"
import { formatContinuity } from "./continuity-text.js"

/** The paired baseline of a continuity model (null for a model without continuity: nothing to run). */
export const runBaseline = (
  runner: SimulationRunner["Service"],
  model: Model,
  seed: number,
  replications: number,
  onProgress: (fractionDone: number) => void
): Effect.Effect<ReplicationResult[] | null, RuntimeFailure> =>
  model.continuity === undefined ? Effect.succeed(null) : runner.run(baselineOf(model), { seed, replications, onProgress })

export interface ContinuityOutputs {
  readonly section: ContinuitySection
  /** The summary with `continuity` added (before `performance`, which stays last). */
  readonly addTo: <S extends Summary>(summary: S) => S & { readonly continuity: ContinuitySection }
  readonly timeline: { readonly name: string; readonly write: (sink: TextSink) => void }
  readonly text: string
}

/** The section, the summary with it, timeline.csv and the verdict text (`judgement`: the incident run's, already made). */
export const continuityOutputs = (
  inputs: { readonly model: Model; readonly terms: ContractTerms | null; readonly seed: number },
  results: ReadonlyArray<ReplicationResult>,
  baseline: ReadonlyArray<ReplicationResult>,
  judgement: Judgement | null
): ContinuityOutputs => {
  const detail = continuityDetail(inputs, results)
  const section = continuitySection(inputs, results, baseline, detail, judgement)
  return {
    section,
    addTo: (summary) => {
      const { performance, ...rest } = summary
      return { ...rest, continuity: section, performance } as unknown as typeof summary & { readonly continuity: ContinuitySection }
    },
    timeline: { name: "timeline.csv", write: (sink) => writeTimelineCsv(sink, inputs.model, detail, results, baseline) },
    text: formatContinuity(section, results.length)
  }
}
