/**
 * What the live harness measures: mergeable HDR histograms of latencies (microseconds, three
 * significant digits, up to an hour) and named counters, per generator process, per 10-second
 * window and per second, sent to the coordinator encoded (compressed base64) and merged there.
 *
 * Invariants (STYLE 19):
 * - every latency is timed from the *intended* instant of the action (the schedule's, not the
 *   moment the generator got round to it): a late generator shows up in the latencies, never
 *   hides them (coordinated omission);
 * - percentiles are never averaged: generators' histograms are added, then read;
 * - a window's histograms are the values recorded in that window only (they are reset after
 *   each snapshot), so windows add up to the run's total.
 */
import * as hdr from "hdr-histogram-js"

/** Every latency metric, with what it times (README "Live harness" lists the same). */
export const LATENCY_METRICS = {
  connect: "Odigo agent websocket: intended connection (shift start, reconnection) -> socket open",
  login: "Odigo login: intended start -> login ack (connection included)",
  command_ack: "agent command (answer, hangup, transfer, qualify, endWrapUp, setState, logout): intended send -> ack",
  offer_latency: "POST /calls intended -> call.offered at an agent, minus the queue wait the server reports (queuedMs)",
  answer_connected: "answer intended (offer received) -> call.connected",
  inject: "POST /calls: intended arrival -> 201",
  caller_hangup: "DELETE /calls/:ref: intended hang-up (patience over, closing) -> answer",
  supervision_staleness: "supervision delta: server time `at` -> received",
  psn1_login: "PSN1 login: intended -> token (password, OTP from the mailbox, OTP)",
  psn1_request: "every PSN1 request: intended -> answer",
  psn1_ticket: "POST /tickets (Idempotency-Key): intended (wrap-up start) -> 201",
  psn1_form_inject: "POST /forms: intended arrival -> 201",
  psn1_form_claim: "POST /forms/claim-next: intended -> answer",
  psn1_form_answer: "POST /forms/:id/answer: intended (handling over) -> 200",
  reconnect: "dropped agent connection: drop -> logged in again (session restored)",
  generator_lag: "the generator's own lateness: intended instant -> action taken",
  loop_delay: "the generator's event-loop delay (lateness of a 10 ms probe timer)"
} as const

export type LatencyMetric = keyof typeof LATENCY_METRICS
export const LATENCY_NAMES = Object.keys(LATENCY_METRICS) as ReadonlyArray<LatencyMetric>

/** Metrics also kept per second (recovery after a fault is read on them). */
export const PER_SECOND_METRICS: ReadonlyArray<LatencyMetric> = ["offer_latency", "command_ack"]

const HIGHEST_US = 3_600_000_000

export const newHistogram = (): hdr.Histogram =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3, autoResize: false })

/** Records `ms` (clamped to [1 µs, 1 h]) into `h`. */
const recordMs = (h: hdr.Histogram, ms: number): void => {
  const us = Math.round(ms * 1000)
  h.recordValue(us < 1 ? 1 : us > HIGHEST_US ? HIGHEST_US : us)
}

/** Encoded histograms and counters, as sent between processes. */
export interface MetricsSnapshot {
  readonly histograms: Partial<Record<LatencyMetric, string>>
  readonly counters: Readonly<Record<string, number>>
  /** The first errors in words (what was refused, and why), to say what happened, not only how often. */
  readonly samples?: ReadonlyArray<string>
}

/** Error descriptions kept per process (the counters count them all). */
const SAMPLES_KEPT = 10

export const encode = (h: hdr.Histogram): string => hdr.encodeIntoCompressedBase64(h)
export const decode = (s: string): hdr.Histogram => {
  const h = hdr.decodeFromCompressedBase64(s, 32, false)
  return h
}

/** One process's measurements: totals, the current 10 s window and the current second. */
export class Metrics {
  private readonly total = new Map<LatencyMetric, hdr.Histogram>()
  private readonly window = new Map<LatencyMetric, hdr.Histogram>()
  private readonly second = new Map<LatencyMetric, hdr.Histogram>()
  private readonly counters = new Map<string, number>()
  private readonly windowCounters = new Map<string, number>()
  private readonly samples: string[] = []

  /** Records a latency of `ms` milliseconds. */
  record(metric: LatencyMetric, ms: number): void {
    recordMs(this.histogram(this.total, metric), ms)
    recordMs(this.histogram(this.window, metric), ms)
    if (PER_SECOND_METRICS.includes(metric)) recordMs(this.histogram(this.second, metric), ms)
  }

  /** Adds `n` to counter `name` (in the total and the current window). */
  count(name: string, n = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + n)
    this.windowCounters.set(name, (this.windowCounters.get(name) ?? 0) + n)
  }

  /** An error, by its catalogue code (error frames, HTTP refusals, network errors), and what it was about. */
  error(code: string, detail?: string): void {
    this.count(`errors.${code}`)
    if (detail !== undefined && this.samples.length < SAMPLES_KEPT) this.samples.push(`${code}: ${detail}`.slice(0, 300))
  }

  counter(name: string): number {
    return this.counters.get(name) ?? 0
  }

  /** Errors so far, all codes (cheap: no histogram is encoded). */
  errorCount(): number {
    let n = 0
    for (const [k, v] of this.counters) if (k.startsWith("errors.")) n += v
    return n
  }

  /** The run so far (histograms encoded). */
  totals(): MetricsSnapshot {
    return { ...snapshotOf(this.total, this.counters), samples: [...this.samples] }
  }

  /** The current 10 s window, then a fresh one. */
  takeWindow(): MetricsSnapshot {
    const s = snapshotOf(this.window, this.windowCounters)
    for (const h of this.window.values()) h.reset()
    this.windowCounters.clear()
    return s
  }

  /** The current second's per-second histograms, then a fresh second. */
  takeSecond(): Partial<Record<LatencyMetric, string>> {
    const out: Partial<Record<LatencyMetric, string>> = {}
    for (const [k, h] of this.second) {
      if (h.totalCount > 0) out[k] = encode(h)
      h.reset()
    }
    return out
  }

  private histogram(map: Map<LatencyMetric, hdr.Histogram>, metric: LatencyMetric): hdr.Histogram {
    let h = map.get(metric)
    if (h === undefined) {
      h = newHistogram()
      map.set(metric, h)
    }
    return h
  }
}

const snapshotOf = (histograms: Map<LatencyMetric, hdr.Histogram>, counters: Map<string, number>): MetricsSnapshot => {
  const out: Partial<Record<LatencyMetric, string>> = {}
  for (const [k, h] of histograms) if (h.totalCount > 0) out[k] = encode(h)
  return { histograms: out, counters: Object.fromEntries(counters) }
}

/** Histograms and counters added up from several snapshots (generators, or windows). */
export class MergedMetrics {
  readonly histograms = new Map<LatencyMetric, hdr.Histogram>()
  readonly counters = new Map<string, number>()
  readonly samples: string[] = []

  add(s: MetricsSnapshot): this {
    for (const x of s.samples ?? []) if (this.samples.length < 3 * SAMPLES_KEPT) this.samples.push(x)
    for (const [k, enc] of Object.entries(s.histograms) as Array<[LatencyMetric, string]>) this.addHistogram(k, enc)
    for (const [k, v] of Object.entries(s.counters)) this.counters.set(k, (this.counters.get(k) ?? 0) + v)
    return this
  }

  addHistogram(metric: LatencyMetric, encoded: string): void {
    const h = decode(encoded)
    const into = this.histograms.get(metric)
    if (into === undefined) {
      const fresh = newHistogram()
      fresh.add(h)
      this.histograms.set(metric, fresh)
    } else into.add(h)
  }

  counter(name: string): number {
    return this.counters.get(name) ?? 0
  }

  /** Counters whose name starts with `prefix` (without it), e.g. the errors by code. */
  countersUnder(prefix: string): Record<string, number> {
    const out: Record<string, number> = {}
    for (const [k, v] of this.counters) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v
    return out
  }

  stats(metric: LatencyMetric): LatencyStats | null {
    const h = this.histograms.get(metric)
    return h === undefined || h.totalCount === 0 ? null : statsOf(h)
  }
}

/** A latency distribution as the report shows it, in milliseconds. */
export interface LatencyStats {
  readonly count: number
  readonly meanMs: number
  readonly minMs: number
  readonly p50Ms: number
  readonly p90Ms: number
  readonly p95Ms: number
  readonly p99Ms: number
  readonly p999Ms: number
  readonly maxMs: number
}

const ms3 = (us: number): number => Math.round(us) / 1000

export const statsOf = (h: hdr.Histogram): LatencyStats => ({
  count: h.totalCount,
  meanMs: Math.round(h.mean) / 1000,
  minMs: ms3(h.minNonZeroValue),
  p50Ms: ms3(h.getValueAtPercentile(50)),
  p90Ms: ms3(h.getValueAtPercentile(90)),
  p95Ms: ms3(h.getValueAtPercentile(95)),
  p99Ms: ms3(h.getValueAtPercentile(99)),
  p999Ms: ms3(h.getValueAtPercentile(99.9)),
  maxMs: ms3(h.maxValue)
})

/** Value of a percentile of a histogram, ms (for thresholds such as p(99.5)). */
export const percentileMs = (h: hdr.Histogram, p: number): number => ms3(h.getValueAtPercentile(p))
