/**
 * Named assumptions: every default the model needs that the CCTP does not state. Each one is a
 * documented, overridable scenario parameter (README "Assumptions" lists them with these names);
 * none is a hidden constant. Figures the CCTP does give are imported from ./cctp.ts.
 */
import { AVERAGE_HANDLING_SECONDS_2024, FORMS_PER_ADVISOR_DAY, MEASURED_REASON_SHARES, OPPOSITION_SHARE } from "./cctp.js"
import { REASON_CODES, type ReasonCode } from "./vocabulary.js"

export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun"
export const WEEKDAYS: ReadonlyArray<Weekday> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
/** Index of a weekday name in the model's day-of-week numbering (0 = Monday … 6 = Sunday). */
export const weekdayIndex = (d: string): number => WEEKDAYS.indexOf(d as Weekday)

/**
 * `arrivals.forecast.profiles.monthly` — relative weight of the days of each month when a year's
 * calls spread over its days (× the weekly weight of the day). Assumption: flat, so every working
 * day of a year carries the same volume and a month's volume follows its working days. The CCTP describes peaks driven by events (notification waves, campaigns — modelled as
 * events), not a seasonal pattern; the buyer's Annexe 1 (a CSV forecast) brings the real one.
 */
export const MONTHLY_PROFILE: Readonly<Record<string, number>> = {
  jan: 1, feb: 1, mar: 1, apr: 1, may: 1, jun: 1, jul: 1, aug: 1, sep: 1, oct: 1, nov: 1, dec: 1
}

/**
 * `weeklyProfile` — relative call volume by day of week (a public holiday on a weekday counts as
 * `holiday`). Calls on closed days are dissuaded on closure. Assumption: Monday peak, Friday low,
 * a trickle at weekends and on holidays.
 */
export const WEEKLY_PROFILE: Readonly<Record<Weekday | "holiday", number>> = {
  mon: 1.25, tue: 1.1, wed: 1.0, thu: 0.95, fri: 0.85, sat: 0.06, sun: 0.03, holiday: 0.06
}

/**
 * `arrivals.forecast.profiles.intraday` — relative call volume per half hour of an open day
 * (48 weights from 00:00; each is split evenly over the intervals it covers). Assumption: a rush
 * at opening, a morning peak 09:00–11:30, a lunch dip, an afternoon plateau, then a decline to
 * closing; about 3% of a working day's calls come outside 08:30–17:30 and are dissuaded.
 */
export const INTRADAY_PROFILE: ReadonlyArray<number> = [
  // 00:00 … 06:30 (14 half hours)
  0.002, 0.002, 0.002, 0.002, 0.002, 0.002, 0.002, 0.002, 0.002, 0.002, 0.002, 0.002, 0.002, 0.002,
  // 07:00 07:30 08:00 | 08:30 09:00 09:30 10:00 10:30 11:00 11:30 12:00 12:30
  0.01, 0.02, 0.04, 0.55, 0.7, 0.72, 0.72, 0.7, 0.65, 0.55, 0.42, 0.4,
  // 13:00 13:30 14:00 14:30 15:00 15:30 16:00 16:30 17:00 | 17:30 18:00 18:30
  0.45, 0.55, 0.6, 0.58, 0.55, 0.5, 0.45, 0.38, 0.3, 0.04, 0.025, 0.02,
  // 19:00 19:30 20:00 20:30 21:00 … 23:30
  0.015, 0.015, 0.01, 0.01, 0.005, 0.005, 0.005, 0.005, 0.005, 0.005
]

/** `arrivals.forecast.profiles.closedDayHours` — on closed days, calls spread evenly from 08:00 to 20:00 (assumption). */
export const CLOSED_DAY_HOURS = { from: 8, to: 20 } as const

/**
 * `arrivals.forecast.profiles.forms.weekly` and `.hours` — contact forms are written online at
 * any time: weekends and holidays at half a weekday's volume, evenly over 07:00–23:00 (assumption).
 */
export const FORMS_WEEKLY_PROFILE: Readonly<Record<Weekday | "holiday", number>> = {
  mon: 1.15, tue: 1.05, wed: 1.0, thu: 1.0, fri: 0.95, sat: 0.5, sun: 0.5, holiday: 0.5
}
export const FORMS_HOURS = { from: 7, to: 23 } as const

/** The overall call-reason mix: CCTP 2.1.3 shares where given, assumptions for the others. */
export const OVERALL_REASON_MIX: Readonly<Record<ReasonCode, number>> = {
  cvSerialUnreadable: MEASURED_REASON_SHARES.cvSerialUnreadable,
  enrolmentHelp: MEASURED_REASON_SHARES.enrolmentHelp,
  generalInfo: 0.08,
  interventionIdentificationFailed: 0.04,
  incidentAccount: 0.03,
  incidentMedicalProfile: 0.015,
  incidentVaccinations: 0.01,
  incidentDocuments: 0.03,
  incidentMessaging: 0.015,
  incidentCalendar: 0.005,
  incidentServiceCatalogue: 0.005,
  incidentMobileApp: 0.02,
  otherIncidents: 0.035,
  oppositionClosure: 0.035,
  secondLegalRepresentative: 0.01,
  outOfScope: MEASURED_REASON_SHARES.outOfScope,
  securityDataHosting: 0.01
}

/** `callers.reasons.opposition` — reasons of callers choosing "opposition" (assumption). */
export const OPPOSITION_FLOW_MIX: Readonly<Partial<Record<ReasonCode, number>>> = {
  oppositionClosure: 0.85,
  secondLegalRepresentative: 0.05,
  interventionIdentificationFailed: 0.05,
  generalInfo: 0.05
}

/**
 * `callers.reasons.horsOpposition` — derived so that, with 2% opposition calls (CCTP 2.1.3),
 * the overall mix is OVERALL_REASON_MIX: (overall − 2% × opposition mix) / 98%.
 */
export const HORS_OPPOSITION_FLOW_MIX: Readonly<Record<ReasonCode, number>> = Object.fromEntries(
  REASON_CODES.map((r) => [r, (OVERALL_REASON_MIX[r] - OPPOSITION_SHARE * (OPPOSITION_FLOW_MIX[r] ?? 0)) / (1 - OPPOSITION_SHARE)])
) as Record<ReasonCode, number>

/**
 * `callers.handleTime.relative` — talk time of each reason relative to the others (assumption:
 * interventions and opposition take longest, out-of-scope calls are short redirections).
 */
export const RELATIVE_TALK: Readonly<Record<ReasonCode, number>> = {
  cvSerialUnreadable: 0.9,
  enrolmentHelp: 1.3,
  generalInfo: 0.8,
  interventionIdentificationFailed: 1.4,
  incidentAccount: 1.1,
  incidentMedicalProfile: 1.1,
  incidentVaccinations: 1.1,
  incidentDocuments: 1.1,
  incidentMessaging: 1.1,
  incidentCalendar: 1.1,
  incidentServiceCatalogue: 1.1,
  incidentMobileApp: 1.1,
  otherIncidents: 1.2,
  oppositionClosure: 1.5,
  secondLegalRepresentative: 1.3,
  outOfScope: 0.5,
  securityDataHosting: 1.0
}

/** `callers.handleTime.meanSeconds` — mean talk + wrap-up over the mix: the 2024 figure (CCTP 2.1.7). */
export const MEAN_HANDLE_SECONDS = AVERAGE_HANDLING_SECONDS_2024
/** `callers.handleTime.wrapUpSeconds` — mean wrap-up (qualification) after a call (assumption). */
export const WRAP_UP_SECONDS = 30
/** `callers.handleTime.cv` — coefficient of variation of talk times, lognormal (assumption). */
export const TALK_CV = 0.6
/** `callers.handleTime.wrapUpCv` — coefficient of variation of wrap-up times, lognormal (assumption). */
export const WRAP_UP_CV = 0.5

/** `callers.patience` — exponential, mean 4 minutes (assumption). */
export const PATIENCE_MEAN_SECONDS = 240

/** `callers.redials` — after abandoning, 60% call again, after 15 minutes on average, 3 attempts at most (assumption). */
export const REDIALS = { probability: 0.6, delayMeanSeconds: 15 * 60, maxAttempts: 3 } as const

/** `callers.transfers` — share of answered calls transferred to level 1+ (assumption; CCTP 2.1.5 says when, not how often). */
export const TRANSFER_SHARE_DEFAULT = 0.02
export const TRANSFER_SHARE_BY_REASON: Readonly<Partial<Record<ReasonCode, number>>> = { interventionIdentificationFailed: 0.35 }

/** `callers.tickets` — share of answered calls escalated to level 2 as a PSN1 ticket (assumption). */
export const TICKET_SHARE_DEFAULT = 0.03
export const TICKET_SHARE_BY_REASON: Readonly<Partial<Record<ReasonCode, number>>> = {
  incidentAccount: 0.3, incidentMedicalProfile: 0.3, incidentVaccinations: 0.3, incidentDocuments: 0.3,
  incidentMessaging: 0.3, incidentCalendar: 0.3, incidentServiceCatalogue: 0.3, incidentMobileApp: 0.3,
  otherIncidents: 0.4
}

/** `staffing.absence.rate` — share of scheduled advisors absent on a given day (assumption). */
export const ABSENCE_RATE = 0.08

/** `forms.productiveHoursPerDay` — a "full day" of an advisor, for forms productivity (assumption). */
export const PRODUCTIVE_HOURS_PER_DAY = 7
/** `forms.handleTime` — mean handling of one form: a full day / 90 forms (CCTP 2.1.7), lognormal CV 0.5 (assumption). */
export const FORM_HANDLE_SECONDS = (PRODUCTIVE_HOURS_PER_DAY * 3600) / FORMS_PER_ADVISOR_DAY
export const FORM_HANDLE_CV = 0.5

/**
 * `events[].notificationWave.closedDayCalls` — a caller who reacts to a letter on a closed day
 * calls on the next open day (assumption; `dissuaded` keeps them on the closed day).
 */
export const CLOSED_DAY_RESPONSES = "nextOpenDay" as const
/** `events[].notificationWave.meanDelayDays` — recipients call after 7 days on average, exponential (assumption). */
export const NOTIFICATION_MEAN_DELAY_DAYS = 7

/**
 * `arrivals.forecast.dayBusynessCv` — day-level overdispersion of calls beyond Poisson (gamma
 * factor per day, mean 1). Assumption 0.10: after weekday effects, inbound centres see daily
 * volumes vary 5–15% more than a Poisson count explains (Brown et al. 2005, Ibrahim & L'Ecuyer
 * 2013); without it, replications would understate the risk of a bad month.
 */
export const DAY_BUSYNESS_CV = 0.1
/**
 * `arrivals.forecast.monthErrorCv` — monthly forecast error (lognormal factor per month, mean 1).
 * Assumption 0.05: the Cnam's forecasts do not bind it and history shows calls below plan
 * (CCTP 2.1.3, 7.1), but orders are refreshed every 10 working days, so the month's volume is
 * known to about ±5% when staffing is set. It is what makes a month's penalty uncertain across
 * replications (money issue: risk per month).
 */
export const MONTH_ERROR_CV = 0.05

/**
 * `contract.quality` — quality scores (/100) of calls, tickets and form answers cannot be
 * simulated: each month's score is drawn per replication from a normal law (clipped to
 * [0, 100]), mean 88, sd 3 by default (assumption: a contractor meeting the > 85 target most
 * months; P(score < 80) ≈ 0.4% a month).
 */
export const QUALITY_SCORE = { mean: 88, sd: 3 } as const

/** `contract.runInMonths` — assumption: the CCTP's maximum run-in, 4 months (CCTP 9). */
export const RUN_IN_MONTHS = 4

/**
 * `contract.penalties.formsPerAdvisorDay.threshold` — the trigger threshold of forms
 * productivity is unreadable in the CCTP's OCR (target 90 a day): assumption 85.
 */
export const FORMS_PRODUCTIVITY_THRESHOLD = 85

/**
 * `staffing.shiftEnd` — when a group's headcount drops and everyone is busy, who leaves: the
 * advisors whose shift ends finish their own call, then leave (`ownCall`, as in a real centre:
 * nobody hands a caller over mid-call, and a colleague who frees up first keeps working), or
 * whoever finishes first (`firstFree`, the earlier rule). A design choice made a named,
 * overridable default: ownCall keeps capacity a little longer after each drop.
 */
export const SHIFT_END = "ownCall" as const

/**
 * `staffing.rules` — the shifts a staffing search may use (CCTP 7.2.1.2 lists the levers: shift
 * lengths, start times, daily hours, lunch rules, part-time; French labour law sets the 35-hour
 * week). Assumptions: full-time shifts of 7 worked hours with a 60-minute unpaid lunch taken in
 * 11:30–14:00, part-time shifts of 4 hours without lunch, starts every interval between opening
 * and the latest start that ends by closing, at most 30% of paid hours in part-time shifts,
 * 5 days a week.
 */
export const SHIFT_RULES = {
  lengths: [
    { workedHours: 7, lunchMinutes: 60 },
    { workedHours: 4, lunchMinutes: 0 }
  ],
  lunchWindow: { from: "11:30", to: "14:00" },
  maxPartTimeShare: 0.3,
  /** A shift of fewer worked hours than this is part-time. */
  fullTimeHours: 6,
  daysPerWeek: 5
} as const

/**
 * FTE (full-time equivalent) — 35 paid hours a week (French legal week), i.e. 7 hours per
 * working day; a month's FTE = its paid hours / (7 h × its working days). Paid hours include the
 * headcount scheduled to cover absence (`staffing.absence.rate`); training time of new hires is
 * added by the workforce plan.
 */
export const FTE_HOURS_PER_DAY = 7

/**
 * Classic sizing, the WFM tools' way the search is compared with: Erlang C per interval for
 * 80% of calls answered within 20 s, then 30% shrinkage added (requirement / 0.7), rounded to the
 * same shifts.
 */
export const CLASSIC_SIZING = { serviceLevel: 0.8, serviceLevelSeconds: 20, shrinkage: 0.3 } as const

/**
 * Workforce over months (what a 48-month bid must carry; `ccsim bid`, `ccsim staff`): advisors
 * leave at a monthly rate, a hire takes a lead time to recruit, then trains (paid, 0%
 * productive), then "nests": handling time ×1.5 falling linearly to ×1.0. Assumptions for a
 * French public-service contact centre (WFM practice; no CCTP figure): 2% a month attrition,
 * 6 weeks to recruit, 3 weeks of initial training, 12 weeks of nesting.
 */
export const WORKFORCE = {
  monthlyAttrition: 0.02,
  hiringLeadWeeks: 6,
  trainingWeeks: 3,
  nestingWeeks: 12,
  nestingHandleFactor: 1.5
} as const

/**
 * `continuity.interruption.threshold` — reading taken: the service is interrupted while the
 * capacity able to answer calls (advisors on the phone activity who can reach Odigo) is at or
 * below this share of the planned capacity; 0: while nobody can answer. The CCTP says
 * "interruption de service" without a measure.
 */
export const CONTINUITY_THRESHOLD = 0
/**
 * `continuity.interruption.clock` — reading taken: the 48 hours are calendar hours, from the
 * incident to the restoration, nights and weekends inside the interruption included (the
 * stricter reading of "48 heures"); `openHours` counts only the service's opening hours.
 */
export const CONTINUITY_CLOCK = "calendar" as const
/**
 * `continuity.closureKind` — reading taken: calls dissuaded by a recovery plan's closure message
 * count as an `exceptional` closure (against accessibility, CCTP 3.3.2): the loss of a site is
 * the contractor's own organisation, not the "incidents techniques" the formula excludes;
 * `technical` takes the other reading (excluded from accessibility).
 */
export const CONTINUITY_CLOSURE_KIND = "exceptional" as const
/**
 * `continuity.incidents[].vpnLoss.phoneAdvisors` — while their VPN is down, the site's phone-only
 * advisors are `idle` (their skills are the phone; blended advisors work forms, forms-only ones
 * go on), or work `forms`.
 */
export const VPN_LOSS_PHONE_ADVISORS = "idle" as const
/**
 * `continuity.cutCallers` — a caller whose call an incident cut calls back like a caller who
 * abandoned (by `callers.redials`), `redial`; or is `lost`.
 */
export const CONTINUITY_CUT_CALLERS = "redial" as const
/**
 * `ccsim continuity compare --incidents-per-year` — how often a plan is expected to be
 * activated, to weigh an incident's cost against a plan's standing cost: once a year
 * (assumption; the CCTP gives no frequency).
 */
export const CONTINUITY_INCIDENTS_PER_YEAR = 1
