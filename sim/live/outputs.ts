/**
 * The files and the text a live run leaves (README "Live harness", Outputs):
 * - `load-summary.json` (./summary.ts);
 * - `latency.csv`: per 10 s window (from the start), every latency metric's count, mean and
 *   percentiles in ms, then the window's counts (calls injected, answered, abandoned, errors,
 *   reconnects) — RFC 4180, `.` decimals;
 * - `hdr/<metric>.hlog`: HdrHistogram interval logs (one histogram per 10 s window, values in
 *   microseconds), readable by HdrHistogram's log tools (HistogramLogProcessor, HdrHistogramVisualizer);
 * - the human summary printed at the end.
 *
 * Pure functions of the run and its summary: nothing here touches the disk.
 */
import * as hdr from "hdr-histogram-js"
import { LATENCY_NAMES, statsOf, type LatencyMetric } from "./metrics.js"
import type { LoadRun } from "./run.js"
import type { LoadSummary } from "./summary.js"

const WINDOW_S = 10
const COUNTERS = ["calls.injected", "calls.answered", "calls.abandoned", "calls.offered", "reconnects", "ops"] as const

const n = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(3))

export const latencyCsv = (run: LoadRun): string => {
  const lines = ["window_start_s,window_end_s,metric,count,mean_ms,p50_ms,p90_ms,p99_ms,p999_ms,max_ms"]
  run.windows.forEach((w, i) => {
    const a = i * WINDOW_S
    const b = a + WINDOW_S
    for (const m of LATENCY_NAMES) {
      const h = w.histograms.get(m)
      if (h === undefined || h.totalCount === 0) continue
      const s = statsOf(h)
      lines.push([a, b, m, s.count, s.meanMs, s.p50Ms, s.p90Ms, s.p99Ms, s.p999Ms, s.maxMs].map((v) => (typeof v === "number" ? n(v) : v)).join(","))
    }
    for (const c of COUNTERS) lines.push(`${a},${b},${c},${w.counter(c)},,,,,,`)
    const errors = Object.values(w.countersUnder("errors.")).reduce((x, y) => x + y, 0)
    lines.push(`${a},${b},errors,${errors},,,,,,`)
  })
  return lines.join("\n") + "\n"
}

/** One HdrHistogram interval log per metric that recorded anything. */
export const hdrLogs = (run: LoadRun): Map<LatencyMetric, string> => {
  const out = new Map<LatencyMetric, string>()
  const startMs = run.t0 ?? 0
  for (const m of LATENCY_NAMES) {
    if (!run.windows.some((w) => (w.histograms.get(m)?.totalCount ?? 0) > 0)) continue
    let text = ""
    const writer = new hdr.HistogramLogWriter((s: string) => void (text += s))
    writer.outputComment(`ccsim load: ${m} (microseconds), 10 s intervals, all generators merged`)
    writer.outputLogFormatVersion()
    writer.outputStartTime(startMs)
    writer.baseTime = startMs
    writer.outputLegend()
    run.windows.forEach((w, i) => {
      const h = w.histograms.get(m)
      if (h === undefined || h.totalCount === 0) return
      const from = startMs / 1000 + i * WINDOW_S
      writer.outputIntervalHistogram(h, from, from + WINDOW_S, 1000)
    })
    out.set(m, text)
  }
  return out
}

const pct = (x: number | null | undefined): string => (x === null || x === undefined ? "—" : `${(x * 100).toFixed(1)}%`)
const sec = (x: number | null | undefined): string => (x === null || x === undefined ? "—" : `${x.toFixed(1)} s`)
const ms = (x: number | null | undefined): string => (x === null || x === undefined ? "—" : x < 10 ? x.toFixed(2) : x.toFixed(1))

/** The table printed at the end of a run. */
export const humanSummary = (s: LoadSummary): string => {
  const out: string[] = []
  const servers = s.servers.embedded ? "embedded mocks on loopback" : `${s.servers.odigo} and ${s.servers.psn1}`
  out.push(`ccsim load ${s.scenario} — ${s.window.label}, seed ${s.seed}, ×${s.speed} (${s.window.simulatedHours} simulated hours in ${s.wallSeconds.toFixed(1)} s), ${s.generators} generator(s), ${servers}`)
  out.push(`advisors: ${s.people.phone} phone, ${s.people.forms} forms, ${s.people.blended} blended`)
  out.push("")
  out.push("latency (ms, from the intended instant)   count      p50      p90      p99    p99.9      max")
  for (const [m, st] of Object.entries(s.latencies)) {
    out.push(`${m.padEnd(40)} ${String(st.count).padStart(6)} ${ms(st.p50Ms).padStart(8)} ${ms(st.p90Ms).padStart(8)} ${ms(st.p99Ms).padStart(8)} ${ms(st.p999Ms).padStart(8)} ${ms(st.maxMs).padStart(8)}`)
  }
  out.push("")
  const c = s.calls
  out.push(`calls: ${c.scheduled} scheduled + ${c.redials} redials; injected ${c.injected} (failed ${c.injectFailed}); answered ${c.answered}, abandoned ${c.abandoned} (cut off at closing ${c.cutOffAtClosing}), still waiting ${c.stillWaiting}; transferred ${c.transferred}, qualified ${c.qualified}; dissuaded before the queue ${c.dissuaded.closure + c.dissuaded.telecom + c.dissuaded.ivr}`)
  const m = s.census.mock
  out.push(`census: harness ${JSON.stringify(s.census.harness)} · mock ${m === null ? "—" : JSON.stringify(m)} → ${s.census.equal ? "equal, none lost" : `DIFFERENT (${s.census.lost ?? "?"} apart)`}`)
  out.push(`tickets: harness ${s.tickets.harness} (replayed ${s.tickets.replayed}, failed ${s.tickets.failed}) · PSN1 ${s.tickets.mock ?? "—"} → ${s.tickets.equal ? "equal" : "DIFFERENT"}; forms: injected ${s.forms.injected}, answered ${s.forms.answered} · PSN1 ${s.forms.mock === null ? "—" : `${s.forms.mock.found} found, ${s.forms.mock.answered} answered`} → ${s.forms.equal ? "equal" : "DIFFERENT"}`)
  const errs = Object.entries(s.errors)
  out.push(`errors: ${errs.length === 0 ? "none" : errs.map(([k, v]) => `${k} ${v}`).join(", ")} of ${s.operations} operations (${s.errorRate === null ? "—" : `${(s.errorRate * 100).toFixed(3)}%`}); reconnects ${s.reconnects}${Object.keys(s.races).length > 0 ? `; races ${Object.entries(s.races).map(([k, v]) => `${k} ${v}`).join(", ")}` : ""}`)
  for (const e of s.errorSamples.slice(0, 5)) out.push(`  e.g. ${e}`)
  out.push("")
  out.push("KPIs (simulated time)       harness      mock   simulation rep. 0   simulation mean [95% CI]   one run, 95%")
  const sim = s.kpis.simulation
  const rows: Array<[string, "answerRate" | "abandonRate" | "meanWaitSeconds" | "serviceLevel" | "meanTalkSeconds" | "meanHandleSeconds" | "transferRate" | "availabilityRate" | "formsHandledRate", (x: number | null | undefined) => string]> = [
    ["answer rate", "answerRate", pct],
    ["abandon rate", "abandonRate", pct],
    ["mean wait", "meanWaitSeconds", sec],
    ["service level", "serviceLevel", pct],
    ["mean talk (DMC)", "meanTalkSeconds", sec],
    ["mean handling (DMT)", "meanHandleSeconds", sec],
    ["transfer rate", "transferRate", pct],
    ["availability", "availabilityRate", pct],
    ["forms handled", "formsHandledRate", pct]
  ]
  for (const [label, k, f] of rows) {
    const e = sim?.mean[k]
    const ci = e === undefined ? "—" : `${f(e.mean)} [${f(e.ci95[0])}, ${f(e.ci95[1])}]`
    const one = e === undefined ? "" : `[${f(e.oneRun95[0])}, ${f(e.oneRun95[1])}]`
    out.push(`${label.padEnd(24)} ${f(s.kpis.harness[k]).padStart(10)} ${f(s.kpis.mock?.[k]).padStart(9)} ${f(sim?.replication0[k]).padStart(19)}   ${ci.padEnd(26)} ${one}`)
  }
  if (s.faults.length > 0) {
    out.push("")
    out.push("faults                                   at (s)   offer p99 before → during   answer rate before → during   reconnects   recovery")
    for (const f of s.faults) {
      out.push(`${f.fault.padEnd(40)} ${f.atSeconds.toFixed(1).padStart(6)}   ${ms(f.offerP99BeforeMs).padStart(8)} → ${ms(f.offerP99DuringMs).padEnd(8)} ms    ${pct(f.answerRateBefore).padStart(8)} → ${pct(f.answerRateDuring).padEnd(8)}      ${String(f.reconnects).padStart(6)}   ${f.recoverySeconds === null ? "not by the end" : `${f.recoverySeconds} s`}${f.note === null ? "" : ` (${f.note})`}`)
    }
  }
  out.push("")
  const h = s.harness
  out.push(`harness: generators CPU ${h.generatorCpuPercent.map((x) => `${x}%`).join(", ")} of a core (busiest second ${h.busiestSecondCpuPercent}%), loop delay p99 ${ms(s.latencies.loop_delay?.p99Ms)} ms, own lag p99 ${ms(s.latencies.generator_lag?.p99Ms)} ms, coordinator ${h.coordinatorCpuPercent}%`)
  for (const [name, e] of Object.entries(s.embeddedServers)) {
    out.push(`embedded ${name}: CPU ${e.cpuPercent}% of a core, live heap after a full GC ${e.heapStartMiB} → ${e.heapMidMiB ?? "—"} → ${e.heapEndMiB} MiB (start, middle, end), RSS ${e.rssStartMiB} → ${e.rssEndMiB} MiB`)
  }
  if (h.busiestSecondCpuPercent > 90) out.push("  warning: a generator was near saturation; its latencies measure the generator as much as the server")
  for (const t of s.thresholds) out.push(`${t.ok ? "PASS" : "FAIL"}  ${t.threshold}  (measured ${t.actual === null ? "nothing" : Number(t.actual.toPrecision(4))})`)
  if (s.failure !== null) out.push(`FAILED: ${s.failure.code}: ${s.failure.message}`)
  return out.join("\n") + "\n"
}
