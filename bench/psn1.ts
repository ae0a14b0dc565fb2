/**
 * mock-psn1 load bench: `npm run bench:psn1 [-- --duration 20 --advisors 32 --population 100000]`.
 *
 * Starts the mock (the real `ccsim mock psn1` command, bin/ccsim.mjs) in one child
 * process and the virtual advisors (bench/psn1/advisors.ts) in another, both on 127.0.0.1.
 * The advisors log in with their own accounts (password → OTP from the mailbox → token), then
 * run the call workflow — look up by NIR → opposition or read → ticket → comment → resolve —
 * in a closed loop for `--duration` seconds after a `--warmup`. Prints a table per step
 * (requests/s, p50/p95/p99/max, errors). Bounded in count (`--max-requests`) and time (a hard
 * deadline kills everything); exit 0 when ≥ 2,000 requests/s with p99 < 50 ms and no error,
 * 1 otherwise. Never part of the test suite.
 */
import { readFileSync } from "node:fs"
import { cpus, loadavg } from "node:os"
import { parseArgs } from "node:util"
import { superviseChildren } from "./children.js"
import { STEPS, type AdvisorsConfig, type AdvisorsMessage, type AdvisorsResult } from "./psn1/shared.js"

const TARGET_RPS = 2000
const TARGET_P99_MS = 50

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "20" },
    warmup: { type: "string", default: "3" },
    advisors: { type: "string", default: "32" },
    population: { type: "string", default: "100000" },
    "max-requests": { type: "string", default: "2000000" },
    "opposition-share": { type: "string", default: "0.02" }
  }
})
const num = (name: keyof typeof values, min: number, max: number): number => {
  const v = Number(values[name])
  if (!Number.isFinite(v) || v < min || v > max) {
    process.stderr.write(`bench:psn1: --${name} expects a number in ${min}..${max}, got ${values[name]}\n`)
    process.exit(2)
  }
  return v
}
/** CPU seconds used so far by process `pid` (Linux /proc; null elsewhere). */
const cpuSecondsOf = (pid: number | undefined): number | null => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? []
    return (Number(fields[11]) + Number(fields[12])) / 100 // utime + stime, in clock ticks (USER_HZ = 100)
  } catch {
    return null
  }
}

const durationS = num("duration", 1, 600)
const warmupS = num("warmup", 0, 60)
const advisors = Math.round(num("advisors", 1, 1000))
const population = Math.round(num("population", 1000, 1_000_000))
const maxRequests = Math.round(num("max-requests", 1, 100_000_000))
const oppositionShare = num("opposition-share", 0, 1)
const officer = { email: "rssi.bench@example.test", password: "Bench-Officer-2026" }

const { spawn, killAll, finish, disarm } = superviseChildren("bench:psn1", (durationS + warmupS + 120) * 1000)

// 1. The server: the real command (its bundle, rebuilt first if the sources changed), loopback
// only, mailbox on (the advisors read their OTPs).
const server = spawn("../bin/ccsim.mjs", [
  "mock", "psn1", "--host", "127.0.0.1", "--port", "0", "--officer", `${officer.email}:${officer.password}`, "--mailbox",
  "--seed", "bench", "--population", String(population)
], { stderr: "pipe", tsx: false })
const address = await new Promise<string>((resolve) => {
  let err = ""
  server.stderr?.on("data", (d: Buffer) => {
    err += d.toString()
    const m = /listening on (http:\/\/127\.0\.0\.1:[0-9]+)/.exec(err)
    if (m !== null) resolve(m[1] as string)
  })
})
server.stderr?.pipe(process.stderr)

// 2. The virtual advisors, in their own process.
process.stderr.write(`bench:psn1: server at ${address}; creating and logging in ${advisors} advisors…\n`)
const load = spawn("./psn1/advisors.ts")
const config: AdvisorsConfig = { address, officer, advisors, seed: "bench", population, warmupS, durationS, maxRequests, oppositionShare }
load.send(config)
const loadAvgAtStart = loadavg()[0] ?? 0
let cpuAtReady: { server: number | null; load: number | null; wallMs: number } = { server: null, load: null, wallMs: 0 }
const result = await new Promise<AdvisorsResult>((resolve, reject) => {
  load.on("message", (m: AdvisorsMessage) => {
    if (m.type === "ready") {
      cpuAtReady = { server: cpuSecondsOf(server.pid), load: cpuSecondsOf(load.pid), wallMs: performance.now() }
      process.stderr.write(`bench:psn1: set-up ${m.setupS.toFixed(1)} s; ${warmupS} s warm-up then ${durationS} s measured…\n`)
    }
    else if (m.type === "failed") reject(new Error(m.message))
    else resolve(m)
  })
}).catch((e: unknown) => {
  process.stderr.write(`bench:psn1: load failed: ${(e as Error).message}\n`)
  killAll()
  process.exit(2)
})
finish()
const loadWallS = (performance.now() - cpuAtReady.wallMs) / 1000
const cpuShare = (now: number | null, then: number | null): string =>
  now === null || then === null ? "n/a" : `${((100 * (now - then)) / loadWallS).toFixed(0)}%`
const serverCpu = cpuShare(cpuSecondsOf(server.pid), cpuAtReady.server)
const loadCpu = cpuShare(cpuSecondsOf(load.pid), cpuAtReady.load)

// 3. Stop the server gracefully (SIGTERM, as an operator would).
server.kill("SIGTERM")
await new Promise<void>((resolve) => (server.exitCode !== null ? resolve() : server.once("exit", () => resolve())))
disarm()

// 4. The table.
const rows = [...STEPS, "all"] as const
const line = (cells: Array<string>): string => cells.map((c, i) => (i === 0 ? c.padEnd(12) : c.padStart(10))).join(" ")
const out: Array<string> = []
out.push(`mock-psn1 call workflow — ${advisors} virtual advisors, ${result.measuredS.toFixed(1)} s measured after ${warmupS} s warm-up, population ${population}, loopback, keep-alive`)
out.push(line(["step", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors"]))
for (const step of rows) {
  const s = result.steps[step]
  if (s.requests === 0) continue
  out.push(line([step, String(s.requests), (s.requests / result.measuredS).toFixed(0), s.p50Ms.toFixed(2), s.p95Ms.toFixed(2), s.p99Ms.toFixed(2), s.maxMs.toFixed(2), String(s.errors)]))
}
const all = result.steps.all
const rps = all.requests / result.measuredS
out.push(`calls completed: ${result.calls} (${(result.calls / result.measuredS).toFixed(0)}/s); set-up (accounts + logins): ${result.setupS.toFixed(1)} s`)
out.push(`CPU during the load (100% = one core): server ${serverCpu}, advisors ${loadCpu}; machine: ${cpus().length} cores, load average ${loadAvgAtStart.toFixed(2)} at start`)
for (const sample of result.errorSamples) out.push(`error sample: ${sample}`)
const pass = rps >= TARGET_RPS && all.p99Ms < TARGET_P99_MS && all.errors === 0
out.push(`target: ≥ ${TARGET_RPS} req/s and p99 < ${TARGET_P99_MS} ms, no error → ${pass ? "PASS" : "FAIL"} (${rps.toFixed(0)} req/s, p99 ${all.p99Ms.toFixed(2)} ms, ${all.errors} errors)`)
process.stdout.write(`${out.join("\n")}\n`)
process.exit(pass ? 0 : 1)
