/**
 * mock-odigo load bench: `npm run bench:odigo [-- --duration 60 --agents 5000 --rate 500]`.
 *
 * Starts the mock in one child process and the virtual agents + call injector in another
 * (bench/odigo/), all on 127.0.0.1; logs the agents in, injects calls at a steady rate for
 * `--duration` seconds, lets them finish, then prints a results table: offer latency
 * percentiles (inject -> `call.offered` received), sustained rate, server memory at the start,
 * mid-run and the end, CPU, event-loop delay, and the server's call-conservation audit.
 * Bounded in count and time: it stops by itself and kills its children after a hard deadline.
 * Never part of the test suite.
 *
 * Exit code 0 when every acceptance target holds, 1 otherwise:
 * - p99 offer latency < 50 ms;
 * - sustained rate: all floor(rate x duration) scheduled calls injected, i.e. injected / duration
 *   >= the target rate (over the scheduled window, not the time to the last 10 ms tick), and the
 *   injector never more than 1 s behind its schedule;
 * - memory stable: the server's live heap after a full GC at the end is at most 10 % above the
 *   one after a full GC mid-run;
 * - every call offered, answered and wrapped up; no call lost (server audit); no error.
 */
import { cpus, loadavg } from "node:os"
import type { ChildProcess } from "node:child_process"
import { superviseChildren } from "./children.js"
import { scheduledCalls } from "./odigo/schedule.js"
import type { AgentsConfig, AgentsMessage, AgentsResult, ServerMessage } from "./odigo/shared.js"

const args = process.argv.slice(2)
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`)
  if (i < 0) return dflt
  const v = Number(args[i + 1])
  if (!Number.isFinite(v) || v <= 0) {
    process.stderr.write(`bench:odigo: --${name} expects a positive number, got ${args[i + 1]}\n`)
    process.exit(2)
  }
  return v
}
const durationS = opt("duration", 60)
const agents = Math.round(opt("agents", 5000))
const ratePerSec = opt("rate", 500)
const talkMinMs = opt("talk-min-ms", 2000)
const talkMaxMs = opt("talk-max-ms", 6000)
const P99_TARGET_MS = 50
/** Sustained: the injector may fall at most this far behind its schedule. */
const MAX_LAG_MS = 1000
/** Memory stable: live heap after a full GC, end vs mid-run, may grow by at most this share. */
const HEAP_GROWTH_TOLERANCE = 0.1

const { spawn, killAll, finish, disarm } = superviseChildren("bench:odigo", (durationS + talkMaxMs / 1000 + 180) * 1000)

const next = <M extends { kind: string }, K extends M["kind"]>(c: ChildProcess, kind: K): Promise<Extract<M, { kind: K }>> =>
  new Promise((resolve) => {
    const on = (m: M): void => {
      if (m.kind === kind) {
        c.off("message", on)
        resolve(m as Extract<M, { kind: K }>)
      }
    }
    c.on("message", on)
  })

const log = (s: string): void => {
  process.stderr.write(`${s}\n`)
}
const mib = (b: number): string => `${(b / 1048576).toFixed(1)} MiB`

log(`bench:odigo: ${agents} agents, ${ratePerSec} calls/s for ${durationS} s, talk ${talkMinMs}-${talkMaxMs} ms (loopback)`)
/** Share of all cores busy over `ms` (0..1), from the kernel's per-CPU counters. */
const busyShare = async (ms: number): Promise<number> => {
  const snap = () => cpus().reduce((a, c) => ({ idle: a.idle + c.times.idle, total: a.total + c.times.user + c.times.nice + c.times.sys + c.times.irq + c.times.idle }), { idle: 0, total: 0 })
  const a = snap()
  await new Promise((r) => setTimeout(r, ms))
  const b = snap()
  return b.total === a.total ? 0 : 1 - (b.idle - a.idle) / (b.total - a.total)
}
/** Busy and total CPU time of all cores so far, in ms. */
const cpuTotals = () =>
  cpus().reduce((a, c) => {
    const t = c.times
    return { busyMs: a.busyMs + t.user + t.nice + t.sys + t.irq, totalMs: a.totalMs + t.user + t.nice + t.sys + t.irq + t.idle }
  }, { busyMs: 0, totalMs: 0 })
const busyBefore = await busyShare(1000)
const loadBefore = loadavg()[0]!
if (busyBefore > 0.1) {
  log(`bench:odigo: WARNING other processes already use ${(busyBefore * 100).toFixed(0)}% of the ${cpus().length} cores: the latency figures will be skewed`)
}
const server = spawn("./odigo/server.ts", [], { execArgv: ["--expose-gc"] })
const { url } = await next<ServerMessage, "listening">(server, "listening")
type Sample = Extract<ServerMessage, { kind: "sample" }>
let sampleSeq = 0
/** Asks the server for a sample; replies are matched by `seq`, so requests may overlap. */
const sample = (gc: boolean): Promise<Sample> =>
  new Promise((resolve) => {
    const seq = ++sampleSeq
    const on = (m: ServerMessage): void => {
      if (m.kind === "sample" && m.seq === seq) {
        server.off("message", on)
        resolve(m)
      }
    }
    server.on("message", on)
    server.send({ kind: "sample", seq, gc })
  })
log(`bench:odigo: server at ${url}`)
const cfg: AgentsConfig = { url, agents, ratePerSec, durationS, talkMinMs, talkMaxMs }
const agentsProc = spawn("./odigo/agents.ts", [JSON.stringify(cfg)])
const ready = await next<AgentsMessage, "ready">(agentsProc, "ready")
log(`bench:odigo: ${ready.loggedIn} accounts created in ${(ready.accountsMs / 1000).toFixed(1)} s, logged in and ready in ${(ready.connectMs / 1000).toFixed(1)} s`)
const start = await sample(true)
const timeline: Array<string> = []
const midSecond = Math.max(1, Math.floor(durationS / 2))
let mid: Promise<Sample> | undefined
agentsProc.on("message", (m: AgentsMessage) => {
  if (m.kind === "progress" && process.env["BENCH_VERBOSE"] === "1") log(`  second ${m.second}: p99 ${m.p99Ms.toFixed(1)} ms`)
  if (m.kind === "progress" && m.second >= midSecond && mid === undefined) mid = sample(true)
  if (m.kind === "progress" && m.second % 10 === 0) {
    void sample(false).then((s) => {
      const line = `t=${String(m.second).padStart(3)} s  injected ${String(m.injected).padStart(6)}  offered ${String(m.offered).padStart(6)}  p99 (this second) ${m.p99Ms.toFixed(1)} ms  server RSS ${mib(s.rssBytes)}  heap ${mib(s.heapUsedBytes)}  loop delay p99 ${s.loopDelayP99Ms.toFixed(1)} ms`
      timeline.push(line)
      log(line)
    })
  }
})
const machine0 = cpuTotals()
const self0 = process.cpuUsage()
agentsProc.send({ kind: "start" })
const { result } = await next<AgentsMessage, "done">(agentsProc, "done")
// The injector reports every second of its window, so the mid-run sample was requested; the
// fallback only guards against a lost progress message.
const middle = await (mid ?? sample(true))
const end = await sample(true)
const machine1 = cpuTotals()
const selfCpu = process.cpuUsage(self0)
const audit = (await (await fetch(`${url}/admin/audit`)).json()) as { ok: boolean; census: Record<string, number>; violations: Array<string> }
finish()
server.send({ kind: "stop" })
disarm()

const r: AgentsResult = result
// Over the scheduled window: the last calls leave on the first 10 ms tick at or after its end,
// so dividing by the time to that tick (r.injectSeconds) would understate the rate.
const targetCalls = scheduledCalls(ratePerSec, durationS)
const rate = r.injected / durationS
const heapLimitBytes = middle.heapUsedBytes * (1 + HEAP_GROWTH_TOLERANCE)
const lost = r.injected - r.injectErrors - (audit.census["answered"] ?? 0) - (audit.census["abandoned"] ?? 0) - (audit.census["queued"] ?? 0) - (audit.census["ringing"] ?? 0)
const serverCpuPct = ((end.cpuMs - start.cpuMs) / 1000 / r.injectSeconds) * 100
const windowS = (machine1.totalMs - machine0.totalMs) / cpus().length / 1000
// What the rest of the machine used meanwhile: all cores' busy time minus the bench's own
// processes (so it also counts kernel work done outside them, e.g. network soft interrupts).
const othersCpuPct =
  ((machine1.busyMs - machine0.busyMs - (end.cpuMs - start.cpuMs) - r.cpuMs - (selfCpu.user + selfCpu.system) / 1000) / 1000 / windowS) * 100
const checks: Array<[string, boolean]> = [
  [`p99 offer latency < ${P99_TARGET_MS} ms`, r.latencyMs.p99 < P99_TARGET_MS],
  [
    `sustained rate >= ${ratePerSec} calls/s (${targetCalls} calls in ${durationS} s, never > ${MAX_LAG_MS} ms behind schedule)`,
    r.injected >= targetCalls && r.maxLagMs <= MAX_LAG_MS
  ],
  [
    `memory stable: live heap after full GC at the end <= mid-run + ${HEAP_GROWTH_TOLERANCE * 100}%`,
    end.heapUsedBytes <= heapLimitBytes
  ],
  ["every injected call offered, answered and wrapped up", r.completed === r.injected && r.offered === r.injected],
  ["no call lost or duplicated (server audit)", audit.ok && lost === 0 && audit.census["injected"] === r.injected],
  ["no error frame, no failed injection, no dropped connection", r.errorFrames === 0 && r.injectErrors === 0 && r.closedConnections === 0]
]
const row = (k: string, v: string): string => `| ${k.padEnd(48)} | ${v.padEnd(34)} |`
const table = [
  row("metric", "value"),
  `|${"-".repeat(50)}|${"-".repeat(36)}|`,
  row("concurrent agents (logged in, ready)", String(agents)),
  row("injection (scheduled window)", `${r.injected} calls in ${durationS} s = ${rate.toFixed(1)} calls/s (target ${ratePerSec})`),
  row("injector: last call sent / max lag", `at ${r.injectSeconds.toFixed(2)} s / ${r.maxLagMs.toFixed(1)} ms behind schedule`),
  row("offer latency p50 / p90", `${r.latencyMs.p50.toFixed(2)} / ${r.latencyMs.p90.toFixed(2)} ms`),
  row("offer latency p99 / p99.9 / max", `${r.latencyMs.p99.toFixed(2)} / ${r.latencyMs.p999.toFixed(2)} / ${r.latencyMs.max.toFixed(2)} ms`),
  row("calls offered / answered / wrapped up", `${r.offered} / ${r.answered} / ${r.completed}`),
  row("server audit", `${audit.ok ? "ok" : "VIOLATIONS"}; lost ${lost}; census ${JSON.stringify(audit.census)}`.slice(0, 120)),
  row("server RSS start -> mid -> end (after full GC)", `${mib(start.rssBytes)} -> ${mib(middle.rssBytes)} -> ${mib(end.rssBytes)}`),
  row("server live heap start -> mid -> end", `${mib(start.heapUsedBytes)} -> ${mib(middle.heapUsedBytes)} -> ${mib(end.heapUsedBytes)} (limit ${mib(heapLimitBytes)})`),
  row("ended calls retained mid -> end", `${middle.endedCallsRetained} -> ${end.endedCallsRetained} (for GET /calls/:callRef)`),
  row("mid-run full GC pause (in the latencies)", `${middle.gcMs.toFixed(1)} ms at t = ${midSecond} s`),
  row("server CPU during injection", `${serverCpuPct.toFixed(0)}% of one core`),
  row("server event-loop delay p99 (last window)", `${end.loopDelayP99Ms.toFixed(1)} ms`),
  row("agents process CPU / RSS", `${((r.cpuMs / 1000 / r.injectSeconds) * 100).toFixed(0)}% of one core / ${mib(r.rssBytes)}`),
  row("machine", `${cpus().length} cores; busy before start ${(busyBefore * 100).toFixed(0)}%; load avg ${loadBefore.toFixed(1)} -> ${loadavg()[0]!.toFixed(1)}`),
  row("CPU outside the bench processes", `${Math.max(0, othersCpuPct).toFixed(0)}% of one core (other programs, kernel)${othersCpuPct > 30 ? ": contended" : ""}`),
  row("error frames / failed injections / drops", `${r.errorFrames} / ${r.injectErrors} / ${r.closedConnections}`)
]
process.stdout.write(`\n${table.join("\n")}\n\n`)
for (const [name, ok] of checks) process.stdout.write(`${ok ? "PASS" : "FAIL"}  ${name}\n`)
if (r.protocolViolations.length > 0) process.stdout.write(`frames out of protocol:\n${r.protocolViolations.join("\n")}\n`)
if (!audit.ok) process.stdout.write(`audit violations:\n${audit.violations.slice(0, 20).join("\n")}\n`)
await new Promise((r) => setTimeout(r, 200))
killAll()
process.exit(checks.every(([, ok]) => ok) ? 0 : 1)
