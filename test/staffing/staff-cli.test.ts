/**
 * `ccsim staff` and `ccsim bid` as a planner runs them. On two months of baseline-2026: the plan
 * found, re-run by `ccsim run` on seeds the search never saw (20 replications), meets the target
 * in every month, with at least 10% fewer paid hours than classic sizing; its files load as a
 * scenario. Bad input exits 2 with the path; a target no plan meets exits 3 with the best plan
 * written and the shortfall said.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { ccsim, root } from "../cli/run-cli.js"

const tmp = mkdtempSync(join(tmpdir(), "ccsim-staff-"))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const slice = join(tmp, "spring.yaml")
writeFileSync(slice, `extends: ${JSON.stringify(join(root, "scenarios", "baseline-2026.yaml"))}\nname: spring\nhorizon: { from: 2026-03-01, to: 2026-04-30 }\n`)

const csvRows = (text: string) => {
  const [head, ...lines] = text.trim().split("\r\n")
  const keys = head!.split(",")
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [keys[i]!, v])))
}

describe("ccsim staff", () => {
  it("finds a plan that meets the target on fresh seeds with 10% fewer paid hours than classic sizing", () => {
    const out = join(tmp, "found")
    const r = ccsim(["staff", slice, "--target", "answerRate>=0.90@0.95", "--out", out, "--replications", "6", "--confirm", "10"])
    expect(r.code, r.stderr).toBe(0)
    for (const f of ["plan.csv", "shifts.yaml", "fte.csv", "orders.csv", "hires.csv", "staff.json", "spring-staffed.yaml"]) expect(existsSync(join(out, f)), f).toBe(true)
    const summary = JSON.parse(readFileSync(join(out, "staff.json"), "utf8"))
    expect(summary.met).toBe(true)
    expect(summary.paidHoursSaved).toBeGreaterThanOrEqual(0.1)
    expect(r.stdout).toContain("fewer hours than classic sizing")
    // The plan as a scenario, on seeds the search never saw.
    const check = join(tmp, "check")
    const run = ccsim(["run", join(out, "spring-staffed.yaml"), "--seed", "2", "--replications", "20", "--out", check])
    expect(run.code, run.stderr).toBe(0)
    const rows = csvRows(readFileSync(join(check, "penalties.csv"), "utf8"))
    for (const month of ["2026-03", "2026-04"]) {
      const reps = rows.filter((x) => x.month === month)
      expect(reps.length).toBe(20)
      const meeting = reps.filter((x) => Number(x.indicator_answerRate) >= 0.9).length
      expect(meeting / 20, month).toBeGreaterThanOrEqual(0.95)
    }
  })

  it("exits 3 with the best plan written and the shortfall when no plan meets the target", () => {
    const out = join(tmp, "short")
    const r = ccsim(["staff", slice, "--target", "answerRate>=0.999@0.99", "--out", out, "--replications", "2", "--confirm", "2", "--max-rounds", "0"])
    expect(r.code, r.stderr).toBe(3)
    expect(r.stderr).toContain("no plan within the rules met the targets")
    expect(r.stderr).toContain("answerRate>=0.999@0.99")
    expect(existsSync(join(out, "plan.csv"))).toBe(true)
  })

  it("refuses bad input with the path and exit 2", () => {
    const cases: Array<[string[], string]> = [
      [["--target", "answerRat>=0.9@0.95"], 'unknown metric "answerRat"'],
      [["--target", "answerRate>=0.9@1"], "the probability must be strictly between 0 and 1"],
      [["--target", "penalty<=1%@0.9", "--replications", "1"], "--replications: must be >= 2"]
    ]
    for (const [flags, message] of cases) {
      const r = ccsim(["staff", slice, ...flags])
      expect(r.code, flags.join(" ")).toBe(2)
      expect(r.stderr).toContain(message)
      expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
    }
    const noShift = join(tmp, "noshift.yaml")
    writeFileSync(noShift, `extends: spring.yaml\nname: noshift\nstaffing: { rules: { lengths: [{ workedHours: 10, lunchMinutes: 60 }] } }\n`)
    const r = ccsim(["staff", noShift, "--target", "answerRate>=0.9@0.95"])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("staffing.rules: no feasible shift")
  })
})

describe("ccsim bid", () => {
  it("refuses a negative price or cost, and a margin outside [0, 1)", () => {
    for (const [flags, message] of [
      [["--price-per-hour", "-3", "--cost-per-hour", "20"], "--price-per-hour: must be a price > 0 euros, got -3"],
      [["--price-per-hour", "30", "--cost-per-hour", "-1"], "--cost-per-hour: must be >= 0 euros"],
      [["--price-per-hour", "30", "--cost-per-hour", "20", "--margin", "1.2"], "--margin: must be a share in [0, 1)"]
    ] as Array<[string[], string]>) {
      const r = ccsim(["bid", slice, ...flags])
      expect(r.code).toBe(2)
      expect(r.stderr).toContain(message)
    }
  })

  it("prices two months: invoice = price × invoiced hours, break-even = cost × price / revenue, paired sensitivity", () => {
    const out = join(tmp, "bid")
    const r = ccsim(["bid", slice, "--price-per-hour", "32.5", "--cost-per-hour", "27", "--replications", "2", "--out", out, "--json"])
    expect(r.code, r.stderr).toBe(0)
    const b = JSON.parse(r.stdout)
    expect(b.months.map((m: { month: string }) => m.month)).toEqual(["2026-03", "2026-04"])
    const revenue = b.total.invoice.mean - b.total.penalties.mean
    expect(b.breakEvenPricePerHour).toBeCloseTo((b.total.cost * 32.5) / revenue, 6)
    expect(b.pricePerHourForMargin).toBeCloseTo(b.breakEvenPricePerHour / (1 - 0.08), 6)
    for (const m of b.months) expect(m.margin).toBeCloseTo(m.invoice - m.expectedPenalties - m.cost, 6)
    const names = b.sensitivity.map((s: { name: string }) => s.name)
    expect(names).toContain("volume +20%")
    expect(names).toContain("absence +5 points")
    // More absence, fewer productive hours invoiced, never more margin (same seeds: a paired difference).
    const absence = b.sensitivity.find((s: { name: string }) => s.name === "absence +5 points")
    expect(absence.invoice.mean).toBeLessThan(0)
    expect(readFileSync(join(out, "bid.csv"), "utf8").split("\r\n")[0]).toContain("expectedPenalties")
  })
})
