/**
 * Calls up to the queue: everything about an arriving call that does not depend on the state of
 * the queue or the advisors — its time and interval, flow and reason, whether it is dissuaded
 * (closure, telecom incident, IVR message), and for calls that reach the queue their talk,
 * wrap-up, patience, transfer and ticket draws. It also books what it decides (offered, redials,
 * dissuaded, per interval and per day × flow/reason).
 *
 * Because none of this depends on the queue (common random numbers: each source has its own
 * stream), first attempts can be generated ahead of the simulation — in the same thread, in
 * batches, or in another thread (sim/run/pipeline.ts) — and the results are identical.
 *
 * A `CallRecords` buffer holds calls that reached the queue, in arrival order. `meta` packs
 * reason, flow, attempt, transfer and ticket (./callmeta.ts).
 */
import { Categorical } from "../engine/categorical.js"
import { makeSampler, type Sampler } from "../engine/distributions.js"
import type { RandomStream, StreamFactory } from "../engine/random.js"
import { makeGroupDayTable, type GroupDayTable, type IntervalTable } from "../kpi/intervals.js"
import { CLOSED_EXCEPTIONAL, CLOSED_TECHNICAL, OPEN } from "./calendar.js"
import { packMeta } from "./callmeta.js"
import { replicationIncidents } from "./incidents.js"
import { replicationCallRates } from "./inputs.js"
import { PoissonClock } from "./poisson.js"
import type { Model } from "./model.js"

/** Calls that reached the queue, struct-of-arrays. */
export interface CallRecords {
  readonly time: Float64Array
  readonly interval: Int32Array
  readonly meta: Int32Array
  readonly talk: Float64Array
  readonly wrap: Float64Array
  readonly patience: Float64Array
  /** Caller number (0-based, in arrival order over all first attempts), for traces. */
  readonly caller: Int32Array
}

export const makeCallRecords = (capacity: number, shared = false): CallRecords => {
  const f64 = () => new Float64Array(shared ? new SharedArrayBuffer(capacity * 8) : new ArrayBuffer(capacity * 8))
  const i32 = () => new Int32Array(shared ? new SharedArrayBuffer(capacity * 4) : new ArrayBuffer(capacity * 4))
  return { time: f64(), interval: i32(), meta: i32(), talk: f64(), wrap: f64(), patience: f64(), caller: i32() }
}

/** The streams a call draws from once it reaches the queue (first attempts and redials differ). */
export interface CallDraws {
  readonly talk: RandomStream
  readonly wrap: RandomStream
  readonly patience: RandomStream
  readonly transfer: RandomStream
  readonly ticket: RandomStream
}

export const callDraws = (s: StreamFactory, prefix: string): CallDraws => ({
  talk: s.stream(prefix + "talk"),
  wrap: s.stream(prefix + "wrap"),
  patience: s.stream(prefix + "patience"),
  transfer: s.stream(prefix + "transfer"),
  ticket: s.stream(prefix + "ticket")
})

/** Why a call did not reach the queue (0: it did). */
export const REACHED_QUEUE = 0
export const DISSUADED_CLOSURE = 1
export const DISSUADED_TELECOM = 2
export const DISSUADED_IVR = 3
export const DISSUASION_NAMES = ["", "closure", "telecom", "ivr"] as const

/**
 * What dissuades calls in a replication: the interval status and the telecom share — the model's,
 * or with a continuity block, this replication's (sim/model/incidents.ts: closure messages,
 * platform outages at their drawn times).
 */
export interface Dissuasion {
  readonly status: Uint8Array
  readonly telecomShare: Float64Array | null
}

/** The model's dissuasion tables, or this replication's when the model has a continuity block. */
export const replicationDissuasion = (model: Model, streams: StreamFactory): Dissuasion => {
  const c = replicationIncidents(model, streams)
  return c === null ? model : { status: c.status, telecomShare: c.telecomShare }
}

/** The columns `CallMaker.make` writes (and `clearBookings` clears): all a pipelined producer sends back. */
export const MAKER_INTERVAL_COLUMNS = ["offered", "redials", "dissuadedClosure", "dissuadedExceptional", "dissuadedTechnical", "dissuadedTelecom", "dissuadedIvr"] as const
export const MAKER_GROUP_COLUMNS = ["offered", "redials", "dissuadedClosure", "dissuadedTelecom", "dissuadedIvr"] as const

/**
 * Decides and books the state-independent part of one call. Holds the dissuasion streams and
 * the samplers; the caller supplies the draw streams (first attempt or redial).
 */
export class CallMaker {
  /** Result of the last `make`: REACHED_QUEUE or a DISSUADED_* code. */
  outcome = 0
  offered = 0
  dissuaded = 0

  private readonly status: Uint8Array
  private readonly telecom: Float64Array | null
  private readonly ivr: Float64Array | null
  private readonly ivrReason: number
  private readonly perDay: number
  private readonly groupsOn: boolean
  private readonly groupCount: number
  private readonly reasonCount: number
  private readonly rngTelecom: RandomStream
  private readonly rngIvr: RandomStream
  private readonly talk: Sampler[]
  private readonly wrap: Sampler | null
  private readonly patience: Sampler | null
  private readonly transferShare: Float64Array
  private readonly ticketShare: Float64Array
  private readonly drawTransfer: boolean
  private readonly drawTicket: boolean

  /**
   * @param prefix stream-name prefix of the dissuasion draws ("" for first attempts, "redial:" for
   *   redials), so first attempts and redials never share a stream.
   * @param dissuasion the replication's status and telecom tables, when the caller has them already.
   */
  constructor(
    model: Model,
    streams: StreamFactory,
    private readonly table: IntervalTable,
    private readonly groups: GroupDayTable,
    prefix = "",
    dissuasion: Dissuasion = replicationDissuasion(model, streams)
  ) {
    this.status = dissuasion.status
    this.telecom = dissuasion.telecomShare
    this.ivr = model.ivrShare
    this.ivrReason = model.ivrReason
    this.perDay = model.intervalsPerDay
    this.reasonCount = model.reasons.length
    this.groupCount = model.reasons.length + model.flows.length
    this.groupsOn = hasGroups(model)
    this.rngTelecom = streams.stream(prefix + "telecom")
    this.rngIvr = streams.stream(prefix + "ivr")
    this.talk = model.talk.map(makeSampler)
    this.wrap = model.wrapUp ? makeSampler(model.wrapUp) : null
    this.patience = model.patience ? makeSampler(model.patience) : null
    this.transferShare = model.transferShare
    this.ticketShare = model.ticketShare
    this.drawTransfer = model.transferShare.some((p) => p > 0)
    this.drawTicket = model.ticketShare.some((p) => p > 0)
  }

  /**
   * Forgets what `make` has booked so far — counts and the columns it writes, nothing else (a
   * pipelined producer that replayed calls its consumer had booked already: sim/run/pipeline.ts).
   */
  clearBookings(): void {
    this.offered = 0
    this.dissuaded = 0
    for (const c of MAKER_INTERVAL_COLUMNS) this.table[c].fill(0)
    for (const c of MAKER_GROUP_COLUMNS) this.groups[c].fill(0)
  }

  /**
   * A call of (flow, reason, attempt) arrives in `interval` at the time the caller has written in
   * `rec.time[k]`: books it as offered, decides dissuasion (sets `outcome`), and when it reaches
   * the queue writes the rest of record k of `rec`. Returns true when the call reached the queue.
   * (The time travels in the record, not as an argument: every argument here is a small integer or
   * an object, so a call that is not inlined boxes no number — ~16 bytes of garbage per call.)
   */
  make(interval: number, flow: number, reason: number, attempt: number, d: CallDraws, rec: CallRecords, k: number, caller: number): boolean {
    this.offered++
    const t = this.table
    t.offered[interval]!++
    if (attempt > 1) t.redials[interval]!++
    const g = this.groups
    const groupsOn = this.groupsOn
    let r = 0
    let f = 0
    if (groupsOn) {
      const base = Math.floor(interval / this.perDay) * this.groupCount
      r = base + reason
      f = base + this.reasonCount + flow
      g.offered[r]!++
      g.offered[f]!++
      if (attempt > 1) {
        g.redials[r]!++
        g.redials[f]!++
      }
    }
    // Dissuasion: closure, then telecom incident, then the IVR message.
    const st = this.status[interval]!
    let outcome = REACHED_QUEUE
    if (st !== OPEN) {
      outcome = DISSUADED_CLOSURE
      t.dissuadedClosure[interval]!++
      if (st === CLOSED_EXCEPTIONAL) t.dissuadedExceptional[interval]!++
      else if (st === CLOSED_TECHNICAL) t.dissuadedTechnical[interval]!++
      if (groupsOn) {
        g.dissuadedClosure[r]!++
        g.dissuadedClosure[f]!++
      }
    } else if (this.telecom !== null && this.telecom[interval]! > 0 && this.rngTelecom.nextDouble() < this.telecom[interval]!) {
      outcome = DISSUADED_TELECOM
      t.dissuadedTelecom[interval]!++
      if (groupsOn) {
        g.dissuadedTelecom[r]!++
        g.dissuadedTelecom[f]!++
      }
    } else if (this.ivr !== null && reason === this.ivrReason) {
      const share = this.ivr[Math.floor(interval / this.perDay)]!
      if (share > 0 && this.rngIvr.nextDouble() < share) {
        outcome = DISSUADED_IVR
        t.dissuadedIvr[interval]!++
        if (groupsOn) {
          g.dissuadedIvr[r]!++
          g.dissuadedIvr[f]!++
        }
      }
    }
    this.outcome = outcome
    if (outcome !== REACHED_QUEUE) {
      this.dissuaded++
      return false
    }
    rec.interval[k] = interval
    rec.caller[k] = caller
    rec.talk[k] = this.talk[reason]!.sample(d.talk)
    // Not `x === null ? 0 : sample()`: V8 boxes the number a conditional expression merges with a
    // constant (16 bytes per call: ~30 MB of garbage per million calls); two stores do not.
    if (this.wrap === null) rec.wrap[k] = 0
    else rec.wrap[k] = this.wrap.sample(d.wrap)
    if (this.patience === null) rec.patience[k] = Infinity
    else rec.patience[k] = this.patience.sample(d.patience)
    const transfer = this.drawTransfer && d.transfer.nextDouble() < this.transferShare[reason]!
    const ticket = this.drawTicket && d.ticket.nextDouble() < this.ticketShare[reason]!
    rec.meta[k] = packMeta(reason, flow, attempt, transfer, ticket)
    return true
  }
}

/** Does the model break calls down by flow and reason (more than one of either)? */
export const hasGroups = (model: Model): boolean => model.reasons.length > 1 || model.flows.length > 1

/** Groups of the per-day group table: every call reason, then every IVR flow. */
export const groupCountOf = (model: Model): number => model.reasons.length + model.flows.length

/** A replication's per-day table by reason and flow (no rows for single-queue scenarios). */
export const makeGroupTable = (model: Model): GroupDayTable => makeGroupDayTable(hasGroups(model) ? model.dayCount : 0, groupCountOf(model))

/**
 * A replication's first attempts: the CallMaker booking them into `table`/`groups` and the
 * generator drawing them, at this replication's call rates. Used in the simulation's own thread
 * and by the pipelined producer thread alike, so both draw exactly the same calls.
 */
export const makeFirstAttempts = (
  model: Model,
  streams: StreamFactory,
  table: IntervalTable,
  groups: GroupDayTable,
  capacity: number,
  emitDissuaded = false,
  dissuasion?: Dissuasion
): { readonly maker: CallMaker; readonly gen: FirstAttempts } => {
  const maker = new CallMaker(model, streams, table, groups, "", dissuasion)
  return { maker, gen: new FirstAttempts(model, streams, replicationCallRates(model, streams), maker, capacity, emitDissuaded) }
}

/**
 * First attempts, generated in order: Poisson at the replication's rates per interval (or a
 * replayed list), each given a (flow, reason) by the day's mix, then passed to the CallMaker.
 * `fill` writes the next calls that reach the queue; dissuaded ones are booked and skipped
 * (or, with `emitDissuaded`, written too, flagged by `outcome`, for traces).
 */
export class FirstAttempts {
  /** Calls generated so far (dissuaded included): the next caller number. */
  callers = 0
  /** Dissuaded calls booked and not written (without emitDissuaded). */
  skipped = 0
  /** Dissuasion code of each record written by the last fill (only with emitDissuaded). */
  readonly outcomes: Uint8Array | null

  private t = 0
  private interval = 0
  private done = false
  private replayNext = 0
  private readonly span: number
  private readonly intervalCount: number
  private readonly horizon: number
  private readonly perDay: number
  private readonly reasonCount: number
  private readonly groupsOn: boolean
  /** The Poisson arrival process (null when the scenario replays fixed arrival times). */
  private readonly clock: PoissonClock | null
  private readonly rngReason: RandomStream
  private readonly pick: Categorical[]
  private readonly mixOfInterval: Uint16Array | null
  /** A replayed log's own flows, reasons, talk and patience (null: drawn). */
  private readonly given: Model["replayAttributes"]
  /** Per reason: the flow of a call whose log gives only its reason (P(flow | reason) of the base mix). */
  private readonly flowOfReason: Categorical[]
  /** Per flow: the reason of a call whose log gives only its flow (the base mix within the flow). */
  private readonly reasonOfFlow: Categorical[]
  private readonly draws: CallDraws

  constructor(
    private readonly model: Model,
    streams: StreamFactory,
    rates: Float64Array,
    private readonly maker: CallMaker,
    capacity: number,
    emitDissuaded = false
  ) {
    this.span = model.intervalSeconds
    this.intervalCount = model.intervalCount
    this.horizon = model.horizonSeconds
    this.perDay = model.intervalsPerDay
    this.reasonCount = model.reasons.length
    this.groupsOn = hasGroups(model)
    const rngArrivals = streams.stream("arrivals")
    this.clock = model.arrivalTimes === null ? new PoissonClock(rates, rngArrivals, model.intervalSeconds, model.intervalCount, model.horizonSeconds) : null
    this.rngReason = streams.stream("reason")
    this.mixOfInterval = model.mixOfInterval
    this.given = model.replayAttributes
    const base = model.mixes[0]!
    this.flowOfReason = model.reasons.map((_, r) => new Categorical(base.flows.map((p, f) => p * (base.reasons[f]![r] ?? 0) + 1e-300)))
    this.reasonOfFlow = base.reasons.map((xs) => new Categorical(xs.map((x) => x + 1e-300)))
    this.pick = model.mixes.map((m) => new Categorical(m.flows.flatMap((p, f) => m.reasons[f]!.map((x) => p * x))))
    this.draws = callDraws(streams, "")
    this.outcomes = emitDissuaded ? new Uint8Array(capacity) : null
  }

  /** Writes up to `max` records from index `offset` of `rec`; returns how many (0: no more calls). */
  fill(rec: CallRecords, max: number, offset = 0): number {
    let n = 0
    while (n < max && !this.done) {
      if (!this.advance()) break
      const interval = this.interval
      let flow = 0
      let reason = 0
      const given = this.given
      const logged = given === null ? -1 : this.replayNext - 1
      if (this.groupsOn) {
        const f = logged < 0 ? -1 : given!.flow[logged]!
        const r = logged < 0 ? -1 : given!.reason[logged]!
        if (f >= 0 && r >= 0) {
          flow = f
          reason = r
        } else if (r >= 0) {
          reason = r
          flow = this.flowOfReason[r]!.sample(this.rngReason)
        } else if (f >= 0) {
          flow = f
          reason = this.reasonOfFlow[f]!.sample(this.rngReason)
        } else {
          const mix = this.mixOfInterval !== null ? this.mixOfInterval[interval]! : this.model.mixOfDay[Math.floor(interval / this.perDay)]!
          const pair = this.pick[mix]!.sample(this.rngReason)
          flow = Math.floor(pair / this.reasonCount)
          reason = pair - flow * this.reasonCount
        }
      }
      const caller = this.callers++
      const k = offset + n
      rec.time[k] = this.t
      if (this.maker.make(interval, flow, reason, 1, this.draws, rec, k, caller)) {
        if (logged >= 0) {
          // The log's own durations replace the drawn ones (the draws are made anyway, so other calls keep theirs).
          const talk = given!.talkSeconds[logged]!
          const patience = given!.patienceSeconds[logged]!
          if (!Number.isNaN(talk)) rec.talk[k] = talk
          if (!Number.isNaN(patience)) rec.patience[k] = patience
        }
        if (this.outcomes !== null) this.outcomes[n] = 0
        n++
      } else if (this.outcomes === null) this.skipped++
      else {
        rec.interval[k] = interval
        rec.caller[k] = caller
        rec.meta[k] = packMeta(reason, flow, 1, false, false)
        this.outcomes[n] = this.maker.outcome
        n++
      }
    }
    return n
  }

  /** Moves to the next arrival time; false when there is none before the horizon. */
  private advance(): boolean {
    const replay = this.model.arrivalTimes
    if (replay !== null) {
      if (this.replayNext >= replay.length || replay[this.replayNext]! >= this.horizon) {
        this.done = true
        return false
      }
      this.t = replay[this.replayNext++]!
      this.interval = Math.min(Math.floor(this.t / this.span), this.intervalCount - 1)
      return true
    }
    if (!this.clock!.advance()) {
      this.done = true
      return false
    }
    this.t = this.clock!.t
    this.interval = this.clock!.interval
    return true
  }
}
