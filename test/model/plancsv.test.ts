/** A dated staffing plan per 15-minute interval (staffing.planCsv). */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import { afterAll, describe, expect, it } from "vitest"
import { loadModel } from "../../sim/model/load.js"
import { parsePlanCsv } from "../../sim/model/plancsv.js"
import { parseDate } from "../../sim/domain/dates.js"
import { runReplication } from "../../sim/run/replicate.js"

const tmp = mkdtempSync(join(tmpdir(), "ccsim-plan-"))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const scenario = (absence: number) =>
  [
    "name: plan-csv",
    "horizon: { from: 2026-03-02, to: 2026-03-03 }",
    "calendar: {}",
    "arrivals: { forecast: {} }",
    "staffing:",
    "  planCsv: plan.csv",
    `  absence: { rate: ${absence} }`
  ].join("\n")

// 40 phone advisors 08:30–12:00 and 30 from 12:00 to 17:30 on Monday; 3 forms advisors all day;
// Tuesday the same in French date format with a semicolon separator.
const rows: string[] = ["Start;Phone;Forms"]
for (const [date, fr] of [["2026-03-02", false], ["2026-03-03", true]] as const) {
  for (let q = 34; q < 70; q++) {
    const hh = String(Math.floor(q / 4)).padStart(2, "0")
    const mm = String((q % 4) * 15).padStart(2, "0")
    const start = fr ? `03/03/2026 ${hh}:${mm}` : `${date}T${hh}:${mm}`
    rows.push(`${start};${q < 48 ? 40 : 30};3`)
  }
}
writeFileSync(join(tmp, "plan.csv"), rows.join("\r\n") + "\r\n")

describe("staffing.planCsv", () => {
  it("logs in exactly the planned advisors per interval when nobody is absent", async () => {
    const path = join(tmp, "s0.yaml")
    writeFileSync(path, scenario(0))
    const { model } = await Effect.runPromise(loadModel(path))
    const r = runReplication(model, 1, 0)
    for (let day = 0; day < 2; day++) {
      const at = (q: number) => day * 96 + q
      expect(r.table.phoneStaffedSeconds[at(40)]).toBe(40 * 900)
      expect(r.table.phoneStaffedSeconds[at(60)]! >= 30 * 900).toBe(true) // busy advisors may finish a call after the cut
      expect(r.table.staffedSeconds[at(20)]).toBe(0)
      expect(r.table.formsActivitySeconds[at(40)]).toBe(3 * 900)
    }
    expect(r.totals.answered).toBeGreaterThan(1000)
  })

  it("thins each day as a whole: every interval keeps the day's share of advisors present", async () => {
    const path = join(tmp, "s1.yaml")
    writeFileSync(path, scenario(0.5))
    const { model } = await Effect.runPromise(loadModel(path))
    const shares: number[] = []
    for (let seed = 1; seed <= 12; seed++) {
      const staff = (await import("../../sim/model/inputs.js")).replicationStaff(model, new (await import("../../sim/engine/random.js")).RandomStreams(seed, 0))
      for (let day = 0; day < 2; day++) {
        const morning = staff[0]![day * 96 + 40]! // planned 40
        const afternoon = staff[0]![day * 96 + 60]! // planned 30
        const forms = staff[1]![day * 96 + 40]! // planned 3
        // One share per day for every interval and skill group of that day (± rounding).
        expect(Math.abs(afternoon - Math.round((30 * morning) / 40))).toBeLessThanOrEqual(1)
        expect(staff[0]![day * 96 + 20]).toBe(0) // 05:00, not planned
        expect(forms).toBeLessThanOrEqual(3)
        shares.push(morning / 40)
      }
    }
    const mean = shares.reduce((a, b) => a + b, 0) / shares.length
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.08) // 24 days of Binomial(40, 0.5) / 40: sd 0.016
    expect(new Set(shares).size).toBeGreaterThan(3)
  })

  it("reports a bad timestamp, an off-grid or out-of-horizon interval, a duplicate and a bad count with file:line", () => {
    const text = "start,phone\n2026-03-02T08:30,10\n2026-03-02T08:40,10\n2026-03-09T08:30,1\nyesterday,x\n2026-03-02T08:30,2\n2026-03-02T09:00,1.5\n"
    const r = parsePlanCsv(text, "p.csv", { firstDay: parseDate("2026-03-02")!, dayCount: 2, intervalMinutes: 15 })
    expect(r.problems).toEqual([
      { path: "p.csv:3", message: "start: 2026-03-02T08:40 is not on the 15-minute interval grid" },
      { path: "p.csv:4", message: "start: 2026-03-09T08:30 is outside the horizon" },
      { path: "p.csv:5", message: 'start: expected YYYY-MM-DDTHH:MM (or DD/MM/YYYY HH:MM), got "yesterday"' },
      { path: "p.csv:5", message: 'phone: expected a whole number >= 0, got "x"' },
      { path: "p.csv:6", message: "interval 2026-03-02T08:30 appears twice (also line 2)" },
      { path: "p.csv:7", message: 'phone: expected a whole number >= 0, got "1.5"' }
    ])
    expect(parsePlanCsv("when,phone\n", "q.csv", { firstDay: 0, dayCount: 1, intervalMinutes: 15 }).problems).toEqual([
      { path: "q.csv:1", message: 'no "start" column in the header' }
    ])
  })
})
