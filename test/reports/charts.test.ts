/**
 * Charts are data (STYLE 18): each chart is a pure function table → vega-lite spec, checked here
 * on the spec itself — its marks, what they encode, the CCTP lines — with hand-made tables; then
 * every spec compiles with vega-lite and draws with vega's SVG renderer (the runtimes the page
 * inlines), so a spec vega-lite would refuse cannot ship.
 */
import { describe, expect, it, vi } from "vitest"
import { testRuntimes } from "./runtimes.js"
import { pageNumber, type Chart, type VlSpec } from "../../reports/charts/common.js"
import { dailyDistributionChart, dailyKpiChart, MAX_DAYS_WITH_POINTS, monthlyKpisChart, type KpiLines } from "../../reports/charts/daily.js"
import { hourLabels, offeredVsStaffedChart, requiredVsPlannedChart } from "../../reports/charts/day.js"
import { fanChart, fanRows } from "../../reports/charts/fan.js"
import { formatter } from "../../reports/format.js"
import type { DayRow, PeriodRow, Replicas, ReportDay } from "../../reports/run-data.js"
import { REPLICA_COLUMNS } from "../../reports/run-data.js"
import { evaluateRuntimes, renderSvg } from "../../reports/svg.js"

/** Every layer of a spec (nested layers, concatenated panels), with its path. */
const layers = (spec: VlSpec): VlSpec[] => {
  const out: VlSpec[] = []
  const walk = (s: VlSpec) => {
    if ("mark" in s) out.push(s)
    for (const key of ["layer", "vconcat", "hconcat"]) for (const child of (s[key] as VlSpec[] | undefined) ?? []) walk(child)
    if (s["spec"] !== undefined) walk(s["spec"] as VlSpec)
  }
  walk(spec)
  return out
}
const named = (spec: VlSpec, name: string) => layers(spec).filter((l) => l["name"] === name || (typeof l["name"] === "string" && (l["name"] as string).endsWith(`_${name}`)))
const markType = (l: VlSpec) => (typeof l["mark"] === "string" ? l["mark"] : (l["mark"] as { type: string }).type)
const enc = (l: VlSpec) => l["encoding"] as Record<string, Record<string, unknown>>

const fmt = formatter("en")
const ANSWER: KpiLines & { kpi: "answerRate" } = {
  kpi: "answerRate",
  label: "Answer rate",
  format: ".1%",
  target: { value: 0.9, label: "target ≥ 90%" },
  penalty: { value: 0.89, label: "penalty < 89%", below: true }
}

const day = (i: number, answerRate: number, low: number, high: number): DayRow => ({
  period: `2026-03-${String(i + 1).padStart(2, "0")}`,
  offered: 4000 + i,
  answerRate,
  answerRateLow: low,
  answerRateHigh: high,
  meanWaitSeconds: 30,
  meanWaitSecondsLow: 20,
  meanWaitSecondsHigh: 40
})
const DAYS = [day(0, 0.93, 0.91, 0.95), day(1, 0.88, 0.85, 0.91), day(2, NaN, NaN, NaN)]

describe("daily KPI chart", () => {
  it("draws the mean as a line over the days, its 95% band, the target and the penalty lines", () => {
    const c = dailyKpiChart(DAYS, ANSWER)
    expect(c.id).toBe("daily-answerRate")
    const [mean] = named(c.spec, "mean")
    expect(markType(mean!)).toBe("line")
    expect(enc(mean!)["x"]).toMatchObject({ field: "t", type: "temporal", scale: { type: "utc" } })
    expect(enc(mean!)["y"]).toMatchObject({ field: "answerRate", type: "quantitative" })
    expect((enc(mean!)["tooltip"] as unknown as Array<{ field: string }>).map((t) => t.field)).toEqual(["period", "answerRate", "answerRateLow", "answerRateHigh", "offered"])
    const [band] = named(c.spec, "band")
    expect(markType(band!)).toBe("area")
    expect(enc(band!)["y"]).toMatchObject({ field: "answerRateLow" })
    expect(enc(band!)["y2"]).toMatchObject({ field: "answerRateHigh" })
    expect(named(c.spec, "target").map((l) => [markType(l), enc(l)["y"]])).toEqual([["rule", { datum: 0.9 }]])
    expect(named(c.spec, "penalty").map((l) => [markType(l), enc(l)["y"]])).toEqual([["rule", { datum: 0.89 }]])
    // Reference lines carry their own one-row data: drawn once, not once per day.
    for (const l of [...named(c.spec, "target"), ...named(c.spec, "penalty")]) expect(l["data"]).toEqual({ values: [{}] })
    // The rows travel with the spec, unmeasured values left out.
    const rows = (c.spec["datasets"] as Record<string, Array<Record<string, unknown>>>)["days-answerRate"]!
    expect(rows.map((r) => r["answerRate"])).toEqual([0.93, 0.88, undefined])
    expect(rows.map((r) => r["t"])).toEqual([Date.UTC(2026, 2, 1), Date.UTC(2026, 2, 2), Date.UTC(2026, 2, 3)])
    expect(c.spec["data"]).toEqual({ name: "days-answerRate" })
  })

  it("leaves the band out for a single replication, and the day points out past a year", () => {
    const one = DAYS.map((d) => ({ ...d, answerRateLow: NaN, answerRateHigh: NaN }))
    expect(named(dailyKpiChart(one, ANSWER).spec, "band")).toEqual([])
    const short = dailyKpiChart(DAYS, ANSWER)
    expect((named(short.spec, "mean")[0]!["mark"] as Record<string, unknown>)["point"]).toBeDefined()
    const long = Array.from({ length: MAX_DAYS_WITH_POINTS + 1 }, (_, i) => ({ ...day(0, 0.9, 0.89, 0.91), period: `d${i}` }))
    expect((named(dailyKpiChart(long, ANSWER).spec, "mean")[0]!["mark"] as Record<string, unknown>)["point"]).toBeUndefined()
  })

  it("draws the distribution of daily values as a histogram with the lines as vertical rules", () => {
    const c = dailyDistributionChart(DAYS, ANSWER)
    const [h] = named(c.spec, "histogram")
    expect(markType(h!)).toBe("bar")
    expect(enc(h!)["x"]).toMatchObject({ field: "answerRate", bin: { maxbins: 40 } })
    expect(enc(h!)["y"]).toMatchObject({ aggregate: "count" })
    expect(named(c.spec, "target").map((l) => enc(l)["x"])).toEqual([{ datum: 0.9 }])
    expect(named(c.spec, "penalty").map((l) => enc(l)["x"])).toEqual([{ datum: 0.89 }])
  })
})

const month = (period: string, answerRate: number): PeriodRow =>
  Object.fromEntries([
    ["period", period],
    ...["offered", "answered", "abandoned", "dissuadedClosure", "formsReceived", "formsHandled"].map((k) => [k, 1000]),
    ...["answerRate", "abandonRate", "meanWaitSeconds", "serviceLevel", "occupancy", "accessibility", "meanHandleSeconds", "availabilityRate", "formsHandledRate", "formsPerAdvisorDay", "productiveHours"].flatMap((k) => {
      const v = k === "answerRate" ? answerRate : 60
      return [[k, v], [`${k}Low`, v - 0.01], [`${k}High`, v + 0.01]]
    })
  ]) as PeriodRow

describe("monthly KPIs chart", () => {
  const WAIT: KpiLines & { kpi: "meanWaitSeconds"; higherIsBetter: boolean } = {
    kpi: "meanWaitSeconds", label: "Mean wait (s)", format: ",.0f", higherIsBetter: false,
    target: { value: 120, label: "target ≤ 120 s" }, penalty: { value: 240, label: "penalty > 240 s" }
  }
  const AVAILABILITY: KpiLines & { kpi: "availabilityRate"; higherIsBetter: boolean } = {
    kpi: "availabilityRate", label: "Availability rate", format: ".1%", higherIsBetter: false, target: { value: 0.1, label: "target ≤ 10%" }, penalty: null
  }
  const c = monthlyKpisChart([month("2026-01", 0.93), month("2026-02", 0.895), month("2026-03", 0.85)], [{ ...ANSWER, higherIsBetter: true }, WAIT, AVAILABILITY])
  const rows = (c.spec["datasets"] as Record<string, Array<Record<string, unknown>>>)["monthKpis"]!

  it("draws one panel per KPI, named with its target and penalty line, in the order given", () => {
    expect(c.spec["facet"]).toMatchObject({
      row: { field: "panel", sort: ["Answer rate (%) — target ≥ 90%, penalty < 89%", "Mean wait (s) — target ≤ 120 s, penalty > 240 s", "Availability rate (%) — target ≤ 10%"] }
    })
    expect(c.spec["resolve"]).toEqual({ scale: { y: "independent" } })
  })

  it("draws each panel's target and penalty lines from its rows, in display units (shares in percent)", () => {
    expect(named(c.spec, "target").map((l) => enc(l)["y"])).toEqual([{ field: "target", type: "quantitative", aggregate: "min" }])
    expect(named(c.spec, "penalty").map((l) => enc(l)["y"])).toEqual([{ field: "penalty", type: "quantitative", aggregate: "min" }])
    const byKpi = (kpi: string) => rows.filter((r) => r["kpi"] === kpi)
    expect(byKpi("answerRate").map((r) => [r["mean"], r["target"], r["penalty"]])).toEqual([[93, 90, 89], [89.5, 90, 89], [85, 90, 89]])
    expect(byKpi("meanWaitSeconds").map((r) => [r["mean"], r["target"], r["penalty"]])[0]).toEqual([60, 120, 240])
    // No penalty row: its penalty line lies on the target line (drawn beneath it).
    expect(byKpi("availabilityRate").map((r) => [r["target"], r["penalty"]])[0]).toEqual([10, 10])
    expect(named(c.spec, "interval").map(markType)).toEqual(["rule"])
  })

  it("colours each month by where its mean stands against the lines", () => {
    expect(rows.filter((r) => r["kpi"] === "answerRate").map((r) => r["standing"])).toEqual(["target met", "target missed", "penalty threshold crossed"])
    const [mean] = named(c.spec, "mean")
    expect(enc(mean!)["color"]).toMatchObject({ field: "standing", type: "nominal" })
  })
})

const reportDay: ReportDay = {
  date: "2026-09-14",
  day: 256,
  why: ["busiest"],
  offered: 300,
  rows: ["08:30", "08:45", "09:00"].map((time, k) => ({
    time, interval: 34 + k, offered: 100, queued: 98, answered: 90, abandoned: 8, handleSeconds: 250, offeredLoad: 27.2, staffed: 25 + k, busy: 24,
    planned: 27, required: 30, answerRate: 0.92, meanWaitSeconds: 40, serviceLevel: 0.7
  }))
}

describe("report day charts", () => {
  it("set the offered load (bars) against the staffed advisors (step line), per interval", () => {
    const c = offeredVsStaffedChart(reportDay, fmt)
    expect(c.id).toBe("offered-vs-staffed-2026-09-14")
    const [load] = named(c.spec, "offeredLoad")
    const [staffed] = named(c.spec, "staffed")
    expect([markType(load!), enc(load!)["y"]!["field"]]).toEqual(["bar", "offeredLoad"])
    expect([markType(staffed!), enc(staffed!)["y"]!["field"]]).toEqual(["line", "staffed"])
    expect(c.spec["encoding"]).toMatchObject({ x: { field: "time", type: "ordinal", axis: { values: ["09:00"] } } })
    expect(c.spec["title"]).toMatchObject({ text: "Offered load vs staffed phone advisors, 2026-09-14: 300 calls received" })
  })

  it("label whole hours: each one over a working day, every other one or fewer over a whole day", () => {
    expect(hourLabels(["08:15", "08:30", "09:00", "09:15", "10:00", "17:00", "17:15"])).toEqual(["09:00", "10:00", "17:00"])
    const day = Array.from({ length: 96 }, (_, k) => `+${String(Math.floor(k / 4)).padStart(2, "0")}:${String((k % 4) * 15).padStart(2, "0")}`)
    expect(hourLabels(day)).toEqual(["+00:00", "+02:00", "+04:00", "+06:00", "+08:00", "+10:00", "+12:00", "+14:00", "+16:00", "+18:00", "+20:00", "+22:00"])
  })

  it("set the advisors required by Erlang A against the planned and staffed ones", () => {
    const c = requiredVsPlannedChart(reportDay)
    expect(c.spec["transform"]).toEqual([{ fold: ["required", "planned", "staffed"], as: ["series", "advisors"] }])
    expect(markType(c.spec)).toBe("line")
    expect(enc(c.spec)["color"]).toMatchObject({ field: "series", scale: { domain: ["required", "planned", "staffed"] } })
  })
})

describe("contract-month fan", () => {
  const replicas: Replicas = {
    schemaVersion: 1, scenario: "s", seed: 1, replications: Array.from({ length: 11 }, (_, r) => r), columns: REPLICA_COLUMNS,
    periods: [
      { period: "2026-09", values: Array.from({ length: 11 }, (_, r) => REPLICA_COLUMNS.map((c) => (c === "answerRate" ? 0.84 + r / 100 : NaN))) },
      { period: "horizon", values: Array.from({ length: 11 }, () => REPLICA_COLUMNS.map(() => 0.5)) }
    ]
  }
  it("gives each month's P10, median and P90 across replications and the share past the penalty line", () => {
    const [row, ...rest] = fanRows(replicas, "answerRate", { value: 0.89, higherIsBetter: true })
    expect(rest).toEqual([]) // the horizon is not a month
    expect(row!.month).toBe("2026-09")
    expect(row!.p10).toBeCloseTo(0.85, 12)
    expect(row!.p50).toBeCloseTo(0.89, 12)
    expect(row!.p90).toBeCloseTo(0.93, 12)
    expect(row!.mean).toBeCloseTo(0.89, 12)
    expect(row!.n).toBe(11)
    expect(row!.beyondPenalty).toBeCloseTo(5 / 11, 12) // 0.84 … 0.88
  })

  it("draws the P10–P90 band, the median, the target and the penalty lines", () => {
    const c = fanChart(fanRows(replicas, "answerRate", null), { ...ANSWER, column: "answerRate" }, 11)
    const [fan] = named(c.spec, "fan")
    expect([markType(fan!), enc(fan!)["y"]!["field"], enc(fan!)["y2"]!["field"]]).toEqual(["area", "p10", "p90"])
    expect(enc(named(c.spec, "median")[0]!)["y"]).toMatchObject({ field: "p50" })
    expect(named(c.spec, "target").map((l) => enc(l)["y"])).toEqual([{ datum: 0.9 }])
    expect(named(c.spec, "penalty").map((l) => enc(l)["y"])).toEqual([{ datum: 0.89 }])
  })
})

describe("every chart", () => {
  const charts: Chart[] = [
    dailyKpiChart(DAYS, ANSWER),
    dailyDistributionChart(DAYS, ANSWER),
    monthlyKpisChart([month("2026-01", 0.93), month("2026-02", 0.88)], [{ ...ANSWER, higherIsBetter: true }]),
    offeredVsStaffedChart(reportDay, fmt),
    requiredVsPlannedChart(reportDay)
  ]

  it("is plain JSON: it survives JSON unchanged", () => {
    for (const c of charts) expect(JSON.parse(JSON.stringify(c.spec))).toEqual(c.spec)
  })

  it("compiles with vega-lite and draws marks with vega's SVG renderer, with no warning", async () => {
    const warnings = vi.spyOn(console, "warn")
    const engines = evaluateRuntimes(testRuntimes())
    for (const c of charts) {
      const svg = await renderSvg(c, engines, "fr")
      expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg'), c.id).toBe(true)
      expect(svg, c.id).toMatch(/class="mark-(rect|line|symbol|area|rule)/)
    }
    // French numbers on the axes: a decimal comma in the answer rate's percentages.
    expect(await renderSvg(charts[0]!, engines, "fr")).toMatch(/9\d,\d\u202f%/)
    expect(await renderSvg(charts[0]!, engines, "en")).toMatch(/9\d\.\d%/)
    // vega-lite warns when it has to drop or correct part of a spec.
    expect(warnings.mock.calls).toEqual([])
    warnings.mockRestore()
  })
})

describe("rows in a page", () => {
  it("keep 6 significant digits below 1,000 and every unit (to the cent) above", () => {
    expect([0.912345678, 239.87654321, 3828766.456, 1772323200000, -0.000123456789].map(pageNumber)).toEqual([0.912346, 239.877, 3828766.46, 1772323200000, -0.000123457])
  })
})
