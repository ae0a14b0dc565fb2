/**
 * One replication of the contact centre: first-attempt calls (Poisson per interval, or replayed),
 * redials of callers who abandoned, contact forms; the calendar (closures dissuade callers), telecom
 * incidents and the IVR dissuasion message; one FIFO queue served by phone-only and blended
 * advisors; forms worked from a backlog by forms-only advisors and by blended advisors when no
 * call waits. The textbook single queue (issue 2) is the special case with one flow, one reason,
 * no wrap-up, no forms and an always-open calendar.
 *
 * One object owns the run (STYLE 1); the loop is a `while` over the calendar and a `switch` on
 * integer kinds, with no allocation per event (STYLE 3). This module is longer than STYLE 16's
 * ~400 lines on purpose: the loop and every event handler stay methods of one class so V8 inlines
 * them into the loop; everything outside the loop lives in its own module (arrivals, queue, pool,
 * inputs, source, calendar, forecast…).
 *
 * Tie-break at one instant (ranks, lowest first; decided, documented and tested — STYLE 4):
 *   0 BOUNDARY     interval boundary: accounting rolls over; if the service closes, callers still
 *                  waiting are cut off; headcounts change;
 *   1 SERVICE_END, FORM_DONE  an advisor finishes and at once takes the next piece of work;
 *   2 ARRIVAL, REDIAL, FORM_ARRIVAL  work arrives: takes an idle advisor or waits;
 *   3 ABANDON      a caller's patience ends — last, so a caller whose patience ends exactly when
 *                  an advisor frees is served, not lost.
 * Among events of the same rank at the same instant: the one scheduled first goes first — with
 * one decided exception: the pending first attempt lives in a register (`nextArrival`), and at
 * equal time and rank the calendar's event (a redial, a form arrival) goes before it. Abandonment
 * timers live in a calendar of their own; both are merged with the main calendar's head by
 * (time, rank), with much less heap work than one calendar.
 *
 * Arrivals: exponential gaps at the current interval's rate, restarted at the next interval's
 * start when a gap crosses a boundary — an exact non-homogeneous Poisson process for piecewise-
 * constant rates (a gap drawn at one rate never spills into an interval with another rate).
 *
 * Random streams (one per source, common random numbers): arrivals, reason (flow and reason of
 * every call), telecom, ivr, talk, wrap, patience, transfer, ticket (for calls that reach the
 * queue), redial (decision and delay), and the same call streams prefixed `redial:` for redialled
 * calls; forms, formHandle; busyness, forecastError, absence (./inputs.ts).
 *
 * Continuity (sim/model/incidents.ts): an incident's headcounts, closures and telecom shares come
 * in the replication's tables like any plan; at an incident's start (an interval boundary, before
 * headcounts change) the lost site's advisors leave at once — a random subset of those logged in,
 * of the size the site had (routing is site-blind, so any advisor is as likely to sit there) —
 * and the calls they were on are cut (counted; the callers redial by the redial law, stream
 * `continuity:redial`, unless `cutCallers: lost`); a form in progress goes back to the backlog
 * (siteLoss) or is finished (vpnLoss). Stream `continuity:cut` picks who.
 *
 * Routing: a call goes to the longest-idle phone-only advisor, else the longest-idle blended one
 * (assumption: keep blended advisors for forms when phone-only ones are free); an advisor who
 * frees takes the oldest waiting call; a blended advisor with no call waiting takes the oldest
 * form, and finishes it before taking a call (no preemption).
 */
import { EventCalendar, type Calendar } from "../engine/calendar.js"
import { HeapCalendar } from "../engine/heap-calendar.js"
import { makeSampler, type Sampler } from "../engine/distributions.js"
import type { RandomStream } from "../engine/random.js"
import { makeIntervalTable, type GroupDayTable, type IntervalTable } from "../kpi/intervals.js"
import {
  CallMaker, DISSUASION_NAMES, REACHED_QUEUE, callDraws, groupCountOf, hasGroups, makeCallRecords, makeFirstAttempts, makeGroupTable, type CallDraws, type CallRecords
} from "./arrivals.js"
import { LocalSource, type ArrivalSource, type SimulationOptions } from "./source.js"
import { OPEN } from "./calendar.js"
import { metaAttempt, metaFlow, metaReason, metaTicket, metaTransfer, packMeta } from "./callmeta.js"
import { replicationIncidents, type Cut } from "./incidents.js"
import { replicationStaff } from "./inputs.js"
import { GROUP_BLENDED, GROUP_COUNT, GROUP_FORMS, GROUP_PHONE, type Model } from "./model.js"
import { PoissonClock } from "./poisson.js"
import { Pool } from "./pool.js"
import { CallQueue } from "./queue.js"

export const EV_BOUNDARY = 0
export const EV_SERVICE_END = 1
export const EV_FORM_DONE = 2
export const EV_ARRIVAL = 3
export const EV_REDIAL = 4
export const EV_FORM_ARRIVAL = 5
export const EV_ABANDON = 6
/** Tie-break rank of each event kind (index = kind). */
export const EVENT_RANKS: ReadonlyArray<number> = [0, 1, 1, 2, 2, 2, 3]

/** A trace entry: [time (s), what, ...ids]. Only recorded when tracing is on. */
export type { ArrivalSource, SimulationOptions } from "./source.js"

export type TraceEntry = readonly [number, string, ...number[]]

/** Totals of one replication, for conservation checks and summaries. */
export interface ReplicationTotals {
  readonly offered: number
  readonly answered: number
  readonly abandoned: number
  readonly dissuaded: number
  /** Callers still waiting in the queue at the horizon. */
  readonly inSystemAtEnd: number
  /** Calls being handled at the horizon (already counted as answered). */
  readonly inServiceAtEnd: number
  readonly formsReceived: number
  readonly formsHandled: number
  readonly formsBacklogAtEnd: number
  readonly formsInProgressAtEnd: number
  /** Events dispatched (cancelled abandonment timers excluded). */
  readonly events: number
  /** Abandonment timers that fired after their caller had left the queue (no effect). */
  readonly cancelledEvents: number
  /** Continuity runs: calls cut by each incident (an advisor lost mid-call), by incident index. */
  readonly cutCalls?: ReadonlyArray<number>
}

/** An advisor taken off by an incident while busy: the pending work event is dropped (a cut call, a form sent back) or finishes a form. */
const GONE_DROP = 1
const GONE_FINISH = 2

export class Simulation {
  readonly table: IntervalTable
  readonly groups: GroupDayTable
  readonly trace: TraceEntry[] = []
  now = 0
  events = 0
  cancelledEvents = 0
  answered = 0
  abandoned = 0
  formsReceived = 0
  formsHandled = 0

  private readonly cal: Calendar
  /**
   * Abandonment timers, apart: only waiting callers have one, most die unused (the caller is
   * served first), and they rank last at any instant — so a small calendar of their own keeps the
   * main calendar smaller without changing the order of events.
   */
  private readonly timers: Calendar
  private readonly horizon: number
  private readonly span: number
  private readonly perDay: number
  private readonly intervalCount: number
  private readonly sl: number
  private readonly tracing: boolean
  private readonly groupsOn: boolean
  private readonly groupCount: number
  private readonly reasonCount: number

  // Inputs of this replication.
  private readonly staff: Int32Array[]
  private readonly status: Uint8Array

  // First attempts: a batch of records from the source; the pending one is recNext.
  private readonly source: ArrivalSource
  private rec: CallRecords
  private recCount = 0
  private recNext = 0
  // Redials: decided here (they depend on abandonment), made by their own CallMaker.
  private readonly redialMaker: CallMaker
  private readonly redialRec: CallRecords
  private readonly again: CallDraws
  private redialCallers = 0

  // Streams and samplers.
  private readonly rngRedial: RandomStream
  /** Contact-form arrivals: a Poisson process at the model's form rates. */
  private readonly formClock: PoissonClock
  private readonly rngFormHandle: RandomStream
  private readonly redialDelay: Sampler | null
  private readonly redialProbability: number
  private readonly redialMaxAttempts: number
  private readonly formHandle: Sampler | null

  // Accumulator columns, held directly for the hot loop.
  private readonly aAnswered: Float64Array
  private readonly aWithinSl: Float64Array
  private readonly aAbandoned: Float64Array
  private readonly aWait: Float64Array
  private readonly aTalk: Float64Array
  private readonly aWrap: Float64Array
  private readonly aStaffed: Float64Array
  private readonly aPhoneStaffed: Float64Array
  private readonly aBusy: Float64Array
  /** Time blended advisors spend on forms, per interval (folded into the table in finish). */
  private readonly blendedForms: Float64Array
  private readonly aForms: Float64Array

  /** Interval the clock is in (advanced by BOUNDARY events). */
  private cur = 0
  /** Time up to which advisor-seconds have been accumulated. */
  private accruedTo = 0
  /** Time of the pending first attempt (+Infinity: none). */
  private nextArrival = Infinity

  private readonly queue = new CallQueue()
  private readonly pools: Pool[]
  private readonly phonePool: Pool
  private readonly formsPool: Pool
  private readonly blendedPool: Pool
  private readonly agentGroup: Uint8Array
  private readonly agentCaller: Int32Array
  private onCall = 0
  /** staffing.shiftEnd = ownCall: named advisors finish their own call, then leave (./pool.ts). */
  private readonly ownCall: boolean
  /** Blended advisors working a form (forms-only ones are always on forms when logged in). */
  private onFormsBlended = 0
  private onFormsOnly = 0

  // Pending redials: a small pool of slots with a free list.
  private redialMeta = new Int32Array(256)
  private readonly redialFree: number[] = []
  private redialTop = 0

  // Forms backlog: FIFO of arrival times (only the count matters for KPIs).
  private formsWaiting = 0

  // Continuity: instant cuts at incident starts (none without a continuity block).
  private readonly cuts: ReadonlyArray<Cut>
  private nextCut = 0
  /** Interval of the next cut (-1: none). */
  private cutAt = -1
  private readonly cutCalls: Int32Array
  private readonly rngCut: RandomStream | null
  private readonly rngCutRedial: RandomStream | null
  /** Per advisor: 0, GONE_DROP or GONE_FINISH. */
  private readonly gone: Uint8Array
  /** Per advisor: when the current piece of work ends (s), and the call's meta (-1: a form) — to undo a cut one. */
  private readonly agentEnd: Float64Array
  private readonly agentMeta: Int32Array

  constructor(
    readonly model: Model,
    options: SimulationOptions
  ) {
    const s = options.streams
    this.horizon = model.horizonSeconds
    this.span = model.intervalSeconds
    this.perDay = model.intervalsPerDay
    this.intervalCount = model.intervalCount
    this.sl = model.serviceLevelSeconds
    this.tracing = options.trace === true
    this.ownCall = model.shiftEnd === "ownCall"
    this.reasonCount = model.reasons.length
    this.groupCount = groupCountOf(model)
    this.groupsOn = hasGroups(model)
    const Cal = options.calendar === "heap" ? HeapCalendar : EventCalendar
    this.cal = new Cal(EVENT_RANKS, 1024)
    // As large as the main calendar: growing it mid-run would also cost a deoptimization of the
    // loop the first time (its schedule had never grown when V8 optimized it).
    this.timers = new Cal(EVENT_RANKS, 1024)

    const incidents = replicationIncidents(model, s)
    this.staff = incidents !== null ? incidents.staff : replicationStaff(model, s)
    this.status = incidents !== null ? incidents.status : model.status
    this.cuts = incidents !== null ? incidents.cuts : []
    this.cutAt = this.cuts.length > 0 ? this.cuts[0]!.interval : -1
    this.cutCalls = new Int32Array(model.continuity?.incidents.length ?? 0)
    this.rngCut = this.cuts.length > 0 ? s.stream("continuity:cut") : null
    this.rngCutRedial = this.cuts.length > 0 && model.continuity?.cutCallersRedial === true ? s.stream("continuity:redial") : null
    this.rngRedial = s.stream("redial")
    this.formClock = new PoissonClock(model.formRate, s.stream("forms"), model.intervalSeconds, model.intervalCount, model.horizonSeconds)
    this.rngFormHandle = s.stream("formHandle")
    this.redialDelay = model.redial ? makeSampler(model.redial.delay) : null
    this.redialProbability = model.redial?.probability ?? 0
    this.redialMaxAttempts = model.redial?.maxAttempts ?? 1
    this.formHandle = model.formHandle ? makeSampler(model.formHandle) : null

    this.table = makeIntervalTable(model.intervalCount, model.intervalSeconds)
    this.groups = makeGroupTable(model)
    this.again = callDraws(s, "redial:")
    const dissuasion = incidents !== null ? { status: incidents.status, telecomShare: incidents.telecomShare } : undefined
    this.redialMaker = new CallMaker(model, s, this.table, this.groups, "redial:", dissuasion)
    this.redialRec = makeCallRecords(1)
    const batch = this.tracing ? 1 : 1024
    const own = makeFirstAttempts(model, s, this.table, this.groups, batch, this.tracing, dissuasion)
    this.source = options.source ? options.source(own) : new LocalSource(own.gen, own.maker, batch)
    this.rec = this.source.current
    const t = this.table
    this.aAnswered = t.answered
    this.aWithinSl = t.answeredWithinSl
    this.aAbandoned = t.abandoned
    this.aWait = t.waitSeconds
    this.aTalk = t.talkSeconds
    this.aWrap = t.wrapSeconds
    this.aStaffed = t.staffedSeconds
    this.aPhoneStaffed = t.phoneStaffedSeconds
    this.aBusy = t.busySeconds
    this.blendedForms = new Float64Array(model.intervalCount)
    this.aForms = t.formsActivitySeconds

    // Advisor ids: one contiguous range per group, as large as the group's peak headcount (plus
    // the advisors an incident may take off busy, whose ids stay reserved until their work ends).
    this.pools = []
    let base = 0
    for (let g = 0; g < GROUP_COUNT; g++) {
      let peak = 0
      const column = this.staff[g]!
      for (let i = 0; i < column.length; i++) if (column[i]! > peak) peak = column[i]!
      for (const cut of this.cuts) peak += cut.perGroup[g]!
      this.pools.push(new Pool(base, peak))
      base += peak
    }
    this.phonePool = this.pools[GROUP_PHONE]!
    this.formsPool = this.pools[GROUP_FORMS]!
    this.blendedPool = this.pools[GROUP_BLENDED]!
    this.agentGroup = new Uint8Array(Math.max(1, base))
    this.agentCaller = new Int32Array(Math.max(1, base))
    this.gone = new Uint8Array(Math.max(1, base))
    this.agentEnd = new Float64Array(Math.max(1, base))
    this.agentMeta = new Int32Array(Math.max(1, base))
    for (let g = 0; g < GROUP_COUNT; g++) this.agentGroup.fill(g, this.pools[g]!.base, this.pools[g]!.base + this.pools[g]!.capacity)

    // t = 0: the first interval's advisors log in; first arrivals and boundary are scheduled.
    for (let g = 0; g < GROUP_COUNT; g++) this.setStaff(g, this.staff[g]![0]!)
    this.refill()
    if (this.formHandle !== null) this.scheduleNextForm()
    if (this.span < this.horizon && this.intervalCount > 1) this.cal.schedule(this.span, EV_BOUNDARY, 1)
  }

  /** The skill group of an advisor id (GROUP_PHONE, GROUP_FORMS or GROUP_BLENDED), for traces and tests. */
  groupOf(agent: number): number {
    return this.agentGroup[agent]!
  }

  /** Runs to the horizon and closes the books. */
  run(): ReplicationTotals {
    this.advanceTo(this.horizon)
    return this.finish()
  }

  /** Processes every event with time < min(limit, horizon). Lets callers report progress. */
  advanceTo(limit: number): void {
    const cal = this.cal
    const timers = this.timers
    const end = Math.min(limit, this.horizon)
    const arrivalRank = EVENT_RANKS[EV_ARRIVAL]!
    for (;;) {
      const tHeap = cal.peekTime()
      const tArrival = this.nextArrival
      const tTimer = timers.peekTime()
      // Abandonments rank last: a timer goes only when strictly earlier than everything else.
      if (tTimer < tHeap && tTimer < tArrival) {
        if (tTimer >= end) break
        timers.pop()
        this.now = timers.time
        this.onAbandon(timers.id)
        continue
      }
      if (tArrival < tHeap || (tArrival === tHeap && cal.peekRank() > arrivalRank)) {
        if (tArrival >= end) break
        this.now = tArrival
        this.onFirstAttempt()
        continue
      }
      if (tHeap >= end) break
      cal.pop()
      this.now = cal.time
      switch (cal.kind) {
        case EV_SERVICE_END:
          this.onServiceEnd(cal.id)
          break
        case EV_ABANDON:
          this.onAbandon(cal.id)
          break
        case EV_BOUNDARY:
          this.onBoundary(cal.id)
          break
        case EV_REDIAL:
          this.onRedial(cal.id)
          break
        case EV_FORM_DONE:
          this.onFormDone(cal.id)
          break
        case EV_FORM_ARRIVAL:
          this.onFormArrival()
          break
      }
    }
  }

  /** Accrues time to the horizon, counts the callers left waiting, checks conservation. */
  finish(): ReplicationTotals {
    this.now = this.horizon
    this.accrue(this.horizon)
    // Idle time is what logged-in phone time leaves once calls and blended advisors' forms are
    // counted; blended forms time joins the forms activity.
    const t0 = this.table
    for (let i = 0; i < this.intervalCount; i++) {
      const idle = t0.phoneStaffedSeconds[i]! - t0.busySeconds[i]! - this.blendedForms[i]!
      t0.idleSeconds[i] = idle > 1e-6 ? idle : 0
      t0.formsActivitySeconds[i]! += this.blendedForms[i]!
    }
    const q = this.queue
    for (let p = q.head; p < q.tail; p++) {
      const k = p & q.mask
      if (q.gone[k] !== 0) continue
      const interval = q.rec.interval[k]!
      this.aWait[interval]! += this.horizon - q.rec.time[k]!
      this.table.inSystemAtEnd[interval]!++
      if (this.groupsOn) this.addGroup(this.groups.waitSeconds, interval, q.rec.meta[k]!, this.horizon - q.rec.time[k]!)
    }
    const first = this.source.counts()
    // Dissuaded first attempts the source booked without sending are events too.
    this.events += first.skipped
    const totals: ReplicationTotals = {
      offered: first.offered + this.redialMaker.offered,
      answered: this.answered,
      abandoned: this.abandoned,
      dissuaded: first.dissuaded + this.redialMaker.dissuaded,
      inSystemAtEnd: q.waiting,
      inServiceAtEnd: this.onCall,
      formsReceived: this.formsReceived,
      formsHandled: this.formsHandled,
      formsBacklogAtEnd: this.formsWaiting,
      formsInProgressAtEnd: this.onFormsBlended + this.onFormsOnly,
      events: this.events,
      cancelledEvents: this.cancelledEvents,
      ...(this.model.continuity === undefined ? {} : { cutCalls: Array.from(this.cutCalls) })
    }
    if (totals.offered !== totals.answered + totals.abandoned + totals.dissuaded + totals.inSystemAtEnd) {
      throw new Error(
        `conservation broken: offered ${totals.offered} != answered ${totals.answered} + abandoned ${totals.abandoned} + dissuaded ${totals.dissuaded} + waiting ${totals.inSystemAtEnd}`
      )
    }
    if (totals.formsReceived !== totals.formsHandled + totals.formsBacklogAtEnd + totals.formsInProgressAtEnd) {
      throw new Error(`forms conservation broken: received ${totals.formsReceived} != handled + backlog + in progress`)
    }
    return totals
  }

  // --- calls --------------------------------------------------------------------------------

  /** Loads the next batch of first attempts and exposes the first one's time. */
  private refill(): void {
    this.recCount = this.source.next()
    this.rec = this.source.current
    this.recNext = 0
    this.nextArrival = this.recCount > 0 ? this.rec.time[0]! : Infinity
  }

  private onFirstAttempt(): void {
    this.events++
    const k = this.recNext++
    const rec = this.rec
    const outcomes = this.source.outcomes
    if (this.tracing) this.trace.push([this.now, "arrive", rec.caller[k]!])
    if (outcomes !== null && outcomes[k] !== REACHED_QUEUE) {
      this.trace.push([this.now, "dissuade:" + DISSUASION_NAMES[outcomes[k]!], rec.caller[k]!])
    } else this.enter(rec, k)
    if (this.recNext < this.recCount) this.nextArrival = rec.time[this.recNext]!
    else this.refill()
  }

  private onRedial(slot: number): void {
    this.events++
    const meta = this.redialMeta[slot]!
    this.redialFree.push(slot)
    const interval = Math.min(Math.floor(this.now / this.span), this.intervalCount - 1)
    const caller = -1 - this.redialCallers++ // redials are numbered -1, -2, … in traces
    if (this.tracing) this.trace.push([this.now, "redial", caller])
    this.redialRec.time[0] = this.now
    const reached = this.redialMaker.make(interval, metaFlow(meta), metaReason(meta), metaAttempt(meta), this.again, this.redialRec, 0, caller)
    if (reached) this.enter(this.redialRec, 0)
    else if (this.tracing) this.trace.push([this.now, "dissuade:" + DISSUASION_NAMES[this.redialMaker.outcome], caller])
  }

  /** A call that reached the queue (record k): an idle advisor takes it, or it waits. */
  private enter(rec: CallRecords, k: number): void {
    const now = this.now
    const phone = this.phonePool
    if (phone.idle > 0) {
      this.startCall(phone.popIdle(), rec, k)
      return
    }
    const blended = this.blendedPool
    if (blended.idle > 0) {
      this.startCall(blended.popIdle(), rec, k)
      return
    }
    const q = this.queue.push(rec, k)
    if (this.tracing) this.trace.push([now, "queue", rec.caller[k]!])
    const patience = rec.patience[k]!
    if (patience !== Infinity) this.timers.schedule(now + patience, EV_ABANDON, q)
  }

  /** An advisor picks up call k of `src` (the batch of records or the queue ring) now. */
  private startCall(agent: number, src: CallRecords, k: number): void {
    const now = this.now
    const talk = src.talk[k]!
    const wrap = src.wrap[k]!
    const interval = src.interval[k]!
    const meta = src.meta[k]!
    const caller = src.caller[k]!
    const wait = now - src.time[k]!
    this.answered++
    this.aAnswered[interval]!++
    const within = wait <= this.sl
    if (within) this.aWithinSl[interval]!++
    this.aWait[interval]! += wait
    this.aTalk[interval]! += talk
    this.aWrap[interval]! += wrap
    const t = this.table
    if (metaTransfer(meta)) t.transferred[interval]!++
    if (metaTicket(meta)) t.tickets[interval]!++
    if (this.groupsOn) {
      const g = this.groups
      const base = Math.floor(interval / this.perDay) * this.groupCount
      const r = base + metaReason(meta)
      const f = base + this.reasonCount + metaFlow(meta)
      g.answered[r]!++
      g.answered[f]!++
      if (within) {
        g.answeredWithinSl[r]!++
        g.answeredWithinSl[f]!++
      }
      g.waitSeconds[r]! += wait
      g.waitSeconds[f]! += wait
      g.talkSeconds[r]! += talk
      g.talkSeconds[f]! += talk
      g.wrapSeconds[r]! += wrap
      g.wrapSeconds[f]! += wrap
      if (metaTransfer(meta)) {
        g.transferred[r]!++
        g.transferred[f]!++
      }
      if (metaTicket(meta)) {
        g.tickets[r]!++
        g.tickets[f]!++
      }
    }
    this.onCall++
    this.bookSpan(this.aBusy, talk + wrap)
    this.agentCaller[agent] = caller
    this.agentEnd[agent] = now + talk + wrap
    this.agentMeta[agent] = meta
    if (this.tracing) this.trace.push([now, "answer", caller, agent])
    this.cal.schedule(now + talk + wrap, EV_SERVICE_END, agent)
  }

  /** Gives the caller at the head of the queue to `agent` (requires a waiting caller). */
  private serveHead(agent: number): void {
    const q = this.queue
    const k = q.shift()
    this.startCall(agent, q.rec, k)
  }

  private onServiceEnd(agent: number): void {
    if (this.gone[agent] !== 0) return this.goneWorkEnds(agent)
    this.events++
    this.onCall--
    if (this.tracing) this.trace.push([this.now, "release", agent, this.agentCaller[agent]!])
    this.nextWork(agent)
  }

  private onAbandon(position: number): void {
    const q = this.queue
    if (!q.isWaiting(position)) {
      this.cancelledEvents++ // served (or cut off) before patience ran out
      return
    }
    this.events++
    this.abandon(q.rec, q.remove(position), false)
  }

  /**
   * Books the abandonment of caller k of `r` (the queue's records) and decides on a redial. The
   * caller's figures are read here: a float argument would be boxed if V8 does not inline this.
   */
  private abandon(r: CallRecords, k: number, cutOff: boolean): void {
    const interval = r.interval[k]!
    const caller = r.caller[k]!
    const meta = r.meta[k]!
    const wait = this.now - r.time[k]!
    this.abandoned++
    this.aAbandoned[interval]!++
    this.aWait[interval]! += wait
    if (cutOff) this.table.cutOffAtClosing[interval]!++
    if (this.groupsOn) {
      this.addGroup(this.groups.abandoned, interval, meta, 1)
      this.addGroup(this.groups.waitSeconds, interval, meta, wait)
    }
    if (this.tracing) this.trace.push([this.now, cutOff ? "cutoff" : "abandon", caller])
    this.maybeRedial(meta, this.rngRedial)
  }

  /** Decides (from `rng`) whether the caller of `meta` calls again, and schedules the redial. */
  private maybeRedial(meta: number, rng: RandomStream): void {
    const attempt = metaAttempt(meta)
    if (this.redialDelay !== null && attempt < this.redialMaxAttempts && rng.nextDouble() < this.redialProbability) {
      const at = this.now + this.redialDelay.sample(rng)
      if (at < this.horizon) {
        const slot = this.redialFree.length > 0 ? this.redialFree.pop()! : this.newRedialSlot()
        this.redialMeta[slot] = packMeta(metaReason(meta), metaFlow(meta), attempt + 1, false, false)
        this.cal.schedule(at, EV_REDIAL, slot)
      }
    }
  }

  private newRedialSlot(): number {
    if (this.redialTop === this.redialMeta.length) {
      const bigger = new Int32Array(this.redialMeta.length * 2)
      bigger.set(this.redialMeta)
      this.redialMeta = bigger
    }
    return this.redialTop++
  }

  // --- forms --------------------------------------------------------------------------------

  private onFormArrival(): void {
    this.events++
    const interval = this.formClock.interval
    this.scheduleNextForm()
    this.formsReceived++
    this.table.formsReceived[interval]!++
    if (this.tracing) this.trace.push([this.now, "formArrive", this.formsReceived - 1])
    const forms = this.formsPool
    const blended = this.blendedPool
    if (forms.idle > 0 || blended.idle > 0) this.startForm(forms.idle > 0 ? forms.popIdle() : blended.popIdle())
    else this.formsWaiting++
  }

  private startForm(agent: number): void {
    const duration = this.formHandle!.sample(this.rngFormHandle)
    if (this.agentGroup[agent] === GROUP_BLENDED) {
      this.onFormsBlended++
      // A blended advisor's time on forms is booked now (forms-only advisors' time is their logged-in time).
      this.bookSpan(this.blendedForms, duration)
    } else this.onFormsOnly++
    if (this.tracing) this.trace.push([this.now, "formStart", agent])
    this.agentEnd[agent] = this.now + duration
    this.agentMeta[agent] = -1
    this.cal.schedule(this.now + duration, EV_FORM_DONE, agent)
  }

  private onFormDone(agent: number): void {
    if (this.gone[agent] !== 0) return this.goneWorkEnds(agent)
    this.events++
    if (this.agentGroup[agent] === GROUP_BLENDED) this.onFormsBlended--
    else this.onFormsOnly--
    this.formsHandled++
    this.table.formsHandled[this.cur]!++
    if (this.tracing) this.trace.push([this.now, "formDone", agent])
    this.nextWork(agent)
  }

  /** An advisor has just finished something: log out if due, else take the next work, else idle. */
  private nextWork(agent: number): void {
    const g = this.agentGroup[agent]!
    const pool = this.pools[g]!
    if (pool.pendingLogout > 0 && (!this.ownCall || pool.isLeaving(agent))) {
      this.accrue(this.now)
      pool.pendingLogout--
      pool.logout(agent)
      if (this.tracing) this.trace.push([this.now, "logout", agent])
      return
    }
    this.takeWork(agent, g, pool)
  }

  /** A free advisor of group g serves the head of the queue, else takes a form, else waits idle. */
  private takeWork(agent: number, g: number, pool: Pool): void {
    if (g !== GROUP_FORMS && this.queue.waiting > 0) this.serveHead(agent)
    else if (g !== GROUP_PHONE && this.formsWaiting > 0) {
      this.formsWaiting--
      this.startForm(agent)
    } else pool.pushIdle(agent)
  }

  // --- calendar and staffing ----------------------------------------------------------------

  private onBoundary(interval: number): void {
    this.events++
    this.accrue(this.now)
    this.cur = interval
    if (interval === this.cutAt) this.applyCuts(interval)
    if (this.status[interval] !== OPEN && this.queue.waiting > 0) this.cutOffQueue()
    for (let g = 0; g < GROUP_COUNT; g++) {
      const target = this.staff[g]![interval]!
      const pool = this.pools[g]!
      if (target !== pool.staffed - pool.pendingLogout) this.setStaff(g, target)
    }
    const next = (interval + 1) * this.span
    if (interval + 1 < this.intervalCount && next < this.horizon) this.cal.schedule(next, EV_BOUNDARY, interval + 1)
  }

  /** The service closes: callers still waiting hear the closure message and are cut off. */
  private cutOffQueue(): void {
    const q = this.queue
    while (q.waiting > 0) {
      this.abandon(q.rec, q.shift(), true)
    }
  }

  /**
   * Moves a group's logged-in headcount to `target`: idle advisors leave first; then busy ones —
   * under firstFree whoever finishes first, under ownCall the earliest logged in, after their own call.
   */
  private setStaff(g: number, target: number): void {
    this.accrue(this.now)
    const pool = this.pools[g]!
    while (pool.staffed - pool.pendingLogout < target && pool.pendingLogout > 0) {
      if (this.ownCall) pool.keepLeaver()
      else pool.pendingLogout--
    }
    while (pool.staffed < target) {
      const agent = pool.login()
      if (this.tracing) this.trace.push([this.now, "login", agent])
      this.takeWork(agent, g, pool)
    }
    while (pool.staffed - pool.pendingLogout > target) {
      if (pool.idle > 0) {
        const agent = pool.logoutMostRecentIdle()
        if (this.tracing) this.trace.push([this.now, "logout", agent])
      } else if (this.ownCall) {
        const agent = pool.nameLeaver()
        if (this.tracing) this.trace.push([this.now, "leaving", agent])
      } else pool.pendingLogout++
    }
  }

  /**
   * Adds logged-in advisor-seconds since the last accrual to the current interval. Logged-in
   * headcounts change only at boundaries and logouts, so only those call this; time on calls and
   * on forms is booked per piece of work (bookSpan) and idle time is derived in finish().
   */
  private accrue(now: number): void {
    const dt = now - this.accruedTo
    if (dt > 0) {
      const c = this.cur
      const phone = this.phonePool.staffed
      const forms = this.formsPool.staffed
      const blended = this.blendedPool.staffed
      this.aStaffed[c]! += (phone + forms + blended) * dt
      this.aPhoneStaffed[c]! += (phone + blended) * dt
      this.aForms[c]! += forms * dt
      this.accruedTo = now
    }
  }

  /** Adds `duration` seconds starting now to `column`, split over the intervals it spans (to the horizon). */
  private bookSpan(column: Float64Array, duration: number): void {
    let t = this.now
    const end = Math.min(t + duration, this.horizon)
    let i = this.cur
    const span = this.span
    if (end <= (i + 1) * span) {
      column[i]! += end - t // most work ends within the interval it starts in
      return
    }
    while (t < end) {
      const boundary = (i + 1) * span
      const stop = end < boundary ? end : boundary
      column[i]! += stop - t
      t = stop
      i++
    }
  }

  // --- continuity: incidents take advisors off at once --------------------------------------

  /** The cuts due at this boundary: each takes its advisors off (a random subset of those logged in). */
  private applyCuts(interval: number): void {
    const rng = this.rngCut!
    while (this.nextCut < this.cuts.length && this.cuts[this.nextCut]!.interval === interval) {
      const cut = this.cuts[this.nextCut++]!
      for (let g = 0; g < GROUP_COUNT; g++) {
        const agents = this.pools[g]!.loggedIn()
        let k = Math.min(cut.perGroup[g]!, agents.length)
        // Selection sampling: every subset of k advisors among those logged in is equally likely.
        for (let j = 0; j < agents.length && k > 0; j++) {
          if (rng.nextDouble() * (agents.length - j) < k) {
            this.cutAgent(agents[j]!, g, cut)
            k--
          }
        }
      }
    }
    this.cutAt = this.nextCut < this.cuts.length ? this.cuts[this.nextCut]!.interval : -1
    // Forms sent back to the backlog go to whoever is idle and may take one.
    while (this.formsWaiting > 0 && (this.formsPool.idle > 0 || this.blendedPool.idle > 0)) {
      this.formsWaiting--
      this.startForm(this.formsPool.idle > 0 ? this.formsPool.popIdle() : this.blendedPool.popIdle())
    }
  }

  /** An incident takes `agent` (group g) off now: idle, they log out; on a call, it is cut; on a form, it goes back or is finished. */
  private cutAgent(agent: number, g: number, cut: Cut): void {
    const pool = this.pools[g]!
    if (this.tracing) this.trace.push([this.now, "cut", agent])
    if (pool.removeIdle(agent)) return
    const meta = this.agentMeta[agent]!
    if (meta >= 0) {
      this.onCall--
      this.cutCalls[cut.incident]!++
      this.unbookSpan(this.aBusy, this.agentEnd[agent]!)
      if (this.tracing) this.trace.push([this.now, "callCut", this.agentCaller[agent]!])
      if (this.rngCutRedial !== null) this.maybeRedial(meta, this.rngCutRedial)
      this.gone[agent] = GONE_DROP
    } else if (cut.keepForms) this.gone[agent] = GONE_FINISH
    else {
      if (g === GROUP_BLENDED) {
        this.onFormsBlended--
        this.unbookSpan(this.blendedForms, this.agentEnd[agent]!)
      } else this.onFormsOnly--
      this.formsWaiting++
      if (this.tracing) this.trace.push([this.now, "formBack", agent])
      this.gone[agent] = GONE_DROP
    }
    pool.detach(agent)
  }

  /** The work event of an advisor an incident took off fires: a dropped one is ignored, a kept form is handled; the id is freed. */
  private goneWorkEnds(agent: number): void {
    const g = this.agentGroup[agent]!
    if (this.gone[agent] === GONE_FINISH) {
      this.events++
      if (g === GROUP_BLENDED) this.onFormsBlended--
      else this.onFormsOnly--
      this.formsHandled++
      this.table.formsHandled[this.cur]!++
      if (this.tracing) this.trace.push([this.now, "formDone", agent])
    } else this.cancelledEvents++
    this.gone[agent] = 0
    this.pools[g]!.free(agent)
  }

  /** Takes back what bookSpan booked in `column` from now to `end` (the rest of a piece of work cut short). */
  private unbookSpan(column: Float64Array, end: number): void {
    let t = this.now
    const stop = Math.min(end, this.horizon)
    let i = this.cur
    while (t < stop) {
      const boundary = (i + 1) * this.span
      const until = stop < boundary ? stop : boundary
      column[i]! -= until - t
      t = until
      i++
    }
  }

  // --- arrival processes --------------------------------------------------------------------

  /** Schedules the next contact form of the Poisson form process, if any before the horizon. */
  private scheduleNextForm(): void {
    if (this.formClock.advance()) this.cal.schedule(this.formClock.t, EV_FORM_ARRIVAL, 0)
  }

  /** Adds `value` to the reason row and the flow row of the day of `interval`. */
  private addGroup(column: Float64Array, interval: number, meta: number, value: number): void {
    const row = Math.floor(interval / this.perDay) * this.groupCount
    column[row + metaReason(meta)]! += value
    column[row + this.reasonCount + metaFlow(meta)]! += value
  }
}
