/**
 * The contract month: per month, the spread of a KPI across replications — the P10–P90 fan, the
 * median and the mean — against the CCTP target and the penalty threshold. A month's penalty is
 * decided on one month of one replication (sim/contract/judge.ts), so the fan, not the mean's
 * interval, shows how often a month can cross the line. Read from replicas.json.
 */
import { quantile } from "../../sim/contract/risk.js"
import { replicaValues, type ReplicaColumn, type Replicas } from "../run-data.js"
import { COLOR, frame, referenceLine, WIDTH, type Chart, type VlSpec } from "./common.js"
import type { KpiLines } from "./daily.js"

export interface FanRow {
  readonly month: string
  readonly p10: number
  readonly p50: number
  readonly p90: number
  readonly mean: number
  /** Replications with a value. */
  readonly n: number
  /** Share of replications beyond the penalty threshold this month (NaN without one). */
  readonly beyondPenalty: number
}

/** Quantiles of a replica column per month (every period but "horizon"). */
export const fanRows = (replicas: Replicas, column: ReplicaColumn, penalty: { value: number; higherIsBetter: boolean } | null): FanRow[] =>
  replicas.periods
    .filter((p) => p.period !== "horizon")
    .map((p) => {
      const xs = replicaValues(replicas, p.period, column).filter(Number.isFinite)
      return {
        month: p.period,
        p10: quantile(xs, 0.1),
        p50: quantile(xs, 0.5),
        p90: quantile(xs, 0.9),
        mean: xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length,
        n: xs.length,
        beyondPenalty: penalty === null || xs.length === 0 ? NaN : xs.filter((x) => (penalty.higherIsBetter ? x < penalty.value : x > penalty.value)).length / xs.length
      }
    })

export const fanChart = (rows: ReadonlyArray<FanRow>, lines: KpiLines & { readonly column: ReplicaColumn }, replications: number): Chart => {
  const x = { field: "month", type: "ordinal", title: null, axis: { labelAngle: -45, labelOverlap: true } }
  const tooltip = [
    { field: "month", type: "ordinal" },
    { field: "p10", type: "quantitative", title: "P10", format: lines.format },
    { field: "p50", type: "quantitative", title: "median", format: lines.format },
    { field: "p90", type: "quantitative", title: "P90", format: lines.format },
    { field: "mean", type: "quantitative", format: lines.format },
    { field: "beyondPenalty", type: "quantitative", title: "replications past the penalty threshold", format: ".0%" },
    { field: "n", type: "quantitative", title: "replications" }
  ]
  const layer: VlSpec[] = [
    { name: "fan", mark: { type: "area", color: COLOR.band, opacity: 0.4 }, encoding: { x, y: { field: "p10", type: "quantitative" }, y2: { field: "p90" } } },
    {
      name: "median",
      mark: { type: "line", color: COLOR.primary, strokeWidth: 2, point: { filled: true, size: 30 }, tooltip: true },
      encoding: { x, y: { field: "p50", type: "quantitative", title: lines.label, axis: { format: lines.format }, scale: { zero: false } }, tooltip }
    },
    ...referenceLine("target", lines.target.value, lines.target.label, lines.target.below),
    ...(lines.penalty === null ? [] : referenceLine("penalty", lines.penalty.value, lines.penalty.label, lines.penalty.below))
  ]
  return {
    id: `fan-${lines.column}`,
    title: `${lines.label}: the contract month across replications`,
    spec: frame(`${lines.label} per month across ${replications} replication${replications === 1 ? "" : "s"}: P10–P90 (band) and median (line)`, { [`fan-${lines.column}`]: rows }, {
      description: `Per month, the 10th–90th percentile of ${lines.label} across replications (band) and its median (line), against the target and penalty threshold; with one replication the band is that replication's value.`,
      data: { name: `fan-${lines.column}` },
      width: WIDTH,
      height: 240,
      layer
    })
  }
}
