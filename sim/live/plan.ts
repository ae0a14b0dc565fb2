/**
 * What a live run will do, decided before it starts: the window of simulated time it covers,
 * the callers it injects (time, flow, reason, talk, wrap-up, patience, transfer, ticket), the
 * contact forms it injects, and the people it logs in with their shifts — all on the
 * scenario's clock (seconds from the model's t = 0), mapped to wall time only when the run
 * starts (`speed` simulated seconds per real second).
 *
 * Invariants:
 * - a day's callers are exactly the first attempts the simulation draws for that day
 *   (`makeFirstAttempts` on `replicationStreams(seed, 0)`: same seed, same callers, same
 *   talk, patience, transfer and ticket draws); dissuaded ones are counted, never injected;
 * - the people's worked time adds up, interval by interval, to the headcounts the simulation
 *   uses (`replicationStaff`, absence included) — checked when the plan is built (./roster.ts);
 * - the plan is plain data (typed arrays, numbers), cheap to cut into shards and post to
 *   generator processes.
 */
import type { DistributionSpec } from "../engine/distributions.js"
import { makeCallRecords, makeFirstAttempts, makeGroupTable, REACHED_QUEUE, DISSUADED_CLOSURE, DISSUADED_TELECOM, DISSUADED_IVR } from "../model/arrivals.js"
import { metaFlow, metaReason, metaTicket, metaTransfer } from "../model/callmeta.js"
import { CLOSED_EXCEPTIONAL, OPEN } from "../model/calendar.js"
import type { Model } from "../model/model.js"
import { PoissonClock } from "../model/poisson.js"
import { makeSampler } from "../engine/distributions.js"
import { makeIntervalTable } from "../kpi/intervals.js"
import { replicationStreams } from "../run/replicate.js"
import { formatDate, parseDate } from "../domain/dates.js"
import { FLOW_CODES } from "../domain/vocabulary.js"
import { rosterOfDay, type Person } from "./roster.js"

/** Callers to inject, struct-of-arrays, in arrival order. Durations in simulated seconds. */
export interface CallerTable {
  /** Arrival, simulated seconds from the model's t = 0. */
  readonly time: Float64Array
  readonly flow: Int8Array
  readonly reason: Int8Array
  readonly talk: Float64Array
  readonly wrap: Float64Array
  /** +Infinity: never abandons. */
  readonly patience: Float64Array
  /** Bit 0: transferred to level 1+; bit 1: level-2 ticket. */
  readonly flags: Uint8Array
  /** Caller number in the simulation's own numbering (arrival order over all first attempts). */
  readonly caller: Int32Array
}

export const FLAG_TRANSFER = 1
export const FLAG_TICKET = 2

export const emptyCallers = (n: number): CallerTable => ({
  time: new Float64Array(n),
  flow: new Int8Array(n),
  reason: new Int8Array(n),
  talk: new Float64Array(n),
  wrap: new Float64Array(n),
  patience: new Float64Array(n),
  flags: new Uint8Array(n),
  caller: new Int32Array(n)
})

/** A caller table from rows [time, flow, reason, talk, wrap, patience, flags, caller]. */
export const callersFromRows = (rows: ReadonlyArray<ReadonlyArray<number>>): CallerTable => {
  const out = emptyCallers(rows.length)
  rows.forEach((r, i) => {
    out.time[i] = r[0]!
    out.flow[i] = r[1]!
    out.reason[i] = r[2]!
    out.talk[i] = r[3]!
    out.wrap[i] = r[4]!
    out.patience[i] = r[5]!
    out.flags[i] = r[6]!
    out.caller[i] = r[7]!
  })
  return out
}

/** Callers `keep(i)` selects, in order (a generator's shard). */
export const selectCallers = (t: CallerTable, keep: (i: number) => boolean): CallerTable => {
  const idx: number[] = []
  for (let i = 0; i < t.time.length; i++) if (keep(i)) idx.push(i)
  const out = emptyCallers(idx.length)
  idx.forEach((from, to) => {
    out.time[to] = t.time[from]!
    out.flow[to] = t.flow[from]!
    out.reason[to] = t.reason[from]!
    out.talk[to] = t.talk[from]!
    out.wrap[to] = t.wrap[from]!
    out.patience[to] = t.patience[from]!
    out.flags[to] = t.flags[from]!
    out.caller[to] = t.caller[from]!
  })
  return out
}

/** The laws a generator draws redialled calls from (plain data). */
export interface CallerLaws {
  /** The platform's IVR flow of each of the model's flows. */
  readonly flows: ReadonlyArray<string>
  readonly reasons: ReadonlyArray<string>
  readonly talk: ReadonlyArray<DistributionSpec>
  readonly wrapUp: DistributionSpec | null
  readonly patience: DistributionSpec | null
  readonly transferShare: ReadonlyArray<number>
  readonly ticketShare: ReadonlyArray<number>
  readonly redial: { readonly probability: number; readonly delay: DistributionSpec; readonly maxAttempts: number } | null
  /** Mean talk + wrap-up over the first-attempt mix, simulated seconds. */
  readonly meanHandleSeconds: number
}

export interface Plan {
  readonly mode: "day" | "profile"
  readonly scenario: string
  readonly seed: number
  /** Simulated seconds per real second. */
  readonly speed: number
  /** The day (dated scenarios), else null. */
  readonly day: string | null
  /** Simulated window [start, end) (seconds from the model's t = 0) and its intervals. */
  readonly window: { readonly startSeconds: number; readonly endSeconds: number; readonly firstInterval: number; readonly endInterval: number; readonly label: string }
  /** Day mode: the service closes at the window's end (callers still waiting are cut off). */
  readonly closesAtEnd: boolean
  readonly callers: CallerTable
  /** First attempts of the window that never reach the queue (not injected). */
  readonly dissuaded: { readonly closure: number; readonly telecom: number; readonly ivr: number; readonly exceptional: number }
  /**
   * Contact forms: arrival (simulated seconds, at least the window's start); `before` arrived
   * earlier that day (they wait for the window), `after` arrive after it (not injected).
   */
  readonly forms: { readonly time: Float64Array; readonly before: number; readonly after: number }
  readonly people: ReadonlyArray<Person>
  readonly laws: CallerLaws
  /** Profile runs: the profile as given (null for a day). */
  readonly profile: { readonly kind: string; readonly ratePerSecond: number; readonly durationSeconds: number } | null
}

/** Why a plan cannot be built from the user's choices (bad input: the CLI says it with its flag). */
export class PlanProblem extends Error {
  constructor(
    readonly flag: string,
    message: string
  ) {
    super(message)
    this.name = "PlanProblem"
  }
}

export const lawsOf = (model: Model): CallerLaws => {
  const talkMeans = model.talk.map((s) => makeSampler(s).mean)
  const mix = model.mixes[0]!
  let talkMean = 0
  mix.flows.forEach((pf, f) => mix.reasons[f]!.forEach((pr, r) => (talkMean += pf * pr * talkMeans[r]!)))
  if (model.reasons.length === 1) talkMean = talkMeans[0]!
  const wrapMean = model.wrapUp === null ? 0 : makeSampler(model.wrapUp).mean
  return {
    // A textbook scenario's one queue ("all") is the line's main IVR choice on the platform.
    flows: model.flows.map((f) => ((FLOW_CODES as ReadonlyArray<string>).includes(f) ? f : "horsOpposition")),
    reasons: model.reasons,
    talk: model.talk,
    wrapUp: model.wrapUp,
    patience: model.patience,
    transferShare: Array.from(model.transferShare),
    ticketShare: Array.from(model.ticketShare),
    redial: model.redial,
    meanHandleSeconds: talkMean + wrapMean
  }
}

export interface DayPlanOptions {
  readonly seed: number
  readonly speed: number
  /** YYYY-MM-DD (dated scenarios; default: the first day with an opening interval). */
  readonly day?: string | undefined
  /** Caps the window at this many real seconds (× speed simulated). */
  readonly durationSeconds?: number | undefined
}

const hhmm = (seconds: number): string => {
  const m = Math.round(seconds / 60) % 1440
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`
}

/** The window of a day: from its first to the end of its last opening interval (textbook: the horizon). */
const dayWindow = (model: Model, options: DayPlanOptions): { start: number; end: number; first: number; endInterval: number; day: string | null } => {
  const span = model.intervalSeconds
  if (model.firstDate === null) {
    if (options.day !== undefined) throw new PlanProblem("--day", `${model.name} is a textbook scenario (a horizon in hours, no dates): leave --day out`)
    return { start: 0, end: model.horizonSeconds, first: 0, endInterval: model.intervalCount, day: null }
  }
  const first = parseDate(model.firstDate)!
  const lastDate = formatDate(first + model.dayCount - 1)
  const perDay = model.intervalsPerDay
  const openIn = (d: number): [number, number] | null => {
    let a = -1
    let b = -1
    for (let k = 0; k < perDay; k++) {
      if (model.status[d * perDay + k] === OPEN) {
        if (a < 0) a = d * perDay + k
        b = d * perDay + k + 1
      }
    }
    return a < 0 ? null : [a, b]
  }
  let d: number
  if (options.day !== undefined) {
    const n = parseDate(options.day)
    if (n === undefined) throw new PlanProblem("--day", `expected a date YYYY-MM-DD, got ${JSON.stringify(options.day)}`)
    d = n - first
    if (d < 0 || d >= model.dayCount) throw new PlanProblem("--day", `${options.day} is outside the scenario's horizon ${model.firstDate}..${lastDate}`)
  } else {
    d = 0
    while (d < model.dayCount && openIn(d) === null) d++
    if (d >= model.dayCount) throw new PlanProblem("--day", `the service never opens in ${model.firstDate}..${lastDate}`)
  }
  const open = openIn(d)
  if (open === null) throw new PlanProblem("--day", `the service is closed all day on ${formatDate(first + d)} (no opening interval): choose an open day`)
  return { start: open[0] * span, end: open[1] * span, first: open[0], endInterval: open[1], day: formatDate(first + d) }
}

/** The plan of one day (or a textbook scenario's horizon) of the scenario, replication 0 of `seed`. */
export const buildDayPlan = (model: Model, options: DayPlanOptions): Plan => {
  const w = dayWindow(model, options)
  const speed = options.speed
  let end = w.end
  let endInterval = w.endInterval
  if (options.durationSeconds !== undefined && w.start + options.durationSeconds * speed < end) {
    end = w.start + options.durationSeconds * speed
    endInterval = Math.ceil(end / model.intervalSeconds)
  }
  const streams = replicationStreams(options.seed, 0)
  // The simulation's own first attempts, drawn exactly as `simulate` draws them (the tables they
  // book into are thrown away: the pure simulation keeps its own).
  const table = makeIntervalTable(model.intervalCount, model.intervalSeconds)
  const batch = 4096
  const { gen } = makeFirstAttempts(model, streams, table, makeGroupTable(model), batch, true)
  const rec = makeCallRecords(batch)
  const kept: number[][] = []
  const dissuaded = { closure: 0, telecom: 0, ivr: 0, exceptional: 0 }
  let more = true
  while (more) {
    const n = gen.fill(rec, batch)
    if (n === 0) break
    for (let k = 0; k < n; k++) {
      const t = rec.time[k]!
      if (t >= end) {
        more = false
        break
      }
      if (t < w.start) continue
      const outcome = gen.outcomes![k]!
      if (outcome === REACHED_QUEUE) {
        const m = rec.meta[k]!
        kept.push([t, metaFlow(m), metaReason(m), rec.talk[k]!, rec.wrap[k]!, rec.patience[k]!, (metaTransfer(m) ? FLAG_TRANSFER : 0) | (metaTicket(m) ? FLAG_TICKET : 0), rec.caller[k]!])
      } else if (outcome === DISSUADED_CLOSURE) {
        dissuaded.closure++
        if (model.status[rec.interval[k]!] === CLOSED_EXCEPTIONAL) dissuaded.exceptional++
      } else if (outcome === DISSUADED_TELECOM) dissuaded.telecom++
      else if (outcome === DISSUADED_IVR) dissuaded.ivr++
    }
  }
  const callers = callersFromRows(kept)
  const day = w.day === null ? null : parseDate(w.day)! - parseDate(model.firstDate!)!
  return {
    mode: "day",
    scenario: model.name,
    seed: options.seed,
    speed,
    day: w.day,
    window: {
      startSeconds: w.start,
      endSeconds: end,
      firstInterval: w.first,
      endInterval,
      label: w.day === null ? `${(w.start / 3600).toFixed(2)} h–${(end / 3600).toFixed(2)} h` : `${w.day} ${hhmm(w.start)}–${hhmm(end)}`
    },
    closesAtEnd: end === w.end && model.firstDate !== null,
    callers,
    dissuaded,
    forms: formsOf(model, options.seed, w.start, end, day),
    people: rosterOfDay(model, options.seed, w.first, endInterval, end),
    laws: lawsOf(model),
    profile: null
  }
}

/**
 * The scenario's contact forms of the day (the simulation's `forms` stream): forms written
 * before the window wait for it (injected at its start); those written after it are counted,
 * not injected. Handling times are drawn by the advisors who take them up (./generator.ts).
 */
const formsOf = (model: Model, seed: number, start: number, end: number, day: number | null): Plan["forms"] => {
  if (model.formHandle === null) return { time: new Float64Array(0), before: 0, after: 0 }
  const streams = replicationStreams(seed, 0)
  const clock = new PoissonClock(model.formRate, streams.stream("forms"), model.intervalSeconds, model.intervalCount, model.horizonSeconds)
  const dayStart = day === null ? 0 : day * 86_400
  const dayEnd = day === null ? model.horizonSeconds : dayStart + 86_400
  const times: number[] = []
  let before = 0
  let after = 0
  while (clock.advance()) {
    const t = clock.t
    if (t >= dayEnd) break
    if (t < dayStart) continue
    if (t >= end) {
      after++
      continue
    }
    if (t < start) before++
    times.push(Math.max(t, start))
  }
  return { time: Float64Array.from(times), before, after }
}
