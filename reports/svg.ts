/**
 * Charts as SVG files, drawn server-side by vega's own renderer (no browser): the same minified
 * vega and vega-lite builds the HTML page inlines, evaluated in Node as CommonJS modules — vega's
 * ES-module build cannot be require()d on Node 20 (vega-canvas awaits at top level) and ccsim's
 * bundle has no dynamic import(). Without node-canvas, vega measures text by estimate: labels can
 * sit a pixel off where a browser would put them; marks and data are exact.
 */
import type { Chart } from "./charts/common.js"
import { NUMBER_LOCALES, TIME_LOCALES, type Locale } from "./format.js"
import type { Runtimes } from "./html.js"

/** The parts of vega and vega-lite the renderer calls. */
export interface VegaEngines {
  readonly vega: {
    View: new (runtime: unknown, options: { renderer: "none" }) => { toSVG(): Promise<string>; finalize(): void }
    parse(spec: unknown): unknown
    formatLocale(definition: unknown): unknown
    timeFormatLocale(definition: unknown): unknown
  }
  readonly vegaLite: { compile(spec: unknown): { spec: unknown } }
}

/** Evaluates a UMD build as a CommonJS module, with `deps` as what it may require. */
const evaluateUmd = (source: string, deps: Readonly<Record<string, unknown>>): unknown => {
  const module = { exports: {} as unknown }
  const require = (name: string) => {
    if (!(name in deps)) throw new Error(`the runtime asked for "${name}"`)
    return deps[name]
  }
  // The builds are the files the page inlines; running them here is running vega, nothing else.
  new Function("exports", "require", "module", source)(module.exports, require, module)
  return module.exports
}

/** vega and vega-lite from their minified builds. */
export const evaluateRuntimes = (runtimes: Pick<Runtimes, "vega" | "vegaLite">): VegaEngines => {
  const vega = evaluateUmd(runtimes.vega, {}) as VegaEngines["vega"]
  const vegaLite = evaluateUmd(runtimes.vegaLite, { vega }) as VegaEngines["vegaLite"]
  return { vega, vegaLite }
}

/** One chart as an SVG document, numbers and dates in `locale`. */
export const renderSvg = async (chart: Chart, engines: VegaEngines, locale: Locale): Promise<string> => {
  const { vega, vegaLite } = engines
  // Locales are global to a vega instance: set on every call, so the output never depends on order.
  vega.formatLocale(NUMBER_LOCALES[locale])
  vega.timeFormatLocale(TIME_LOCALES[locale])
  const view = new vega.View(vega.parse(vegaLite.compile(chart.spec).spec), { renderer: "none" })
  try {
    const svg = await view.toSVG()
    return `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`
  } finally {
    view.finalize()
  }
}
