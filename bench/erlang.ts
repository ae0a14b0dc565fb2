/**
 * `npm run bench:erlang`: how long `ccsim erlang` takes to answer (never part of the test run).
 *
 * Two figures per case:
 * - compute: the answer (staffing search included) computed in this process by
 *   sim/staffing/erlang.ts, median of several runs — what the algorithm costs;
 * - process: the real CLI (`ccsim erlang … --json`) spawned, whole-process wall time, Node
 *   start-up and bundle loading included — beside a bare `node -e 0` as a gauge of the
 *   machine's speed of the moment, since start-up dominates and varies several-fold on a busy VM.
 * Target (issue 16): every answer in < 1 s up to 100,000 calls per hour.
 * Options: --trials N (default 5)
 */
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { dirname, join } from "node:path"
// @ts-expect-error build.mjs is plain JavaScript without declarations
import { ensureBuilt } from "../build.mjs"
import { queueMetrics, smallestStaffing, type QueueParameters, type StaffingTarget } from "../sim/staffing/erlang.js"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const i = process.argv.indexOf("--trials")
const trials = Math.max(1, Number(i >= 0 ? process.argv[i + 1] : 5))
const TARGET_SECONDS = 1

await ensureBuilt()

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const spawnSeconds = (args: string[]) => {
  const t0 = process.hrtime.bigint()
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" })
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed (${r.status}): ${r.stderr}`)
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, stdout: r.stdout }
}
const gauge = () => median(Array.from({ length: 3 }, () => spawnSeconds(["-e", "0"]).seconds))

type Case = { title: string; flags: string[]; compute: () => number | undefined }
const withPatience = (perHour: number, extra: Partial<QueueParameters> = {}) => ({
  arrivalsPerHour: perHour, meanHandleSeconds: 300, meanPatienceSeconds: 240 as number | undefined, serviceLevelSeconds: 20, ...extra
})
const staffing = (p: Omit<QueueParameters, "agents">, targets: StaffingTarget[]) => () => smallestStaffing(p, targets)?.agents
const flagsOf = (p: Omit<QueueParameters, "agents">) => [
  "--arrivals-per-hour", String(p.arrivalsPerHour), "--handle-seconds", String(p.meanHandleSeconds),
  ...(p.meanPatienceSeconds === undefined ? [] : ["--patience-seconds", String(p.meanPatienceSeconds)]), "--sl-seconds", String(p.serviceLevelSeconds)
]
const sl80: StaffingTarget[] = [{ kind: "serviceLevel", atLeast: 0.8 }]
const pair: StaffingTarget[] = [{ kind: "answerRate", atLeast: 0.9 }, { kind: "meanWait", atMostSeconds: 120 }]

const cases: Case[] = [1_000, 10_000, 100_000, 1_000_000].flatMap((perHour) => {
  const a = withPatience(perHour)
  const c = withPatience(perHour, { meanPatienceSeconds: undefined })
  const n = perHour.toLocaleString("en-US")
  return [
    { title: `${n}/h, service level 80% in 20 s`, flags: [...flagsOf(a), "--target-sl", "0.8"], compute: staffing(a, sl80) },
    { title: `${n}/h, answer rate >= 90% and mean wait <= 120 s`, flags: [...flagsOf(a), "--target-answer-rate", "0.9", "--target-wait-seconds", "120"], compute: staffing(a, pair) },
    { title: `${n}/h, Erlang C, service level 80% in 20 s`, flags: [...flagsOf(c), "--target-sl", "0.8"], compute: staffing(c, sl80) }
  ]
})
const corner = withPatience(100_000, { meanPatienceSeconds: 86_400, serviceLevelSeconds: 86_400 })
cases.push({ title: "100,000/h, patience and SL time a day, 1 agent", flags: [...flagsOf(corner), "--agents", "1"], compute: () => (queueMetrics({ ...corner, agents: 1 }), 1) })

console.log(`node -e 0: ${gauge().toFixed(3)} s (start-up gauge)\n`)
console.log("  compute ms   process s (range)      agents  case")
let worstCompute = 0
for (const c of cases) {
  const ms: number[] = []
  let agents: number | undefined
  for (let t = 0; t < trials; t++) {
    const t0 = performance.now()
    agents = c.compute()
    ms.push(performance.now() - t0)
  }
  const walls: number[] = []
  for (let t = 0; t < trials; t++) walls.push(spawnSeconds([join(root, "dist/ccsim.mjs"), "erlang", ...c.flags, "--json"]).seconds)
  const compute = median(ms)
  worstCompute = Math.max(worstCompute, compute)
  console.log(
    `  ${compute.toFixed(1).padStart(10)}   ${median(walls).toFixed(3)} (${Math.min(...walls).toFixed(3)}–${Math.max(...walls).toFixed(3)})  ${String(agents ?? "-").padStart(7)}  ${c.title}`
  )
}
console.log(`\nnode -e 0: ${gauge().toFixed(3)} s`)
console.log(`slowest answer computed in ${worstCompute.toFixed(1)} ms: target < ${TARGET_SECONDS} s ${worstCompute < TARGET_SECONDS * 1000 ? "met" : "MISSED"}`)
