/**
 * k6-style pass/fail criteria for CI pipelines: `--threshold 'offer_latency p(99)<50ms'`,
 * `--threshold 'error_rate<0.1%'`. A run whose thresholds all hold exits 0; one that fails any
 * exits 99, as k6 does.
 *
 * Grammar: `METRIC [AGGREGATE] OP VALUE[UNIT]`
 * - METRIC: a latency (sim/live/metrics.ts `LATENCY_METRICS`) with an aggregate `avg`, `min`,
 *   `med`, `max`, `count` or `p(N)` (N in (0, 100]); or a run figure: `error_rate`,
 *   `answer_rate`, `abandon_rate` (fractions), `lost_calls`, `errors`, `reconnects` (counts),
 *   `mean_wait` (simulated seconds).
 * - OP: `<`, `<=`, `>`, `>=`, `==`, `!=`.
 * - UNIT: `ms`, `s`, `us` for latencies (default ms), `%` for fractions.
 *
 * Invariant: a threshold either parses into one exact comparison or is refused with a message
 * that says what was expected — never silently ignored (a typo must not pass a CI gate).
 */
import { LATENCY_NAMES, type LatencyMetric } from "./metrics.js"

export const RUN_FIGURES = {
  error_rate: "errors / operations (commands, REST and websocket requests), a fraction",
  answer_rate: "calls answered / calls injected, as the harness saw them",
  abandon_rate: "calls abandoned / calls injected",
  lost_calls: "calls the harness and the mock do not account for alike (must be 0)",
  errors: "errors, all codes",
  reconnects: "agent connections dropped and reopened",
  mean_wait: "mean queue wait of the injected calls, simulated seconds"
} as const
export type RunFigure = keyof typeof RUN_FIGURES

export type Aggregate = { readonly kind: "avg" | "min" | "med" | "max" | "count" } | { readonly kind: "p"; readonly percentile: number }
export type Op = "<" | "<=" | ">" | ">=" | "==" | "!="

export interface Threshold {
  readonly source: string
  readonly metric: LatencyMetric | RunFigure
  readonly aggregate: Aggregate | null
  readonly op: Op
  /** In ms for latencies, a fraction for rates, a count, or simulated seconds for mean_wait. */
  readonly value: number
}

const PATTERN = /^\s*([a-z][a-z0-9_]*)\s*(?:(avg|min|med|max|count|p\(\s*([0-9]+(?:\.[0-9]+)?)\s*\)))?\s*(<=|>=|==|!=|<|>)\s*(-?[0-9]+(?:\.[0-9]+)?)\s*(ms|s|us|%)?\s*$/

/** Parses one threshold; a string message says why it does not parse. */
export const parseThreshold = (source: string): Threshold | string => {
  const m = PATTERN.exec(source)
  if (m === null) return `expected METRIC [avg|min|med|max|count|p(N)] OP VALUE[ms|s|us|%], e.g. 'offer_latency p(99)<50ms' or 'error_rate<0.1%'`
  const [, name, agg, pct, op, num, unit] = m as unknown as [string, string, string | undefined, string | undefined, Op, string, string | undefined]
  const isLatency = (LATENCY_NAMES as ReadonlyArray<string>).includes(name)
  const isFigure = name in RUN_FIGURES
  if (!isLatency && !isFigure) return `unknown metric ${JSON.stringify(name)}; expected one of ${[...LATENCY_NAMES, ...Object.keys(RUN_FIGURES)].join(", ")}`
  let value = Number(num)
  let aggregate: Aggregate | null = null
  if (isLatency) {
    if (agg === undefined) return `${name} is a latency: give an aggregate (avg, min, med, max, count or p(N)), e.g. '${name} p(99)<50ms'`
    if (pct !== undefined) {
      const p = Number(pct)
      if (!(p > 0 && p <= 100)) return `p(${pct}): the percentile must be in (0, 100]`
      aggregate = { kind: "p", percentile: p }
    } else aggregate = { kind: agg as "avg" | "min" | "med" | "max" | "count" }
    if (aggregate.kind === "count") {
      if (unit !== undefined) return `${name} count is a number of values: no unit`
    } else if (unit === "%") return `${name} is a latency: use ms, s or us, not %`
    else if (unit === "s") value *= 1000
    else if (unit === "us") value /= 1000
  } else {
    if (agg !== undefined) return `${name} is a single figure: no aggregate`
    const fraction = name === "error_rate" || name === "answer_rate" || name === "abandon_rate"
    if (unit === "%") {
      if (!fraction) return `${name} is not a fraction: % does not apply`
      value /= 100
    } else if (unit !== undefined && !(name === "mean_wait" && unit === "s")) return `${name}: unit ${unit} does not apply`
  }
  return { source: source.trim(), metric: name as LatencyMetric | RunFigure, aggregate, op, value }
}

export const compare = (actual: number, op: Op, bound: number): boolean => {
  switch (op) {
    case "<":
      return actual < bound
    case "<=":
      return actual <= bound
    case ">":
      return actual > bound
    case ">=":
      return actual >= bound
    case "==":
      return actual === bound
    case "!=":
      return actual !== bound
  }
}

export interface ThresholdResult {
  readonly threshold: string
  /** The measured value (ms, fraction, count or seconds), null when nothing was measured. */
  readonly actual: number | null
  readonly ok: boolean
}

/** Judges thresholds; a threshold on something never measured fails (no evidence, no pass). */
export const judge = (thresholds: ReadonlyArray<Threshold>, valueOf: (t: Threshold) => number | null): ThresholdResult[] =>
  thresholds.map((t) => {
    const actual = valueOf(t)
    return { threshold: t.source, actual, ok: actual !== null && Number.isFinite(actual) && compare(actual, t.op, t.value) }
  })
