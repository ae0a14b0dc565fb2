/**
 * The root `Scenario`: what a scenario file may say, decoded once at the edge (DESIGN data flow
 * step 1). One module per concept (calendar, arrivals, events, callers, staffing, forms…); this
 * module assembles them and checks what spans several of them.
 *
 * Two kinds of scenario share the format:
 * - textbook (undated): `horizon: { hours }`, `calendar: always-open`, `arrivals: poisson|replay`,
 *   `handleTime`, optional `patience`, `agents` — accepted exactly as written in issue 2:
 *
 *     name: erlang-a-textbook
 *     horizon: { hours: 2000 }
 *     calendar: always-open
 *     arrivals: { poisson: { perHour: 1000 } }
 *     handleTime: { exponential: { meanSeconds: 300 } }
 *     patience: { exponential: { meanSeconds: 180 } }   # omitted: callers never abandon
 *     agents: 90
 *     serviceLevelSeconds: 20
 *
 * - contract (dated): `horizon: { from, to }` or `contract` (CCTP: 9 Nov 2025, 48 months), the
 *   contract calendar, `arrivals: { forecast }`, `events`, `callers`, `staffing` (or `agents`),
 *   `forms`. Omitted parts take CCTP figures or named assumptions.
 */
import * as Schema from "effect/Schema"
import { CONTRACT_MONTHS, CONTRACT_START } from "../../sim/domain/cctp.js"
import { addMonths, formatDate, parseDate, parseDateOrDateTime } from "../../sim/domain/dates.js"
import { Arrivals } from "./arrivals.js"
import { Calendar } from "./calendar.js"
import { Callers } from "./callers.js"
import { Contract } from "./contract.js"
import { Continuity, continuityIssues } from "./continuity.js"
import { DateString } from "./common.js"
import { Distribution } from "./distribution.js"
import { Event } from "./events.js"
import { Forms } from "./forms.js"
import { Count, NonNegative, Positive, PositiveCount } from "./numbers.js"
import { Staffing } from "./staffing.js"

export const ScenarioName = Schema.String.check(
  Schema.isPattern(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, { expected: "a name of letters, digits, '-', '_' or '.' (at most 100)" })
)

/** `{ hours }` from t = 0 (textbook), `{ from, to }` dates included, or `contract`. */
export const Horizon = Schema.Union([
  Schema.Struct({
    hours: Schema.optionalKey(Positive),
    from: Schema.optionalKey(DateString),
    to: Schema.optionalKey(DateString)
  }).check(
    Schema.makeFilter((h) => {
      if (h.hours !== undefined) return h.from === undefined && h.to === undefined ? undefined : "give hours, or from and to — not both"
      if (h.from === undefined || h.to === undefined) return "give hours, or from and to (dates, both included)"
      return h.to >= h.from || { path: ["to"], issue: `must not be before from (${h.from})` }
    })
  ),
  Schema.Literal("contract")
]).annotate({ expected: '{ hours }, { from, to } or "contract"' })

export const Scenario = Schema.Struct({
  name: ScenarioName,
  description: Schema.optionalKey(Schema.String),
  horizon: Horizon,
  calendar: Calendar,
  arrivals: Arrivals,
  /** Textbook: handle time of every call (talk; no wrap-up). */
  handleTime: Schema.optionalKey(Distribution),
  /** Textbook: caller patience; omitted: callers never abandon (Erlang C). */
  patience: Schema.optionalKey(Distribution),
  /** Identical phone agents present the whole horizon (textbook), instead of `staffing`. */
  agents: Schema.optionalKey(Count),
  callers: Schema.optionalKey(Callers),
  staffing: Schema.optionalKey(Staffing),
  forms: Schema.optionalKey(Forms),
  events: Schema.optionalKey(Schema.Array(Event)),
  /** Orders, prices, quality scores and penalty overrides (CCTP 3.1, 7.2, 9); dated scenarios only. */
  contract: Schema.optionalKey(Contract),
  /** Business continuity: incidents, recovery plans, the 48-hour verdict (CCTP 3.3.2, 8.1); dated scenarios only. */
  continuity: Schema.optionalKey(Continuity),
  /**
   * Statistics ignore calls arriving in the first `hours` (rounded up to whole intervals): the
   * run starts empty, and steady-state studies drop that transient. Default: none.
   */
  warmup: Schema.optionalKey(Schema.Struct({ hours: NonNegative })),
  /** Target answer time for the service level (seconds); default 20. */
  serviceLevelSeconds: Schema.optionalKey(NonNegative),
  /** Length of the accounting intervals (minutes); default 15. Must divide a day. */
  intervalMinutes: Schema.optionalKey(
    PositiveCount.check(Schema.makeFilter((m: number) => 1440 % m === 0 || "must divide a day (1440 minutes): 5, 10, 15, 30, 60…"))
  )
}).check(Schema.makeFilter((s) => crossChecks(s)))

export type Scenario = typeof Scenario.Type
export type ScenarioEncoded = typeof Scenario.Encoded

type Issue = { path: ReadonlyArray<PropertyKey>; issue: string }

/** First and last day (day numbers) of a dated horizon. */
export const horizonDays = (h: Scenario["horizon"]): { first: number; last: number } | undefined => {
  if (h === "contract") {
    const first = parseDate(CONTRACT_START)!
    return { first, last: addMonths(first, CONTRACT_MONTHS) - 1 }
  }
  if (h.from !== undefined && h.to !== undefined) return { first: parseDate(h.from)!, last: parseDate(h.to)! }
  return undefined
}

const dayOf = (s: string): number => parseDateOrDateTime(s)!.day

const crossChecks = (s: {
  horizon: Scenario["horizon"]
  calendar: Scenario["calendar"]
  arrivals: Scenario["arrivals"]
  handleTime?: unknown
  agents?: number
  callers?: unknown
  staffing?: unknown
  forms?: unknown
  events?: Scenario["events"]
  contract?: unknown
  continuity?: Scenario["continuity"]
  warmup?: { hours: number }
  intervalMinutes?: number
}): ReadonlyArray<Issue> => {
  const issues: Issue[] = []
  const dated = horizonDays(s.horizon)
  if (dated === undefined) {
    const hours = (s.horizon as { hours: number }).hours
    if (s.calendar !== "always-open") issues.push({ path: ["calendar"], issue: 'a horizon in hours has no dates: use calendar "always-open" or horizon { from, to }' })
    if (s.arrivals.forecast) issues.push({ path: ["arrivals", "forecast"], issue: "a forecast needs a dated horizon { from, to }" })
    if (Array.isArray(s.arrivals.poisson?.perHour)) issues.push({ path: ["arrivals", "poisson", "perHour"], issue: "rates per slot of the day need a dated horizon { from, to }; give one rate" })
    if (s.arrivals.replay?.csv !== undefined) issues.push({ path: ["arrivals", "replay", "csv"], issue: "a call log needs a dated horizon { from, to }; give seconds" })
    if (s.handleTime === undefined) issues.push({ path: ["handleTime"], issue: "missing field (required with a horizon in hours)" })
    if (s.agents === undefined) issues.push({ path: ["agents"], issue: "missing field (required with a horizon in hours)" })
    for (const k of ["callers", "staffing", "forms", "events", "contract", "continuity"] as const) {
      if (s[k] !== undefined) issues.push({ path: [k], issue: "needs a dated horizon { from, to } (this is a textbook scenario)" })
    }
    if (s.warmup && s.warmup.hours >= hours) issues.push({ path: ["warmup", "hours"], issue: "must be shorter than the horizon" })
    return issues
  }
  if (!s.arrivals.forecast) {
    // Poisson rates or a replayed log drive the calls as given: volume events need a forecast.
    ;(s.events ?? []).forEach((e, i) => {
      const kind = Object.keys(e)[0]!
      if (["mediaCampaign", "notificationWave", "reasonSurge"].includes(kind)) {
        issues.push({ path: ["events", i, kind], issue: "changes forecast volumes: it needs arrivals: { forecast }" })
      }
    })
  }
  if (s.handleTime !== undefined) issues.push({ path: ["handleTime"], issue: "use callers.handleTime or callers.talk in a dated scenario" })
  if (s.agents === undefined && s.staffing === undefined) issues.push({ path: ["staffing"], issue: "missing field: give staffing (shifts or plan) or agents" })
  if (s.agents !== undefined && s.staffing !== undefined) issues.push({ path: ["agents"], issue: "give agents or staffing, not both" })
  const inside = (day: number) => day >= dated.first && day <= dated.last
  const range = `${formatDate(dated.first)}..${formatDate(dated.last)}`
  ;(s.events ?? []).forEach((e, i) => {
    const [kind, body] = Object.entries(e)[0] as [string, Record<string, unknown>]
    for (const key of ["from", "to", "date"]) {
      const v = body[key]
      if (typeof v === "string" && !inside(dayOf(v))) {
        issues.push({ path: ["events", i, kind, key], issue: `${v} is outside the horizon ${range}` })
      }
    }
  })
  if (s.continuity !== undefined) {
    const sites = (s.staffing as { sites?: Parameters<typeof continuityIssues>[1]["sites"] } | undefined)?.sites
    issues.push(...continuityIssues(s.continuity, { first: dated.first, last: dated.last, intervalMinutes: s.intervalMinutes ?? 15 /* sim/model/options.ts DEFAULT_INTERVAL_MINUTES */, sites }))
  }
  return issues
}
