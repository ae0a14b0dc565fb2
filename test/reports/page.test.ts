/**
 * The report page as a pure function of a run: its sections (each omitted when the run has no
 * data for it, and a new builder added without touching the others), where each KPI stands
 * against the CCTP target, and a page that needs nothing but itself — runtimes and data inline,
 * no address to fetch.
 */
import { beforeAll, describe, expect, it } from "vitest"
import { hoistDatasets, renderPage, scriptJson, type Runtimes } from "../../reports/html.js"
import { RUN_SECTIONS, runReportPage, type SectionBuilder } from "../../reports/sections.js"
import { standings } from "../../reports/status.js"
import type { PeriodRow, ReportInput } from "../../reports/run-data.js"
import { inputOf, smallRun, type SmallRun } from "./fixtures.js"

const FAKE_RUNTIMES: Runtimes = { vega: "/*vega*/ var vega = {};", vegaLite: "/*vega-lite*/", vegaEmbed: "/*embed*/ var s = '</script>';\n//# sourceMappingURL=vega-embed.min.js.map" }

let run: SmallRun
let input: ReportInput
beforeAll(async () => {
  run = await smallRun()
  input = inputOf(run)
})

const TEXTBOOK = `
name: textbook-small
horizon: { hours: 60 }
calendar: always-open
arrivals: { poisson: { perHour: 200 } }
handleTime: { exponential: { meanSeconds: 300 } }
patience: { exponential: { meanSeconds: 180 } }
agents: 18
`

describe("the run report's sections", () => {
  it("are, for a judged dated run, every section in order", () => {
    const page = runReportPage(input, "en")
    expect(page.sections.map((s) => s.id)).toEqual(["headline", "days-zoom", "daily", "months", "contract-month", "distribution", "money", "groups", "assumptions"])
    expect(page.sections.flatMap((s) => s.charts.map((c) => c.id))).toEqual([
      `offered-vs-staffed-${input.reportDays[0]!.date}`, `required-vs-planned-${input.reportDays[0]!.date}`,
      "daily-answerRate", "daily-meanWaitSeconds", "monthly-kpis", "fan-answerRate", "fan-meanWaitSeconds",
      "distribution-meanWaitSeconds", "distribution-answerRate", "penalties", "invoice", "orders-vs-delivered"
    ])
  })

  it("leave out what a textbook run does not have: days, months, money, reasons", async () => {
    const textbook = inputOf(await smallRun(TEXTBOOK, 2))
    const page = runReportPage(textbook, "en")
    expect(page.sections.map((s) => s.id)).toEqual(["headline", "days-zoom", "assumptions"])
    expect(textbook.reportDays.map((d) => [d.date, d.why])).toEqual([["day-1", ["busiest"]]])
    expect(textbook.reportDays[0]!.rows[0]!.time).toBe("+00:00")
  })

  it("take a new section builder without touching the others", () => {
    const timeline: SectionBuilder = (i) => ({ id: "continuity", title: "Continuity timeline", html: `<p>${i.meta.scenario}</p>`, charts: [] })
    const absent: SectionBuilder = () => null
    const page = runReportPage(input, "en", [...RUN_SECTIONS, timeline, absent])
    expect(page.sections.map((s) => s.id).slice(-2)).toEqual(["assumptions", "continuity"])
    expect(page.sections.slice(0, -1)).toEqual(runReportPage(input, "en").sections)
  })

  it("print the money without euros when the scenario has no prices", async () => {
    const unpriced = inputOf(await smallRun(`${SMALL_RUN_WITHOUT_PRICES}`, 2))
    const money = runReportPage(unpriced, "en").sections.find((s) => s.id === "money")!
    expect(money.charts.map((c) => c.id)).toEqual(["orders-vs-delivered"])
    expect(money.html).toContain("The scenario has no prices: no invoice, no euros")
  })
})

const SMALL_RUN_WITHOUT_PRICES = `
name: small-unpriced
horizon: { from: 2026-09-01, to: 2026-09-30 }
calendar: {}
arrivals: { forecast: { scale: 0.1 } }
staffing:
  shifts:
    - { name: day, start: "08:30", end: "17:30", breaks: [{ start: "12:00", minutes: 60 }], advisors: 8 }
`

/** The input with the answer rate of the run, its months and replications set by hand. */
const withAnswerRates = (base: ReportInput, horizon: { mean: number; ci95: [number, number] }, months: Array<[number, number, number]>, replicaValue: number): ReportInput => {
  const rows: PeriodRow[] = base.months.slice(0, months.length).map((m, i) => ({ ...m, answerRate: months[i]![0], answerRateLow: months[i]![1], answerRateHigh: months[i]![2] }))
  const col = base.replicas.columns.indexOf("answerRate")
  return {
    ...base,
    summary: { ...base.summary, kpi: { ...base.summary.kpi, answerRate: horizon } },
    months: rows,
    replicas: { ...base.replicas, periods: base.replicas.periods.map((p) => ({ ...p, values: p.values.map((v) => v.map((x, c) => (c === col ? replicaValue : x))) })) }
  }
}
const answer = (i: ReportInput) => standings(i).find((s) => s.kpi === "answerRate")!

describe("where a KPI stands", () => {
  it("is missed when the run's mean misses the target", () => {
    const s = answer(withAnswerRates(input, { mean: 0.88, ci95: [0.87, 0.89] }, [[0.91, 0.9, 0.92]], 0.91))
    expect([s.standing, s.why]).toEqual(["missed", "the whole run's mean misses the target"])
  })

  it("is missed when a month's mean misses it, counting months past the penalty line", () => {
    const s = answer(withAnswerRates(input, { mean: 0.92, ci95: [0.91, 0.93] }, [[0.93, 0.92, 0.94], [0.885, 0.87, 0.9]], 0.93))
    expect([s.standing, s.monthsMissed, s.monthsPenalised, s.why]).toEqual(["missed", 1, 1, "1 month of 2 miss the target"])
  })

  it("is at risk when the means meet it but a month's interval or a replication does not", () => {
    const byInterval = answer(withAnswerRates(input, { mean: 0.92, ci95: [0.91, 0.93] }, [[0.93, 0.92, 0.94], [0.905, 0.895, 0.915]], 0.93))
    expect([byInterval.standing, byInterval.why]).toEqual(["atRisk", "the 95% interval of 1 month reaches past the target"])
    const byReplication = answer(withAnswerRates(input, { mean: 0.92, ci95: [0.91, 0.93] }, [[0.93, 0.92, 0.94]], 0.895))
    expect([byReplication.standing, byReplication.why]).toEqual(["atRisk", "some replications miss it in 1 month"])
  })

  it("is met when the run, every month and every replication meet it", () => {
    const s = answer(withAnswerRates(input, { mean: 0.93, ci95: [0.92, 0.94] }, [[0.93, 0.92, 0.94], [0.94, 0.93, 0.95]], 0.93))
    expect([s.standing, s.target, s.threshold]).toEqual(["met", 0.9, 0.89])
  })
})

describe("the page", () => {
  it("holds its runtimes and data inline and names no address to fetch", () => {
    const html = renderPage(runReportPage(input, "en"), FAKE_RUNTIMES)
    expect(html).toContain("<script>/*vega*/ var vega = {};</script>")
    expect(html).toContain("var s = '<\\/script>';") // a runtime cannot close its own script element
    expect(html).not.toContain("sourceMappingURL")
    expect(html).not.toMatch(/<(script|img|link|iframe)[^>]*\s(src|href)=/i)
    expect(html).not.toMatch(/url\(/)
    const data = JSON.parse(/<script type="application\/json" id="ccsim-data">(.*?)<\/script>/s.exec(html)![1]!)
    expect(data.charts.length).toBe(12)
    // Each table once: the three money charts share theirs.
    expect(Object.keys(data.datasets).filter((k: string) => k === "money")).toEqual(["money"])
    expect(data.charts.filter((c: { datasets: string[] }) => c.datasets.includes("money")).length).toBe(3)
    expect(data.charts.every((c: { spec: Record<string, unknown> }) => c.spec["datasets"] === undefined)).toBe(true)
    expect(html).toContain('<html lang="en">')
    expect(html).toContain("@media print")
  })

  it("escapes text: a scenario name cannot inject markup", () => {
    const evil = { ...input, meta: { ...input.meta, scenarioFile: "<img src=x onerror=alert(1)>.yaml" } }
    const html = renderPage(runReportPage(evil, "en"), FAKE_RUNTIMES)
    expect(html).not.toContain("<img src=x")
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;.yaml")
    expect(scriptJson({ a: "</script><!--" })).toBe('{"a":"\\u003c/script>\\u003c!--"}')
  })

  it("refuses two charts that give different rows one name", () => {
    const spec = (rows: object[]) => ({ datasets: { t: rows }, data: { name: "t" }, mark: "point" })
    expect(() => hoistDatasets([{ id: "a", title: "a", spec: spec([{ x: 1 }]) }, { id: "b", title: "b", spec: spec([{ x: 2 }]) }])).toThrow('two charts name different rows "t" (chart b)')
    expect(hoistDatasets([{ id: "a", title: "a", spec: spec([{ x: 1 }]) }, { id: "b", title: "b", spec: spec([{ x: 1 }]) }]).datasets).toEqual({ t: [{ x: 1 }] })
  })

  it("prints French numbers in French: text, and the charts' number and date locale", () => {
    const html = renderPage(runReportPage(input, "fr"), FAKE_RUNTIMES)
    expect(html).toContain('<html lang="fr">')
    const data = JSON.parse(/<script type="application\/json" id="ccsim-data">(.*?)<\/script>/s.exec(html)![1]!)
    expect(data.formatLocale).toMatchObject({ decimal: ",", currency: ["", "\u00a0€"] })
    expect(data.timeFormatLocale.shortMonths[8]).toBe("sept.")
    expect(html).toMatch(/\d+,\d\u00a0%/) // a percentage in the headline cards
    expect(renderPage(runReportPage(input, "en"), FAKE_RUNTIMES)).not.toMatch(/\d+,\d\u00a0%/)
  })
})
