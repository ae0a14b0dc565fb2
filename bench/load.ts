/**
 * The live harness at scale: `npm run bench:load [-- --duration 10m --advisors 2000 --rate 200 --speed 60 --compare 30]`.
 *
 * 1. Runs the real command, `ccsim load scenarios/baseline-2026.yaml --profile steady`, with its
 *    defaults: both mocks embedded (each in a process of its own), one generator process per core, everything on
 *    this machine and on loopback — 2,000 virtual advisors and 200 calls/s (issue 14's sizing, "≈ 15× the contract's busiest hour" — not a CCTP figure: 200 real calls/s at ×60
 *    are 12,000 simulated calls an hour) for 10 minutes, the scenario's callers (reasons, talk at ×60, transfers,
 *    tickets through PSN1). Judges, from its load-summary.json:
 *    - p99 offer latency < 50 ms (from each call's intended instant, STYLE 19);
 *    - no call lost: the harness's census equals the mock's (and tickets alike);
 *    - sustained: every scheduled call injected, their number within Poisson's bounds of rate × duration;
 *    - memory flat: Odigo's live heap after a full GC at the end ≤ 10% above the one mid-run, and
 *      PSN1's growing only with what it keeps by design (its tickets: ≤ 4 KiB of heap per ticket);
 *    - the generators not saturated (busiest second < 90% of a core) — else the latencies measure them.
 * 2. A side-by-side with a general load tool: autocannon (in this process) posts `POST /calls` at
 *    the same rate to a mock-odigo of its own (bench/odigo/server.ts) for `--compare` seconds; the
 *    client CPU per request of both tools is printed (the harness's per REST or websocket
 *    operation, and per call with everything a call takes).
 *
 * Bounded: the command's own deadline (window + drain), then a hard deadline here. Exit 0 when
 * every check passes, 1 otherwise. Never part of the tests. The machine is shared: the busy share
 * before the start is printed, read it before trusting a tail figure.
 */
import { spawn } from "node:child_process"
import { mkdirSync, readFileSync } from "node:fs"
import { cpus, loadavg } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import autocannon from "autocannon"
import * as hdr from "hdr-histogram-js"
import { newHistogram } from "../sim/live/metrics.js"
import { superviseChildren } from "./children.js"
import type { ServerMessage } from "./odigo/shared.js"
import type { LoadSummary } from "../sim/live/summary.js"

const args = process.argv.slice(2)
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`)
  return i < 0 ? dflt : (args[i + 1] ?? dflt)
}
const duration = opt("duration", "10m")
const advisors = Number(opt("advisors", "2000"))
const rate = Number(opt("rate", "200"))
const speed = Number(opt("speed", "60"))
const compareS = Number(opt("compare", "30"))
const durationS = /^[0-9]+$/.test(duration) ? Number(duration) : Number(/^([0-9.]+)(s|m|h)$/.exec(duration)?.[1]) * ({ s: 1, m: 60, h: 3600 }[/(s|m|h)$/.exec(duration)?.[1] as "s"] ?? NaN)
if (!(durationS > 0 && advisors > 0 && rate > 0 && speed > 0 && compareS >= 0)) {
  process.stderr.write("bench:load: expected --duration 90s|10m|1h, --advisors N, --rate N, --speed N, --compare SECONDS (0: none)\n")
  process.exit(2)
}
const root = fileURLToPath(new URL("..", import.meta.url))
const log = (s: string): void => void process.stderr.write(`${s}\n`)
const { spawn: spawnChild, killAll, finish, disarm } = superviseChildren("bench:load", (durationS + compareS + 600) * 1000)

const busyShare = async (ms: number): Promise<number> => {
  const snap = () => cpus().reduce((a, c) => ({ idle: a.idle + c.times.idle, total: a.total + c.times.user + c.times.nice + c.times.sys + c.times.irq + c.times.idle }), { idle: 0, total: 0 })
  const a = snap()
  await new Promise((r) => setTimeout(r, ms))
  const b = snap()
  return b.total === a.total ? 0 : 1 - (b.idle - a.idle) / (b.total - a.total)
}

const busyBefore = await busyShare(1000)
const loadBefore = loadavg()[0]!
log(`bench:load: ${advisors} advisors, ${rate} calls/s for ${duration} at ×${speed}; ${cpus().length} cores, ${(busyBefore * 100).toFixed(0)}% busy before the start (load average ${loadBefore.toFixed(1)})`)
if (busyBefore > 0.1) log("bench:load: WARNING other processes already use the machine: the latency tail will measure them too")

// 1. The harness, as a user runs it.
const out = join(root, "runs", `bench-load-${Date.now()}`)
mkdirSync(out, { recursive: true })
const harness = await new Promise<{ code: number | null; summary: LoadSummary | null }>((resolve) => {
  const c = spawn(process.execPath, [join(root, "bin/ccsim.mjs"), "load", "scenarios/baseline-2026.yaml", "--profile", "steady", "--rate", String(rate), "--advisors", String(advisors),
    "--duration", duration, "--speed", String(speed), "--out", out, "--json", "--threshold", "offer_latency p(99)<50ms", "--threshold", "lost_calls==0"], { cwd: root, stdio: ["ignore", "pipe", "inherit"] })
  let stdout = ""
  c.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
  c.on("exit", (code) => {
    let summary: LoadSummary | null = null
    try {
      summary = JSON.parse(readFileSync(join(out, "load-summary.json"), "utf8")) as LoadSummary
    } catch {
      summary = null
    }
    resolve({ code, summary })
  })
})
const s = harness.summary
if (s === null) {
  log(`bench:load: the harness wrote no summary (exit ${harness.code})`)
  killAll()
  process.exit(1)
}

// 2. autocannon on POST /calls of a mock of its own, at the same rate.
let cannon: { requests: number; cpuMsPerRequest: number; p50: number; p99: number; serverCpuMsPerRequest: number; errors: number } | null = null
if (compareS > 0) {
  const server = spawnChild("./odigo/server.ts", [], { execArgv: ["--expose-gc"] })
  const url = await new Promise<string>((resolve) => server.on("message", (m: ServerMessage) => m.kind === "listening" && resolve(m.url)))
  const serverCpu = (): Promise<number> =>
    new Promise((resolve) => {
      const on = (m: ServerMessage): void => {
        if (m.kind === "sample") {
          server.off("message", on)
          resolve(m.cpuMs)
        }
      }
      server.on("message", on)
      server.send({ kind: "sample", seq: 1, gc: false })
    })
  const server0 = await serverCpu()
  const cpu0 = process.cpuUsage()
  const r = await autocannon({ url: `${url}/calls`, method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ flow: "horsOpposition", reason: "enrolmentHelp" }), connections: 10, overallRate: rate, duration: compareS })
  const cpu = process.cpuUsage(cpu0)
  const server1 = await serverCpu()
  finish()
  server.send({ kind: "stop" })
  const n = r.requests.total
  cannon = { requests: n, cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / n, p50: r.latency.p50, p99: r.latency.p99, serverCpuMsPerRequest: (server1 - server0) / n, errors: r.errors + r.non2xx }
} else finish()
disarm()

// 3. The table and the checks.
const offer = s.latencies.offer_latency
const inject = s.latencies.inject
const genCpu = s.harness.generatorCpuSeconds.reduce((a, b) => a + b, 0)
const expected = rate * durationS
const eo = s.embeddedServers.odigo
const ep = s.embeddedServers.psn1
// PSN1 keeps every ticket (and its audit): its heap grows with them; per ticket of the second half.
const psn1PerTicketKiB = ep === undefined || ep.heapMidMiB === null ? null : ((ep.heapEndMiB - ep.heapMidMiB) * 1024) / Math.max(1, s.tickets.harness / 2)
// The offer latencies of the windows in which no generator stalled 100 ms or more (its own event loop).
const readLog = (metric: string): Array<hdr.Histogram> => {
  try {
    const reader = new hdr.HistogramLogReader(readFileSync(join(out, "hdr", `${metric}.hlog`), "utf8"))
    const hs: Array<hdr.Histogram> = []
    for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) hs.push(h)
    return hs
  } catch {
    return []
  }
}
const offers = readLog("offer_latency")
const loops = readLog("loop_delay")
const calm = newHistogram()
let calmWindows = 0
offers.forEach((h, i) => {
  if ((loops[i]?.maxValue ?? 0) < 100_000) {
    calm.add(h)
    calmWindows++
  }
})
const checks: Array<[string, boolean]> = [
  ["p99 offer latency < 50 ms", offer !== undefined && offer.p99Ms < 50],
  ["no call lost: the harness's census equals the mock's (tickets too)", s.census.equal && s.census.lost === 0 && s.tickets.equal],
  [`sustained: every scheduled call injected, ${s.calls.scheduled} within 4 sd of ${expected}`, s.calls.injectFailed === 0 && s.calls.injected === s.calls.scheduled + s.calls.redials && Math.abs(s.calls.scheduled - expected) <= 4 * Math.sqrt(expected)],
  ["memory flat: Odigo's live heap after GC at the end <= middle + 10%", eo !== undefined && eo.heapMidMiB !== null && eo.heapEndMiB <= eo.heapMidMiB * 1.1],
  ["PSN1's heap grows only with the tickets it keeps (<= 4 KiB per ticket)", psn1PerTicketKiB !== null && psn1PerTicketKiB <= 4],
  ["generators not saturated (busiest second < 90% of a core)", s.harness.busiestSecondCpuPercent < 90],
  ["no error", s.errorRate === 0]
]
const row = (k: string, v: string): string => `| ${k.padEnd(52)} | ${v.padEnd(60)} |`
const ms = (x: number | undefined): string => (x === undefined ? "—" : x.toFixed(2))
const lines = [
  row("metric", "value"),
  `|${"-".repeat(54)}|${"-".repeat(62)}|`,
  row("advisors logged in / calls injected", `${s.people.phone} / ${s.calls.injected} in ${durationS} s (${(s.calls.injected / durationS).toFixed(1)} calls/s)`),
  row("offer latency p50 / p90 / p99 / p99.9 / max (ms)", `${ms(offer?.p50Ms)} / ${ms(offer?.p90Ms)} / ${ms(offer?.p99Ms)} / ${ms(offer?.p999Ms)} / ${ms(offer?.maxMs)}`),
  row("command ack p50 / p99 (ms)", `${ms(s.latencies.command_ack?.p50Ms)} / ${ms(s.latencies.command_ack?.p99Ms)}`),
  row("POST /calls (inject) p50 / p99 (ms)", `${ms(inject?.p50Ms)} / ${ms(inject?.p99Ms)}`),
  row("PSN1 ticket p50 / p99 (ms); login (OTP) p99", `${ms(s.latencies.psn1_ticket?.p50Ms)} / ${ms(s.latencies.psn1_ticket?.p99Ms)}; ${ms(s.latencies.psn1_login?.p99Ms)}`),
  row("calls answered / abandoned / still waiting", `${s.calls.answered} / ${s.calls.abandoned} / ${s.calls.stillWaiting}`),
  row("census harness = mock; tickets", `${s.census.equal ? "equal" : "DIFFERENT"} (lost ${s.census.lost}); tickets ${s.tickets.harness} = ${s.tickets.mock}`),
  row("errors / operations; races", `${Object.values(s.errors).reduce((a, b) => a + b, 0)} / ${s.operations}; ${JSON.stringify(s.races)}`),
  row("offer p99 in windows where no generator stalled >= 100 ms", `${calm.totalCount === 0 ? "—" : (calm.getValueAtPercentile(99) / 1000).toFixed(2)} ms (${calmWindows} of ${offers.length} windows)`),
  row("mock-odigo: CPU; live heap after GC start / mid / end", `${eo?.cpuPercent ?? "—"}% of a core; ${eo?.heapStartMiB} / ${eo?.heapMidMiB} / ${eo?.heapEndMiB} MiB (mid-run GC ${eo?.midGcPauseMs} ms)`),
  row("mock-odigo: RSS start / mid / end", `${eo?.rssStartMiB} / ${eo?.rssMidMiB} / ${eo?.rssEndMiB} MiB`),
  row("mock-psn1: CPU; live heap after GC start / mid / end", `${ep?.cpuPercent ?? "—"}% of a core; ${ep?.heapStartMiB} / ${ep?.heapMidMiB} / ${ep?.heapEndMiB} MiB (${psn1PerTicketKiB === null ? "—" : psn1PerTicketKiB.toFixed(2)} KiB per ticket kept)`),
  row("generators: CPU (average; busiest second)", `${s.harness.generatorCpuPercent.join("%, ")}% of a core; ${s.harness.busiestSecondCpuPercent}%`),
  row("generators: peak RSS; loop delay p99 / max", `${s.harness.generatorPeakRssMiB.join(", ")} MiB; ${ms(s.latencies.loop_delay?.p99Ms)} / ${ms(s.latencies.loop_delay?.maxMs)} ms`),
  row("generators: own lag p99 (intended -> acted)", `${ms(s.latencies.generator_lag?.p99Ms)} ms`),
  row("harness client CPU per operation / per call", `${((genCpu * 1000) / s.operations).toFixed(3)} ms / ${((genCpu * 1000) / s.calls.injected).toFixed(3)} ms (${s.operations} REST + websocket ops)`),
  ...(cannon === null
    ? []
    : [
        row(`autocannon POST /calls at ${rate}/s for ${compareS} s: requests`, `${cannon.requests} (errors ${cannon.errors})`),
        row("autocannon client CPU per request", `${cannon.cpuMsPerRequest.toFixed(3)} ms`),
        row("autocannon latency p50 / p99 (ms)", `${cannon.p50} / ${cannon.p99}`),
        row("mock-odigo CPU per POST /calls (autocannon's run)", `${cannon.serverCpuMsPerRequest.toFixed(3)} ms`)
      ]),
  row("machine", `${cpus().length} cores; ${(busyBefore * 100).toFixed(0)}% busy before; load average ${loadBefore.toFixed(1)} -> ${loadavg()[0]!.toFixed(1)}`),
  row("output", out)
]
process.stdout.write(`\n${lines.join("\n")}\n\n`)
for (const [name, ok] of checks) process.stdout.write(`${ok ? "PASS" : "FAIL"}  ${name}\n`)
killAll()
process.exit(checks.every(([, ok]) => ok) ? 0 : 1)
