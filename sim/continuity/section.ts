/**
 * The `continuity` section of summary.json: what was simulated (sites, incidents, the plan and
 * the readings), the verdict of every incident (./verdict.ts) estimated across replications
 * with P(obligation held), the paired comparison with the run without incidents (./paired.ts),
 * and the money: the plan's standing cost per year and the expected cost of an incident.
 *
 * A pure function of the model, the contract terms, the seed and both runs' outcomes: each
 * replication's continuity inputs are drawn again from its streams (sim/model/incidents.ts is a
 * pure function of (model, streams)), so nothing but the interval tables travels back from the
 * worker threads.
 *
 * Expected cost of an incident, per replication: the plan's activation cost (if the incident
 * took anyone off) + its overtime (hours × costPerHour) + the extra penalties + the invoice lost
 * (hours not delivered are not invoiced) over the horizon, in euros (README "Business
 * continuity").
 */
import { judge, type Judgement } from "../contract/judge.js"
import type { ContractTerms } from "../contract/terms.js"
import { formatDate, parseDate } from "../domain/dates.js"
import { estimate, type Estimate } from "../engine/stats.js"
import type { IntervalTable } from "../kpi/intervals.js"
import type { ReplicationTables } from "../kpi/replicas.js"
import type { ContinuityModel, IncidentModel, PlanModel } from "../model/continuity.js"
import { replicationContinuity, type ReplicationContinuity } from "../model/incidents.js"
import type { Model } from "../model/model.js"
import { replicationStream, replicationStreams } from "../run/replicate.js"
import { moneyDelta, moneyDifferences, periodDelta, type MoneyDelta, type PeriodDelta } from "./paired.js"
import { incidentOutcome, type IncidentOutcome } from "./verdict.js"

/** An estimate over the replications in which a time was reached, and the share of those. */
export type ReachedEstimate = Estimate & { readonly reached: number }

export interface IncidentVerdict {
  readonly incident: number
  readonly label: string
  /** The start ("YYYY-MM-DDTHH:MM"), or the first and last drawn starts of a random one. */
  readonly start: string | { readonly first: string; readonly last: string }
  readonly hoursToFirstAnswer: ReachedEstimate
  readonly hoursTo50: ReachedEstimate
  readonly hoursTo80: ReachedEstimate
  readonly hoursToFull: ReachedEstimate
  readonly interruptedHours: { readonly openHours: Estimate; readonly calendar: Estimate }
  /** Held in every replication where it was decided. */
  readonly obligationHeld: boolean
  /** Share of the decided replications in which the obligation held (null: none decided). */
  readonly pObligationHeld: number | null
  /** Replications whose interruption was still running, shorter than the obligation, at the horizon. */
  readonly censored: number
  /** Calls cut per replication (advisors lost mid-call). */
  readonly cutCalls: Estimate
}

export interface PlanSummary {
  readonly name: string
  readonly description: string | null
  readonly applied: boolean
  readonly standingCostPerMonth: number
  readonly costPerYear: number
  readonly activationCost: number
  readonly responses: ReadonlyArray<string>
}

export interface ContinuitySection {
  readonly sites: ReadonlyArray<{ readonly name: string; readonly city: string | null; readonly vpn: string; readonly kind: string }>
  readonly readings: { readonly threshold: number; readonly clock: string; readonly obligationHours: number; readonly closureKind: string; readonly cutCallers: string }
  readonly incidents: ReadonlyArray<{ readonly kind: string; readonly label: string; readonly sites: ReadonlyArray<string>; readonly start: string; readonly end: string | null }>
  readonly plans: ReadonlyArray<PlanSummary>
  readonly plan: string | null
  readonly byIncident: ReadonlyArray<IncidentVerdict>
  readonly deltaVsBaseline: {
    /** Index of the incident whose day, week and month are compared (the first). */
    readonly incident: number
    readonly day: PeriodDelta
    readonly week: PeriodDelta
    readonly month: PeriodDelta
    readonly horizon: PeriodDelta
    /** € (null without contract pricing). */
    readonly money: MoneyDelta | null
  }
  readonly costs: {
    /** The applied plan's standing cost per year (€). */
    readonly planPerYear: number
    readonly overtimeHours: Estimate
    /** € per replication: activation + overtime + extra penalties + invoice lost (null without pricing). */
    readonly expectedIncidentCost: Estimate | null
  }
}

/** What the section is computed from, beside the results. */
export interface ContinuityInputs {
  readonly model: Model
  readonly terms: ContractTerms | null
  readonly seed: number
}

/** Per replication: its continuity inputs and each incident's outcome. */
export interface ContinuityDetail {
  readonly inputs: ReadonlyArray<ReplicationContinuity>
  /** outcomes[incident][replication] */
  readonly outcomes: ReadonlyArray<ReadonlyArray<IncidentOutcome>>
}

type Outcome = ReplicationTables & { readonly replication: number; readonly totals: { readonly cutCalls?: ReadonlyArray<number> } }

const hours = (h: number) => `${Number(h.toFixed(2))} h`
const lawText = (plan: PlanModel): string[] => {
  const out: string[] = []
  if (plan.backup) out.push(`backup site${plan.backup.site ? ` ${plan.backup.site}` : ""}: ramp ${plan.backup.ramp.map(([s, x]) => `${Math.round(x * 100)}% after ${hours(s / 3600)}`).join(", ")}${plan.backup.seats !== null ? `, ${plan.backup.seats} seats` : ""}`)
  if (plan.telework) out.push(`telework: ${Math.round(plan.telework.share * 100)}% of the lost advisors`)
  if (plan.spreading) out.push(`load spreading: ${Math.round(plan.spreading.share * 100)}% of the lost capacity`)
  if (plan.overtime) out.push(`overtime: up to ${hours(plan.overtime.secondsPerAdvisorPerDay / 3600)} per advisor per day`)
  if (plan.closureMessage) out.push("closure message while nobody can answer")
  return out
}

/** "YYYY-MM-DDTHH:MM" of a time on the run's axis. */
export const dateTimeAt = (firstDate: string, seconds: number): string => {
  const day = Math.floor(seconds / 86_400)
  const minutes = Math.round((seconds - day * 86_400) / 60)
  return `${formatDate(parseDate(firstDate)! + day)}T${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`
}

const incidentSummary = (c: ContinuityModel, firstDate: string, intervalSeconds: number, inc: IncidentModel) => ({
  kind: inc.kind,
  label: inc.label,
  sites: inc.sites.map((s) => c.sites[s]!.name),
  start: inc.startInterval >= 0 ? dateTimeAt(firstDate, inc.startInterval * intervalSeconds) : "random",
  end: inc.endSeconds !== null ? dateTimeAt(firstDate, inc.endSeconds) : inc.duration !== null ? "by durationHours" : null
})

const reachedEstimate = (values: ReadonlyArray<number | null>): ReachedEstimate => {
  const got = values.filter((v): v is number => v !== null)
  return { ...estimate(got, 0.95, { min: 0 }), reached: values.length === 0 ? 0 : got.length / values.length }
}

/** Each replication's continuity inputs and incident outcomes. */
export const continuityDetail = (inputs: ContinuityInputs, results: ReadonlyArray<Outcome>): ContinuityDetail => {
  const { model, seed } = inputs
  const c = model.continuity!
  const rcs = results.map((r) => replicationContinuity(model, replicationStreams(seed, r.replication))!)
  const outcomes = c.incidents.map((_, k) =>
    results.map((r, i) => incidentOutcome(c, model, rcs[i]!, r.table as Pick<IntervalTable, "answered">, k, r.totals.cutCalls?.[k] ?? 0))
  )
  return { inputs: rcs, outcomes }
}

/** The continuity section of a run with incidents and its paired baseline (same seed, same replications). */
export const continuitySection = (
  inputs: ContinuityInputs,
  results: ReadonlyArray<Outcome>,
  baseline: ReadonlyArray<Outcome>,
  detail: ContinuityDetail = continuityDetail(inputs, results),
  /** The incident run's judgement, when the caller has judged it already (`ccsim run`). */
  judgement: Judgement | null = null
): ContinuitySection => {
  const { model, terms, seed } = inputs
  const c = model.continuity!
  const firstDate = model.firstDate!
  const byIncident = c.incidents.map((inc, k): IncidentVerdict => {
    const o = detail.outcomes[k]!
    const starts = o.map((x) => x.startSeconds)
    const decided = o.filter((x) => x.held !== null)
    return {
      incident: k,
      label: inc.label,
      start:
        inc.startInterval >= 0
          ? dateTimeAt(firstDate, inc.startInterval * model.intervalSeconds)
          : { first: dateTimeAt(firstDate, Math.min(...starts)), last: dateTimeAt(firstDate, Math.max(...starts)) },
      hoursToFirstAnswer: reachedEstimate(o.map((x) => x.hoursToFirstAnswer)),
      hoursTo50: reachedEstimate(o.map((x) => x.hoursTo[0])),
      hoursTo80: reachedEstimate(o.map((x) => x.hoursTo[1])),
      hoursToFull: reachedEstimate(o.map((x) => x.hoursTo[2])),
      interruptedHours: {
        openHours: estimate(o.map((x) => x.interruptedOpenHours), 0.95, { min: 0 }),
        calendar: estimate(o.map((x) => x.interruptedCalendarHours), 0.95, { min: 0 })
      },
      obligationHeld: decided.length > 0 && decided.every((x) => x.held === true),
      pObligationHeld: decided.length === 0 ? null : decided.filter((x) => x.held === true).length / decided.length,
      censored: o.length - decided.length,
      cutCalls: estimate(o.map((x) => x.cutCalls), 0.95, { min: 0 })
    }
  })
  const starts = detail.outcomes[0]!.map((x) => x.startInterval)
  let judged: { incident: Judgement; baseline: Judgement } | null = null
  if (terms !== null && model.forecastBasisCalls !== null) {
    const ctx = { grid: model, terms, forecastBasisCalls: model.forecastBasisCalls, qualityStream: replicationStream(seed, "quality"), replications: results.map((r) => r.replication) }
    judged = { incident: judgement ?? judge(ctx, results), baseline: judge(ctx, baseline) }
  }
  const plan = c.plan >= 0 ? c.plans[c.plan]! : null
  const overtimeHours = detail.inputs.map((rc) => rc.overtimeSeconds / 3600)
  const diffs = judged === null ? null : moneyDifferences(judged.incident, judged.baseline)
  const incidentCost =
    diffs === null || diffs.some((d) => d === null)
      ? null
      : estimate(
          diffs.map((d, r) => {
            const activations = detail.inputs[r]!.touched.filter((t, k) => t && (c.incidents[k]!.kind === "siteLoss" || c.incidents[k]!.kind === "vpnLoss")).length
            return (plan === null ? 0 : activations * plan.activationCost + overtimeHours[r]! * (plan.overtime?.costPerHour ?? 0)) + d!.penalties - d!.invoice
          }),
          0.95
        )
  return {
    sites: c.sites.map((s) => ({ name: s.name, city: s.city, vpn: s.vpn, kind: s.kind })),
    readings: { threshold: c.threshold, clock: c.clock, obligationHours: c.obligationHours, closureKind: c.closureKind, cutCallers: c.cutCallersRedial ? "redial" : "lost" },
    incidents: c.incidents.map((inc) => incidentSummary(c, firstDate, model.intervalSeconds, inc)),
    plans: c.plans.map((p, i) => ({
      name: p.name,
      description: p.description,
      applied: i === c.plan,
      standingCostPerMonth: p.standingCostPerMonth,
      costPerYear: p.standingCostPerMonth * 12,
      activationCost: p.activationCost,
      responses: lawText(p)
    })),
    plan: plan?.name ?? null,
    byIncident,
    deltaVsBaseline: {
      incident: 0,
      day: periodDelta(model, results, baseline, starts, "day"),
      week: periodDelta(model, results, baseline, starts, "week"),
      month: periodDelta(model, results, baseline, starts, "month"),
      horizon: periodDelta(model, results, baseline, starts, "horizon"),
      money: judged === null ? null : moneyDelta(model, judged.incident, judged.baseline, starts)
    },
    costs: {
      planPerYear: (plan?.standingCostPerMonth ?? 0) * 12,
      overtimeHours: estimate(overtimeHours, 0.95, { min: 0 }),
      expectedIncidentCost: incidentCost
    }
  }
}
