// `npm run bench`: the simulator benchmarks (never part of the test run).
//
// Each case runs the real CLI (`ccsim run … --json`) as one process, several times, and reports
// whole-process wall time (spawn to exit: Node start-up, loading, decoding, compiling,
// simulating, summarizing), events/s and calls/s over that whole time, the simulation's own
// time, and the peak resident memory. Cases and targets:
//   textbook       scenarios/erlang-a-textbook.yaml, ~2 M calls, 1 replication, one thread
//                  (--workers 1) and pipelined (default: first attempts on a second thread)
//                  target >= 4 M events/s whole process, < 200 MB            (issue 2)
//   contract       scenarios/contract-2025-2029.yaml, ~7.6 M calls, 1 replication
//                  target < 5 s                                               (issue 3)
//   baseline x20   scenarios/baseline-2026.yaml, 20 replications on the cores
//                  target < 30 s                                              (issue 3)
// Options: --trials N (default 3), --only textbook|contract|baseline
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { dirname, join } from "node:path"
import { cpus, loadavg } from "node:os"
import { ensureBuilt } from "../build.mjs"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name)
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback
}
const trials = Math.max(1, Number(arg("--trials", "3")))
const only = arg("--only", "")

await ensureBuilt()

const runOnce = (scenario, extra) => {
  const args = ["--import", join(root, "bench/rss-report.mjs"), join(root, "dist/ccsim.mjs"), "run", scenario, "--json", ...extra]
  const t0 = process.hrtime.bigint()
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", maxBuffer: 1 << 28 })
  const wall = Number(process.hrtime.bigint() - t0) / 1e9
  if (r.status !== 0) throw new Error(`ccsim run failed (${r.status}): ${r.stderr}`)
  const summary = JSON.parse(r.stdout)
  const rss = Number(/ccsim-bench-maxrss-kb=(\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024
  return {
    wall,
    events: summary.performance.events,
    calls: summary.calls.offered * summary.replications,
    simSeconds: summary.performance.wallSeconds,
    rss
  }
}

const fmt = (x, d = 2) => x.toFixed(d)
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const bench = (title, scenario, extra) => {
  console.log(`\n${title}\n  ccsim run ${scenario} --json ${extra.join(" ")}`)
  console.log("  trial  wall s  events       calls       M events/s  M calls/s  sim s  peak MB")
  const rows = []
  for (let t = 1; t <= trials; t++) {
    const r = runOnce(scenario, [...extra, "--seed", String(t)])
    rows.push(r)
    console.log(
      `  ${String(t).padStart(5)}  ${fmt(r.wall).padStart(6)}  ${String(r.events).padStart(11)}  ${String(Math.round(r.calls)).padStart(10)}  ` +
        `${fmt(r.events / r.wall / 1e6).padStart(10)}  ${fmt(r.calls / r.wall / 1e6).padStart(9)}  ${fmt(r.simSeconds).padStart(5)}  ${fmt(r.rss, 0).padStart(7)}`
    )
  }
  return {
    wall: median(rows.map((r) => r.wall)),
    eventsPerSecond: median(rows.map((r) => r.events / r.wall)),
    callsPerSecond: median(rows.map((r) => r.calls / r.wall)),
    peakMb: Math.max(...rows.map((r) => r.rss))
  }
}

/** The VM's speed of the moment: how long a bare `node -e 0` takes (median of 5). */
const nodeStartMs = () => {
  const times = []
  for (let i = 0; i < 5; i++) {
    const t0 = process.hrtime.bigint()
    spawnSync(process.execPath, ["-e", "0"])
    times.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  return median(times)
}

console.log(`ccsim simulator benchmarks — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), load average ${loadavg().map((x) => x.toFixed(2)).join(" ")}`)
const startMs = nodeStartMs()
console.log(`VM speed reference: \`node -e 0\` takes ${startMs.toFixed(0)} ms (median of 5; ~40 ms when the VM is quiet, 100-130 ms in its slow periods)`)
const verdicts = []
if (!only || only === "textbook") {
  const one = bench("textbook, one thread (no worker threads)", "scenarios/erlang-a-textbook.yaml", ["--replications", "1", "--workers", "1"])
  const piped = bench("textbook, pipelined (first attempts generated on a second thread)", "scenarios/erlang-a-textbook.yaml", ["--replications", "1"])
  verdicts.push(`textbook one thread: ${fmt(one.eventsPerSecond / 1e6)} M events/s, ${fmt(one.callsPerSecond / 1e6)} M calls/s whole process, peak ${fmt(one.peakMb, 0)} MB`)
  verdicts.push(`textbook pipelined: ${fmt(piped.eventsPerSecond / 1e6)} M events/s, ${fmt(piped.callsPerSecond / 1e6)} M calls/s whole process, peak ${fmt(piped.peakMb, 0)} MB`)
  const best = Math.max(one.eventsPerSecond, piped.eventsPerSecond)
  verdicts.push(`  target >= 4 M events/s whole process: ${best >= 4e6 ? "met" : "NOT met"}; < 200 MB: ${Math.max(one.peakMb, piped.peakMb) < 200 ? "met" : "NOT met"}`)
}
if (!only || only === "contract") {
  const c = bench("contract-2025-2029, one replication", "scenarios/contract-2025-2029.yaml", ["--replications", "1"])
  verdicts.push(`contract one replication: ${fmt(c.wall)} s whole process (${fmt(c.eventsPerSecond / 1e6)} M events/s, ${fmt(c.callsPerSecond / 1e6)} M calls/s); target < 5 s: ${c.wall < 5 ? "met" : "NOT met"}`)
}
if (!only || only === "baseline") {
  const b = bench("baseline-2026, 20 replications on all cores", "scenarios/baseline-2026.yaml", ["--replications", "20"])
  verdicts.push(`baseline x20: ${fmt(b.wall)} s whole process (${fmt(b.eventsPerSecond / 1e6)} M events/s, ${fmt(b.callsPerSecond / 1e6)} M calls/s); target < 30 s: ${b.wall < 30 ? "met" : "NOT met"}`)
}
console.log(`\nmedians (VM reference: node -e 0 ${startMs.toFixed(0)} ms before, ${nodeStartMs().toFixed(0)} ms after):\n${verdicts.map((v) => `  ${v}`).join("\n")}`)
