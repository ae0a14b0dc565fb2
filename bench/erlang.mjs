// `npm run bench:erlang`: how long `ccsim erlang` takes to answer (never part of the test run).
//
// Each case runs the real CLI (`ccsim erlang … --json`) as one process, several times, and
// reports the whole-process wall time (Node start-up included) and the staffing found, beside a
// bare `node -e 0` as a gauge of the machine's speed of the moment. Target (issue 16): every
// answer, staffing search included, in < 1 s up to 100,000 calls per hour.
// Options: --trials N (default 5)
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { dirname, join } from "node:path"
import { ensureBuilt } from "../build.mjs"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const i = process.argv.indexOf("--trials")
const trials = Math.max(1, Number(i >= 0 ? process.argv[i + 1] : 5))
const TARGET_SECONDS = 1

await ensureBuilt()

const time = (args) => {
  const t0 = process.hrtime.bigint()
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" })
  const wall = Number(process.hrtime.bigint() - t0) / 1e9
  return { wall, r }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const gauge = () => median(Array.from({ length: 3 }, () => time(["-e", "0"]).wall))

const patience = ["--handle-seconds", "300", "--patience-seconds", "240"]
const cases = [
  ["textbook metrics (1,000/h, 90 agents)", ["scenarios/erlang-a-textbook.yaml"]],
  ...[1_000, 10_000, 100_000].flatMap((perHour) => [
    [`${perHour.toLocaleString("en-US")}/h, service level 80% in 20 s`, ["--arrivals-per-hour", String(perHour), ...patience, "--target-sl", "0.8"]],
    [`${perHour.toLocaleString("en-US")}/h, answer rate >= 90% and mean wait <= 120 s`, ["--arrivals-per-hour", String(perHour), ...patience, "--target-answer-rate", "0.9", "--target-wait-seconds", "120"]],
    [`${perHour.toLocaleString("en-US")}/h, Erlang C, service level 80% in 20 s`, ["--arrivals-per-hour", String(perHour), "--handle-seconds", "300", "--target-sl", "0.8"]]
  ]),
  ["100,000/h, patience and SL time a day, 1 agent", ["--arrivals-per-hour", "100000", "--handle-seconds", "300", "--patience-seconds", "86400", "--sl-seconds", "86400", "--agents", "1"]],
  ["1,000,000/h (the limit), service level 80% in 20 s", ["--arrivals-per-hour", "1000000", ...patience, "--target-sl", "0.8"]]
]

console.log(`node -e 0: ${gauge().toFixed(3)} s (the machine's speed of the moment)\n`)
console.log("  median s  (range)          agents   case")
let worst = 0
for (const [title, extra] of cases) {
  const walls = []
  let agents = "-"
  for (let t = 0; t < trials; t++) {
    const { wall, r } = time([join(root, "dist/ccsim.mjs"), "erlang", ...extra, "--json"])
    if (r.status !== 0) throw new Error(`ccsim erlang ${extra.join(" ")} failed (${r.status}): ${r.stderr}`)
    const out = JSON.parse(r.stdout)
    agents = String(out.staffing?.agents ?? out.parameters.agents)
    walls.push(wall)
  }
  const m = median(walls)
  worst = Math.max(worst, m)
  console.log(
    `  ${m.toFixed(3).padStart(8)}  (${Math.min(...walls).toFixed(3)}–${Math.max(...walls).toFixed(3)})  ${agents.padStart(7)}   ${title}`
  )
}
console.log(`\nnode -e 0: ${gauge().toFixed(3)} s`)
console.log(`slowest median ${worst.toFixed(3)} s: target < ${TARGET_SECONDS} s ${worst < TARGET_SECONDS ? "met" : "MISSED"}`)
