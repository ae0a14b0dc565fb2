/**
 * Anyone can recompute the money: from a run's penalties.csv (one row per month and
 * replication), an independent recomputation of every month's and year's expected invoice and
 * penalties, P(penalty) and the share capped matches summary.json to the cent.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { ccsim } from "../cli/run-cli.js"

const tmp = mkdtempSync(join(tmpdir(), "ccsim-money-"))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const SCENARIO = `
name: money-check
horizon: { from: 2026-11-01, to: 2027-01-31 }
calendar: {}
arrivals: { forecast: { scale: 0.25 } }
staffing:
  shifts:
    - { name: day, start: "08:30", end: "17:30", breaks: [{ start: "12:00", minutes: 60 }], advisors: 15 }
    - { name: forms, start: "09:00", end: "17:00", advisors: 1, skills: forms }
contract:
  start: 2026-11-01
  runInMonths: 0
  pricing: { phone: { perHour: 32.5 }, forms: { perAct: 4.1 } }
  quality: { calls: { mean: 82, sd: 3 } }
`

/** Parses penalties.csv into records keyed by its header. */
const readCsv = (text: string): Array<Record<string, string>> => {
  const [head, ...lines] = text.trim().split("\r\n")
  const keys = head!.split(",")
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [keys[i]!, v])))
}

const cents = (s: string) => Math.round(Number(s) * 100)
const meanEuros = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) / 100

describe("penalties.csv", () => {
  it("recomputes summary.json's months and years to the cent", () => {
    const file = join(tmp, "money.yaml")
    writeFileSync(file, SCENARIO)
    const out = join(tmp, "out")
    const r = ccsim(["run", file, "--replications", "4", "--seed", "5", "--out", out])
    expect(r.code, r.stderr).toBe(0)
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"))
    const rows = readCsv(readFileSync(join(out, "penalties.csv"), "utf8"))
    expect(rows.length).toBe(3 * 4)
    const keys = ["planConformity", "accessibility", "answerRate", "meanWait", "handlingTime", "qualityCalls", "qualityTickets", "formsHandled", "formsPerAdvisorDay", "qualityForms"]
    let anyPenalty = 0
    for (const period of summary.periods) {
      const mine = rows.filter((x) => x.month === period.period)
      expect(mine.map((x) => Number(x.replication))).toEqual([0, 1, 2, 3])
      // Each replication's total: the sum of its rows, capped at 10% of its invoice.
      for (const x of mine) {
        const before = keys.reduce((a, k) => a + cents(x[`penalty_${k}`]!), 0)
        expect(before).toBe(cents(x.penaltiesBeforeCap!))
        expect(cents(x.cap!)).toBe(Math.round(0.1 * cents(x.invoiceTotal!)))
        expect(cents(x.penaltyTotal!)).toBe(Math.min(before, cents(x.cap!)))
        expect(cents(x.invoiceTotal!)).toBe(cents(x.invoicePhone!) + cents(x.invoiceForms!))
      }
      expect(period.penalties.total.mean).toBe(meanEuros(mine.map((x) => cents(x.penaltyTotal!))))
      expect(period.invoice.total.mean).toBe(meanEuros(mine.map((x) => cents(x.invoiceTotal!))))
      expect(period.invoice.forms.mean).toBe(meanEuros(mine.map((x) => cents(x.invoiceForms!))))
      for (const k of keys) expect(period.penalties[k].mean, `${period.period} ${k}`).toBe(meanEuros(mine.map((x) => cents(x[`penalty_${k}`]!))))
      const penalised = mine.filter((x) => keys.some((k) => cents(x[`penalty_${k}`]!) > 0))
      expect(period.risk.pAnyPenalty).toBe(penalised.length / 4)
      expect(period.penalties.capped).toBe(mine.filter((x) => x.capped === "1").length / 4)
      expect(period.netRevenue.mean).toBe(meanEuros(mine.map((x) => cents(x.invoiceTotal!) - cents(x.penaltyTotal!))))
      anyPenalty += penalised.length
    }
    expect(anyPenalty).toBeGreaterThan(0) // the scenario is short of staff: something to recompute
    for (const year of summary.years) {
      const perRep = [0, 1, 2, 3].map((rep) => rows.filter((x) => x.month!.startsWith(year.period) && Number(x.replication) === rep))
      expect(year.penalties.total.mean).toBe(meanEuros(perRep.map((ms) => ms.reduce((a, x) => a + cents(x.penaltyTotal!), 0))))
      expect(year.invoice.total.mean).toBe(meanEuros(perRep.map((ms) => ms.reduce((a, x) => a + cents(x.invoiceTotal!), 0))))
    }
    expect(summary.years.map((y: { period: string }) => y.period)).toEqual(["2026", "2027"])
    const all = [0, 1, 2, 3].map((rep) => rows.filter((x) => Number(x.replication) === rep).reduce((a, x) => a + cents(x.penaltyTotal!), 0))
    expect(summary.contract.total.penalties.total.mean).toBe(meanEuros(all))
  })
})
