/**
 * The work budget of a scenario: what one replication will cost — calls and forms expected,
 * events, intervals, advisors at once, callers waiting at once, memory — estimated from the
 * compiled Model before anything runs, and the documented limits beyond which `ccsim run` (and
 * `ccsim validate`, which says what run would refuse) reports bad input instead of climbing to
 * gigabytes or running for hours. `perHour: 1e9` or `agents: 1000000000` are typos, not studies.
 *
 * Pure functions of the Model (and of the decoded Scenario for the one check that must come
 * before compiling: the number of intervals, since compiling allocates per-interval tables).
 *
 * Invariants: estimates err on the large side (the redial allowance assumes every attempt may be
 * abandoned); every limit problem names the figure, the limit and how to change the scenario.
 */
import { makeSampler } from "../engine/distributions.js"
import type { Problem } from "../domain/problem.js"
import { horizonDays, type Scenario } from "../../scenarios/schema/scenario.js"
import { OPEN } from "./calendar.js"
import { GROUP_BLENDED, GROUP_COUNT, GROUP_PHONE, type Model } from "./model.js"
import { DEFAULT_INTERVAL_MINUTES } from "./options.js"

/** Limits of one run. */
export interface WorkLimits {
  /** Most calls (first attempts + redials) — and, separately, most forms — expected per replication. */
  readonly maxCalls: number
  /** Most advisors logged in at once (all skills). */
  readonly maxAdvisors: number
  /** Most memory the run is estimated to need (bytes). */
  readonly maxMemoryBytes: number
  /** Replications the run keeps the tables of. */
  readonly replications: number
  /** Replications simulated at the same time (worker threads). */
  readonly concurrent: number
}

/** Default calls (and forms) per replication: 5e8, ~4 minutes of simulation; the 48-month contract has 7.7 M. */
export const DEFAULT_MAX_CALLS = 5e8
/** Advisors at once: the contract needs a few hundred; the Erlang staffing search stops at 100,000 too. */
export const MAX_ADVISORS = 100_000
/** Intervals of a horizon: 4 million (114 years of 15-minute intervals, 7.6 years of 1-minute ones). */
export const MAX_INTERVALS = 4_000_000
/** Estimated memory of a run: 4 GB. */
export const MAX_MEMORY_BYTES = 4 * 1024 ** 3

/** The limits `ccsim run` applies unless told otherwise (10 replications, as its default). */
export const defaultLimits = (overrides: Partial<WorkLimits> = {}): WorkLimits => ({
  maxCalls: DEFAULT_MAX_CALLS,
  maxAdvisors: MAX_ADVISORS,
  maxMemoryBytes: MAX_MEMORY_BYTES,
  replications: 10,
  concurrent: 1,
  ...overrides
})

/** What one replication of a model costs, as estimated before it runs. */
export interface WorkEstimate {
  /** Expected first attempts over the horizon (Poisson means, or the replayed arrivals). */
  readonly firstAttempts: number
  /** Redial allowance: calls per first attempt if every attempt were abandoned (1 without redials). */
  readonly redialFactor: number
  /** firstAttempts × redialFactor. */
  readonly calls: number
  /** Expected contact forms over the horizon. */
  readonly forms: number
  /** Events: an arrival, an answer or an abandonment per call, two per form, one per interval boundary. */
  readonly events: number
  readonly intervals: number
  readonly days: number
  /** Most advisors scheduled at once (all skills, before absence). */
  readonly peakAdvisors: number
  /** The scenario field that sets the advisors: `agents` or `staffing`. */
  readonly staffPath: "agents" | "staffing"
  /**
   * Most callers waiting at once, by a fluid model of the queue (the queue's memory). Computed on
   * first read (a cold loop over every interval: ~3 ms of a textbook `validate` by an interleaved
   * A/B, within noise): budgetProblems reads it only when replicationBytesAtMost does not already fit.
   */
  readonly peakWaiting: number
  /** Working memory of one replication in its thread (bytes; reads peakWaiting). */
  readonly replicationBytes: number
  /**
   * replicationBytes with every call waiting at once, 1% over: the fluid queue never holds more
   * (it gains at most an interval's calls in an interval, service being >= 0: the schema keeps
   * rates, shares and handle times non-negative; closures empty it).
   */
  readonly replicationBytesAtMost: number
  /** Memory of one replication's tables kept until the summary (bytes). */
  readonly resultBytes: number
}

// Bytes, from the typed arrays the code allocates (sim/model/simulation.ts, sim/kpi/intervals.ts).
/** Model tables per interval: call and form rates, status, telecom share, staff plans. */
const MODEL_BYTES_PER_INTERVAL = 50
/** A replication's interval table (24 float64 columns), its staff, rates and blended-forms copies. */
const REPLICATION_BYTES_PER_INTERVAL = 24 * 8 + 3 * 4 + 8 + 8
/** The per-day table by reason and flow (13 float64 columns × 19 groups), dated scenarios only. */
const GROUP_BYTES_PER_DAY = 13 * 8 * 19
/** Reports: CSV text per interval (~40 columns) and the period tables. */
const OUTPUT_BYTES_PER_INTERVAL = 400
/** An advisor: idle ring, free list, group and current caller. */
const BYTES_PER_ADVISOR = 24
/** A waiting caller: its record in the queue's ring (grown by doubling) and its abandonment timer. */
const BYTES_PER_WAITING = 140
/** A replayed arrival time. */
const BYTES_PER_REPLAYED = 8

/** Intervals a decoded scenario will compile to (before compiling: compiling allocates them). */
export const scenarioIntervals = (scenario: Scenario): number => {
  const minutes = scenario.intervalMinutes ?? DEFAULT_INTERVAL_MINUTES
  const days = horizonDays(scenario.horizon)
  if (days !== undefined) return (days.last - days.first + 1) * (1440 / minutes)
  const hours = (scenario.horizon as { hours: number }).hours
  return Math.max(1, Math.ceil((hours * 60) / minutes))
}

/** The problem with a decoded scenario's horizon, if it has too many intervals to compile. */
export const horizonProblems = (scenario: Scenario): Problem[] => {
  const intervals = scenarioIntervals(scenario)
  if (intervals <= MAX_INTERVALS) return []
  return [{
    path: "horizon",
    message: `about ${figure(intervals)} intervals of ${scenario.intervalMinutes ?? DEFAULT_INTERVAL_MINUTES} minutes; the limit is ${figure(MAX_INTERVALS)} (a shorter horizon or longer intervalMinutes)`
  }]
}

/** Expected phone-capable advisors (phone-only + blended) per interval, net of absence. */
const phoneStaff = (model: Model): Float64Array => {
  const n = model.intervalCount
  const out = new Float64Array(n)
  const present = 1 - model.absenceRate
  if (model.staffPlan !== null || model.scheduledPlan !== null) {
    const plan = model.staffPlan ?? model.scheduledPlan!
    const share = model.staffPlan !== null ? 1 : present
    for (let i = 0; i < n; i++) out[i] = (plan[GROUP_PHONE]![i]! + plan[GROUP_BLENDED]![i]!) * share
    return out
  }
  out.fill(model.constantStaff[GROUP_PHONE]! + model.constantStaff[GROUP_BLENDED]!)
  for (const block of model.staffBlocks) {
    if (block.group !== GROUP_PHONE && block.group !== GROUP_BLENDED) continue
    for (let d = 0; d < model.dayCount; d++) {
      const advisors = block.advisorsByDay[d]! * present
      if (advisors === 0) continue
      for (const [from, to] of block.pieces) {
        for (let k = from; k < to; k++) {
          const i = d * model.intervalsPerDay + k
          if (i < n) out[i]! += advisors
        }
      }
    }
  }
  return out
}

/** Most advisors scheduled at once, all skills, before absence (the sum of each group's peak bounds it). */
const peakAdvisorsOf = (model: Model): number => {
  const plan = model.staffPlan ?? model.scheduledPlan
  if (plan !== null) {
    let peak = 0
    for (let i = 0; i < model.intervalCount; i++) {
      let sum = 0
      for (let g = 0; g < GROUP_COUNT; g++) sum += plan[g]![i]!
      if (sum > peak) peak = sum
    }
    return peak
  }
  let constant = 0
  for (const c of model.constantStaff) constant += c
  // Per day, the blocks' advisors together (blocks of one day may not overlap, so this is an upper bound).
  let peakDay = 0
  for (let d = 0; d < model.dayCount; d++) {
    let sum = 0
    for (const block of model.staffBlocks) sum += block.advisorsByDay[d]!
    if (sum > peakDay) peakDay = sum
  }
  return constant + peakDay
}

/** Mean handling time of a call (talk over the base mix, plus wrap-up), seconds. */
const meanHandleSeconds = (model: Model): number => {
  const mix = model.mixes[0]!
  const talk = model.talk.map((spec) => makeSampler(spec).mean)
  let mean = 0
  mix.flows.forEach((pFlow, f) => mix.reasons[f]!.forEach((pReason, r) => (mean += pFlow * pReason * talk[r]!)))
  return mean + (model.wrapUp ? makeSampler(model.wrapUp).mean : 0)
}

/**
 * Most callers waiting at once, by the fluid queue dq/dt = λ − s − q/P (P the mean patience;
 * without patience the queue only drains by service), solved exactly over each interval;
 * closing cuts the queue. Deterministic: what matters here is a queue that grows for days.
 */
const fluidPeakWaiting = (model: Model, arrivals: Float64Array, redialFactor: number): number => {
  const handle = meanHandleSeconds(model)
  const staff = phoneStaff(model)
  const patience = model.patience ? makeSampler(model.patience).mean : Infinity
  const span = model.intervalSeconds
  let q = 0
  let peak = 0
  for (let i = 0; i < model.intervalCount; i++) {
    if (model.status[i] !== OPEN) {
      q = 0
      continue
    }
    const lambda = (arrivals[i]! * redialFactor) / span
    const service = handle > 0 ? staff[i]! / handle : Infinity
    if (patience === Infinity) q = Math.max(0, q + (lambda - service) * span)
    else {
      const steady = (lambda - service) * patience
      q = Math.max(0, steady + (q - steady) * Math.exp(-span / patience))
    }
    if (q > peak) peak = q
  }
  return peak
}

/** Expected first attempts per interval (a replay is binned by arrival time). */
const arrivalsPerInterval = (model: Model): Float64Array => {
  const n = model.intervalCount
  const out = new Float64Array(n)
  const span = model.intervalSeconds
  if (model.arrivalTimes !== null) {
    for (const t of model.arrivalTimes) if (t >= 0 && t < model.horizonSeconds) out[Math.min(n - 1, Math.floor(t / span))]! += 1
    return out
  }
  for (let i = 0; i < n; i++) out[i] = model.callRate[i]! * Math.max(0, Math.min(span, model.horizonSeconds - i * span))
  return out
}

/** Estimates what one replication of `model` costs. */
export const estimateWork = (model: Model): WorkEstimate => {
  const arrivals = arrivalsPerInterval(model)
  let firstAttempts = 0
  for (let i = 0; i < arrivals.length; i++) firstAttempts += arrivals[i]!
  // Attempt k + 1 happens with probability p^k at most (each earlier one abandoned, then
  // redialled): 1 + p + … + p^(m−1) calls per first attempt.
  const p = model.redial?.probability ?? 0
  const m = model.redial?.maxAttempts ?? 1
  const redialFactor = p <= 0 ? 1 : p >= 1 ? m : (1 - p ** m) / (1 - p)
  const calls = firstAttempts * redialFactor
  let forms = 0
  if (model.formHandle !== null) {
    for (let i = 0; i < model.intervalCount; i++) forms += model.formRate[i]! * Math.max(0, Math.min(model.intervalSeconds, model.horizonSeconds - i * model.intervalSeconds))
  }
  const peakAdvisors = peakAdvisorsOf(model)
  let peakWaiting: number | undefined
  const fluidPeak = () => (peakWaiting ??= fluidPeakWaiting(model, arrivals, redialFactor))
  const intervals = model.intervalCount
  const days = model.dayCount
  const groupBytes = model.reasons.length > 1 || model.flows.length > 1 ? days * GROUP_BYTES_PER_DAY : 0
  const replayBytes = (model.arrivalTimes?.length ?? 0) * BYTES_PER_REPLAYED
  const queueFree = intervals * (MODEL_BYTES_PER_INTERVAL + REPLICATION_BYTES_PER_INTERVAL) + groupBytes + replayBytes + peakAdvisors * BYTES_PER_ADVISOR
  return {
    firstAttempts,
    redialFactor,
    calls,
    forms,
    events: 3 * calls + 2 * forms + intervals,
    intervals,
    days,
    peakAdvisors,
    staffPath: model.staffBlocks.length === 0 && model.staffPlan === null && model.scheduledPlan === null ? "agents" : "staffing",
    get peakWaiting() {
      return fluidPeak()
    },
    get replicationBytes() {
      return queueFree + fluidPeak() * BYTES_PER_WAITING
    },
    // 1% over: room for the fluid recurrence's rounding.
    replicationBytesAtMost: queueFree + 1.01 * calls * BYTES_PER_WAITING,
    resultBytes: intervals * 24 * 8 + groupBytes
  }
}

/** A worker thread's own memory (a Node isolate with the bundle loaded). */
const BYTES_PER_THREAD = 40 * 1024 ** 2

/** Memory of a whole run, by part: the replications running at once, every replication's tables, the reports. */
export const runMemory = (e: WorkEstimate, limits: Pick<WorkLimits, "replications" | "concurrent">, replicationBytes = e.replicationBytes) => {
  const atOnce = Math.max(1, Math.min(limits.concurrent, limits.replications))
  const working = (replicationBytes + (atOnce > 1 ? BYTES_PER_THREAD : 0)) * atOnce
  const tables = e.resultBytes * limits.replications
  const reports = e.intervals * OUTPUT_BYTES_PER_INTERVAL
  return { atOnce, working, tables, reports, total: working + tables + reports }
}

/** An estimate as messages show it: "2.0e13" from 1e8 up, three significant digits ("7,160,000") below, whole under 10,000. */
export const figure = (x: number): string =>
  !Number.isFinite(x)
    ? "unbounded"
    : x >= 1e8
      ? x.toExponential(1).replace("e+", "e")
      : x >= 1e4
        ? Number(x.toPrecision(3)).toLocaleString("en-US")
        : Math.round(x).toLocaleString("en-US")

/** "1.2 GB", "35 MB", "2.0e4 GB". */
const size = (bytes: number): string =>
  bytes >= 100 * 1024 ** 3 ? `${figure(bytes / 1024 ** 3)} GB` : bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${Math.ceil(bytes / 1024 ** 2)} MB`

/** "about 2.0e13", or "an unbounded number of" for an overflow (perHour: 1e308 over 2,000 h). */
const about = (x: number): string => (Number.isFinite(x) ? `about ${figure(x)}` : "an unbounded number of")

/** Every limit the estimate goes past, as problems with the figure and the limit. */
export const budgetProblems = (e: WorkEstimate, limits: WorkLimits): Problem[] => {
  const problems: Problem[] = []
  if (!(e.calls <= limits.maxCalls)) {
    problems.push({
      path: "arrivals",
      message:
        `${about(e.calls)} calls expected over the horizon` +
        (e.redialFactor > 1 ? ` (${figure(e.firstAttempts)} first attempts × ${e.redialFactor.toFixed(2)} for redials)` : "") +
        `; the limit is ${figure(limits.maxCalls)} per replication (--max-calls to raise it)`
    })
  }
  if (!(e.forms <= limits.maxCalls)) {
    problems.push({ path: "forms", message: `${about(e.forms)} contact forms expected over the horizon; the limit is ${figure(limits.maxCalls)} per replication (--max-calls to raise it)` })
  }
  if (!(e.peakAdvisors <= limits.maxAdvisors)) {
    problems.push({ path: e.staffPath, message: `${figure(e.peakAdvisors)} advisors at once; the limit is ${figure(limits.maxAdvisors)}` })
  }
  // The fluid queue (e.peakWaiting) is only worked out when the run might not fit without it.
  if (problems.length > 0 || runMemory(e, limits, e.replicationBytesAtMost).total <= limits.maxMemoryBytes) return problems
  const memory = runMemory(e, limits)
  if (!(memory.total <= limits.maxMemoryBytes)) {
    const queue = e.peakWaiting * BYTES_PER_WAITING > e.replicationBytes / 2
    problems.push({
      path: queue ? e.staffPath : "",
      message:
        `the run would need about ${size(memory.total)} of memory; the limit is ${size(limits.maxMemoryBytes)}: ` +
        `${figure(memory.atOnce)} replication${memory.atOnce === 1 ? "" : "s"} at once × ${size(memory.working / memory.atOnce)}, ` +
        `the tables of ${figure(limits.replications)} replication${limits.replications === 1 ? "" : "s"} × ${size(e.resultBytes)}, reports ${size(memory.reports)}` +
        (queue
          ? ` — about ${figure(e.peakWaiting)} callers waiting at once: the advisors cannot keep up with the calls`
          : ` — fewer replications or workers, a shorter horizon or longer intervals`)
    })
  }
  return problems
}
