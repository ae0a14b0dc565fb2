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

/** Rows fit for JSON (NaN and infinities become null, which vega treats as missing). */
export const jsonRows = <T extends object>(rows: ReadonlyArray<T>): Array<Record<string, unknown>> =>
  rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "number" && !Number.isFinite(v) ? null : v])))

/** The frame of a spec: schema, title, size, its datasets. */
export const frame = (title: string, datasets: Readonly<Record<string, ReadonlyArray<object>>>, rest: VlSpec): VlSpec => ({
  $schema: VEGA_LITE_SCHEMA,
  title: { text: title, anchor: "start", fontSize: 14 },
  datasets: Object.fromEntries(Object.entries(datasets).map(([k, rows]) => [k, jsonRows(rows)])),
  config: { font: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", view: { stroke: null }, axis: { labelFontSize: 11, titleFontSize: 11 } },
  ...rest
})

/**
 * A horizontal reference line at `value` (a target or a penalty threshold), labelled at the right
 * end, above it or `below` (so a target and a nearby threshold keep their labels apart). `kind`
 * names it in the spec (`name: "target"` / `"penalty"`), so tests can find it.
 */
export const referenceLine = (kind: "target" | "penalty", value: number, label: string, below = false): VlSpec[] => [
  {
    name: kind,
    mark: { type: "rule", color: kind === "target" ? COLOR.target : COLOR.penalty, strokeDash: kind === "target" ? [6, 3] : [2, 2], strokeWidth: 1.5 },
    encoding: { y: { datum: value } }
  },
  {
    mark: { type: "text", align: "right", baseline: below ? "top" : "bottom", dx: -2, dy: below ? 2 : -2, fontSize: 10, color: kind === "target" ? COLOR.target : COLOR.penalty },
    encoding: { y: { datum: value }, x: { value: WIDTH }, text: { value: label } }
  }
]
