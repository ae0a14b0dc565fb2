/**
 * Bad input in contract scenarios (issue 3): each case gives a clear message with the file, line
 * or path, exit code 2, no stack trace — and every problem of a file at once.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { ccsim } from "./run-cli.js"

const tmp = mkdtempSync(join(tmpdir(), "ccsim-bad-"))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const write = (name: string, text: string) => {
  const p = join(tmp, name)
  writeFileSync(p, text)
  return p
}

const scenario = (extra: string, arrivals = "arrivals: { forecast: {} }") =>
  [
    "name: bad-contract",
    "horizon: { from: 2026-01-01, to: 2026-03-31 }",
    "calendar: {}",
    arrivals,
    "staffing:",
    "  shifts:",
    '    - { name: a, team: T, start: "08:30", end: "16:30", advisors: 40 }',
    extra
  ].join("\n") + "\n"

const expectBadInput = (args: string[], ...messages: string[]) => {
  const r = ccsim(args)
  expect(r.code).toBe(2)
  expect(r.stdout).toBe("")
  for (const m of messages) expect(r.stderr).toContain(m)
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
  return r
}

describe("contract scenarios: bad input", () => {
  it("overlapping shifts of the same team", () => {
    const p = write("overlap.yaml", scenario('    - { name: b, team: T, start: "16:00", end: "18:00", advisors: 5 }'))
    expectBadInput(["validate", p], 'staffing.shifts[1]: overlaps shift 0 ("a", 08:30–16:30) of team "T" on mon, tue, wed, thu, fri')
  })

  it("a break outside its shift, and times off the 15-minute grid", () => {
    const p = write("breaks.yaml", scenario('    - { name: b, start: "09:10", end: "17:00", breaks: [{ start: "18:00", minutes: 30 }], advisors: 5 }'))
    expectBadInput(["validate", p], "staffing.shifts[1].breaks[0]: must lie inside the shift 09:10–17:00")
    const q = write("grid.yaml", scenario('    - { name: b, start: "09:10", end: "17:00", advisors: 5 }'))
    expectBadInput(["validate", q], "staffing.shifts[1].start: 09:10 is not on the 15-minute interval grid")
  })

  it("a campaign outside the horizon", () => {
    const p = write("campaign.yaml", scenario("events:\n  - mediaCampaign: { from: 2026-09-01, to: 2026-09-30 }"))
    expectBadInput(["run", p, "--json"], "events[0].mediaCampaign.from: 2026-09-01 is outside the horizon 2026-01-01..2026-03-31", "events[0].mediaCampaign.to: 2026-09-30 is outside the horizon")
  })

  it("a CSV forecast with a missing month, and one with a text value: file and line", () => {
    write("gap.csv", "month;calls;forms\n2026-01;100 000;5 000\n2026-03;100 000;5 000\n")
    const p = write("gap.yaml", scenario("", "arrivals: { forecast: { csv: gap.csv } }"))
    expectBadInput(["validate", p], "gap.csv:3: missing month 2026-02")
    write("text.csv", "month,calls,forms\n2026-01,100000,5000\n2026-02,lots,5000\n2026-03,100000,5000\n")
    const q = write("text.yaml", scenario("", "arrivals: { forecast: { csv: text.csv } }"))
    expectBadInput(["validate", q], 'text.csv:3: calls: expected a number >= 0, got "lots"')
    const r = write("nofile.yaml", scenario("", "arrivals: { forecast: { csv: nowhere.csv } }"))
    expectBadInput(["validate", r], "arrivals.forecast.csv: nowhere.csv: no such file")
  })

  it("a CSV that does not cover the horizon", () => {
    write("short.csv", "month,calls,forms\n2026-01,100000,5000\n2026-02,100000,5000\n")
    const p = write("short.yaml", scenario("", "arrivals: { forecast: { csv: short.csv } }"))
    expectBadInput(["validate", p], "arrivals.forecast.csv: no forecast for 2026-03-01..2026-03-31")
  })

  it("an unknown reason in a mix, and shares that do not add up to 1", () => {
    const p = write(
      "mix.yaml",
      scenario(
        [
          "callers:",
          "  flows: { opposition: 0.1, horsOpposition: 0.8 }",
          "  reasons:",
          "    opposition: { oppositionClosure: 0.5, enrolment: 0.5 }",
          "    horsOpposition: { cvSerialUnreadable: 0.7, outOfScope: 0.2 }"
        ].join("\n")
      )
    )
    expectBadInput(
      ["validate", p],
      "callers.flows: flow shares must add up to 1, got 0.9",
      "callers.reasons.opposition.enrolment: unknown call reason; expected one of cvSerialUnreadable",
      "callers.reasons.horsOpposition: reason shares must add up to 1, got 0.9"
    )
  })

  it("a shipped scenario validates", () => {
    const r = ccsim(["validate", "scenarios/baseline-2026.yaml"])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('valid — "baseline-2026"')
  })
})
