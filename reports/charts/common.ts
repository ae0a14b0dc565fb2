/**
 * What every chart shares: a chart is a pure function `table → vega-lite spec` (STYLE 18), the
 * spec plain JSON with its rows in `datasets` (named, so a page holds each table once — see
 * ../html.ts) and marks with tooltips. Target and penalty lines are rule marks on a `datum`, so a
 * test (and a reader) finds them in the spec.
 */

/** A vega-lite spec as plain JSON. */
export type VlSpec = { readonly [key: string]: unknown }

/** A chart of a report: its id (the SVG file name, the page anchor), title and spec. */
export interface Chart {
  readonly id: string
  readonly title: string
  readonly spec: VlSpec
}

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"

/** Chart width in pixels: fits a laptop window and an A4 page in portrait (the page scales it down). */
export const WIDTH = 760

/** d3-format strings (the locale supplies separators and the € sign). */
export const FORMAT = { share: ".1%", seconds: ",.0f", count: ",.0f", euros: "$,.0f", hours: ",.0f", decimal: ",.1f" } as const

/** Colours: one per meaning, the same on every chart (colour-blind safe, Okabe–Ito). */
export const COLOR = {
  primary: "#0072B2",
  secondary: "#E69F00",
  third: "#009E73",
  band: "#56B4E9",
  target: "#009E73",
  penalty: "#D55E00",
  muted: "#999999"
} as const

/**
 * Rows fit for a page: numbers below 1,000 to 6 significant digits, larger ones to the cent (a
 * chart draws and a tooltip prints far fewer; a 48-month daily table halves; timestamps and euros
 * keep every unit), unmeasured values (NaN, infinities, null) left out — vega treats a missing
 * field as missing.
 */
export const pageNumber = (v: number): number => (Math.abs(v) >= 1000 ? Math.round(v * 100) / 100 : Number(v.toPrecision(6)))

export const jsonRows = <T extends object>(rows: ReadonlyArray<T>): Array<Record<string, unknown>> =>
  rows.map((r) => {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(r)) {
      if (typeof v === "number") {
        if (Number.isFinite(v)) out[k] = pageNumber(v)
      } else if (v !== null && v !== undefined) out[k] = v
    }
    return out
  })

/**
 * The data of a layer drawn once (a reference line, its label): one empty row. Without it a layer
 * inherits the chart's rows and draws its rule once per row — 1,460 times on a 48-month daily chart.
 */
export const ONCE = { values: [{}] } as const

/** Keeps rows whose field holds a number (vega-lite expression). */
export const validFilter = (field: string) => ({ filter: `isValid(datum['${field}']) && isFinite(datum['${field}'])` })

const finiteNumber = (v: unknown) => typeof v === "number" && Number.isFinite(v)

/**
 * `layers` when at least one row has every field measured, else none: an interval layer of a
 * one-replication run (no bounds) is left out rather than drawn empty (vega warns on an empty
 * scale extent).
 */
export const ifMeasured = (rows: ReadonlyArray<object>, fields: ReadonlyArray<string>, layers: ReadonlyArray<VlSpec>): VlSpec[] =>
  rows.some((r) => fields.every((f) => finiteNumber((r as Record<string, unknown>)[f]))) ? [...layers] : []

/** The frame of a spec: schema, title, size, its datasets. */
export const frame = (title: string, datasets: Readonly<Record<string, ReadonlyArray<object>>>, rest: VlSpec): VlSpec => ({
  $schema: VEGA_LITE_SCHEMA,
  title: { text: title, anchor: "start", fontSize: 14 },
  datasets: Object.fromEntries(Object.entries(datasets).map(([k, rows]) => [k, jsonRows(rows)])),
  config: { font: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", view: { stroke: null }, axis: { labelFontSize: 11, titleFontSize: 11 } },
  ...rest
})

/** A horizontal reference line at `value`, unlabelled (the chart's title names it). */
export const referenceRule = (kind: "target" | "penalty", value: number): VlSpec => ({
  name: kind,
  data: ONCE,
  mark: { type: "rule", color: kind === "target" ? COLOR.target : COLOR.penalty, strokeDash: kind === "target" ? [6, 3] : [2, 2], strokeWidth: 1.5 },
  encoding: { y: { datum: value } }
})

/**
 * A horizontal reference line at `value` (a target or a penalty threshold), labelled at the right
 * end, above it or `below` (so a target and a nearby threshold keep their labels apart). `kind`
 * names it in the spec (`name: "target"` / `"penalty"`), so tests can find it.
 */
export const referenceLine = (kind: "target" | "penalty", value: number, label: string, below = false): VlSpec[] => [
  referenceRule(kind, value),
  {
    data: ONCE,
    mark: { type: "text", align: "right", baseline: below ? "top" : "bottom", dx: -2, dy: below ? 2 : -2, fontSize: 10, color: kind === "target" ? COLOR.target : COLOR.penalty },
    encoding: { y: { datum: value }, x: { value: WIDTH }, text: { value: label } }
  }
]
