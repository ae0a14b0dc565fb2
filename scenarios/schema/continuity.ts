/**
 * `continuity`: the business-continuity scenario (CCTP 3.3.2: any interruption of service —
 * fire, power cut… — limited to 48 hours, an obligation of result; CCTP 8.1: losing Odigo through
 * a VPN failure). Incidents happen to the centre; a recovery plan answers them; the run says how
 * long the service was interrupted and what it cost (README "Business continuity").
 *
 *   continuity:
 *     incidents:
 *       - siteLoss: { site: lyon, start: "2026-03-09T10:00" }            # fire, power: the site is gone
 *       - vpnLoss: { site: nantes, start: "2026-03-10T09:00", durationHours: 6 }
 *       - odigoOutage: { start: random, durationHours: { lognormal: { meanHours: 3, sdHours: 2 } } }
 *       - telecomOutage: { start: "2026-03-12T14:00", end: "2026-03-12T15:00", share: 0.5 }
 *     plan: warm-backup                   # the plan `ccsim run` applies (default: the first)
 *     plans:
 *       - name: warm-backup
 *         standingCostPerMonth: 9000      # € a month: reserved seats, licences
 *         activationCost: 30000           # € per activation
 *         backupSite: { activationDelayHours: { lognormal: { meanHours: 2, sdHours: 1 } }, ramp: [{ afterHours: 4, share: 0.3 }, { afterHours: 24, share: 0.7 }, { afterHours: 40, share: 1 }] }
 *         telework: { share: 0.3, afterHours: 20 }
 *         overtime: { hoursPerAdvisorPerDay: 2, costPerHour: 45 }
 *         loadSpreading: { share: 0.1, afterHours: 4 }
 *         closureMessage: true
 *     interruption: { threshold: 0, clock: calendar, obligationHours: 48 }
 *     closureKind: exceptional
 *
 * Durations in hours are a number or a law (`{ lognormal: { meanHours, sdHours } }`, `uniform`,
 * `gamma`, `exponential`), drawn once per replication and incident. Cross-field checks (sites
 * named, times inside the horizon and on the interval grid) are in `continuityIssues`, called by
 * the root scenario's checks.
 */
import * as Schema from "effect/Schema"
import { parseDateOrDateTime } from "../../sim/domain/dates.js"
import { DateTimeString } from "./common.js"
import { NonNegative, Positive, PositiveCount, Share } from "./numbers.js"
import { IMPLICIT_SITE, SiteName, type Site } from "./sites.js"

type Issue = { path: ReadonlyArray<PropertyKey>; issue: string }

const oneKey = (names: string) =>
  Schema.makeFilter((o: object) => {
    const n = Object.keys(o).length
    return n === 1 || `give exactly one of ${names}, got ${n}`
  })

const hourLaws = "lognormal, uniform, gamma, exponential"

/** A duration in hours: a number, or a law drawn once per replication. */
export const HoursLaw = Schema.Union([
  NonNegative,
  Schema.Struct({
    lognormal: Schema.optionalKey(Schema.Struct({ meanHours: Positive, sdHours: NonNegative })),
    uniform: Schema.optionalKey(
      Schema.Struct({ minHours: NonNegative, maxHours: NonNegative }).check(
        Schema.makeFilter((u) => u.maxHours >= u.minHours || { path: ["maxHours"], issue: "must be >= minHours" })
      )
    ),
    gamma: Schema.optionalKey(Schema.Struct({ meanHours: Positive, sdHours: Positive })),
    exponential: Schema.optionalKey(Schema.Struct({ meanHours: Positive }))
  })
    .annotate({ messageUnexpectedKey: `unknown law; expected one of ${hourLaws}` })
    .check(oneKey(hourLaws))
]).annotate({ expected: `a number of hours, or a law { ${hourLaws} } in hours` })

export type HoursLaw = typeof HoursLaw.Type

/** When an incident starts: a date-time, or `random` (uniform over the open intervals of the horizon, or of a window). */
export const IncidentStart = Schema.Union([
  Schema.Literal("random"),
  DateTimeString,
  Schema.Struct({ random: Schema.Struct({ from: Schema.optionalKey(DateTimeString), to: Schema.optionalKey(DateTimeString) }) })
]).annotate({ expected: 'a date-time YYYY-MM-DDTHH:MM, "random", or { random: { from, to } }' })

export type IncidentStart = typeof IncidentStart.Type

const window = {
  start: IncidentStart,
  /** When the incident ends (excluded); omitted with no durationHours: it lasts to the end of the horizon (the plan must answer it). */
  end: Schema.optionalKey(DateTimeString),
  /** How long it lasts, instead of `end` (a number or a law). */
  durationHours: Schema.optionalKey(HoursLaw),
  label: Schema.optionalKey(Schema.String)
}
const notBoth = Schema.makeFilter((w: { end?: string; durationHours?: unknown }) =>
  w.end !== undefined && w.durationHours !== undefined ? { path: ["durationHours"], issue: "give end or durationHours, not both" } : undefined
)
const bounded = Schema.makeFilter((w: { end?: string; durationHours?: unknown }) =>
  w.end === undefined && w.durationHours === undefined ? "give end or durationHours (a platform outage does not end by itself in the plan)" : undefined
)

export const SiteLoss = Schema.Struct({ site: SiteName, ...window }).check(notBoth)
export const VpnLoss = Schema.Struct({
  site: SiteName,
  ...window,
  /** What the site's phone-only advisors do while Odigo is out of reach: `idle` (default, assumption) or work `forms`. */
  phoneAdvisors: Schema.optionalKey(Schema.Literals(["idle", "forms"]).annotate({ expected: '"idle" or "forms"' }))
}).check(notBoth)
export const OdigoOutage = Schema.Struct({ ...window }).check(notBoth).check(bounded)
export const TelecomOutage = Schema.Struct({ ...window, share: Schema.optionalKey(Share) }).check(notBoth).check(bounded)

const incidentNames = "siteLoss, vpnLoss, odigoOutage, telecomOutage"

export const Incident = Schema.Struct({
  siteLoss: Schema.optionalKey(SiteLoss),
  vpnLoss: Schema.optionalKey(VpnLoss),
  odigoOutage: Schema.optionalKey(OdigoOutage),
  telecomOutage: Schema.optionalKey(TelecomOutage)
})
  .annotate({ messageUnexpectedKey: `unknown incident; expected one of ${incidentNames}` })
  .check(oneKey(incidentNames))

export type Incident = typeof Incident.Type
export type IncidentKind = "siteLoss" | "vpnLoss" | "odigoOutage" | "telecomOutage"

/** A point of a capacity ramp: `share` of the lost capacity back `afterHours` after activation. */
export const RampPoint = Schema.Struct({ afterHours: Positive, share: Share })

/** A piecewise-linear ramp from 0 at activation: hours strictly increasing, shares never decreasing, at most 100%. */
export const Ramp = Schema.NonEmptyArray(RampPoint).check(
  Schema.makeFilter((points: ReadonlyArray<{ afterHours: number; share: number }>) => {
    const issues: Issue[] = []
    for (let k = 1; k < points.length; k++) {
      if (points[k]!.afterHours <= points[k - 1]!.afterHours) issues.push({ path: [k, "afterHours"], issue: `must be after point ${k - 1} (${points[k - 1]!.afterHours} h)` })
      if (points[k]!.share < points[k - 1]!.share) issues.push({ path: [k, "share"], issue: `a ramp never decreases: ${points[k]!.share} < ${points[k - 1]!.share} at point ${k - 1}` })
    }
    return issues.length > 0 ? issues : undefined
  })
)

export const BackupSite = Schema.Struct({
  /** The backup site (one of staffing.sites, for its city and VPN), if listed. */
  site: Schema.optionalKey(SiteName),
  /** From the incident to the decision to move (default 0). */
  activationDelayHours: Schema.optionalKey(HoursLaw),
  /** Share of the lost advisors at work at the backup site, hours after activation. */
  ramp: Ramp,
  /** Seats at the backup site (caps the advisors it takes). */
  seats: Schema.optionalKey(PositiveCount)
})

export const Telework = Schema.Struct({
  /** Share of the lost advisors who switch to telework. */
  share: Share,
  /** Hours from the incident until they are at work from home. */
  afterHours: HoursLaw,
  /** The telework site (one of staffing.sites, kind telework), if listed. */
  site: Schema.optionalKey(SiteName)
})

export const Overtime = Schema.Struct({
  /** Extra hours a surviving advisor may work per day. */
  hoursPerAdvisorPerDay: Positive.check(Schema.isLessThanOrEqualTo(12, { expected: "at most 12 hours a day" })),
  /** Hours from the incident until overtime starts (default 0). */
  afterHours: Schema.optionalKey(HoursLaw),
  /** € per overtime hour (the premium paid; default 0). */
  costPerHour: Schema.optionalKey(NonNegative)
})

export const LoadSpreading = Schema.Struct({
  /** Share of the lost capacity taken over by the contractor's other sites (advisors of other activities trained on the 3422). */
  share: Share,
  afterHours: HoursLaw
})

export const RecoveryPlan = Schema.Struct({
  name: SiteName,
  description: Schema.optionalKey(Schema.String),
  /** € per month, incident or not: reserved seats, licences, a second VPN path. */
  standingCostPerMonth: Schema.optionalKey(NonNegative),
  /** € each time the plan is activated. */
  activationCost: Schema.optionalKey(NonNegative),
  backupSite: Schema.optionalKey(BackupSite),
  telework: Schema.optionalKey(Telework),
  overtime: Schema.optionalKey(Overtime),
  loadSpreading: Schema.optionalKey(LoadSpreading),
  /** While nobody can answer, a closure message plays: calls are dissuaded on closure (`closureKind`). Default false: they queue and abandon. */
  closureMessage: Schema.optionalKey(Schema.Boolean)
})

export type RecoveryPlan = typeof RecoveryPlan.Type

export const Interruption = Schema.Struct({
  /** Interrupted while the capacity able to answer is at or below this share of the planned capacity (default 0: nobody can answer). */
  threshold: Schema.optionalKey(Share),
  /** Which hours the 48 count: `calendar` (default reading: nights and weekends inside an interruption count) or `openHours`. */
  clock: Schema.optionalKey(Schema.Literals(["calendar", "openHours"]).annotate({ expected: '"calendar" or "openHours"' })),
  /** The obligation (CCTP 3.3.2: 48 hours). */
  obligationHours: Schema.optionalKey(Positive)
})

export const Continuity = Schema.Struct({
  incidents: Schema.NonEmptyArray(Incident),
  plans: Schema.optionalKey(Schema.Array(RecoveryPlan)),
  /** The plan `ccsim run` applies (default: the first); `ccsim continuity compare` runs every plan. */
  plan: Schema.optionalKey(SiteName),
  interruption: Schema.optionalKey(Interruption),
  /** Calls dissuaded by a plan's closure message: an `exceptional` closure (default reading: counts against accessibility) or a `technical` one (excluded). */
  closureKind: Schema.optionalKey(Schema.Literals(["exceptional", "technical"]).annotate({ expected: '"exceptional" or "technical"' })),
  /** What callers whose call an incident cut do: `redial` (default, assumption: by the redial law) or nothing (`lost`). */
  cutCallers: Schema.optionalKey(Schema.Literals(["redial", "lost"]).annotate({ expected: '"redial" or "lost"' }))
})

export type Continuity = typeof Continuity.Type

/** The kind and body of an incident item. */
export const incidentEntry = (i: Incident): readonly [IncidentKind, NonNullable<Incident[IncidentKind]>] =>
  Object.entries(i)[0] as [IncidentKind, NonNullable<Incident[IncidentKind]>]

export interface ContinuityCheckContext {
  /** First and last day of the horizon (day numbers, both included). */
  readonly first: number
  readonly last: number
  readonly intervalMinutes: number
  /** staffing.sites, or undefined (one implicit site). */
  readonly sites: ReadonlyArray<Site> | undefined
}

/**
 * What combines `continuity` with the rest of the scenario: sites named in staffing.sites (or
 * the implicit `main`), a siteLoss only of a building, times inside the horizon and on the
 * interval grid, a window's end after its start, plan names unique and the chosen one listed.
 * Paths are relative to the scenario root.
 */
export const continuityIssues = (c: Continuity, ctx: ContinuityCheckContext): Issue[] => {
  const issues: Issue[] = []
  const sites = ctx.sites ?? [{ name: IMPLICIT_SITE }]
  const names = sites.map((s) => s.name)
  const siteProblem = (name: string, path: ReadonlyArray<PropertyKey>) => {
    if (!names.includes(name)) issues.push({ path, issue: `unknown site "${name}"; expected one of ${names.join(", ")}` })
  }
  const horizonStart = ctx.first * 86_400
  const horizonEnd = (ctx.last + 1) * 86_400
  /** Seconds of a date-time inside the horizon (a start before its end, an end at most at it), or a problem. */
  const time = (s: string, path: ReadonlyArray<PropertyKey>, grid: boolean): number | undefined => {
    const dt = parseDateOrDateTime(s)!
    const t = dt.day * 86_400 + dt.minutes * 60
    if (t < horizonStart || t > horizonEnd || (grid && t === horizonEnd)) {
      issues.push({ path, issue: `${s} is outside the horizon` })
      return undefined
    }
    if (grid && dt.minutes % ctx.intervalMinutes !== 0) {
      issues.push({ path, issue: `${s} is not on the ${ctx.intervalMinutes}-minute interval grid` })
      return undefined
    }
    return t
  }
  c.incidents.forEach((item, i) => {
    const [kind, body] = incidentEntry(item)
    const at = ["continuity", "incidents", i, kind]
    if ("site" in body && typeof body.site === "string") {
      siteProblem(body.site, [...at, "site"])
      const site = sites.find((s) => s.name === body.site)
      if (kind === "siteLoss" && site !== undefined && "kind" in site && site.kind === "telework") {
        issues.push({ path: [...at, "site"], issue: `"${body.site}" is a telework site: it has no building to lose (use vpnLoss)` })
      }
    }
    let start: number | undefined
    if (typeof body.start === "string" && body.start !== "random") {
      start = time(body.start, [...at, "start"], true)
      if (start !== undefined && start <= horizonStart) issues.push({ path: [...at, "start"], issue: `must be after the start of the horizon (the run starts empty)` })
    } else if (typeof body.start === "object") {
      const w = body.start.random
      const from = w.from === undefined ? horizonStart : time(w.from, [...at, "start", "random", "from"], false)
      const to = w.to === undefined ? horizonEnd : time(w.to, [...at, "start", "random", "to"], false)
      if (from !== undefined && to !== undefined && to <= from) issues.push({ path: [...at, "start", "random", "to"], issue: `must be after from` })
    }
    if (body.end !== undefined) {
      const end = time(body.end, [...at, "end"], false)
      if (start !== undefined && end !== undefined && end <= start) issues.push({ path: [...at, "end"], issue: `must be after start (${body.start as string})` })
      if (typeof body.start !== "string" || body.start === "random") issues.push({ path: [...at, "end"], issue: "a random start needs durationHours, not an end" })
    }
  })
  const plans = c.plans ?? []
  const seen = new Map<string, number>()
  plans.forEach((p, i) => {
    const at = ["continuity", "plans", i]
    const first = seen.get(p.name)
    if (first !== undefined) issues.push({ path: [...at, "name"], issue: `plan "${p.name}" is already plans[${first}]` })
    else seen.set(p.name, i)
    if (p.backupSite?.site !== undefined) siteProblem(p.backupSite.site, [...at, "backupSite", "site"])
    if (p.telework?.site !== undefined) siteProblem(p.telework.site, [...at, "telework", "site"])
  })
  if (c.plan !== undefined && !plans.some((p) => p.name === c.plan)) {
    issues.push({ path: ["continuity", "plan"], issue: plans.length === 0 ? `unknown plan "${c.plan}": continuity.plans lists none` : `unknown plan "${c.plan}"; expected one of ${plans.map((p) => p.name).join(", ")}` })
  }
  return issues
}
