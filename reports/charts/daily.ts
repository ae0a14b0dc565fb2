/**
 * Day-by-day and month-by-month charts of a run's KPIs against the CCTP lines: a KPI per day
 * with its 95% band across replications, the distribution of the daily values, and the months
 * with their intervals (one panel per KPI). Rows are days.csv / months.csv rows (../run-data.ts);
 * days without a queued call (closed days) have no value and are left out.
 */
import type { DayKpi, DayRow, PeriodKpi, PeriodRow } from "../run-data.js"
import { COLOR, FORMAT, frame, ifMeasured, ONCE, referenceLine, validFilter as valid, WIDTH, type Chart, type VlSpec } from "./common.js"

/** The lines a KPI is judged against, labelled in the page's locale. */
export interface KpiLines {
  readonly kpi: PeriodKpi
  /** Axis title and tooltip name. */
  readonly label: string
  readonly format: string
  /** `below`: the label goes under the line (the side away from the other line). */
  readonly target: { readonly value: number; readonly label: string; readonly below?: boolean }
  readonly penalty: { readonly value: number; readonly label: string; readonly below?: boolean } | null
}

/** Above this many days, the daily line has no point per day (long runs: thousands of marks). */
export const MAX_DAYS_WITH_POINTS = 400

/** The columns a KPI's daily charts read (a 48-month run has 1,460 days: carry no more). */
export const dailyRows = (days: ReadonlyArray<DayRow>, kpi: DayKpi) =>
  days.map((d) => ({ period: d.period, t: dayMs(d.period), offered: d.offered, [kpi]: d[kpi], [`${kpi}Low`]: d[`${kpi}Low`], [`${kpi}High`]: d[`${kpi}High`] }))

/** A day label as a UTC timestamp (ms): the chart's time axis reads numbers, with no date parsing per row. */
const dayMs = (label: string) => {
  const [y, m, d] = label.split("-").map(Number)
  return Date.UTC(y!, (m ?? 1) - 1, d ?? 1)
}

/** A KPI per day: mean line, 95% band (when there are 2+ replications), target and penalty lines. */
export const dailyKpiChart = (days: ReadonlyArray<DayRow>, lines: KpiLines & { readonly kpi: DayKpi }): Chart => {
  const { kpi } = lines
  const x = { field: "t", type: "temporal", scale: { type: "utc" }, title: null, axis: { format: "%b %Y", labelOverlap: true } }
  const tooltip = [
    { field: "period", type: "nominal", title: "day" },
    { field: kpi, type: "quantitative", title: lines.label, format: lines.format },
    { field: `${kpi}Low`, type: "quantitative", title: "95% low", format: lines.format },
    { field: `${kpi}High`, type: "quantitative", title: "95% high", format: lines.format },
    { field: "offered", type: "quantitative", title: "calls received", format: FORMAT.count }
  ]
  const rows = dailyRows(days, kpi)
  const layer: VlSpec[] = [
    ...ifMeasured(rows, [`${kpi}Low`, `${kpi}High`], [
      {
        name: "band",
        transform: [valid(`${kpi}Low`), valid(`${kpi}High`)],
        mark: { type: "area", color: COLOR.band, opacity: 0.35 },
        encoding: { x, y: { field: `${kpi}Low`, type: "quantitative" }, y2: { field: `${kpi}High` } }
      }
    ]),
    {
      name: "mean",
      transform: [valid(kpi)],
      mark: { type: "line", color: COLOR.primary, strokeWidth: 1.2, ...(days.length <= MAX_DAYS_WITH_POINTS ? { point: { size: 10, filled: true } } : {}), tooltip: true },
      encoding: { x, y: { field: kpi, type: "quantitative", title: lines.label, axis: { format: lines.format }, scale: { zero: false } }, tooltip }
    },
    ...referenceLine("target", lines.target.value, lines.target.label, lines.target.below),
    ...(lines.penalty === null ? [] : referenceLine("penalty", lines.penalty.value, lines.penalty.label, lines.penalty.below))
  ]
  return {
    id: `daily-${kpi}`,
    title: `${lines.label} per day`,
    spec: frame(`${lines.label} per open day, with its 95% interval across replications`, { [`days-${kpi}`]: rows }, {
      description: `Daily ${lines.label}: the mean across replications (line), its 95% Student-t interval (band), the CCTP target and the penalty threshold (dashed lines; penalties are judged on months).`,
      data: { name: `days-${kpi}` },
      width: WIDTH,
      height: 240,
      layer
    })
  }
}

/** The distribution of a KPI's daily values (histogram over open days), with the lines. */
export const dailyDistributionChart = (days: ReadonlyArray<DayRow>, lines: KpiLines & { readonly kpi: DayKpi }): Chart => ({
  id: `distribution-${lines.kpi}`,
  title: `Distribution of the daily ${lines.label.toLowerCase()}`,
  spec: frame(`Distribution of the daily ${lines.label.toLowerCase()} (open days)`, { [`days-${lines.kpi}`]: dailyRows(days, lines.kpi) }, {
    description: `How many open days had each value of ${lines.label} (mean across replications), with the target and the penalty threshold.`,
    data: { name: `days-${lines.kpi}` },
    width: WIDTH,
    height: 200,
    layer: [
      {
        name: "histogram",
        transform: [valid(lines.kpi)],
        mark: { type: "bar", color: COLOR.primary, opacity: 0.85, tooltip: true },
        encoding: {
          x: { field: lines.kpi, type: "quantitative", bin: { maxbins: 40 }, title: lines.label, axis: { format: lines.format } },
          y: { aggregate: "count", type: "quantitative", title: "days" },
          tooltip: [
            { field: lines.kpi, type: "quantitative", bin: { maxbins: 40 }, title: lines.label, format: lines.format },
            { aggregate: "count", type: "quantitative", title: "days" }
          ]
        }
      },
      ...[lines.target, ...(lines.penalty === null ? [] : [lines.penalty])].map((l, i) => ({
        name: i === 0 ? "target" : "penalty",
        data: ONCE,
        mark: { type: "rule", color: i === 0 ? COLOR.target : COLOR.penalty, strokeDash: i === 0 ? [6, 3] : [2, 2], strokeWidth: 1.5 },
        encoding: { x: { datum: l.value } }
      }))
    ]
  })
})

/** A KPI's values as the monthly panels plot them: shares in percent, seconds and counts as they are. */
const displayScale = (format: string) => (format.endsWith("%") ? 100 : 1)

/**
 * The months, one panel per KPI (a facet: one set of marks drawn in every panel, about half the
 * work of stacking separate charts): mean (point, coloured by where it stands) with its 95%
 * interval (error bar), the KPI's target and, when it has one, its penalty threshold. Values are
 * in display units (shares in percent), so one axis format fits every panel. A KPI without a
 * penalty row has its penalty line on its target line, drawn beneath it (a facet panel cannot
 * leave a layer empty without vega warning about an empty scale extent).
 */
export const monthlyKpisChart = (
  months: ReadonlyArray<PeriodRow>,
  kpis: ReadonlyArray<KpiLines & { readonly higherIsBetter: boolean }>
): Chart => {
  const panelOf = (k: KpiLines) =>
    `${k.label}${displayScale(k.format) === 100 ? " (%)" : ""} — ${k.target.label}${k.penalty === null ? "" : `, ${k.penalty.label}`}`
  const rows = kpis.flatMap((k) => {
    const f = displayScale(k.format)
    return months.map((m) => {
      const v = m[k.kpi]
      const bad = (x: number | null) => x !== null && Number.isFinite(v) && (k.higherIsBetter ? v < x : v > x)
      return {
        month: m.period,
        kpi: k.kpi,
        panel: panelOf(k),
        mean: v * f,
        low: m[`${k.kpi}Low`] * f,
        high: m[`${k.kpi}High`] * f,
        target: k.target.value * f,
        penalty: (k.penalty?.value ?? k.target.value) * f,
        standing: bad(k.penalty?.value ?? null) ? "penalty threshold crossed" : bad(k.target.value) ? "target missed" : Number.isFinite(v) ? "target met" : "not measured"
      }
    })
  })
  const x = { field: "month", type: "ordinal", title: null, axis: { labelAngle: -45, labelOverlap: true } }
  return {
    id: "monthly-kpis",
    title: "Monthly KPIs",
    spec: frame("Monthly KPIs with their 95% intervals, against the CCTP target (green) and the penalty threshold (red)", { monthKpis: rows }, {
      description: "One panel per KPI: the month's mean across replications (point, coloured by where it stands), its 95% interval (bar), the target and the penalty threshold.",
      data: { name: "monthKpis" },
      facet: {
        row: {
          field: "panel",
          type: "nominal",
          title: null,
          sort: kpis.map(panelOf),
          header: { labelAngle: 0, labelAlign: "left", labelAnchor: "start", labelOrient: "top", labelFontWeight: "bold", labelFontSize: 12 }
        }
      },
      resolve: { scale: { y: "independent" } },
      spacing: 14,
      spec: {
        width: WIDTH,
        height: 100,
        layer: [
          ...ifMeasured(rows, ["low", "high"], [
            { name: "interval", transform: [valid("low"), valid("high")], mark: { type: "rule", color: COLOR.primary }, encoding: { x, y: { field: "low", type: "quantitative" }, y2: { field: "high" } } }
          ]),
          {
            name: "mean",
            transform: [valid("mean")],
            mark: { type: "point", filled: true, size: 40, tooltip: true },
            encoding: {
              x,
              y: { field: "mean", type: "quantitative", title: null, axis: { format: ",.1f" }, scale: { zero: false } },
              color: {
                field: "standing",
                type: "nominal",
                title: null,
                scale: { domain: ["target met", "target missed", "penalty threshold crossed"], range: [COLOR.primary, COLOR.secondary, COLOR.penalty] },
                legend: { orient: "top" }
              },
              tooltip: [
                { field: "month", type: "ordinal" },
                { field: "panel", type: "nominal", title: "KPI" },
                { field: "mean", type: "quantitative", format: ",.2f" },
                { field: "low", type: "quantitative", title: "95% low", format: ",.2f" },
                { field: "high", type: "quantitative", title: "95% high", format: ",.2f" },
                { field: "standing", type: "nominal" }
              ]
            }
          },
          { name: "penalty", mark: { type: "rule", color: COLOR.penalty, strokeDash: [2, 2], strokeWidth: 1.5 }, encoding: { y: { field: "penalty", type: "quantitative", aggregate: "min" } } },
          { name: "target", mark: { type: "rule", color: COLOR.target, strokeDash: [6, 3], strokeWidth: 1.5 }, encoding: { y: { field: "target", type: "quantitative", aggregate: "min" } } }
        ]
      }
    })
  }
}
