/**
 * `load-summary.json` (schemaVersion 1, README "Live harness"): what a live run measured —
 * latencies, errors by code, calls by outcome, the census on both sides, the KPIs of the three
 * views, the faults and their effect, the thresholds — built from the coordinator's `LoadRun`
 * and the pure simulation's per-replication KPIs. A pure function: tests build it from
 * hand-made runs.
 *
 * Invariants: every number is finite or null (JSON has no NaN); a census is `equal` only when
 * the harness and the mock agree on every count; a fault's recovery is null when it never
 * recovered before the end (never a made-up figure).
 */
import type { Estimate } from "../engine/stats.js"
import type { KpiName } from "../kpi/cctp.js"
import { decode, LATENCY_NAMES, MergedMetrics, newHistogram, statsOf, type LatencyMetric, type LatencyStats } from "./metrics.js"
import type { AppliedFault, LoadRun, SecondRow } from "./run.js"
import { judge, type Threshold, type ThresholdResult } from "./thresholds.js"
import { harnessSums, kpiRow, mockSums, VIEW_KPIS, type KpiRow } from "./views.js"

export const SCHEMA_VERSION = 1

export interface Census {
  readonly injected: number
  readonly answered: number
  readonly abandoned: number
  readonly waiting: number
}

export interface FaultEffect {
  readonly fault: string
  readonly atSeconds: number
  readonly applied: boolean
  readonly note: string | null
  readonly offerP99BeforeMs: number | null
  readonly offerP99DuringMs: number | null
  readonly reconnects: number
  readonly answerRateBefore: number | null
  readonly answerRateDuring: number | null
  readonly meanWaitBeforeSeconds: number | null
  readonly meanWaitDuringSeconds: number | null
  /** From the fault (its end, for faults given a duration) to latencies back to normal and every advisor back; null: not by the end. */
  readonly recoverySeconds: number | null
}

export interface ServerFigures {
  readonly cpuPercent: number
  readonly rssStartMiB: number
  readonly rssMidMiB: number | null
  readonly rssEndMiB: number
  readonly heapStartMiB: number
  readonly heapMidMiB: number | null
  readonly heapEndMiB: number
  readonly midGcPauseMs: number | null
}

export interface LoadSummary {
  readonly schemaVersion: 1
  readonly status: "passed" | "thresholdsFailed" | "failed"
  readonly failure: { readonly code: string; readonly message: string } | null
  readonly scenario: string
  readonly seed: number
  readonly mode: "day" | "profile"
  readonly day: string | null
  readonly window: { readonly label: string; readonly startSeconds: number; readonly endSeconds: number; readonly simulatedHours: number }
  readonly speed: number
  readonly profile: { readonly kind: string; readonly ratePerSecond: number; readonly durationSeconds: number } | null
  readonly servers: { readonly odigo: string; readonly psn1: string; readonly embedded: boolean }
  readonly generators: number
  readonly startedAt: string | null
  readonly wallSeconds: number
  readonly people: { readonly phone: number; readonly forms: number; readonly blended: number }
  readonly latencies: Partial<Record<LatencyMetric, LatencyStats>>
  readonly operations: number
  readonly errors: Readonly<Record<string, number>>
  readonly errorRate: number | null
  /** The first errors in words (at most 10 per generator). */
  readonly errorSamples: ReadonlyArray<string>
  readonly races: Readonly<Record<string, number>>
  readonly reconnects: number
  readonly calls: {
    readonly scheduled: number
    readonly dissuaded: { readonly closure: number; readonly telecom: number; readonly ivr: number }
    readonly injected: number
    readonly injectFailed: number
    readonly answered: number
    readonly abandoned: number
    readonly cutOffAtClosing: number
    readonly stillWaiting: number
    readonly redials: number
    readonly transferred: number
    readonly qualified: number
    /** Calls of another run (left on the server) that this run's advisors answered and ended. */
    readonly foreign: number
    readonly drainTimedOut: boolean
  }
  readonly census: { readonly harness: Census; readonly mock: Census | null; readonly equal: boolean; readonly lost: number | null }
  readonly tickets: { readonly harness: number; readonly replayed: number; readonly failed: number; readonly mock: number | null; readonly equal: boolean }
  readonly forms: { readonly injected: number; readonly failed: number; readonly answered: number; readonly beforeWindow: number; readonly afterWindow: number; readonly mock: { readonly found: number; readonly answered: number } | null; readonly equal: boolean }
  readonly kpis: {
    readonly harness: Partial<KpiRow>
    readonly mock: Partial<KpiRow> | null
    readonly simulation: {
      readonly replications: number
      readonly replication0: Partial<KpiRow>
      readonly mean: Partial<Record<KpiName, { readonly mean: number | null; readonly ci95: readonly [number | null, number | null]; readonly oneRun95: readonly [number | null, number | null] }>>
    } | null
  }
  readonly faults: ReadonlyArray<FaultEffect>
  readonly thresholds: ReadonlyArray<ThresholdResult>
  readonly harness: {
    readonly generatorCpuPercent: ReadonlyArray<number>
    /** CPU seconds each generator used from the start to its report. */
    readonly generatorCpuSeconds: ReadonlyArray<number>
    readonly generatorPeakRssMiB: ReadonlyArray<number>
    readonly coordinatorCpuPercent: number
    readonly busiestSecondCpuPercent: number
  }
  /**
   * Each embedded mock's process: CPU over the run, and memory after a full GC before the load,
   * in the middle of the window (that pause is in the latencies) and at the end. Empty when the
   * servers are the user's.
   */
  readonly embeddedServers: Partial<Record<"odigo" | "psn1", ServerFigures>>
}

const fin = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : x)
const round = (x: number, digits = 4): number => Math.round(x * 10 ** digits) / 10 ** digits

const pick = (row: KpiRow): Partial<KpiRow> => Object.fromEntries(VIEW_KPIS.map((k) => [k, row[k] === null ? null : round(row[k]!, 6)])) as Partial<KpiRow>

export interface SummaryInputs {
  readonly run: LoadRun
  readonly servers: { readonly odigo: string; readonly psn1: string; readonly embedded: boolean }
  readonly generators: number
  readonly productiveHoursPerDay: number
  readonly simulation: { readonly replications: number; readonly replication0: KpiRow; readonly mean: Readonly<Record<KpiName, Estimate>>; readonly oneRun: Readonly<Record<KpiName, readonly [number, number]>> } | null
  readonly thresholds: ReadonlyArray<Threshold>
  readonly embeddedServers: LoadSummary["embeddedServers"]
}

/** The offer latencies of seconds [from, to), all generators. */
const offerOver = (rows: ReadonlyArray<SecondRow>, from: number, to: number): LatencyStats | null => {
  const h = newHistogram()
  for (const r of rows) if (r.second > from && r.second <= to && r.offerHistogram !== null) h.add(decode(r.offerHistogram))
  return h.totalCount === 0 ? null : statsOf(h)
}

const faultEffect = (run: LoadRun, f: AppliedFault, speed: number): FaultEffect => {
  const rows = run.seconds
  const a = Math.floor(f.atMs / 1000)
  const end = a + Math.max(1, Math.ceil((f.fault.forMs ?? 10_000) / 1000))
  const before = offerOver(rows, a - 10, a)
  const during = offerOver(rows, a, end)
  const arrivals = { injected: [] as number[], answered: [] as number[], waitMs: [] as number[] }
  for (const r of run.reports) {
    for (const k of ["injected", "answered", "waitMs"] as const) r.arrivals[k].forEach((v, s) => (arrivals[k][s] = (arrivals[k][s] ?? 0) + v))
  }
  const rate = (from: number, to: number): { answer: number | null; wait: number | null } => {
    let inj = 0
    let ans = 0
    let wait = 0
    for (let s = Math.max(0, from); s < to; s++) {
      inj += arrivals.injected[s] ?? 0
      ans += arrivals.answered[s] ?? 0
      wait += arrivals.waitMs[s] ?? 0
    }
    return inj === 0 ? { answer: null, wait: null } : { answer: ans / inj, wait: ((wait / inj) * speed) / 1000 }
  }
  const kb = rate(a - 10, a)
  const kd = rate(a, end)
  // Recovered: three seconds in a row with the offer p99 back under twice the one before (or
  // 5 ms above it) and at least as many advisors logged in as before the fault (98%).
  const base = before?.p99Ms ?? null
  const limit = base === null ? Infinity : Math.max(2 * base, base + 5)
  const loggedBefore = rows.find((r) => r.second === a)?.loggedIn ?? 0
  const back = (r: SecondRow): boolean => (r.offerP99Ms === null || r.offerP99Ms <= limit) && r.loggedIn >= 0.98 * loggedBefore
  let recovery: number | null = null
  const from = f.fault.forMs === null ? a : Math.floor((f.atMs + f.fault.forMs) / 1000)
  const after = rows.filter((r) => r.second > from).sort((x, y) => x.second - y.second)
  for (let i = 0; i + 2 < after.length; i++) {
    if (back(after[i]!) && back(after[i + 1]!) && back(after[i + 2]!)) {
      recovery = after[i]!.second - 1 - from
      break
    }
  }
  const reconnects = (rows.find((r) => r.second === end)?.reconnects ?? rows[rows.length - 1]?.reconnects ?? 0) - (rows.find((r) => r.second === a)?.reconnects ?? 0)
  return {
    fault: f.fault.source,
    atSeconds: round(f.atMs / 1000, 3),
    applied: f.applied,
    note: f.message,
    offerP99BeforeMs: fin(before?.p99Ms),
    offerP99DuringMs: fin(during?.p99Ms),
    reconnects: Math.max(0, reconnects),
    answerRateBefore: fin(kb.answer),
    answerRateDuring: fin(kd.answer),
    meanWaitBeforeSeconds: fin(kb.wait),
    meanWaitDuringSeconds: fin(kd.wait),
    recoverySeconds: recovery === null ? null : Math.max(0, recovery)
  }
}

export const buildSummary = (x: SummaryInputs): LoadSummary => {
  const { run } = x
  const plan = run.plan
  const total: MergedMetrics = run.total
  const latencies: Partial<Record<LatencyMetric, LatencyStats>> = {}
  for (const m of LATENCY_NAMES) {
    const s = total.stats(m)
    if (s !== null) latencies[m] = s
  }
  const errors = total.countersUnder("errors.")
  const errorCount = Object.values(errors).reduce((a, b) => a + b, 0)
  const ops = total.counter("ops")
  const sum = (f: (r: LoadRun["reports"][number]) => number): number => run.reports.reduce((a, r) => a + f(r), 0)
  const harness: Census = {
    injected: sum((r) => r.census.injected),
    answered: sum((r) => r.census.answered),
    abandoned: sum((r) => r.census.abandoned),
    waiting: sum((r) => r.census.queued + r.census.ringing)
  }
  let mock: Census | null = null
  if (run.auditAfter !== null) {
    const b = run.auditBefore?.census ?? { injected: 0, answered: 0, abandoned: 0, queued: 0, ringing: 0 }
    const c = run.auditAfter.census
    mock = { injected: c.injected - b.injected, answered: c.answered - b.answered, abandoned: c.abandoned - b.abandoned, waiting: c.queued + c.ringing - (b.queued + b.ringing) }
  }
  const lost = mock === null ? null : Math.abs(harness.injected - mock.injected) + Math.abs(harness.answered - mock.answered) + Math.abs(harness.abandoned - mock.abandoned) + Math.abs(harness.waiting - mock.waiting)
  const ticketsHarness = sum((r) => r.tickets.created)
  const formsInjected = sum((r) => r.forms.injected)
  const formsAnswered = sum((r) => r.forms.answered)
  const harnessKpis = kpiRow(harnessSums(plan, run.reports), x.productiveHoursPerDay)
  const mockKpis = run.stats === null ? null : kpiRow(mockSums(plan, run.stats, run.psn1 === null ? null : { received: formsInjected, handled: run.psn1.forms.answered }), x.productiveHoursPerDay)
  const simulation =
    x.simulation === null
      ? null
      : {
          replications: x.simulation.replications,
          replication0: pick(x.simulation.replication0),
          mean: Object.fromEntries(
            VIEW_KPIS.map((k) => {
              const e = x.simulation!.mean[k]
              const one = x.simulation!.oneRun[k]
              return [k, { mean: fin(e.mean), ci95: [fin(e.ci95[0]), fin(e.ci95[1])] as const, oneRun95: [fin(one[0]), fin(one[1])] as const }]
            })
          )
        }
  const thresholds = judge(x.thresholds, (t) => {
    if (t.aggregate !== null) {
      const h = total.histograms.get(t.metric as LatencyMetric)
      if (h === undefined || h.totalCount === 0) return t.aggregate.kind === "count" ? 0 : null
      switch (t.aggregate.kind) {
        case "avg":
          return h.mean / 1000
        case "min":
          return h.minNonZeroValue / 1000
        case "max":
          return h.maxValue / 1000
        case "med":
          return h.getValueAtPercentile(50) / 1000
        case "count":
          return h.totalCount
        case "p":
          return h.getValueAtPercentile(t.aggregate.percentile) / 1000
      }
    }
    switch (t.metric) {
      case "error_rate":
        return ops === 0 ? null : errorCount / ops
      case "answer_rate":
        return harness.injected === 0 ? null : harness.answered / harness.injected
      case "abandon_rate":
        return harness.injected === 0 ? null : harness.abandoned / harness.injected
      case "lost_calls":
        return lost
      case "errors":
        return errorCount
      case "reconnects":
        return total.counter("reconnects")
      case "mean_wait":
        return harnessKpis.meanWaitSeconds
      default:
        return null
    }
  })
  const failed = run.failure !== null
  const gens = run.reports.map((r) => (r.wallSeconds > 0 ? round((100 * r.cpuSeconds) / r.wallSeconds, 1) : 0))
  return {
    schemaVersion: SCHEMA_VERSION,
    status: failed ? "failed" : thresholds.every((t) => t.ok) ? "passed" : "thresholdsFailed",
    failure: run.failure,
    scenario: plan.scenario,
    seed: plan.seed,
    mode: plan.mode,
    day: plan.day,
    window: { label: plan.window.label, startSeconds: plan.window.startSeconds, endSeconds: plan.window.endSeconds, simulatedHours: round((plan.window.endSeconds - plan.window.startSeconds) / 3600, 4) },
    speed: plan.speed,
    profile: plan.profile,
    servers: x.servers,
    generators: x.generators,
    startedAt: run.startedAtIso,
    wallSeconds: round(run.wallSeconds, 3),
    people: run.people,
    latencies,
    operations: ops,
    errors,
    errorRate: ops === 0 ? null : round(errorCount / ops, 8),
    errorSamples: total.samples,
    races: total.countersUnder("races."),
    reconnects: total.counter("reconnects"),
    calls: {
      scheduled: plan.callers.time.length,
      dissuaded: { closure: plan.dissuaded.closure, telecom: plan.dissuaded.telecom, ivr: plan.dissuaded.ivr },
      injected: harness.injected,
      injectFailed: sum((r) => r.census.injectFailed),
      answered: harness.answered,
      abandoned: harness.abandoned,
      cutOffAtClosing: sum((r) => r.census.cutOff),
      stillWaiting: harness.waiting,
      redials: sum((r) => r.census.redials),
      transferred: sum((r) => r.handled.transferred),
      qualified: sum((r) => r.handled.qualified),
      foreign: total.counter("calls.foreign"),
      drainTimedOut: run.drainTimedOut
    },
    census: { harness, mock, equal: lost === 0, lost },
    tickets: { harness: ticketsHarness, replayed: sum((r) => r.tickets.replayed), failed: sum((r) => r.tickets.failed), mock: run.psn1?.tickets ?? null, equal: run.psn1 !== null && run.psn1.tickets === ticketsHarness },
    forms: {
      injected: formsInjected,
      failed: sum((r) => r.forms.injectFailed),
      answered: formsAnswered,
      beforeWindow: plan.forms.before,
      afterWindow: plan.forms.after,
      mock: run.psn1?.forms ?? null,
      equal: run.psn1 !== null && run.psn1.forms.found === formsInjected && run.psn1.forms.answered === formsAnswered
    },
    kpis: { harness: pick(harnessKpis), mock: mockKpis === null ? null : pick(mockKpis), simulation },
    faults: run.faults.map((f) => faultEffect(run, f, plan.speed)),
    thresholds,
    harness: {
      generatorCpuPercent: gens,
      generatorCpuSeconds: run.reports.map((r) => round(r.cpuSeconds, 3)),
      generatorPeakRssMiB: run.reports.map((r) => round(r.peakRssBytes / 1048576, 1)),
      coordinatorCpuPercent: run.wallSeconds > 0 ? round((100 * run.coordinatorCpuSeconds) / run.wallSeconds, 1) : 0,
      busiestSecondCpuPercent: round(100 * Math.max(0, ...run.seconds.flatMap((r) => r.generatorCpu)), 1)
    },
    embeddedServers: x.embeddedServers
  }
}
