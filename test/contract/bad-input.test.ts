/**
 * Bad money input: a negative price, an unknown indicator, a run-in past the CCTP's 4 months, an
 * orders CSV with gaps, overlaps or blocks that are not 10 working days — every problem with its
 * path or file:line, exit 2, no stack trace, before anything is simulated.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { ccsim } from "../cli/run-cli.js"

const tmp = mkdtempSync(join(tmpdir(), "ccsim-money-bad-"))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const write = (name: string, text: string) => {
  const p = join(tmp, name)
  writeFileSync(p, text)
  return p
}

const scenario = (contract: string) =>
  [
    "name: bad-money",
    "horizon: { from: 2026-03-02, to: 2026-03-31 }",
    "calendar: {}",
    "arrivals: { forecast: {} }",
    "staffing:",
    "  shifts:",
    '    - { name: a, start: "08:30", end: "16:30", advisors: 40 }',
    "contract:",
    contract
  ].join("\n") + "\n"

const expectBadInput = (args: string[], ...messages: string[]) => {
  const r = ccsim(args)
  expect(r.code, r.stderr).toBe(2)
  expect(r.stdout).toBe("")
  for (const m of messages) expect(r.stderr).toContain(m)
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
  return r
}

describe("bad money input", () => {
  it("lists a negative price, an unknown indicator and a run-in past 4 months at once, with their paths", () => {
    const f = write(
      "fields.yaml",
      scenario(
        [
          "  runInMonths: 6",
          "  pricing: { phone: { perHour: -32.5 }, forms: { perHour: 30, perAct: 2 } }",
          "  penalties: { answerRat: { rate: 0.02 }, meanWait: { base: telephone } }"
        ].join("\n")
      )
    )
    for (const cmd of ["validate", "run"]) {
      expectBadInput(
        [cmd, f],
        "contract.runInMonths: must be at most 4 (CCTP 9: the run-in cannot exceed 4 months)",
        "contract.pricing.phone.perHour: Expected a price in euros per hour, >= 0, got -32.5",
        "contract.pricing.forms: give perHour or perAct (exactly one)",
        "contract.penalties.answerRat: unknown indicator; expected one of planConformity, accessibility, answerRate",
        'contract.penalties.meanWait.base: Expected "phone", "forms" or "total", got "telephone"'
      )
    }
  })

  it("names the orders CSV's gaps, overlaps and blocks that are not 10 working days by file:line", () => {
    write(
      "orders.csv",
      ["from;to;phoneHours;formsHours", "2026-02-26;2026-03-11;4600;60", "2026-03-11;2026-03-11;460;6", "2026-03-16;2026-03-27;4000;50", "2026-03-30;2026-04-01;100;1"].join("\n")
    )
    const f = write("orders.yaml", scenario("  orders: { csv: orders.csv }"))
    for (const cmd of ["validate", "run"]) {
      expectBadInput(
        [cmd, f],
        "orders.csv:3: 2026-03-11..2026-03-11 overlaps line 2",
        "orders.csv:4: gap: 2 working days between line 2 (to 2026-03-11) and this line (from 2026-03-16) have no order",
        "orders.csv:5: 2026-03-30..2026-04-01 holds 3 working days; an order covers one day or a block of 10 working days"
      )
    }
  })

  it("says when the orders do not cover the horizon, or the file is missing", () => {
    write("short.csv", ["from,to,phoneHours", "2026-03-02,2026-03-13,4000"].join("\n"))
    expectBadInput(["validate", write("short.yaml", scenario("  orders: { csv: short.csv }"))], "contract.orders.csv: no order for 12 working days of the horizon: 2026-03-16")
    expectBadInput(["validate", write("none.yaml", scenario("  orders: { csv: nowhere.csv }"))], "contract.orders.csv: nowhere.csv: no such file")
  })

  it("refuses a contract block in a textbook scenario", () => {
    const f = write(
      "textbook.yaml",
      ["name: t", "horizon: { hours: 10 }", "calendar: always-open", "arrivals: { poisson: { perHour: 10 } }", "handleTime: { exponential: { meanSeconds: 60 } }", "agents: 2", "contract: {}"].join("\n")
    )
    expectBadInput(["validate", f], "contract: needs a dated horizon")
  })
})
