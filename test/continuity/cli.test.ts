/**
 * Business continuity at the command line: `ccsim run` on the shipped site fire prints the
 * verdict first (restore times, the 48-hour obligation, the month's deltas), writes the
 * continuity section and timeline.csv; `ccsim continuity compare` ranks the two plans; bad
 * input gives every problem with its path, exit 2, no stack trace.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { ccsim } from "../cli/run-cli.js"

const tmp = mkdtempSync(join(tmpdir(), "ccsim-continuity-"))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const write = (name: string, text: string) => {
  const p = join(tmp, name)
  writeFileSync(p, text)
  return p
}

const expectBadInput = (args: string[], ...messages: string[]) => {
  const r = ccsim(args)
  expect(r.code, r.stderr).toBe(2)
  expect(r.stdout).toBe("")
  for (const m of messages) expect(r.stderr).toContain(m)
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
  return r
}

describe("ccsim run on a continuity scenario", () => {
  it("prints the verdict first — restore times, the 48-hour obligation, the month's deltas — and writes the section and timeline.csv", () => {
    const out = join(tmp, "fire")
    const r = ccsim(["run", "scenarios/continuity-site-fire.yaml", "--replications", "2", "--workers", "1", "--out", out])
    expect(r.code, r.stderr).toBe(0)
    const lines = r.stdout.split("\n")
    expect(lines[0]).toMatch(/^Business continuity — plan warm-backup/)
    expect(r.stdout).toMatch(/fire at the Lyon site \(siteLoss lyon, 2026-03-09T10:00\): 48-hour obligation HELD — P\(held\) 100% \(2\/2 replications\)/)
    expect(r.stdout).toMatch(/restore: first answered call after [\d.]+ h.*; 50% of planned capacity after [\d.]+ h/)
    expect(r.stdout).toMatch(/80% after [\d.]+ h.*; 100% after [\d.]+ h/)
    expect(r.stdout).toMatch(/month 2026-03 +answer rate −[\d.]+ pts/)
    expect(r.stdout).toMatch(/money: month penalties .*month invoice −€/)
    expect(r.stdout.indexOf("Business continuity")).toBeLessThan(r.stdout.indexOf("continuity-site-fire — seed 1"))
    expect(r.stdout).toContain("timeline.csv")
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as Record<string, unknown>
    expect(Object.keys(summary).slice(-2)).toEqual(["continuity", "performance"])
    const c = summary.continuity as { byIncident: Array<Record<string, unknown>>; deltaVsBaseline: Record<string, unknown>; plan: string }
    expect(c.plan).toBe("warm-backup")
    expect(Object.keys(c.byIncident[0]!)).toEqual(
      expect.arrayContaining(["hoursToFirstAnswer", "hoursTo50", "hoursTo80", "hoursToFull", "interruptedHours", "obligationHeld", "pObligationHeld"])
    )
    expect(Object.keys(c.deltaVsBaseline)).toEqual(["incident", "day", "week", "month", "horizon", "money"])
    const timeline = readFileSync(join(out, "timeline.csv"), "utf8").split("\r\n")
    expect(timeline[0]).toBe(
      "incident,hour,start,openShare,plannedCapacity,availableCapacity,capacityShare,offered,answered,abandoned,dissuadedClosure,dissuadedTelecom,cutCalls,queueLength,meanWaitSeconds,baselineAnswered"
    )
    expect(timeline[1]).toMatch(/^0,0,2026-03-09T10:00,1,/)
  })

  it("ranks the two plans of the site fire with ccsim continuity compare", () => {
    const r = ccsim(["continuity", "compare", "scenarios/continuity-site-fire.yaml", "--replications", "2", "--workers", "1"])
    expect(r.code, r.stderr).toBe(0)
    const rows = r.stdout.split("\n").filter((l) => /^\s+[12]\s+continuity-site-fire \/ /.test(l))
    expect(rows.map((l) => /\/ (\S+)/.exec(l)![1]).sort()).toEqual(["telework-switch", "warm-backup"])
    expect(r.stdout).toMatch(/ranked by P\(48-hour obligation held\), then by expected cost per year/)
    const json = ccsim(["continuity", "compare", "scenarios/continuity-site-fire.yaml", "--replications", "2", "--workers", "1", "--json"])
    const parsed = JSON.parse(json.stdout) as { rows: Array<{ rank: number; plan: string; planPerYear: number; expectedPerYear: number }> }
    expect(parsed.rows.map((x) => x.rank)).toEqual([1, 2])
    expect(parsed.rows.find((x) => x.plan === "warm-backup")!.planPerYear).toBe(144_000)
    expect(parsed.rows.find((x) => x.plan === "telework-switch")!.planPerYear).toBe(30_000)
    // Both hold the obligation here, so the expected cost per year decides.
    expect(parsed.rows[0]!.expectedPerYear).toBeLessThanOrEqual(parsed.rows[1]!.expectedPerYear)
  })
})

describe("continuity: bad input", () => {
  const scenario = (continuity: string, sites = "  sites: [{ name: lyon }, { name: nantes }, { name: home, kind: telework }]") =>
    [
      "name: bad-continuity",
      "horizon: { from: 2026-03-01, to: 2026-03-31 }",
      "calendar: {}",
      "arrivals: { forecast: {} }",
      "staffing:",
      sites,
      "  shifts:",
      '    - { name: a, site: lyon, start: "08:30", end: "16:30", advisors: 40 }',
      '    - { name: b, site: nantes, start: "08:30", end: "16:30", advisors: 20 }',
      "continuity:",
      continuity
    ].join("\n") + "\n"

  it("an incident outside the horizon, an unknown site, a telework site burning, an off-grid start, an unknown plan", () => {
    const p = write(
      "where.yaml",
      scenario(
        [
          "  incidents:",
          '    - siteLoss: { site: paris, start: "2026-04-09T10:00" }',
          '    - siteLoss: { site: home, start: "2026-03-09T10:00" }',
          '    - vpnLoss: { site: nantes, start: "2026-03-10T09:10", durationHours: 6 }',
          '    - odigoOutage: { start: "2026-03-10T09:00", end: "2026-03-10T08:00" }',
          "  plan: nope"
        ].join("\n")
      )
    )
    expectBadInput(
      ["validate", p],
      "6 problems",
      'continuity.incidents[0].siteLoss.site: unknown site "paris"; expected one of lyon, nantes, home',
      "continuity.incidents[0].siteLoss.start: 2026-04-09T10:00 is outside the horizon",
      'continuity.incidents[1].siteLoss.site: "home" is a telework site: it has no building to lose (use vpnLoss)',
      "continuity.incidents[2].vpnLoss.start: 2026-03-10T09:10 is not on the 15-minute interval grid",
      "continuity.incidents[3].odigoOutage.end: must be after start (2026-03-10T09:00)",
      'continuity.plan: unknown plan "nope": continuity.plans lists none'
    )
  })

  it("a ramp that decreases, a ramp and shares above 100%", () => {
    const over = write(
      "over.yaml",
      scenario(
        [
          '  incidents: [{ siteLoss: { site: lyon, start: "2026-03-09T10:00" } }]',
          "  plans:",
          "    - name: p",
          "      backupSite: { ramp: [{ afterHours: 4, share: 0.3 }, { afterHours: 40, share: 1.2 }] }",
          "      telework: { share: 1.5, afterHours: 3 }",
          "      loadSpreading: { share: -0.1, afterHours: 1 }",
          "  interruption: { threshold: 2 }"
        ].join("\n")
      )
    )
    expectBadInput(
      ["run", over],
      "4 problems",
      "continuity.plans[0].backupSite.ramp[1].share: Expected a number between 0 and 1, got 1.2",
      "continuity.plans[0].telework.share: Expected a number between 0 and 1, got 1.5",
      "continuity.plans[0].loadSpreading.share: Expected a number between 0 and 1, got -0.1",
      "continuity.interruption.threshold: Expected a number between 0 and 1, got 2"
    )
    const down = write(
      "down.yaml",
      scenario(
        [
          '  incidents: [{ siteLoss: { site: lyon, start: "2026-03-09T10:00" } }]',
          "  plans: [{ name: p, backupSite: { ramp: [{ afterHours: 4, share: 0.7 }, { afterHours: 4, share: 0.5 }] } }]"
        ].join("\n")
      )
    )
    expectBadInput(
      ["run", down],
      "continuity.plans[0].backupSite.ramp[1].afterHours: must be after point 0 (4 h)",
      "continuity.plans[0].backupSite.ramp[1].share: a ramp never decreases: 0.5 < 0.7 at point 0"
    )
  })

  it("a shift without its site, or with an unknown one, once sites are listed", () => {
    const p = write(
      "shifts.yaml",
      scenario('  incidents: [{ siteLoss: { site: lyon, start: "2026-03-09T10:00" } }]').replace("{ name: b, site: nantes,", "{ name: b,").replace("site: lyon, start", "site: lille, start")
    )
    expectBadInput(
      ["validate", p],
      'staffing.shifts[0].site: unknown site "lille"; expected one of lyon, nantes, home',
      "staffing.shifts[1].site: missing field: with staffing.sites, say the site (one of lyon, nantes, home)"
    )
  })

  it("compare refuses a scenario without a continuity block", () => {
    expectBadInput(["continuity", "compare", "scenarios/baseline-2026.yaml"], "continuity: missing field: the scenario has no continuity block to compare")
  })
})
