import { describe, expect, it } from "vitest"
import { FORECAST_VOLUMES } from "../../sim/domain/cctp.js"
import { parseAnnexe1 } from "../../sim/model/annexe1.js"
import { parseFrenchNumber } from "../../sim/domain/csv.js"
import { dayInfo } from "../../sim/model/calendar.js"
import { parseDate } from "../../sim/domain/dates.js"
import { cctpPeriods, csvPeriods, dailyVolumes, defaultProfiles, intervalRates, intradayWeights, responseShares } from "../../sim/model/forecast.js"
import { INTRADAY_PROFILE } from "../../sim/domain/assumptions.js"
import { modelOf } from "../helpers.js"

const sum = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0)

describe("CCTP 7.1 volumes", () => {
  it("add up to 7,375,668 calls; the yearly forms add up to 363,318 (the CCTP's printed total, 353,319, does not match its own rows)", () => {
    expect(sum(FORECAST_VOLUMES.map((v) => v.calls))).toBe(7_375_668)
    expect(sum(FORECAST_VOLUMES.map((v) => v.forms))).toBe(363_318)
  })

  it("keeps every year's volume through days and intervals", () => {
    const first = parseDate("2025-11-09")!
    const last = parseDate("2029-11-08")!
    const n = last - first + 1
    const spec = { firstDay: first, dayCount: n, intervalSeconds: 900, openWeekdays: [0, 1, 2, 3, 4], openMinutes: 510, closeMinutes: 1050, publicHolidays: true, closures: [] }
    const info = dayInfo(spec)
    const v = dailyVolumes(cctpPeriods(), defaultProfiles, { firstDay: first, info }, n, 1)
    expect(sum(v.calls)).toBeCloseTo(7_375_668, 4)
    expect(sum(v.forms)).toBeCloseTo(363_318, 4)
    expect(v.covered.every((c) => c === 1)).toBe(true)
    const rates = intervalRates(v.calls, info.openDay, intradayWeights(INTRADAY_PROFILE, 96), intradayWeights(Array(24).fill(1), 96), 96, 900, n * 96)
    expect(sum(rates) * 900).toBeCloseTo(7_375_668, 2)
  })

  it("puts Mondays above Fridays, a trickle on weekends, and most of a day's calls inside opening hours", () => {
    const first = parseDate("2026-03-02")! // Monday
    const spec = { firstDay: first, dayCount: 7, intervalSeconds: 900, openWeekdays: [0, 1, 2, 3, 4], openMinutes: 510, closeMinutes: 1050, publicHolidays: true, closures: [] }
    const v = dailyVolumes(cctpPeriods(), defaultProfiles, { firstDay: first, info: dayInfo(spec) }, 7, 1)
    expect(v.calls[0]! / v.calls[4]!).toBeCloseTo(1.25 / 0.85, 9)
    expect(v.calls[5]! / v.calls[0]!).toBeCloseTo(0.06 / 1.25, 9)
    const w = intradayWeights(INTRADAY_PROFILE, 96)
    expect(sum(w)).toBeCloseTo(1, 12)
    const inside = sum(w.subarray(34, 70))
    expect(inside).toBeGreaterThan(0.96)
    expect(inside).toBeLessThan(0.99)
  })

  it("spreads notification responses over days: exponential shares add up to 1 and decrease", () => {
    const s = responseShares(5, undefined)
    expect(sum(s)).toBeCloseTo(1, 12)
    expect(s[0]! / s[1]!).toBeCloseTo(Math.exp(1 / 5), 9)
    expect(responseShares(undefined, [1, 3])).toEqual([0.25, 0.75])
  })
})

describe("Annexe 1 CSV", () => {
  it("reads a French spreadsheet export: semicolons, spaced thousands, decimal commas, MM/YYYY", () => {
    const text = "\ufeffMois;Appels;Formulaires\r\n01/2026;118 679;6 027,5\r\n02/2026;110 000;5 900\r\n"
    const r = parseAnnexe1(text, "a.csv")
    expect(r.problems).toEqual([])
    expect(r.rows).toEqual([
      { month: "2026-01", calls: 118_679, forms: 6027.5 },
      { month: "2026-02", calls: 110_000, forms: 5900 }
    ])
    expect(csvPeriods(r.rows)[1]).toEqual({ fromDay: parseDate("2026-02-01"), toDay: parseDate("2026-02-28"), calls: 110_000, forms: 5900 })
  })

  it("reads an English comma file with columns in any order and extra columns", () => {
    const r = parseAnnexe1("forms,note,month,calls\n10,x,2026-03,100\n", "b.csv")
    expect(r.rows).toEqual([{ month: "2026-03", calls: 100, forms: 10 }])
  })

  it("reports a missing month with the line where the gap is", () => {
    const r = parseAnnexe1("month,calls,forms\n2026-01,1,1\n2026-02,1,1\n2026-04,1,1\n", "gap.csv")
    expect(r.problems).toEqual([{ path: "gap.csv:4", message: "missing month 2026-03: months must follow each other (line 3 is 2026-02, this line 2026-04)" }])
  })

  it("reports a text value, a bad month, a duplicate and a missing column with file:line", () => {
    const r = parseAnnexe1("month,calls,forms\n2026-01,12k,1\n2026-13,1,1\n2026-01,1,1\n", "bad.csv")
    expect(r.problems).toEqual([
      { path: "bad.csv:2", message: 'calls: expected a number >= 0, got "12k"' },
      { path: "bad.csv:3", message: 'month: expected YYYY-MM or MM/YYYY, got "2026-13"' },
      { path: "bad.csv:4", message: "month 2026-01 appears twice (also line 2)" }
    ])
    expect(parseAnnexe1("month,calls\n2026-01,1\n", "c.csv").problems).toEqual([
      { path: "c.csv:1", message: 'no "forms" column in the header (expected one of forms, formulaires, formulaires reçus, formulaires recus)' }
    ])
    expect(parseFrenchNumber("1\u00a0424\u202f153")).toBe(1_424_153)
    expect(parseFrenchNumber("1.2.3")).toBeUndefined()
  })
})

describe("profiles per weekday and short horizons", () => {
  const scenario = (horizon: string, intraday?: string) =>
    modelOf({
      name: "short",
      horizon: JSON.parse(horizon),
      calendar: {},
      arrivals: { forecast: { dayBusynessCv: 0, monthErrorCv: 0, ...(intraday ? { profiles: { intraday: JSON.parse(intraday) } } : {}) } },
      agents: 10
    } as never)

  it("gives a horizon shorter than a month the daily volume of its own days (the same as in a whole year)", () => {
    const week = scenario('{ "from": "2026-03-02", "to": "2026-03-08" }')
    const year = scenario('{ "from": "2026-01-01", "to": "2026-12-31" }')
    const offset = (parseDate("2026-03-02")! - parseDate("2026-01-01")!) * 96
    for (let i = 0; i < 7 * 96; i++) expect(week.callRate[i]).toBeCloseTo(year.callRate[offset + i]!, 12)
    expect(sum(week.callRate) * 900).toBeGreaterThan(20_000) // a March week of a 1.42 M-call year
  })

  it("shapes each weekday by its own curve, and leaves the others on the default curve", () => {
    const flat = Array(24).fill(1)
    const m = scenario('{ "from": "2026-03-02", "to": "2026-03-03" }', JSON.stringify({ mon: flat }))
    const monday = Array.from(m.callRate.subarray(0, 96))
    const tuesday = Array.from(m.callRate.subarray(96, 192))
    expect(new Set(monday.slice(0, 96).map((x) => x.toFixed(12))).size).toBe(1) // flat over the day
    const expected = intradayWeights(INTRADAY_PROFILE, 96)
    const total = sum(tuesday)
    tuesday.forEach((x, k) => expect(x / total).toBeCloseTo(expected[k]!, 12))
  })

  it("names a weekday curve of the wrong length, or an unknown weekday, with its path", () => {
    expect(() => scenario('{ "from": "2026-03-02", "to": "2026-03-03" }', '{ "mon": [1, 2, 3], "tues": [1] }')).toThrow(
      /arrivals\.forecast\.profiles\.intraday\.tues: unknown weekday[\s\S]*arrivals\.forecast\.profiles\.intraday\.mon: needs 24, 48 or 96 weights \(hours, half hours, quarter hours\), got 3/
    )
  })
})
