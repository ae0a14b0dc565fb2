/**
 * `forms`: the contact-form activity (the optional part of the contract, CCTP 2.1.5). Forms
 * arrive by the forecast (CCTP 7.1 volumes by default) at any hour and are worked from a backlog
 * by forms-only advisors and by blended ones between calls.
 */
import * as Schema from "effect/Schema"
import { Distribution } from "./distribution.js"
import { Positive } from "./numbers.js"

export const Forms = Schema.Struct({
  /** Simulate forms (default true when the forecast has forms). */
  enabled: Schema.optionalKey(Schema.Boolean),
  /** Handling of one form, wrap-up included (default lognormal, mean 7 h / 90 = 280 s, CV 0.5). */
  handleTime: Schema.optionalKey(Distribution),
  /** A full advisor day for the forms-per-advisor-day KPI (hours; default 7, assumption). */
  productiveHoursPerDay: Schema.optionalKey(Positive)
})
