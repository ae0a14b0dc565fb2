/**
 * Comparing runs (`ccsim report A B …`): the same periods side by side, each run's difference
 * from the first (the reference) with its 95% interval, and which run meets which target.
 *
 * Differences are computed from each run's per-replication values (replicas.json):
 * - **paired** when the two runs share the seed and the replication numbers: replication r of
 *   both saw the same callers wherever the scenarios agree (common random numbers, DESIGN
 *   "Randomness"), so the interval is Student t on the per-replication differences — much
 *   narrower than the runs' own intervals suggest;
 * - **unpaired** otherwise: Welch's interval (unequal variances, Welch–Satterthwaite degrees of
 *   freedom).
 * With fewer than two replications there is no interval.
 *
 * Runs of different horizons are not compared (`horizonProblem`): their periods do not match.
 */
import { KPI_BOUNDS } from "../sim/kpi/cctp.js"
import { estimate, studentTQuantile, type Bounds } from "../sim/engine/stats.js"
import { COLOR, FORMAT, frame, ifMeasured, ONCE, referenceLine, validFilter as valid, WIDTH, type Chart, type VlSpec } from "./charts/common.js"
import { formatter, type Formatter, type Locale } from "./format.js"
import { esc, type Page, type Section } from "./html.js"
import { replicaValues, type ReplicaColumn, type Replicas, type ReportInput, type RunMeta } from "./run-data.js"
import { formatKpi, htmlTable, kpiLines, STANDING_TEXT } from "./sections.js"
import { standings } from "./status.js"

/** A run as a comparison reads it. */
export interface ComparedRun {
  /** How the page names the run (its folder). */
  readonly label: string
  readonly input: Pick<ReportInput, "meta" | "summary" | "replicas" | "months">
}

export interface Difference {
  /** Mean of the run minus mean of the reference. */
  readonly mean: number
  readonly lo: number
  readonly hi: number
  readonly method: "paired" | "welch"
  /** Replications behind it (pairs, or the smaller run). */
  readonly n: number
}

/** The span of a run's grid: dates, or intervals for undated runs. */
const horizonText = (m: RunMeta) => (m.from !== null ? `${m.from} to ${m.to}` : `${m.intervalCount} intervals of ${m.intervalSeconds / 60} min (undated)`)

/** Why runs cannot be compared period by period, or null. */
export const horizonProblem = (runs: ReadonlyArray<ComparedRun>): string | null => {
  const first = runs[0]
  if (first === undefined) return null
  const key = (m: RunMeta) => `${m.from}|${m.to}|${m.intervalCount}|${m.intervalSeconds}|${m.warmupIntervals}`
  const odd = runs.filter((r) => key(r.input.meta) !== key(first.input.meta))
  if (odd.length === 0) return null
  return `runs of different horizons cannot be compared period by period: ${runs.map((r) => `${r.label} covers ${horizonText(r.input.meta)}`).join("; ")}`
}

/** Same seed and the same replication numbers: replication r of one run pairs with replication r of the other. */
export const isPaired = (a: Replicas, b: Replicas): boolean =>
  a.seed === b.seed && a.replications.length === b.replications.length && a.replications.every((r, i) => b.replications[i] === r)

/** Difference b − a with its 95% interval; `paired` takes values replication by replication. */
export const difference = (a: ReadonlyArray<number>, b: ReadonlyArray<number>, paired: boolean): Difference => {
  if (paired) {
    const d = a.map((x, i) => (b[i] ?? NaN) - x).filter(Number.isFinite)
    const e = estimate(d)
    return { mean: e.mean, lo: e.ci95[0], hi: e.ci95[1], method: "paired", n: d.length }
  }
  const xs = a.filter(Number.isFinite)
  const ys = b.filter(Number.isFinite)
  const mean = (v: ReadonlyArray<number>) => v.reduce((s, x) => s + x, 0) / v.length
  const variance = (v: ReadonlyArray<number>, m: number) => v.reduce((s, x) => s + (x - m) * (x - m), 0) / (v.length - 1)
  const n = Math.min(xs.length, ys.length)
  if (xs.length === 0 || ys.length === 0) return { mean: NaN, lo: NaN, hi: NaN, method: "welch", n }
  const mx = mean(xs)
  const my = mean(ys)
  if (xs.length < 2 || ys.length < 2) return { mean: my - mx, lo: NaN, hi: NaN, method: "welch", n }
  const vx = variance(xs, mx) / xs.length
  const vy = variance(ys, my) / ys.length
  const se = Math.sqrt(vx + vy)
  if (se === 0) return { mean: my - mx, lo: my - mx, hi: my - mx, method: "welch", n }
  const df = (vx + vy) ** 2 / (vx ** 2 / (xs.length - 1) + vy ** 2 / (ys.length - 1))
  const half = studentTQuantile(0.975, df) * se
  return { mean: my - mx, lo: my - mx - half, hi: my - mx + half, method: "welch", n }
}

/** The periods every run has, in the reference's order (months, then "horizon"). */
export const sharedPeriods = (runs: ReadonlyArray<ComparedRun>): string[] => {
  const [first, ...rest] = runs
  if (first === undefined) return []
  return first.input.replicas.periods.map((p) => p.period).filter((p) => rest.every((r) => r.input.replicas.periods.some((q) => q.period === p)))
}

export interface ComparisonRow {
  readonly period: string
  readonly run: string
  readonly mean: number
  readonly lo: number
  readonly hi: number
  /** vs the reference (null for the reference itself). */
  readonly diff: number | null
  readonly diffLo: number | null
  readonly diffHi: number | null
  readonly method: "paired" | "welch" | null
}

/** The range of a compared column: a KPI's (rates in [0, 1]), euros and counts >= 0. */
const boundsOf = (column: ReplicaColumn): Bounds => KPI_BOUNDS[column] ?? { min: 0 }

/**
 * Per period and run: a replica column's mean and 95% interval (clipped to the column's range,
 * as summary.json's are), and its difference from the reference (not clipped).
 */
export const comparisonRows = (runs: ReadonlyArray<ComparedRun>, column: ReplicaColumn, periods: ReadonlyArray<string>): ComparisonRow[] => {
  const ref = runs[0]
  if (ref === undefined) return []
  return periods.flatMap((period) =>
    runs.map((run, i) => {
      const values = replicaValues(run.input.replicas, period, column)
      const e = estimate(values, 0.95, boundsOf(column))
      const d = i === 0 ? null : difference(replicaValues(ref.input.replicas, period, column), values, isPaired(ref.input.replicas, run.input.replicas))
      return {
        period,
        run: run.label,
        mean: e.mean,
        lo: e.ci95[0],
        hi: e.ci95[1],
        diff: d?.mean ?? null,
        diffLo: d?.lo ?? null,
        diffHi: d?.hi ?? null,
        method: d?.method ?? null
      }
    })
  )
}

/** The columns compared, with how to print them and the lines they are judged against. */
const COMPARED: ReadonlyArray<{ readonly column: ReplicaColumn; readonly label: string; readonly unit: "share" | "seconds" | "euros" | "hours"; readonly lines?: "answerRate" | "meanWaitSeconds" }> = [
  { column: "answerRate", label: "Answer rate", unit: "share", lines: "answerRate" },
  { column: "meanWaitSeconds", label: "Mean wait (s)", unit: "seconds", lines: "meanWaitSeconds" },
  { column: "serviceLevel", label: "Service level", unit: "share" },
  { column: "abandonRate", label: "Abandon rate", unit: "share" },
  { column: "productiveHours", label: "Productive hours", unit: "hours" },
  { column: "invoice", label: "Invoice", unit: "euros" },
  { column: "penalties", label: "Penalties paid", unit: "euros" }
]

const formatUnit = (fmt: Formatter, unit: "share" | "seconds" | "euros" | "hours", x: number | null, signed = false): string => {
  if (x === null || !Number.isFinite(x)) return "—"
  const sign = signed && x > 0 ? "+" : ""
  switch (unit) {
    case "share":
      return signed ? `${sign}${fmt.num(100 * x, 2)} pts` : fmt.pct(x, 2)
    case "seconds":
      return sign + fmt.secs(x, 1)
    case "euros":
      return sign + fmt.eur(x)
    case "hours":
      return sign + fmt.int(x)
  }
}

const formatDiff = (fmt: Formatter, unit: "share" | "seconds" | "euros" | "hours", r: ComparisonRow): string =>
  r.diff === null
    ? "reference"
    : `${formatUnit(fmt, unit, r.diff, true)} ${r.diffLo !== null && Number.isFinite(r.diffLo) ? `[${formatUnit(fmt, unit, r.diffLo, true)}, ${formatUnit(fmt, unit, r.diffHi, true)}]` : "(no interval)"}`

const FORMAT_OF = { share: FORMAT.share, seconds: FORMAT.seconds, euros: FORMAT.euros, hours: FORMAT.hours } as const

/** A compared column per month: each run's mean and interval side by side, with the CCTP lines. */
export const compareMonthsChart = (rows: ReadonlyArray<ComparisonRow>, column: ReplicaColumn, label: string, unit: keyof typeof FORMAT_OF, lines: VlSpec[]): Chart => {
  const data = rows.filter((r) => r.period !== "horizon")
  const runs = [...new Set(data.map((r) => r.run))]
  const x = { field: "period", type: "ordinal", title: null, axis: { labelAngle: -45, labelOverlap: true } }
  // Runs in the order given (the reference first), not alphabetical: colours and offsets follow it.
  const color = { field: "run", type: "nominal", title: "run", sort: runs, legend: { orient: "top" }, scale: { domain: runs, range: [COLOR.primary, COLOR.secondary, COLOR.third, COLOR.penalty, COLOR.muted] } }
  return {
    id: `compare-${column}`,
    title: `${label} per month, run by run`,
    spec: frame(`${label} per month: each run's mean and 95% interval`, { [`compare-${column}`]: data }, {
      description: `Per month and run: the mean of ${label} across replications (point) and its 95% interval (bar).`,
      data: { name: `compare-${column}` },
      width: WIDTH,
      height: 240,
      layer: [
        ...ifMeasured(data, ["lo", "hi"], [{ name: "interval", transform: [valid("lo"), valid("hi")], mark: { type: "rule", strokeWidth: 2 }, encoding: { x, xOffset: { field: "run", sort: runs }, y: { field: "lo", type: "quantitative" }, y2: { field: "hi" }, color } }]),
        {
          name: "mean",
          mark: { type: "point", filled: true, size: 40, tooltip: true },
          encoding: {
            x,
            xOffset: { field: "run", sort: runs },
            y: { field: "mean", type: "quantitative", title: label, axis: { format: FORMAT_OF[unit] }, scale: { zero: false } },
            color,
            tooltip: [
              { field: "period", type: "ordinal", title: "month" },
              { field: "run", type: "nominal" },
              { field: "mean", type: "quantitative", format: FORMAT_OF[unit] },
              { field: "lo", type: "quantitative", title: "95% low", format: FORMAT_OF[unit] },
              { field: "hi", type: "quantitative", title: "95% high", format: FORMAT_OF[unit] }
            ]
          }
        },
        ...lines
      ]
    })
  }
}

/** Each run's difference from the reference per month, with its 95% interval, around zero. */
export const differenceChart = (rows: ReadonlyArray<ComparisonRow>, column: ReplicaColumn, label: string, unit: keyof typeof FORMAT_OF, reference: string): Chart => {
  const data = rows.filter((r) => r.period !== "horizon" && r.diff !== null)
  const x = { field: "period", type: "ordinal", title: null, axis: { labelAngle: -45, labelOverlap: true } }
  return {
    id: `difference-${column}`,
    title: `${label}: difference from ${reference}`,
    spec: frame(`${label}: each run minus ${reference}, per month, with the 95% interval of the difference`, { [`difference-${column}`]: data }, {
      description: `Per month: the difference in ${label} from the reference run (point) and its 95% interval (bar) — paired replication by replication when the runs share their seed, Welch otherwise.`,
      data: { name: `difference-${column}` },
      width: WIDTH,
      height: 220,
      layer: [
        { name: "zero", data: ONCE, mark: { type: "rule", color: COLOR.muted }, encoding: { y: { datum: 0 } } },
        ...ifMeasured(data, ["diffLo", "diffHi"], [{ name: "interval", transform: [valid("diffLo"), valid("diffHi")], mark: { type: "rule", strokeWidth: 2, color: COLOR.secondary }, encoding: { x, xOffset: { field: "run" }, y: { field: "diffLo", type: "quantitative" }, y2: { field: "diffHi" } } }]),
        {
          name: "difference",
          transform: [valid("diff")],
          mark: { type: "point", filled: true, size: 40, color: COLOR.secondary, tooltip: true },
          encoding: {
            x,
            xOffset: { field: "run" },
            y: { field: "diff", type: "quantitative", title: `difference in ${label}`, axis: { format: FORMAT_OF[unit] } },
            shape: { field: "run", type: "nominal", legend: { orient: "top", title: null } },
            tooltip: [
              { field: "period", type: "ordinal", title: "month" },
              { field: "run", type: "nominal" },
              { field: "diff", type: "quantitative", title: "difference", format: FORMAT_OF[unit] },
              { field: "diffLo", type: "quantitative", title: "95% low", format: FORMAT_OF[unit] },
              { field: "diffHi", type: "quantitative", title: "95% high", format: FORMAT_OF[unit] },
              { field: "method", type: "nominal" }
            ]
          }
        }
      ]
    })
  }
}

const asInput = (r: ComparedRun): ReportInput => ({ ...r.input, days: [], reportDays: [] })

/** The comparison page. Runs must share their horizon (horizonProblem). */
export const comparisonPage = (runs: ReadonlyArray<ComparedRun>, locale: Locale): Page => {
  const fmt = formatter(locale)
  const ref = runs[0]!
  const periods = sharedPeriods(runs)
  const months = periods.filter((p) => p !== "horizon")
  const pairing = (r: ComparedRun, i: number) =>
    i === 0
      ? "reference"
      : isPaired(ref.input.replicas, r.input.replicas)
        ? `paired with the reference (seed ${r.input.replicas.seed}, replications ${r.input.replicas.replications.length})`
        : `unpaired (Welch): ${r.input.replicas.seed !== ref.input.replicas.seed ? "another seed" : "other replications"}`
  const runsSection: Section = {
    id: "runs",
    title: "Runs compared",
    html:
      htmlTable(
        ["run", "scenario", "seed", "replications", "horizon", "differences"],
        runs.map((r, i) => [r.label, r.input.meta.scenario, String(r.input.meta.seed), String(r.input.meta.replications), horizonText(r.input.meta), pairing(r, i)]),
        [0, 1, 4, 5]
      ) +
      `<p class="note">Differences are each run minus the reference (${esc(ref.label)}), with 95% intervals: paired replication by replication when the runs share their seed (common random numbers), Welch otherwise.</p>`,
    charts: []
  }
  const allStandings = runs.map((r) => standings(asInput(r)))
  const kpis = [...new Set(allStandings.flatMap((s) => s.map((x) => x.kpi)))]
  const targetsSection: Section = {
    id: "targets",
    title: "Which plan meets which target",
    html: htmlTable(
      ["run", ...kpis.map((k) => allStandings.flatMap((s) => s).find((x) => x.kpi === k)!.label)],
      runs.map((r, i) => [
        esc(r.label),
        ...kpis.map((k) => {
          const s = allStandings[i]!.find((x) => x.kpi === k)
          return s === undefined
            ? "—"
            : `<span class="badge ${s.standing}">${STANDING_TEXT[s.standing]}</span> ${formatKpi(fmt, s.unit, s.horizon.mean, 2)}${s.months > 0 ? `<br><small>${s.monthsMissed}/${s.months} months miss</small>` : ""}`
        })
      ]),
      [0],
      true
    ),
    charts: []
  }
  const compared = COMPARED.filter((c) => runs.every((r) => replicaValues(r.input.replicas, "horizon", c.column).some(Number.isFinite)))
  const whole = compared.map((c) => {
    const rows = comparisonRows(runs, c.column, ["horizon"])
    return [c.label, ...rows.flatMap((r) => (r.diff === null ? [formatUnit(fmt, c.unit, r.mean)] : [formatUnit(fmt, c.unit, r.mean), formatDiff(fmt, c.unit, r)]))]
  })
  const wholeSection: Section = {
    id: "whole",
    title: "The whole run, side by side",
    html: htmlTable(["", ...runs.flatMap((r, i) => (i === 0 ? [r.label] : [r.label, `${r.label} − ${ref.label}`]))], whole),
    charts: []
  }
  const monthSections: Section[] = []
  if (months.length > 0) {
    const charts: Chart[] = []
    const tables: string[] = []
    for (const c of compared.filter((x) => x.column === "answerRate" || x.column === "meanWaitSeconds" || x.column === "penalties")) {
      const rows = comparisonRows(runs, c.column, months)
      const lines =
        c.lines === undefined
          ? []
          : (() => {
              const l = kpiLines(asInput(ref), fmt, c.lines)
              return [...referenceLine("target", l.target.value, l.target.label, l.target.below), ...(l.penalty === null ? [] : referenceLine("penalty", l.penalty.value, l.penalty.label, l.penalty.below))]
            })()
      charts.push(compareMonthsChart(rows, c.column, c.label, c.unit, lines))
      if (runs.length > 1) charts.push(differenceChart(rows, c.column, c.label, c.unit, ref.label))
      tables.push(
        `<h3>${esc(c.label)}</h3>` +
          htmlTable(
            ["month", ...runs.flatMap((r, i) => (i === 0 ? [r.label] : [r.label, `${r.label} − ${ref.label} [95%]`]))],
            months.map((m) => [m, ...rows.filter((r) => r.period === m).flatMap((r) => (r.diff === null ? [formatUnit(fmt, c.unit, r.mean)] : [formatUnit(fmt, c.unit, r.mean), formatDiff(fmt, c.unit, r)]))])
          )
      )
    }
    monthSections.push({ id: "months", title: "Month by month", html: tables.join(""), charts })
  }
  return {
    title: `Comparison: ${runs.map((r) => r.label).join(" vs ")}`,
    subtitle: esc(`${horizonText(ref.input.meta)} · reference ${ref.label} · 95% intervals`),
    locale,
    sections: [runsSection, targetsSection, wholeSection, ...monthSections],
    footer: esc(`ccsim report ${runs.map((r) => r.label).join(" ")}: per-replication values from each run's replicas.json.`)
  }
}
