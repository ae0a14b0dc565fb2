/**
 * `npm run bench:report`: what writing the report adds to `ccsim run` (report.html, run.json,
 * replicas.json), on the 48-month scenario with one replication, timed in-process: the steps of
 * sim/cli/report-io.ts writeRunReport (which bench/ may not import) — reading the runtimes from
 * node_modules, building the report's input from the replications in memory (Erlang A included),
 * the three texts (reports/files.ts), writing them.
 * Target (issue 15): < 0.5 s, and the page < 5 MB. With Debian's chromium present it also opens
 * the page from disk (test/reports/browser.ts) and reports the render time (target < 2 s).
 *
 * The first trial is cold (the runtimes read from node_modules, code not yet optimised), as in a
 * real `ccsim run`; it is reported apart from the median of the others. The VM's speed varies
 * (README "Performance"): `node -e 0` is timed before and after as a gauge.
 */
import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import * as Effect from "effect/Effect"
import { judgeRun } from "../sim/contract/outputs.js"
import { contractTerms } from "../sim/contract/terms.js"
import { parseDate } from "../sim/domain/dates.js"
import { summarize } from "../sim/kpi/summary.js"
import { loadModel } from "../sim/model/load.js"
import { replicationStream } from "../sim/run/replicate.js"
import { simulate } from "../sim/run/simulate.js"
import { requiredAdvisors } from "../sim/staffing/required.js"
import { reportFiles } from "../reports/files.js"
import { reportInputFromRun } from "../reports/from-run.js"
import { runtimeTexts } from "../reports/html.js"
import { CHROMIUM, visit } from "../test/reports/browser.js"

const TRIALS = Number(process.env.TRIALS ?? 5)
const file = process.argv[2] ?? "scenarios/contract-2025-2029.yaml"
const gauge = () => {
  const t0 = performance.now()
  spawnSync(process.execPath, ["-e", "0"])
  return performance.now() - t0
}
const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const before = gauge()
const { scenario, model } = await Effect.runPromise(loadModel(file))
const terms = model.firstDate === null ? null : contractTerms(scenario.contract, { firstDay: parseDate(model.firstDate)!, dayCount: model.dayCount, scheduledSeconds: model.scheduledSeconds })
const t0 = performance.now()
const results = await simulate(model, { seed: 1, replications: 1 })
const simulated = performance.now() - t0
const summary0 = summarize(model, 1, results, simulated / 1000)
const { summary, judgement } =
  terms === null || model.forecastBasisCalls === null
    ? { summary: summary0, judgement: null }
    : judgeRun({ grid: model, terms, forecastBasisCalls: model.forecastBasisCalls, qualityStream: replicationStream(1, "quality"), replications: results.map((r) => r.replication) }, summary0, results)

const dir = mkdtempSync(join(tmpdir(), "ccsim-bench-report-"))
const times: number[] = []
try {
  for (let t = 0; t < TRIALS; t++) {
    const started = performance.now()
    const req = createRequire(import.meta.url)
    const runtimes = runtimeTexts((pkg) => dirname(req.resolve(pkg)), (path) => readFileSync(path, "utf8"))
    const input = reportInputFromRun({ model, scenario, facts: { scenarioFile: file, seed: 1, replications: 1 }, summary, outcomes: results, judgement, reportDay: null, required: requiredAdvisors })
    for (const f of reportFiles(input, "en", runtimes)) writeFileSync(join(dir, f.name), f.text)
    times.push(performance.now() - started)
    process.stderr.write(`trial ${t + 1}: report ${times[t]!.toFixed(0)} ms\n`)
  }
  const size = statSync(join(dir, "report.html")).size
  const cold = times[0]!
  const warm = times.length > 1 ? median(times.slice(1)) : cold
  console.log(
    `${file}, 1 replication (simulated in ${(simulated / 1000).toFixed(2)} s): writing the report ${cold.toFixed(0)} ms cold, ${warm.toFixed(0)} ms median warm ` +
      `(target < 500 ms); report.html ${(size / 1e6).toFixed(2)} MB (target < 5 MB), run.json ${(statSync(join(dir, "run.json")).size / 1e3).toFixed(0)} kB, replicas.json ${(statSync(join(dir, "replicas.json")).size / 1e3).toFixed(0)} kB`
  )
  if (existsSync(CHROMIUM)) {
    const renders: number[] = []
    for (let t = 0; t < 3; t++) {
      const v = await visit(join(dir, "report.html"), join(dir, "screenshot.png"))
      renders.push(v.report.renderMs)
      process.stderr.write(`render ${t + 1}: ${v.report.renderMs.toFixed(0)} ms, ${v.report.rendered}/${v.report.charts} charts, ${v.requests.length} request(s)\n`)
    }
    console.log(`render in chromium (navigation start to every chart drawn): ${Math.min(...renders).toFixed(0)} ms best, ${median(renders).toFixed(0)} ms median of 3 (target < 2,000 ms)`)
  } else console.log(`no ${CHROMIUM}: render time not measured`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
console.log(`VM gauge: node -e 0 took ${before.toFixed(0)} ms before, ${gauge().toFixed(0)} ms after (~40 ms when the VM is quiet)`)
