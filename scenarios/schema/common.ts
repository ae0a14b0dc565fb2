/**
 * Small schemas shared by the scenario concepts: dates, times of day, weekdays, reason-keyed
 * share tables. Messages say what is expected and what was given.
 */
import * as Schema from "effect/Schema"
import { quote } from "../../sim/domain/problem.js"
import { REASON_CODES } from "../../sim/domain/vocabulary.js"
import { parseDate, parseDateOrDateTime, parseTimeOfDay } from "../../sim/domain/dates.js"
import { NonNegative, Share } from "./numbers.js"

/** A calendar date "YYYY-MM-DD". */
export const DateString = Schema.String.check(
  Schema.makeFilter((s: string) => parseDate(s) !== undefined || `Expected a date YYYY-MM-DD, got ${quote(s)}`)
).annotate({ identifier: "Date", description: "A date YYYY-MM-DD" })

/** A date and time of day in Paris civil time, "YYYY-MM-DDTHH:MM" (or a date: its midnight). */
export const DateTimeString = Schema.String.check(
  Schema.makeFilter(
    (s: string) => parseDateOrDateTime(s) !== undefined || `Expected YYYY-MM-DDTHH:MM or YYYY-MM-DD, got ${quote(s)}`
  )
)

/** A time of day "HH:MM" (00:00–24:00). */
export const TimeOfDay = Schema.String.check(
  Schema.makeFilter((s: string) => parseTimeOfDay(s) !== undefined || `Expected a time HH:MM, got ${quote(s)}`)
).annotate({ identifier: "TimeOfDay", description: "A time of day HH:MM (Paris civil time)" })

export const Weekday = Schema.Literals(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]).annotate({
  expected: "a weekday: mon, tue, wed, thu, fri, sat or sun"
})

/** A year "YYYY". */
export const YearString = Schema.String.check(
  Schema.makeFilter((s: string) => /^\d{4}$/.test(s) || `Expected a year YYYY, got ${quote(s)}`)
)

/** A month "YYYY-MM". */
export const MonthString = Schema.String.check(
  Schema.makeFilter((s: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(s) || `Expected a month YYYY-MM, got ${quote(s)}`)
)

const reasonNames = `one of ${REASON_CODES.join(", ")}`

/** An object keyed by call reasons (CCTP 2.1.7), with values of `value`; unknown keys refused. */
export const byReason = <S extends Schema.Top & { readonly DecodingServices: never }>(value: S) =>
  Schema.Record(Schema.String, value).check(
    Schema.makeFilter((r: Readonly<Record<string, unknown>>) => {
      const bad = Object.keys(r).filter((k) => !(REASON_CODES as ReadonlyArray<string>).includes(k))
      return bad.map((k) => ({ path: [k], issue: `unknown call reason; expected ${reasonNames}` }))
    })
  )

/** Shares that must add up to 1 (± 1e-6). */
export const sumsToOne = (what: string) =>
  Schema.makeFilter((r: Readonly<Record<string, number>>) => {
    const total = Object.values(r).reduce((a, b) => a + b, 0)
    return Math.abs(total - 1) <= 1e-6 || `${what} must add up to 1, got ${Number(total.toFixed(9))}`
  })

/** A reason mix: shares per reason adding up to 1. */
export const ReasonMix = byReason(Share).check(sumsToOne("reason shares")).annotate({
  identifier: "ReasonMix",
  description: `Shares of the CCTP 2.1.7 call reasons, adding up to 1: ${REASON_CODES.join(", ")}.`
})

/** Positive relative weights per reason (e.g. talk-time factors). */
export const ReasonWeights = byReason(NonNegative)
