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
//   reference      the textbook case beside a hand-written C++ loop of the same model
//                  (bench/reference/mmcm.cpp, built with the machine's g++ -O2 into a temporary
//                  folder; skipped when there is no g++), trials interleaved; both whole
//                  processes, the C++ one's own start included, ccsim run as a user runs it
//                  (`node bin/ccsim.mjs run …`, without the memory preload of the other cases)
//                  target: ccsim events/s >= 0.5 x C++ events/s                (issue "The house")
//   start          what a bare call costs: `./ccsim --version`, `npx ccsim --version`,
//                  `node bin/ccsim.mjs --version`, `node -e 0`, interleaved      (issue 16)
// Options: --trials N (default 3), --only textbook|contract|baseline|reference|start
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { dirname, join } from "node:path"
import { cpus, loadavg, tmpdir } from "node:os"
import { ensureBuilt } from "../build.mjs"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name)
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback
}
const trials = Math.max(1, Number(arg("--trials", "3")))
const only = arg("--only", "")

await ensureBuilt()

/**
 * One `ccsim run … --json` process. With `memory` (the default) bench/rss-report.mjs is preloaded to
 * report the peak memory; the reference case goes without it, so that ccsim runs exactly as a user
 * runs it, as the C++ process does: that instrument costs ~20 ms per process (it sets up Node's ES
 * module loader before bin/ccsim.mjs; interleaved A/B, 20 trials: 602 vs 584 ms).
 */
const runOnce = (scenario, extra, { memory = true } = {}) => {
  // bin/ccsim.mjs, as a user runs it (its staleness check included: dist/ is fresh, ensured above).
  const args = [...(memory ? ["--import", join(root, "bench/rss-report.mjs")] : []), join(root, "bin/ccsim.mjs"), "run", scenario, "--json", ...extra]
  const t0 = process.hrtime.bigint()
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", maxBuffer: 1 << 28 })
  const wall = Number(process.hrtime.bigint() - t0) / 1e9
  if (r.status !== 0) throw new Error(`ccsim run failed (${r.status}): ${r.stderr}`)
  const summary = JSON.parse(r.stdout)
  const rss = Number(/ccsim-bench-maxrss-kb=(\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024
  return {
    summary,
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
/**
 * Builds bench/reference/mmcm.cpp with g++ -O2 into a temporary folder (removed at exit); returns
 * the binary's path, or null (and says why) when g++ is missing or fails.
 */
const buildReference = () => {
  const gxx = process.env.CXX ?? "g++"
  if (spawnSync(gxx, ["--version"]).error !== undefined) {
    console.log(`  skipped: no C++ compiler (\`${gxx}\` not found; install g++ or set CXX)`)
    return null
  }
  const dir = mkdtempSync(join(tmpdir(), "ccsim-reference-"))
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }))
  const binary = join(dir, "mmcm")
  const r = spawnSync(gxx, ["-O2", "-std=c++17", "-o", binary, join(root, "bench/reference/mmcm.cpp")], { encoding: "utf8" })
  if (r.status !== 0) {
    console.log(`  skipped: ${gxx} -O2 failed:\n${r.stderr}`)
    return null
  }
  return binary
}

const pct = (x) => `${(100 * x).toFixed(2)}%`

/** ccsim's textbook case (pipelined, the default) and the C++ loop, trial by trial. */
const reference = () => {
  const scenario = "scenarios/erlang-a-textbook.yaml"
  console.log(`\nreference: ccsim run ${scenario} --replications 1 --json  vs  bench/reference/mmcm.cpp (g++ -O2), interleaved`)
  const binary = buildReference()
  if (binary === null) return null
  console.log("  trial  ccsim: wall s  M events/s  answered  abandoned | C++: wall s  loop s  M events/s  answered  abandoned")
  const rows = []
  for (let t = 1; t <= trials; t++) {
    const cc = runOnce(scenario, ["--replications", "1", "--seed", String(t)], { memory: false })
    const t0 = process.hrtime.bigint()
    const r = spawnSync(binary, [String(t)], { encoding: "utf8" })
    const wall = Number(process.hrtime.bigint() - t0) / 1e9
    if (r.status !== 0) throw new Error(`mmcm failed (${r.status}): ${r.stderr}`)
    const cpp = JSON.parse(r.stdout)
    rows.push({ cc, cpp: { ...cpp, wall } })
    const a = cc.summary.kpi
    console.log(
      `  ${String(t).padStart(5)}  ${fmt(cc.wall).padStart(12)}  ${fmt(cc.events / cc.wall / 1e6).padStart(10)}  ${pct(a.answerRate.mean).padStart(8)}  ${pct(a.abandonRate.mean).padStart(9)} | ` +
        `${fmt(wall).padStart(10)}  ${fmt(cpp.loopSeconds).padStart(6)}  ${fmt(cpp.events / wall / 1e6).padStart(10)}  ${pct(cpp.answerRate).padStart(8)}  ${pct(cpp.abandonRate).padStart(9)}`
    )
  }
  const ccsimRate = median(rows.map((r) => r.cc.events / r.cc.wall))
  const cppRate = median(rows.map((r) => r.cpp.events / r.cpp.wall))
  const cppLoopRate = median(rows.map((r) => r.cpp.events / r.cpp.loopSeconds))
  // The ratio of each trial's pair (run one after the other: the VM's speed of the moment cancels).
  const ratios = rows.map((r) => r.cc.events / r.cc.wall / (r.cpp.events / r.cpp.wall))
  const ratio = median(ratios)
  const sorted = [...ratios].sort((a, b) => a - b)
  const spread = `trials from ${fmt(sorted[0])} to ${fmt(sorted[sorted.length - 1])}, ${ratios.filter((x) => x >= 0.5).length} of ${ratios.length} at >= 0.5`
  const loopRatio = median(rows.map((r) => r.cc.events / r.cc.wall / (r.cpp.events / r.cpp.loopSeconds)))
  const mean = (xs) => xs.reduce((x, y) => x + y, 0) / xs.length
  return [
    `reference (textbook, ${trials} trials; exact Erlang A: answered 98.14%, abandoned 1.86%):`,
    `  ccsim  answered ${pct(mean(rows.map((r) => r.cc.summary.kpi.answerRate.mean)))}, abandoned ${pct(mean(rows.map((r) => r.cc.summary.kpi.abandonRate.mean)))}, ${fmt(ccsimRate / 1e6)} M events/s whole process (median)`,
    `  C++    answered ${pct(mean(rows.map((r) => r.cpp.answerRate)))}, abandoned ${pct(mean(rows.map((r) => r.cpp.abandonRate)))}, ${fmt(cppRate / 1e6)} M events/s whole process (its start included), ${fmt(cppLoopRate / 1e6)} M events/s in its loop`,
    `  ratio ccsim events/s (whole process) / C++ events/s (whole process, its start included), median of the trials' pairs: ${fmt(ratio)} (target >= 0.5: ${ratio >= 0.5 ? "met" : "NOT met"}; ${spread}); over the C++ loop alone: ${fmt(loopRatio)}`
  ]
}

/** What a bare call costs, by way of launcher: interleaved, median of `trials` (at least 5). */
const startCosts = () => {
  const n = Math.max(5, trials)
  const ways = [
    ["./ccsim --version", join(root, "ccsim"), ["--version"]],
    ["npx ccsim --version", "npx", ["ccsim", "--version"]],
    ["node bin/ccsim.mjs --version", process.execPath, [join(root, "bin/ccsim.mjs"), "--version"]],
    ["node -e 0", process.execPath, ["-e", "0"]]
  ]
  console.log(`\nstart: what a bare call costs (${n} trials each, interleaved)`)
  const times = ways.map(() => [])
  for (let t = 0; t < n; t++) {
    ways.forEach(([title, command, args], i) => {
      const t0 = process.hrtime.bigint()
      const r = spawnSync(command, args, { cwd: root, encoding: "utf8" })
      times[i].push(Number(process.hrtime.bigint() - t0) / 1e6)
      if (r.status !== 0) throw new Error(`${title} failed (${r.status ?? r.error}): ${r.stderr}`)
    })
  }
  return ways.map(([title], i) => `start: ${title.padEnd(30)} ${median(times[i]).toFixed(0).padStart(5)} ms (median; ${Math.min(...times[i]).toFixed(0)}–${Math.max(...times[i]).toFixed(0)})`)
}

if (!only || only === "reference") {
  const lines = reference()
  if (lines !== null) verdicts.push(...lines)
}
if (!only || only === "start") verdicts.push(...startCosts())

console.log(`\nmedians (VM reference: node -e 0 ${startMs.toFixed(0)} ms before, ${nodeStartMs().toFixed(0)} ms after):\n${verdicts.map((v) => `  ${v}`).join("\n")}`)
