/**
 * Hour orders (CCTP 3.1, 7.2.1.1): blocks of 10 working days from the contract's start, the
 * buyer's orders CSV with every problem at file:line, orders derived from the plan.
 */
import { describe, expect, it } from "vitest"
import { csvOrders, derivedOrders, orderBlocks, parseOrdersCsv } from "../../sim/contract/orders.js"
import { formatDate, parseDate } from "../../sim/domain/dates.js"
import { isWorkingDay } from "../../sim/domain/holidays.js"

const d = (s: string) => parseDate(s)!
const CONTRACT_END = d("2029-11-08")

describe("order blocks", () => {
  it("count 10 working days from the contract's start, holidays skipped (11 Nov, 25 Dec, 1 Jan)", () => {
    const blocks = orderBlocks(d("2025-11-09"), d("2025-11-09"), d("2026-01-20"))
    expect(blocks.map((b) => [b.index, formatDate(b.fromDay), formatDate(b.toDay)])).toEqual([
      [1, "2025-11-08", "2025-11-24"],
      [2, "2025-11-25", "2025-12-08"],
      [3, "2025-12-09", "2025-12-22"],
      [4, "2025-12-23", "2026-01-07"],
      [5, "2026-01-08", "2026-01-21"]
    ])
  })

  it("tile a year without gap or overlap, each holding exactly 10 working days", () => {
    const blocks = orderBlocks(d("2025-11-09"), d("2026-01-01"), d("2026-12-31"))
    expect(blocks[0]!.fromDay).toBeLessThanOrEqual(d("2026-01-01"))
    expect(blocks[blocks.length - 1]!.toDay).toBeGreaterThanOrEqual(d("2026-12-31"))
    blocks.forEach((b, i) => {
      let n = 0
      for (let day = b.fromDay; day <= b.toDay; day++) if (isWorkingDay(day)) n++
      expect(n).toBe(10)
      expect(isWorkingDay(b.toDay)).toBe(true)
      if (i > 0) expect(b.fromDay).toBe(blocks[i - 1]!.toDay + 1)
      if (i > 0) expect(b.index).toBe(blocks[i - 1]!.index + 1)
    })
  })
})

describe("orders CSV", () => {
  const csv = (...rows: string[]) => ["from;to;phoneHours;formsHours", ...rows].join("\n")

  it("reads blocks and single days, French numbers and dates", () => {
    const r = parseOrdersCsv(csv("2026-01-08;2026-01-21;4 600;64,5", "22/01/2026;22/01/2026;460;6"), "orders.csv", CONTRACT_END)
    expect(r.problems).toEqual([])
    expect(r.rows.map((x) => [formatDate(x.fromDay), formatDate(x.toDay), x.phoneHours, x.formsHours])).toEqual([
      ["2026-01-08", "2026-01-21", 4600, 64.5],
      ["2026-01-22", "2026-01-22", 460, 6]
    ])
  })

  it("names every gap, overlap, short block and bad value with file:line", () => {
    const r = parseOrdersCsv(
      csv(
        "2026-01-08;2026-01-21;4600;60", // line 2: 10 working days
        "2026-01-20;2026-01-20;460;6", // line 3: overlaps line 2
        "2026-01-26;2026-02-06;4000;50", // line 4: 10 working days, but 22–23 Jan uncovered
        "2026-02-09;2026-02-19;4000;50", // line 5: 9 working days
        "2026-02-20;2026-02-20;-3;x" // line 6: negative, not a number
      ),
      "orders.csv",
      CONTRACT_END
    )
    const byLine = Object.fromEntries(r.problems.map((p) => [p.path, p.message]))
    expect(Object.keys(byLine).sort()).toEqual(["orders.csv:3", "orders.csv:4", "orders.csv:5", "orders.csv:6"])
    expect(byLine["orders.csv:3"]).toContain("overlaps line 2")
    expect(byLine["orders.csv:4"]).toContain("gap: 2 working days")
    expect(byLine["orders.csv:5"]).toContain("holds 9 working days")
    expect(r.problems.filter((p) => p.path === "orders.csv:6").map((p) => p.message)).toEqual([
      'phoneHours: expected a number of hours >= 0, got "-3"',
      'formsHours: expected a number of hours >= 0, got "x"'
    ])
  })

  it("accepts a short last block only when it ends the contract", () => {
    const end = parseOrdersCsv(csv("2029-11-05;2029-11-08;1000;10"), "o.csv", CONTRACT_END)
    expect(end.problems).toEqual([])
    const notEnd = parseOrdersCsv(csv("2029-11-05;2029-11-07;1000;10"), "o.csv", CONTRACT_END)
    expect(notEnd.problems.map((p) => p.path)).toEqual(["o.csv:2"])
  })

  it("spreads a block's hours over its working days and reports horizon days without an order", () => {
    const { rows } = parseOrdersCsv(csv("2026-01-08;2026-01-21;4600;60"), "o.csv", CONTRACT_END)
    const first = d("2026-01-05")
    const { orders, problems } = csvOrders(rows, first, 21, "contract.orders.csv")
    expect(orders.phoneHours[3]).toBeCloseTo(460, 9) // Thursday 8 Jan
    expect(orders.phoneHours[5]).toBe(0) // Saturday 10 Jan
    expect(orders.phoneHours.reduce((a, b) => a + b, 0)).toBeCloseTo(4600, 9)
    expect(orders.formsHours.reduce((a, b) => a + b, 0)).toBeCloseTo(60, 9)
    expect(problems).toEqual([
      { path: "contract.orders.csv", message: "no order for 5 working days of the horizon: 2026-01-05, 2026-01-06, 2026-01-07, …" }
    ])
  })
})

describe("derived orders", () => {
  it("order the plan's scheduled hours: phone = phone-only + blended, forms = forms-only, × orderFactor", () => {
    const o = derivedOrders([[36_000, 0], [7_200, 3_600], [3_600, 0]], 2, 0.5)
    expect(Array.from(o.phoneHours)).toEqual([5.5, 0])
    expect(Array.from(o.formsHours)).toEqual([1, 0.5])
  })
})
