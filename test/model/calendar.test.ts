import { describe, expect, it } from "vitest"
import { CLOSED, CLOSED_EXCEPTIONAL, CLOSED_TECHNICAL, OPEN, dayInfo, intervalStatus } from "../../sim/model/calendar.js"
import { easterSunday, frenchPublicHolidays } from "../../sim/domain/holidays.js"
import { formatDate, formatIsoWeek, parseDate, parseDateTime, parseTimeOfDay, weekday } from "../../sim/domain/dates.js"

describe("dates", () => {
  it("parses real dates only, and knows weekdays and ISO weeks", () => {
    expect(parseDate("2026-02-29")).toBeUndefined()
    expect(parseDate("2028-02-29")).toBeDefined()
    expect(parseDate("2026-13-01")).toBeUndefined()
    expect(weekday(parseDate("2025-11-09")!)).toBe(6) // the contract starts on a Sunday
    expect(weekday(parseDate("2026-01-05")!)).toBe(0)
    expect(formatIsoWeek(parseDate("2026-01-01")!)).toBe("2026-W01")
    expect(formatIsoWeek(parseDate("2027-01-01")!)).toBe("2026-W53")
    expect(parseTimeOfDay("24:00")).toBe(1440)
    expect(parseTimeOfDay("24:30")).toBeUndefined()
    expect(parseDateTime("2026-03-10T14:15")).toEqual({ day: parseDate("2026-03-10"), minutes: 855 })
  })
})

describe("French public holidays", () => {
  it.each([
    [2025, "2025-04-20"],
    [2026, "2026-04-05"],
    [2027, "2027-03-28"],
    [2028, "2028-04-16"],
    [2029, "2029-04-01"]
  ])("Easter %d is %s", (year, date) => {
    expect(formatDate(easterSunday(year))).toBe(date)
  })

  it("lists the 11 holidays of 2026 with the movable ones", () => {
    expect(frenchPublicHolidays(2026).map((h) => formatDate(h.day))).toEqual([
      "2026-01-01", "2026-04-06", "2026-05-01", "2026-05-08", "2026-05-14", "2026-05-25",
      "2026-07-14", "2026-08-15", "2026-11-01", "2026-11-11", "2026-12-25"
    ])
  })
})

describe("service calendar", () => {
  const first = parseDate("2026-05-04")! // a Monday; Friday 2026-05-08 is a holiday
  const spec = {
    firstDay: first, dayCount: 7, intervalSeconds: 900, openWeekdays: [0, 1, 2, 3, 4],
    openMinutes: 510, closeMinutes: 1050, publicHolidays: true,
    closures: [
      { fromSeconds: 86_400 + 10 * 3600, toSeconds: 86_400 + 11 * 3600, kind: "exceptional" as const },
      { fromSeconds: 2 * 86_400 + 14 * 3600, toSeconds: 2 * 86_400 + 14.5 * 3600, kind: "technical" as const }
    ]
  }
  const days = dayInfo(spec)
  const status = intervalStatus(spec, days)
  const open = (d: number) => status.subarray(d * 96, (d + 1) * 96).filter((s) => s === OPEN).length

  it("opens Monday–Friday 08:30–17:30 (36 quarter hours), not on weekends or holidays", () => {
    expect(open(0)).toBe(36)
    expect(status[0 * 96 + 33]).toBe(CLOSED) // 08:15
    expect(status[0 * 96 + 34]).toBe(OPEN) // 08:30
    expect(status[0 * 96 + 69]).toBe(OPEN) // 17:15
    expect(status[0 * 96 + 70]).toBe(CLOSED) // 17:30
    expect(open(4)).toBe(0) // 8 May
    expect(days.holiday[4]).toBe(1)
    expect(open(5)).toBe(0)
    expect(open(6)).toBe(0)
  })

  it("marks exceptional and technical closures only where the service would be open", () => {
    expect(Array.from(status.subarray(96 + 40, 96 + 44))).toEqual([2, 2, 2, 2].map(() => CLOSED_EXCEPTIONAL))
    expect(status[96 + 39]).toBe(OPEN)
    expect(Array.from(status.subarray(2 * 96 + 56, 2 * 96 + 58))).toEqual([CLOSED_TECHNICAL, CLOSED_TECHNICAL])
    expect(open(1)).toBe(32)
  })
})
