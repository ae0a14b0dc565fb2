/**
 * The page: one self-contained HTML file that opens from disk with no network — vega, vega-lite
 * and vega-embed inlined (their minified builds, read from node_modules at the edge and handed
 * in as `Runtimes`), the data inlined once as JSON, readable on a laptop and printable (print
 * CSS: no navigation, no chart split across pages).
 *
 * A page is a list of sections (./sections.ts, ./compare.ts); a section is `{ id, title, html,
 * charts }` and knows nothing of the others. Each chart's rows travel in its spec's `datasets`;
 * the page hoists them into one table per name (charts reading the same rows share them) and
 * gives each chart back the tables it names when it is embedded.
 *
 * When every chart has rendered (or failed, logged with console.error), the page sets
 * `window.ccsimReport = { charts, rendered, failed, renderMs }` (renderMs: from navigation start),
 * `window.ccsimViews` (each chart's vega View, by id) and `data-rendered` on <html>: what the
 * browser test waits for and inspects.
 */
import type { Chart, VlSpec } from "./charts/common.js"
import { NUMBER_LOCALES, TIME_LOCALES, type Locale } from "./format.js"

export interface Section {
  /** Anchor of the section (letters, digits, '-'). */
  readonly id: string
  readonly title: string
  /** HTML shown before the charts (tables, text); already escaped. */
  readonly html: string
  readonly charts: ReadonlyArray<Chart>
}

/** The minified runtime builds, as text. */
export interface Runtimes {
  readonly vega: string
  readonly vegaLite: string
  readonly vegaEmbed: string
}

/**
 * Where the runtimes are: each package's minified UMD build, in the folder of its main entry
 * (the packages' exports maps hide build/*.min.js from require.resolve).
 */
export const RUNTIME_FILES: Readonly<Record<keyof Runtimes, { readonly pkg: string; readonly file: string }>> = {
  vega: { pkg: "vega", file: "vega.min.js" },
  vegaLite: { pkg: "vega-lite", file: "vega-lite.min.js" },
  vegaEmbed: { pkg: "vega-embed", file: "vega-embed.min.js" }
}

/** The runtimes' texts, given where a package's main entry sits and how to read a file (the edge's I/O). */
export const runtimeTexts = (entryFolder: (pkg: string) => string, read: (path: string) => string): Runtimes => {
  const text = (k: keyof Runtimes) => read(`${entryFolder(RUNTIME_FILES[k].pkg)}/${RUNTIME_FILES[k].file}`)
  return { vega: text("vega"), vegaLite: text("vegaLite"), vegaEmbed: text("vegaEmbed") }
}

export interface Page {
  readonly title: string
  /** One line under the title (already escaped HTML). */
  readonly subtitle: string
  readonly locale: Locale
  readonly sections: ReadonlyArray<Section>
  /** Footer line (already escaped HTML). */
  readonly footer: string
}

/** Escapes text for HTML element content and attribute values. */
export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!)

/** JSON safe inside a <script> element (no "</script", no "<!--"). */
export const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, "\\u003c")

/**
 * A runtime build safe to inline: its source-map comment removed (nothing to fetch, even with
 * developer tools open) and any "</script" escaped.
 */
export const inlineScript = (source: string): string => source.replace(/\n\/\/# sourceMappingURL=\S*\s*$/, "\n").replace(/<\/script/gi, "<\\/script")

/** The page's charts with their datasets hoisted: one table per dataset name. */
export const hoistDatasets = (charts: ReadonlyArray<Chart>): { datasets: Record<string, unknown>; charts: Array<{ id: string; datasets: string[]; spec: VlSpec }> } => {
  const datasets: Record<string, unknown> = {}
  const texts = new Map<string, string>()
  const out = charts.map((c) => {
    const { datasets: own, ...spec } = c.spec as { datasets?: Record<string, unknown> } & VlSpec
    const names = Object.keys(own ?? {})
    for (const name of names) {
      const text = JSON.stringify(own![name])
      const seen = texts.get(name)
      if (seen !== undefined && seen !== text) throw new Error(`two charts name different rows "${name}" (chart ${c.id})`)
      texts.set(name, text)
      datasets[name] = own![name]
    }
    return { id: c.id, datasets: names, spec }
  })
  const ids = new Set<string>()
  for (const c of out) {
    if (ids.has(c.id)) throw new Error(`two charts have the id "${c.id}"`)
    ids.add(c.id)
  }
  return { datasets, charts: out }
}

const CSS = `
:root { --ink: #1d1d1f; --muted: #5f6368; --line: #d9dce1; --met: #1b7f4a; --risk: #b26a00; --missed: #c0392b; --bg-soft: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); }
header { padding: 20px 28px 8px; border-bottom: 1px solid var(--line); }
h1 { font-size: 22px; margin: 0 0 4px; }
.sub { color: var(--muted); margin: 0 0 8px; }
nav { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 13px; padding: 6px 0; }
nav a { color: #0b57d0; text-decoration: none; }
main { max-width: 1000px; margin: 0 auto; padding: 8px 28px 40px; }
section { margin-top: 28px; }
h2 { font-size: 18px; border-bottom: 2px solid var(--ink); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
p.note { color: var(--muted); font-size: 13px; }
figure.chart { margin: 16px 0; }
figure.chart figcaption { color: var(--muted); font-size: 12px; margin-top: 2px; }
.vega-embed { display: block !important; }
.vega-embed svg, .vega-embed canvas { max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0 12px; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 8px; border-bottom: 1px solid var(--line); text-align: right; vertical-align: top; }
td { white-space: nowrap; }
th { background: var(--bg-soft); font-weight: 600; }
th:first-child, td:first-child { text-align: left; }
td.text, th.text { text-align: left; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--line); border-left: 6px solid var(--muted); border-radius: 6px; padding: 8px 10px; }
.card .name { font-size: 12px; color: var(--muted); }
.card .value { font-size: 22px; font-weight: 650; }
.card .ci, .card .why { font-size: 12px; color: var(--muted); }
.card.met { border-left-color: var(--met); } .card.atRisk { border-left-color: var(--risk); } .card.missed { border-left-color: var(--missed); }
.badge { display: inline-block; font-size: 11px; font-weight: 700; padding: 1px 6px; border-radius: 8px; color: #fff; background: var(--muted); }
.badge.met { background: var(--met); } .badge.atRisk { background: var(--risk); } .badge.missed { background: var(--missed); }
.good { color: var(--met); } .bad { color: var(--missed); }
pre { background: var(--bg-soft); padding: 10px; overflow: auto; font-size: 12px; max-height: 480px; }
.chart-error { color: var(--missed); font-weight: 600; }
footer { color: var(--muted); font-size: 12px; padding: 16px 28px; border-top: 1px solid var(--line); }
@media print {
  @page { size: A4; margin: 14mm; }
  body { font-size: 11pt; }
  nav { display: none; }
  header, main, footer { padding-left: 0; padding-right: 0; }
  section { break-before: auto; }
  figure.chart, table, .card { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  pre { max-height: none; white-space: pre-wrap; }
  .vg-tooltip, #vg-tooltip-element { display: none !important; }
}
`

/** The script that embeds every chart (runs in the page; plain ES2017, no module). */
const BOOT = `
(function () {
  var data = JSON.parse(document.getElementById("ccsim-data").textContent);
  var options = { actions: false, renderer: "svg", formatLocale: data.formatLocale, timeFormatLocale: data.timeFormatLocale };
  var failed = 0;
  var views = {};
  var jobs = data.charts.map(function (c) {
    var spec = Object.assign({}, c.spec, { datasets: {} });
    c.datasets.forEach(function (n) { spec.datasets[n] = data.datasets[n]; });
    return vegaEmbed("#chart-" + c.id, spec, options).then(function (result) { views[c.id] = result.view; }).catch(function (e) {
      failed++;
      console.error("chart " + c.id + ": " + (e && e.message ? e.message : e));
      var el = document.getElementById("chart-" + c.id);
      if (el) { el.textContent = "This chart could not be drawn: " + (e && e.message ? e.message : e); el.className += " chart-error"; }
    });
  });
  Promise.all(jobs).then(function () {
    window.ccsimViews = views;
    window.ccsimReport = { charts: data.charts.length, rendered: data.charts.length - failed, failed: failed, renderMs: performance.now() };
    document.documentElement.setAttribute("data-rendered", failed === 0 ? "ok" : "failed");
  });
})();
`

/** The whole page as one HTML string. */
export const renderPage = (page: Page, runtimes: Runtimes): string => {
  const charts = page.sections.flatMap((s) => s.charts)
  const hoisted = hoistDatasets(charts)
  const data = { formatLocale: NUMBER_LOCALES[page.locale], timeFormatLocale: TIME_LOCALES[page.locale], datasets: hoisted.datasets, charts: hoisted.charts }
  const nav = page.sections.map((s) => `<a href="#${esc(s.id)}">${esc(s.title)}</a>`).join("")
  const sections = page.sections
    .map((s) => {
      const figures = s.charts
        .map((c) => {
          const description = typeof c.spec["description"] === "string" ? (c.spec["description"] as string) : ""
          return `<figure class="chart"><div id="chart-${esc(c.id)}" role="img" aria-label="${esc(c.title)}"></div>${description === "" ? "" : `<figcaption>${esc(description)}</figcaption>`}</figure>`
        })
        .join("\n")
      return `<section id="${esc(s.id)}">\n<h2>${esc(s.title)}</h2>\n${s.html}\n${figures}\n</section>`
    })
    .join("\n")
  return `<!doctype html>
<html lang="${page.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(page.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${esc(page.title)}</h1>
<p class="sub">${page.subtitle}</p>
<nav>${nav}</nav>
</header>
<main>
${sections}
</main>
<footer>${page.footer}</footer>
<script>${inlineScript(runtimes.vega)}</script>
<script>${inlineScript(runtimes.vegaLite)}</script>
<script>${inlineScript(runtimes.vegaEmbed)}</script>
<script type="application/json" id="ccsim-data">${scriptJson(data)}</script>
<script>${BOOT}</script>
</body>
</html>
`
}
