// A/B of whole ccsim processes between two checkouts (each built: `npm ci` done), interleaved so
// that the machine's changing speed (other users, the VM's slow periods) falls on both sides alike.
// Each trial runs every case once in A and once in B, the order alternating from one trial to the
// next (ABAB…, then BABA…). Wall time is spawn to exit. Reported per case: median and quartiles of
// each side, and the median of the paired differences B − A (the figure to read: the trials share
// their moment, so pairing removes most of the drift).
//
//   node bench/ab.mjs --a /tmp/ab-before --b . [--trials 15] [--only version|validate|textbook]
//
// Each side runs its own bin/ccsim.mjs (staleness check included, as a user runs it); the check
// finds both sides fresh — the script refuses to start otherwise, so no trial times a build.
import { spawnSync } from "node:child_process"
import { cpus, loadavg } from "node:os"
import { resolve } from "node:path"
import { pathToFileURL } from "node:url"

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name)
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback
}
const a = resolve(arg("--a", ""))
const b = resolve(arg("--b", "."))
const trials = Math.max(1, Number(arg("--trials", "15")))
const only = arg("--only", "")

const cases = [
  { name: "version", args: ["--version"] },
  { name: "validate", args: ["validate", "scenarios/baseline-2026.yaml"] },
  { name: "textbook", args: ["run", "scenarios/erlang-a-textbook.yaml", "--replications", "1", "--json"] }
].filter((c) => only === "" || c.name === only)

for (const dir of [a, b]) {
  const { isStale } = await import(pathToFileURL(resolve(dir, "build.mjs")).href)
  if (isStale()) throw new Error(`${dir}: dist/ is stale; run \`node build.mjs\` there first`)
}

const runOnce = (dir, args) => {
  const t0 = process.hrtime.bigint()
  const r = spawnSync(process.execPath, [resolve(dir, "bin/ccsim.mjs"), ...args], { cwd: dir, encoding: "utf8", maxBuffer: 1 << 26 })
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  if (r.status !== 0) throw new Error(`${dir}: ccsim ${args.join(" ")} failed (${r.status}): ${r.stderr}`)
  return ms
}

const quantile = (xs, q) => {
  const s = [...xs].sort((x, y) => x - y)
  const i = (s.length - 1) * q
  const lo = Math.floor(i)
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (i - lo)
}
const show = (xs) => `${quantile(xs, 0.5).toFixed(0)} ms (${quantile(xs, 0.25).toFixed(0)}–${quantile(xs, 0.75).toFixed(0)})`

console.log(`A = ${a}\nB = ${b}\nnode ${process.version}, ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(" ")}; ${trials} trials per side, interleaved`)
const times = new Map(cases.map((c) => [c.name, { a: [], b: [] }]))
for (let t = 0; t < trials; t++) {
  for (const c of cases) {
    const sides = t % 2 === 0 ? ["a", "b"] : ["b", "a"]
    for (const side of sides) times.get(c.name)[side].push(runOnce(side === "a" ? a : b, c.args))
  }
}
console.log("\ncase       A median (quartiles)   B median (quartiles)   B − A, median of pairs (quartiles)")
for (const c of cases) {
  const { a: ta, b: tb } = times.get(c.name)
  const diff = tb.map((x, i) => x - ta[i])
  const d = `${quantile(diff, 0.5) >= 0 ? "+" : ""}${quantile(diff, 0.5).toFixed(0)} ms (${quantile(diff, 0.25).toFixed(0)} to ${quantile(diff, 0.75).toFixed(0)})`
  console.log(`${c.name.padEnd(10)} ${show(ta).padEnd(22)} ${show(tb).padEnd(22)} ${d}`)
}
console.log(`\nload average at the end ${loadavg().map((x) => x.toFixed(2)).join(" ")}`)
