/**
 * `npm run bench:money`: what the contract's money adds to a run — the judge (orders, invoices,
 * penalties per replication and month, risk) and its two CSV files — against the run itself
 * (simulation and summary), on the 48-month scenario with one replication, as `ccsim run` does
 * it. Target (money issue): < 5% of the run's time. Trials alternate; medians are reported.
 */
import * as Effect from "effect/Effect"
import { judgeRun, ordersCsv, penaltiesCsv } from "../sim/contract/outputs.js"
import { contractTerms } from "../sim/contract/terms.js"
import { parseDate } from "../sim/domain/dates.js"
import { summarize } from "../sim/kpi/summary.js"
import { loadModel } from "../sim/model/load.js"
import { replicationStream } from "../sim/run/replicate.js"
import { createRunner } from "../sim/run/simulate.js"

const TRIALS = Number(process.env.TRIALS ?? 5)
const file = process.argv[2] ?? "scenarios/contract-2025-2029.yaml"
const { scenario, model } = await Effect.runPromise(loadModel(file))
const runner = createRunner()
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const runs: number[] = []
const money: number[] = []
for (let t = 0; t < TRIALS; t++) {
  const t0 = performance.now()
  const results = await runner.run(model, { seed: 1 + t, replications: 1 })
  const summary = summarize(model, 1 + t, results, 0)
  const t1 = performance.now()
  const terms = contractTerms(scenario.contract, { firstDay: parseDate(model.firstDate!)!, dayCount: model.dayCount, scheduledSeconds: model.scheduledSeconds })
  const { judgement } = judgeRun(
    { grid: model, terms, forecastBasisCalls: model.forecastBasisCalls!, qualityStream: replicationStream(1 + t, "quality"), replications: results.map((r) => r.replication) },
    summary,
    results
  )
  const csv = ordersCsv(judgement).length + penaltiesCsv(judgement).length
  const t2 = performance.now()
  runs.push(t1 - t0)
  money.push(t2 - t1)
  process.stderr.write(`trial ${t + 1}: run ${(t1 - t0).toFixed(0)} ms, money ${(t2 - t1).toFixed(1)} ms (${csv} bytes of CSV)\n`)
}
await runner.close()
const r = median(runs)
const m = median(money)
console.log(`${file}, 1 replication, ${TRIALS} trials: run ${r.toFixed(0)} ms (median), money ${m.toFixed(1)} ms (median) = ${((100 * m) / r).toFixed(2)}% of the run (target < 5%)`)
