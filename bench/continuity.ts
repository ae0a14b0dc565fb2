/**
 * `npm run bench:continuity [FILE] [--replications R] [--trials N]`: what business continuity
 * costs a run. A plain run of the scenario (its model without the continuity block: simulate,
 * summarize, judge — what `ccsim run` does) against a continuity run (the model with its
 * incidents, then its paired baseline, the summary, the judge, the continuity section and
 * timeline.csv). Target (continuity issue): a continuity run ≤ 2.2× a plain run. Both go
 * through one runner (threads started once, as in a `ccsim run` process); trials alternate
 * which goes first, and the median of the trials' paired ratios is reported, of wall time and of
 * CPU time (the process's, all threads: what the work costs, far less sensitive than wall time
 * to the other engineers' jobs on the shared cores).
 */
import * as Effect from "effect/Effect"
import { judgeRun } from "../sim/contract/outputs.js"
import { contractTerms } from "../sim/contract/terms.js"
import { parseDate } from "../sim/domain/dates.js"
import { continuityDetail, continuitySection } from "../sim/continuity/section.js"
import { writeTimelineCsv } from "../sim/continuity/timeline.js"
import { stringSink } from "../sim/kpi/csv.js"
import { summarize } from "../sim/kpi/summary.js"
import { baselineOf } from "../sim/model/continuity.js"
import { loadModel } from "../sim/model/load.js"
import type { Model } from "../sim/model/model.js"
import { replicationStream } from "../sim/run/replicate.js"
import { createRunner } from "../sim/run/simulate.js"

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name)
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback
}
const file = process.argv[2] !== undefined && !process.argv[2].startsWith("--") ? process.argv[2] : "scenarios/continuity-site-fire.yaml"
const replications = Number(arg("--replications", "10"))
const trials = Number(arg("--trials", "5"))

const { scenario, model } = await Effect.runPromise(loadModel(file))
if (model.continuity === undefined) throw new Error(`${file} has no continuity block`)
const { continuity: _c, ...plainModel } = model
const plain: Model = plainModel
const terms = contractTerms(scenario.contract, { firstDay: parseDate(model.firstDate!)!, dayCount: model.dayCount, scheduledSeconds: model.scheduledSeconds })
const runner = createRunner()

const judged = (m: Model, seed: number, results: Awaited<ReturnType<typeof runner.run>>) =>
  judgeRun(
    { grid: m, terms, forecastBasisCalls: m.forecastBasisCalls!, qualityStream: replicationStream(seed, "quality"), replications: results.map((r) => r.replication) },
    summarize(m, seed, results, 0),
    results
  )

const plainRun = async (seed: number) => {
  const results = await runner.run(plain, { seed, replications })
  judged(plain, seed, results)
}

const continuityRun = async (seed: number) => {
  const results = await runner.run(model, { seed, replications })
  const baseline = await runner.run(baselineOf(model), { seed, replications })
  const { judgement } = judged(model, seed, results)
  const detail = continuityDetail({ model, terms, seed }, results)
  continuitySection({ model, terms, seed }, results, baseline, detail, judgement)
  writeTimelineCsv(stringSink(), model, detail, results, baseline)
}

/** Wall and CPU seconds (every thread of the process) of `f`. */
const time = async (f: () => Promise<void>) => {
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  await f()
  const c = process.cpuUsage(c0)
  return { wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 }
}

// One warm-up of each (threads started, code compiled), not counted.
await plainRun(1000)
await continuityRun(1000)
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const rows: Array<{ a: { wall: number; cpu: number }; b: { wall: number; cpu: number } }> = []
for (let t = 0; t < trials; t++) {
  const seed = 1 + t
  let a: { wall: number; cpu: number }
  let b: { wall: number; cpu: number }
  if (t % 2 === 0) {
    a = await time(() => plainRun(seed))
    b = await time(() => continuityRun(seed))
  } else {
    b = await time(() => continuityRun(seed))
    a = await time(() => plainRun(seed))
  }
  rows.push({ a, b })
  process.stderr.write(
    `trial ${t + 1}: plain ${a.wall.toFixed(2)} s (cpu ${a.cpu.toFixed(2)} s), continuity ${b.wall.toFixed(2)} s (cpu ${b.cpu.toFixed(2)} s); ratio wall ${(b.wall / a.wall).toFixed(3)}, cpu ${(b.cpu / a.cpu).toFixed(3)}\n`
  )
}
await runner.close()
const wall = median(rows.map((x) => x.b.wall / x.a.wall))
const cpu = median(rows.map((x) => x.b.cpu / x.a.cpu))
console.log(
  `${file}, ${replications} replications, ${trials} trials (${runner.workers} threads): plain run ${median(rows.map((x) => x.a.wall)).toFixed(2)} s wall, ` +
    `${median(rows.map((x) => x.a.cpu)).toFixed(2)} s cpu; continuity run (incident + paired baseline) ${median(rows.map((x) => x.b.wall)).toFixed(2)} s wall, ` +
    `${median(rows.map((x) => x.b.cpu)).toFixed(2)} s cpu (medians)\nmedian paired ratio: wall ${wall.toFixed(3)}, cpu ${cpu.toFixed(3)} — target <= 2.2: ${cpu <= 2.2 && wall <= 2.2 ? "met" : cpu <= 2.2 ? "met in CPU time (wall time noisy)" : "NOT met"}`
)
