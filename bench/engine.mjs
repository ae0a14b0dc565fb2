// `npm run bench`: the engine benchmark (never part of the test run).
//
// Runs `ccsim run scenarios/erlang-a-textbook.yaml --replications 1 --workers 1 --json` — the
// issue-2 textbook scenario, ~2,000,000 calls over 2,000 hours — as ONE process, several times,
// and reports for each trial:
//   whole-process wall time (spawn to exit: Node start-up, loading, decoding, simulating,
//   summarizing), events/s and calls/s over that whole time, the simulation's own time and rate,
//   and the peak resident memory.
// Targets (issue 2): >= 4 M events/s whole process, peak memory < 200 MB.
// Options: --trials N (default 5), --scenario FILE.
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { dirname, join } from "node:path"
import { cpus } from "node:os"
import { ensureBuilt } from "../build.mjs"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name)
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback
}
const trials = Math.max(1, Number(arg("--trials", "5")))
const scenario = arg("--scenario", "scenarios/erlang-a-textbook.yaml")

await ensureBuilt()

const runOnce = (seed) => {
  const args = ["--import", join(root, "bench/rss-report.mjs"), join(root, "dist/ccsim.mjs"), "run", scenario,
    "--replications", "1", "--workers", "1", "--seed", String(seed), "--json"]
  const t0 = process.hrtime.bigint()
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", maxBuffer: 1 << 26 })
  const wall = Number(process.hrtime.bigint() - t0) / 1e9
  if (r.status !== 0) throw new Error(`ccsim run failed (${r.status}): ${r.stderr}`)
  const summary = JSON.parse(r.stdout)
  const rss = Number(/ccsim-bench-maxrss-kb=(\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024
  return { wall, events: summary.performance.events, calls: summary.calls.offered, simSeconds: summary.performance.wallSeconds, rss }
}

const fmt = (x, d = 2) => x.toFixed(d)
console.log(`ccsim engine benchmark — ${scenario}, 1 replication, one process (no worker threads)`)
console.log(`node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "?"})\n`)
console.log("trial  wall s  events      calls      M events/s  M calls/s  sim s  sim M events/s  peak MB")
const rows = []
for (let t = 1; t <= trials; t++) {
  const r = runOnce(t)
  rows.push(r)
  console.log(
    `${String(t).padStart(5)}  ${fmt(r.wall).padStart(6)}  ${String(r.events).padStart(10)}  ${String(r.calls).padStart(9)}  ` +
      `${fmt(r.events / r.wall / 1e6).padStart(10)}  ${fmt(r.calls / r.wall / 1e6).padStart(9)}  ${fmt(r.simSeconds).padStart(5)}  ` +
      `${fmt(r.events / r.simSeconds / 1e6).padStart(14)}  ${fmt(r.rss, 0).padStart(7)}`
  )
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const evps = median(rows.map((r) => r.events / r.wall))
const cps = median(rows.map((r) => r.calls / r.wall))
const peak = Math.max(...rows.map((r) => r.rss))
console.log(`\nmedian whole-process: ${fmt(evps / 1e6)} M events/s, ${fmt(cps / 1e6)} M calls/s; peak memory ${fmt(peak, 0)} MB`)
console.log(`target >= 4 M events/s: ${evps >= 4e6 ? "met" : "NOT met"}; target < 200 MB: ${peak < 200 ? "met" : "NOT met"}`)
