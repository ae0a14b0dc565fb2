/**
 * Load profiles (`--profile ramp|steady|spike|soak`): instead of the scenario's day, a rate of
 * calls per *real* second over a *real* duration, as load tools give it — with the scenario's
 * callers all the same: each call's flow and reason from the scenario's mix, its talk, wrap-up,
 * patience, transfer and ticket from the scenario's laws (scaled by `speed` when played).
 * Advisors: `advisors` phone advisors for the whole run.
 *
 * Shapes, with u = elapsed / duration:
 *   steady  the rate all along;
 *   ramp    from 0 up to the rate over the first half, then the rate;
 *   spike   the rate, and 3 × the rate for the middle tenth (0.45 ≤ u < 0.55);
 *   soak    the rate all along, meant for long durations (memory is judged on it).
 * Arrivals are Poisson with that rate (thinning of a process at the peak rate).
 *
 * Invariant: the same seed, profile and scenario give the same callers.
 */
import { Categorical } from "../engine/categorical.js"
import { makeSampler } from "../engine/distributions.js"
import type { Model } from "../model/model.js"
import { replicationStreams } from "../run/replicate.js"
import { callersFromRows, FLAG_TICKET, FLAG_TRANSFER, lawsOf, PlanProblem, type Plan } from "./plan.js"

export const PROFILES = ["steady", "ramp", "spike", "soak"] as const
export type ProfileKind = (typeof PROFILES)[number]

/** Relative rate at u = elapsed / duration in [0, 1). */
export const shapeOf = (kind: ProfileKind): ((u: number) => number) => {
  switch (kind) {
    case "steady":
    case "soak":
      return () => 1
    case "ramp":
      return (u) => Math.min(1, 2 * u)
    case "spike":
      return (u) => (u >= 0.45 && u < 0.55 ? 3 : 1)
  }
}

const PEAK: Record<ProfileKind, number> = { steady: 1, soak: 1, ramp: 1, spike: 3 }

/** The most calls a profile may schedule (a guard against a typo such as --rate 2e6). */
export const MAX_PROFILE_CALLS = 5_000_000

export interface ProfileOptions {
  readonly seed: number
  readonly speed: number
  readonly kind: ProfileKind
  readonly ratePerSecond: number
  readonly durationSeconds: number
  readonly advisors: number
}

export const buildProfilePlan = (model: Model, o: ProfileOptions): Plan => {
  const expected = o.ratePerSecond * o.durationSeconds * (o.kind === "spike" ? 1.2 : o.kind === "ramp" ? 0.75 : 1)
  if (expected > MAX_PROFILE_CALLS) {
    throw new PlanProblem("--rate", `${o.kind} at ${o.ratePerSecond}/s for ${o.durationSeconds} s schedules about ${Math.round(expected)} calls; the limit is ${MAX_PROFILE_CALLS}`)
  }
  const streams = replicationStreams(o.seed, 0)
  const arrivals = streams.stream("arrivals")
  const reasonRng = streams.stream("reason")
  const draws = { talk: streams.stream("talk"), wrap: streams.stream("wrap"), patience: streams.stream("patience"), transfer: streams.stream("transfer"), ticket: streams.stream("ticket") }
  const mix = model.mixes[0]!
  const pick = new Categorical(mix.flows.flatMap((p, f) => mix.reasons[f]!.map((x) => p * x)))
  const reasonCount = model.reasons.length
  const talk = model.talk.map(makeSampler)
  const wrap = model.wrapUp === null ? null : makeSampler(model.wrapUp)
  const patience = model.patience === null ? null : makeSampler(model.patience)
  const shape = shapeOf(o.kind)
  const peak = o.ratePerSecond * PEAK[o.kind]
  const rows: number[][] = []
  let t = 0
  // Real seconds; thinning: candidates at the peak rate, kept with probability rate(t) / peak.
  for (;;) {
    t += -Math.log(1 - arrivals.nextDouble()) / peak
    if (t >= o.durationSeconds) break
    if (arrivals.nextDouble() * PEAK[o.kind] >= shape(t / o.durationSeconds)) continue
    const pair = pick.sample(reasonRng)
    const flow = Math.floor(pair / reasonCount)
    const reason = pair - flow * reasonCount
    const flags = (draws.transfer.nextDouble() < model.transferShare[reason]! ? FLAG_TRANSFER : 0) | (draws.ticket.nextDouble() < model.ticketShare[reason]! ? FLAG_TICKET : 0)
    rows.push([t * o.speed, flow, reason, talk[reason]!.sample(draws.talk), wrap === null ? 0 : wrap.sample(draws.wrap), patience === null ? Infinity : patience.sample(draws.patience), flags, rows.length])
  }
  const callers = callersFromRows(rows)
  const end = o.durationSeconds * o.speed
  return {
    mode: "profile",
    scenario: model.name,
    seed: o.seed,
    speed: o.speed,
    day: null,
    window: { startSeconds: 0, endSeconds: end, firstInterval: 0, endInterval: Math.ceil(end / model.intervalSeconds), label: `${o.kind} ${o.ratePerSecond}/s for ${o.durationSeconds} s` },
    closesAtEnd: false,
    callers,
    dissuaded: { closure: 0, telecom: 0, ivr: 0, exceptional: 0 },
    forms: { time: new Float64Array(0), before: 0, after: 0 },
    people: Array.from({ length: o.advisors }, (_, id) => ({ id, group: 0, pieces: [[0, end] as const] })),
    laws: lawsOf(model),
    profile: { kind: o.kind, ratePerSecond: o.ratePerSecond, durationSeconds: o.durationSeconds }
  }
}

/** Phone advisors enough for a profile: the offered load at the peak rate, with a margin. */
export const defaultProfileAdvisors = (model: Model, kind: ProfileKind, ratePerSecond: number, speed: number): number => {
  const handleReal = lawsOf(model).meanHandleSeconds / speed
  return Math.max(1, Math.ceil(ratePerSecond * PEAK[kind] * handleReal * 1.3) + 5)
}
