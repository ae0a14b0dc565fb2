/**
 * Continuity, compiled: `staffing.sites` and the `continuity` block (scenarios/schema/continuity.ts)
 * resolved to site indices, interval indices and duration laws in seconds — plain data, posted to
 * workers with the model. What happens in a given replication (a random start, uncertain delays,
 * who was absent) is drawn from the model by ./incidents.ts; the simulation reads only the
 * headcount, status and telecom tables it produces (DESIGN: sites and incidents fold into
 * headcount and telecom tables) and the instant cuts.
 *
 * Invariants: every site index is in [0, sites.length); an incident's fixed start is an interval
 * boundary after t = 0; a random window holds at least one open interval; ramp points are in
 * seconds, strictly increasing, shares non-decreasing in [0, 1]; `plan` is -1 (no plan) or a
 * plans index.
 */
import type { DistributionSpec } from "../engine/distributions.js"
import { parseDateOrDateTime } from "../domain/dates.js"
import type { Problem } from "../domain/problem.js"
import { CONTINUITY_OBLIGATION_HOURS } from "../domain/cctp.js"
import { CONTINUITY_CLOCK, CONTINUITY_CLOSURE_KIND, CONTINUITY_CUT_CALLERS, CONTINUITY_THRESHOLD, VPN_LOSS_PHONE_ADVISORS } from "../domain/assumptions.js"
import { incidentEntry, type Continuity, type HoursLaw, type IncidentKind } from "../../scenarios/schema/continuity.js"
import { IMPLICIT_SITE, vpnOf, type Site } from "../../scenarios/schema/sites.js"
import { OPEN } from "./calendar.js"
import type { SitePlanColumn } from "./plancsv.js"

export interface SiteModel {
  readonly name: string
  readonly city: string | null
  /** The VPN path its advisors reach Odigo through. */
  readonly vpn: string
  readonly kind: "building" | "telework"
}

export interface IncidentModel {
  readonly kind: IncidentKind
  readonly label: string
  /**
   * Sites whose advisors the incident takes off calls: the lost site (siteLoss), every site on
   * the cut VPN path (vpnLoss); none for a platform outage.
   */
  readonly sites: ReadonlyArray<number>
  /** First interval of the incident (its start is that interval's start), or -1: random. */
  readonly startInterval: number
  /** Random start: uniform over the open intervals in [from, to) (interval indices); null for a fixed start. */
  readonly randomWindow: readonly [number, number] | null
  /** End (seconds on the run's axis) of a fixed window; null: `duration`, or the end of the horizon. */
  readonly endSeconds: number | null
  /** How long it lasts (seconds), drawn per replication; null: `endSeconds`, or the end of the horizon. */
  readonly duration: DistributionSpec | null
  /** Share of calls dissuaded on a telecom problem (platform outages; odigoOutage: 1). */
  readonly share: number
  /** vpnLoss: what the site's phone-only advisors do meanwhile. */
  readonly phoneAdvisors: "idle" | "forms"
}

export interface PlanModel {
  readonly name: string
  readonly description: string | null
  /** € per month, incident or not. */
  readonly standingCostPerMonth: number
  /** € per activation. */
  readonly activationCost: number
  /** Ramp points are [seconds after activation, share of the lost advisors], from (0, 0). */
  readonly backup: { readonly site: string | null; readonly delay: DistributionSpec; readonly ramp: ReadonlyArray<readonly [number, number]>; readonly seats: number | null } | null
  readonly telework: { readonly share: number; readonly delay: DistributionSpec; readonly site: string | null } | null
  readonly overtime: { readonly secondsPerAdvisorPerDay: number; readonly delay: DistributionSpec; readonly costPerHour: number } | null
  readonly spreading: { readonly share: number; readonly delay: DistributionSpec } | null
  readonly closureMessage: boolean
}

export interface ContinuityModel {
  readonly sites: ReadonlyArray<SiteModel>
  readonly incidents: ReadonlyArray<IncidentModel>
  readonly plans: ReadonlyArray<PlanModel>
  /** The plan this run applies: an index of `plans`, or -1 (none). */
  readonly plan: number
  /** Interrupted while the capacity able to answer is <= threshold × planned (README "Business continuity"). */
  readonly threshold: number
  readonly clock: "calendar" | "openHours"
  readonly obligationHours: number
  /** Interval status of a plan's closure message (sim/model/calendar: CLOSED_EXCEPTIONAL or CLOSED_TECHNICAL). */
  readonly closureKind: "exceptional" | "technical"
  /** Callers whose call an incident cut redial by the redial law (true) or are lost. */
  readonly cutCallersRedial: boolean
  /** A dated plan's (skill, site) columns before absence (staffing.planCsv naming sites); null: the plan is per shift, or all one site's. */
  readonly planBySite: ReadonlyArray<SitePlanColumn> | null
}

/** A duration in hours (number or law) as a law in seconds. */
export const hoursLawSpec = (h: HoursLaw | undefined): DistributionSpec => {
  if (h === undefined) return { kind: "deterministic", seconds: 0 }
  if (typeof h === "number") return { kind: "deterministic", seconds: h * 3600 }
  if (h.lognormal) return { kind: "lognormal", meanSeconds: h.lognormal.meanHours * 3600, sdSeconds: h.lognormal.sdHours * 3600 }
  if (h.uniform) return { kind: "uniform", minSeconds: h.uniform.minHours * 3600, maxSeconds: h.uniform.maxHours * 3600 }
  if (h.gamma) return { kind: "gamma", meanSeconds: h.gamma.meanHours * 3600, sdSeconds: h.gamma.sdHours * 3600 }
  if (h.exponential) return { kind: "exponential", meanSeconds: h.exponential.meanHours * 3600 }
  throw new Error("unreachable: the one-key check ran before")
}

export interface ContinuityContext {
  readonly firstDay: number
  readonly intervalSeconds: number
  readonly intervalCount: number
  /** The calendar's interval status (random starts fall on OPEN intervals). */
  readonly status: Uint8Array
  /** A dated plan's (skill, site) columns (staffing.planCsv with sites), or null. */
  readonly planBySite?: ReadonlyArray<SitePlanColumn> | null
}

/** The sites of a plan: staffing.sites, or the one implicit site. */
export const compileSites = (sites: ReadonlyArray<Site> | undefined): SiteModel[] =>
  (sites ?? [{ name: IMPLICIT_SITE }]).map((s) => ({ name: s.name, city: s.city ?? null, vpn: vpnOf(s), kind: s.kind ?? "building" }))

/** Compiles the continuity block (already checked against the horizon and the sites by the schema). */
export const compileContinuity = (c: Continuity, siteList: ReadonlyArray<Site> | undefined, ctx: ContinuityContext, problems: Problem[]): ContinuityModel => {
  const sites = compileSites(siteList)
  const seconds = (s: string) => {
    const dt = parseDateOrDateTime(s)!
    return (dt.day - ctx.firstDay) * 86_400 + dt.minutes * 60
  }
  const span = ctx.intervalSeconds
  const incidents = c.incidents.map((item, k): IncidentModel => {
    const [kind, body] = incidentEntry(item)
    const site = "site" in body && typeof body.site === "string" ? sites.findIndex((s) => s.name === body.site) : -1
    const affected =
      kind === "siteLoss" ? [site] : kind === "vpnLoss" ? sites.flatMap((s, i) => (s.vpn === sites[site]!.vpn ? [i] : [])) : []
    let startInterval = -1
    let randomWindow: readonly [number, number] | null = null
    if (typeof body.start === "string" && body.start !== "random") startInterval = Math.round(seconds(body.start) / span)
    else {
      const w = typeof body.start === "object" ? body.start.random : {}
      const from = Math.max(1, w.from === undefined ? 0 : Math.ceil(seconds(w.from) / span))
      const to = Math.min(ctx.intervalCount, w.to === undefined ? ctx.intervalCount : Math.ceil(seconds(w.to) / span))
      randomWindow = [from, to]
      let open = 0
      for (let i = from; i < to; i++) if (ctx.status[i] === OPEN) open++
      if (open === 0) problems.push({ path: `continuity.incidents[${k}].${kind}.start`, message: "the random window holds no opening hour" })
    }
    return {
      kind,
      label: body.label ?? `${kind}${site >= 0 ? ` ${sites[site]!.name}` : ""}`,
      sites: affected,
      startInterval,
      randomWindow,
      endSeconds: body.end === undefined ? null : seconds(body.end),
      duration: body.durationHours === undefined ? null : hoursLawSpec(body.durationHours),
      share: kind === "telecomOutage" && "share" in body && typeof body.share === "number" ? body.share : 1,
      phoneAdvisors: "phoneAdvisors" in body && body.phoneAdvisors !== undefined ? body.phoneAdvisors : VPN_LOSS_PHONE_ADVISORS
    }
  })
  const plans = (c.plans ?? []).map(
    (p): PlanModel => ({
      name: p.name,
      description: p.description ?? null,
      standingCostPerMonth: p.standingCostPerMonth ?? 0,
      activationCost: p.activationCost ?? 0,
      backup: p.backupSite
        ? {
            site: p.backupSite.site ?? null,
            delay: hoursLawSpec(p.backupSite.activationDelayHours),
            ramp: p.backupSite.ramp.map((r) => [r.afterHours * 3600, r.share] as const),
            seats: p.backupSite.seats ?? null
          }
        : null,
      telework: p.telework ? { share: p.telework.share, delay: hoursLawSpec(p.telework.afterHours), site: p.telework.site ?? null } : null,
      overtime: p.overtime
        ? { secondsPerAdvisorPerDay: p.overtime.hoursPerAdvisorPerDay * 3600, delay: hoursLawSpec(p.overtime.afterHours), costPerHour: p.overtime.costPerHour ?? 0 }
        : null,
      spreading: p.loadSpreading ? { share: p.loadSpreading.share, delay: hoursLawSpec(p.loadSpreading.afterHours) } : null,
      closureMessage: p.closureMessage ?? false
    })
  )
  const plan = c.plan === undefined ? (plans.length > 0 ? 0 : -1) : plans.findIndex((p) => p.name === c.plan)
  return {
    sites,
    incidents,
    plans,
    plan,
    threshold: c.interruption?.threshold ?? CONTINUITY_THRESHOLD,
    clock: c.interruption?.clock ?? CONTINUITY_CLOCK,
    obligationHours: c.interruption?.obligationHours ?? CONTINUITY_OBLIGATION_HOURS,
    closureKind: c.closureKind ?? CONTINUITY_CLOSURE_KIND,
    cutCallersRedial: (c.cutCallers ?? CONTINUITY_CUT_CALLERS) === "redial",
    planBySite: ctx.planBySite ?? null
  }
}

/** The same model applying another plan (index into `continuity.plans`, or -1 for none). */
export const withPlan = <M extends { readonly continuity?: ContinuityModel }>(model: M, plan: number): M =>
  model.continuity === undefined ? model : { ...model, continuity: { ...model.continuity, plan } }

/**
 * The paired baseline of a continuity model: the same model — sites, plan, absence, callers —
 * without its incidents (common random numbers: it sees the same callers and the same absences).
 */
export const baselineOf = <M extends { readonly continuity?: ContinuityModel }>(model: M): M =>
  model.continuity === undefined ? model : { ...model, continuity: { ...model.continuity, incidents: [] } }
