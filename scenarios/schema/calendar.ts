/**
 * `calendar`: when the service is open. `always-open` (textbook queues) or the contract's
 * calendar — opening hours (default CCTP 2.1.2: Mon–Fri 08:30–17:30 Paris time), French public
 * holidays (default on), and extra closures: `exceptional` ones count against accessibility
 * (CCTP 3.3.2), `technical` ones (local or national incidents) do not.
 */
import * as Schema from "effect/Schema"
import { OPENING_HOURS } from "../../sim/domain/cctp.js"
import { parseTimeOfDay } from "../../sim/domain/dates.js"
import { DateTimeString, TimeOfDay, Weekday } from "./common.js"

export const OpeningHours = Schema.Struct({
  days: Schema.optionalKey(Schema.Array(Weekday)),
  from: Schema.optionalKey(TimeOfDay),
  to: Schema.optionalKey(TimeOfDay)
}).check(
  Schema.makeFilter((h) => {
    const from = parseTimeOfDay(h.from ?? OPENING_HOURS.from)!
    const to = parseTimeOfDay(h.to ?? OPENING_HOURS.to)!
    return to > from || { path: ["to"], issue: `must be after the opening time ${h.from ?? OPENING_HOURS.from}` }
  })
)

export const Closure = Schema.Struct({
  /** First closed moment: a date (its midnight) or a date and time. */
  from: DateTimeString,
  /** End of the closure: a date (closed through that whole day) or a date and time (excluded). */
  to: DateTimeString,
  kind: Schema.optionalKey(Schema.Literals(["exceptional", "technical"]).annotate({ expected: '"exceptional" or "technical"' })),
  label: Schema.optionalKey(Schema.String)
})

export const ContractCalendar = Schema.Struct({
  openingHours: Schema.optionalKey(OpeningHours),
  publicHolidays: Schema.optionalKey(Schema.Boolean),
  closures: Schema.optionalKey(Schema.Array(Closure))
})

export const Calendar = Schema.Union([Schema.Literal("always-open"), ContractCalendar]).annotate({
  expected: '"always-open" or a calendar { openingHours, publicHolidays, closures }'
})
