/**
 * `npm run bench:outputs`: what writing a run's CSV tables costs (issue 16, item 11: a 48-month
 * run with one replication spent ~4 s writing 21 MB of CSV; target < 0.5 s). The tables are
 * written as `ccsim run` writes them — each streamed in chunks through a file descriptor — into a
 * temporary folder, after a run of scenarios/contract-2025-2029.yaml with one replication.
 * Trials repeat the writing only (the run is the same); the median and the best are reported.
 */
import { closeSync, mkdtempSync, openSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import { fileSink } from "../sim/kpi/csv.js"
import { runTableFiles } from "../sim/kpi/tables.js"
import { loadModel } from "../sim/model/load.js"
import { createRunner } from "../sim/run/simulate.js"

const TRIALS = Number(process.env.TRIALS ?? 5)
const file = process.argv[2] ?? "scenarios/contract-2025-2029.yaml"
const { model } = await Effect.runPromise(loadModel(file))
const runner = createRunner()
const t0 = performance.now()
const results = await runner.run(model, { seed: 1, replications: 1 })
const runMs = performance.now() - t0
await runner.close()
const dir = mkdtempSync(join(tmpdir(), "ccsim-bench-outputs-"))
const times: number[] = []
let bytes = 0
try {
  for (let t = 0; t < TRIALS; t++) {
    const started = performance.now()
    const files = runTableFiles(model, results)
    for (const f of files) {
      const fd = openSync(join(dir, f.name), "w")
      try {
        f.write(fileSink(fd))
      } finally {
        closeSync(fd)
      }
    }
    times.push(performance.now() - started)
    bytes = files.reduce((n, f) => n + statSync(join(dir, f.name)).size, 0)
    process.stderr.write(`trial ${t + 1}: ${times[t]!.toFixed(0)} ms for ${files.length} files\n`)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
const sorted = [...times].sort((a, b) => a - b)
console.log(
  `${file}, 1 replication (simulated in ${(runMs / 1000).toFixed(2)} s): CSV tables ${(bytes / 1e6).toFixed(1)} MB written in ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms median, ${sorted[0]!.toFixed(0)} ms best of ${TRIALS} (target < 500 ms)`
)
