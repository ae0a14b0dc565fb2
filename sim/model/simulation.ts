/**
 * One replication of the contact centre: first-attempt calls (Poisson per interval, or replayed),
 * redials of callers who abandoned, contact forms; the calendar (closures dissuade callers), telecom
 * incidents and the IVR dissuasion message; one FIFO queue served by phone-only and blended
 * advisors; forms worked from a backlog by forms-only advisors and by blended advisors when no
 * call waits. The textbook single queue (issue 2) is the special case with one flow, one reason,
 * no wrap-up, no forms and an always-open calendar.
 *
 * One object owns the run (STYLE 1); the loop is a `while` over the calendar and a `switch` on
 * integer kinds, with no allocation per event (STYLE 3).
 *
 * Tie-break at one instant (ranks, lowest first; decided, documented and tested — STYLE 4):
 *   0 BOUNDARY     interval boundary: accounting rolls over; if the service closes, callers still
 *                  waiting are cut off; headcounts change;
 *   1 SERVICE_END, FORM_DONE  an advisor finishes and at once takes the next piece of work;
 *   2 ARRIVAL, REDIAL, FORM_ARRIVAL  work arrives: takes an idle advisor or waits;
 *   3 ABANDON      a caller's patience ends — last, so a caller whose patience ends exactly when
 *                  an advisor frees is served, not lost.
 * Among events of the same rank at the same instant: the one scheduled first goes first. The
 * pending first-attempt arrival lives in a register (`nextArrival`) merged with the calendar's
 * head by (time, rank) — there is only ever one, and keeping it out of the heap halves heap work.
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
 * Routing: a call goes to the longest-idle phone-only advisor, else the longest-idle blended one
 * (assumption: keep blended advisors for forms when phone-only ones are free); an advisor who
 * frees takes the oldest waiting call; a blended advisor with no call waiting takes the oldest
 * form, and finishes it before taking a call (no preemption).
 */
import { EventCalendar } from "../engine/calendar.js"
import { Categorical } from "../engine/categorical.js"
import { makeSampler, type Sampler } from "../engine/distributions.js"
import type { RandomStream, StreamFactory } from "../engine/random.js"
import { makeGroupDayTable, makeIntervalTable, type GroupDayTable, type IntervalTable } from "../kpi/intervals.js"
import { CLOSED_EXCEPTIONAL, CLOSED_TECHNICAL, OPEN } from "./calendar.js"
import { metaAttempt, metaFlow, metaReason, metaTicket, metaTransfer, packMeta } from "./callmeta.js"
import { replicationCallRates, replicationStaff } from "./inputs.js"
import { GROUP_BLENDED, GROUP_COUNT, GROUP_FORMS, GROUP_PHONE, type Model } from "./model.js"
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
export type TraceEntry = readonly [number, string, ...number[]]

export interface SimulationOptions {
  readonly streams: StreamFactory
  /** Record a domain-level event trace (tests and debugging; slows the run). */
  readonly trace?: boolean
}

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
}

/** The samplers and streams a call draws from at arrival (first attempts and redials differ). */
interface CallDraws {
  readonly talk: RandomStream
  readonly wrap: RandomStream
  readonly patience: RandomStream
  readonly transfer: RandomStream
  readonly ticket: RandomStream
}

export class Simulation {
  readonly table: IntervalTable
  readonly groups: GroupDayTable
  readonly trace: TraceEntry[] = []
  now = 0
  events = 0
  cancelledEvents = 0
  offered = 0
  answered = 0
  abandoned = 0
  dissuaded = 0
  formsReceived = 0
  formsHandled = 0

  private readonly cal: EventCalendar
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
  private readonly rates: Float64Array
  private readonly formRates: Float64Array
  private readonly staff: Int32Array[]
  private readonly status: Uint8Array
  private readonly telecom: Float64Array | null
  private readonly ivr: Float64Array | null
  private readonly ivrReason: number
  private readonly replay: Float64Array | null
  private replayNext = 0

  // Streams and samplers.
  private readonly rngArrivals: RandomStream
  private readonly rngReason: RandomStream
  private readonly rngTelecom: RandomStream
  private readonly rngIvr: RandomStream
  private readonly rngRedial: RandomStream
  private readonly rngForms: RandomStream
  private readonly rngFormHandle: RandomStream
  private readonly first: CallDraws
  private readonly again: CallDraws
  private readonly flowPick: Categorical[]
  private readonly reasonPick: Categorical[][]
  private readonly mixOfDay: Uint8Array
  private readonly talk: Sampler[]
  private readonly wrap: Sampler | null
  private readonly patience: Sampler | null
  private readonly redialDelay: Sampler | null
  private readonly redialProbability: number
  private readonly redialMaxAttempts: number
  private readonly transferShare: Float64Array
  private readonly ticketShare: Float64Array
  private readonly drawTransfer: boolean
  private readonly drawTicket: boolean
  private readonly formHandle: Sampler | null

  // Accumulator columns, held directly for the hot loop.
  private readonly aOffered: Float64Array
  private readonly aAnswered: Float64Array
  private readonly aWithinSl: Float64Array
  private readonly aAbandoned: Float64Array
  private readonly aWait: Float64Array
  private readonly aTalk: Float64Array
  private readonly aWrap: Float64Array
  private readonly aStaffed: Float64Array
  private readonly aPhoneStaffed: Float64Array
  private readonly aBusy: Float64Array
  private readonly aIdle: Float64Array
  private readonly aForms: Float64Array

  /** Interval the clock is in (advanced by BOUNDARY events). */
  private cur = 0
  /** Time up to which advisor-seconds have been accumulated. */
  private accruedTo = 0
  /** The pending first-attempt arrival: time (+Infinity: none) and interval. */
  private nextArrival = Infinity
  private arrivalInterval = 0
  private callers = 0

  private readonly queue = new CallQueue()
  private readonly pools: Pool[]
  private readonly agentGroup: Uint8Array
  private readonly agentCaller: Int32Array
  private onCall = 0
  /** Blended advisors working a form (forms-only ones are always on forms when logged in). */
  private onFormsBlended = 0
  private onFormsOnly = 0

  // Pending redials: a small pool of slots with a free list.
  private redialMeta = new Int32Array(256)
  private readonly redialFree: number[] = []
  private redialTop = 0

  // Forms backlog: FIFO of arrival times (only the count matters for KPIs).
  private formsWaiting = 0
  private formArrivalInterval = 0

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
    this.reasonCount = model.reasons.length
    this.groupCount = model.reasons.length + model.flows.length
    this.groupsOn = model.reasons.length > 1 || model.flows.length > 1
    this.cal = new EventCalendar(EVENT_RANKS, 1024)

    this.rates = replicationCallRates(model, s)
    this.formRates = model.formRate
    this.staff = replicationStaff(model, s)
    this.status = model.status
    this.telecom = model.telecomShare
    this.ivr = model.ivrShare
    this.ivrReason = model.ivrReason
    this.replay = model.arrivalTimes

    this.rngArrivals = s.stream("arrivals")
    this.rngReason = s.stream("reason")
    this.rngTelecom = s.stream("telecom")
    this.rngIvr = s.stream("ivr")
    this.rngRedial = s.stream("redial")
    this.rngForms = s.stream("forms")
    this.rngFormHandle = s.stream("formHandle")
    const draws = (prefix: string): CallDraws => ({
      talk: s.stream(prefix + "talk"),
      wrap: s.stream(prefix + "wrap"),
      patience: s.stream(prefix + "patience"),
      transfer: s.stream(prefix + "transfer"),
      ticket: s.stream(prefix + "ticket")
    })
    this.first = draws("")
    this.again = draws("redial:")
    this.flowPick = model.mixes.map((m) => new Categorical(m.flows))
    this.reasonPick = model.mixes.map((m) => m.reasons.map((r) => new Categorical(r)))
    this.mixOfDay = model.mixOfDay
    this.talk = model.talk.map(makeSampler)
    this.wrap = model.wrapUp ? makeSampler(model.wrapUp) : null
    this.patience = model.patience ? makeSampler(model.patience) : null
    this.redialDelay = model.redial ? makeSampler(model.redial.delay) : null
    this.redialProbability = model.redial?.probability ?? 0
    this.redialMaxAttempts = model.redial?.maxAttempts ?? 1
    this.transferShare = model.transferShare
    this.ticketShare = model.ticketShare
    this.drawTransfer = model.transferShare.some((p) => p > 0)
    this.drawTicket = model.ticketShare.some((p) => p > 0)
    this.formHandle = model.formHandle ? makeSampler(model.formHandle) : null

    this.table = makeIntervalTable(model.intervalCount, model.intervalSeconds)
    this.groups = makeGroupDayTable(this.groupsOn ? model.dayCount : 0, this.groupCount)
    const t = this.table
    this.aOffered = t.offered
    this.aAnswered = t.answered
    this.aWithinSl = t.answeredWithinSl
    this.aAbandoned = t.abandoned
    this.aWait = t.waitSeconds
    this.aTalk = t.talkSeconds
    this.aWrap = t.wrapSeconds
    this.aStaffed = t.staffedSeconds
    this.aPhoneStaffed = t.phoneStaffedSeconds
    this.aBusy = t.busySeconds
    this.aIdle = t.idleSeconds
    this.aForms = t.formsActivitySeconds

    // Advisor ids: one contiguous range per group, as large as the group's peak headcount.
    this.pools = []
    let base = 0
    for (let g = 0; g < GROUP_COUNT; g++) {
      let peak = 0
      const column = this.staff[g]!
      for (let i = 0; i < column.length; i++) if (column[i]! > peak) peak = column[i]!
      this.pools.push(new Pool(base, peak))
      base += peak
    }
    this.agentGroup = new Uint8Array(Math.max(1, base))
    this.agentCaller = new Int32Array(Math.max(1, base))
    for (let g = 0; g < GROUP_COUNT; g++) this.agentGroup.fill(g, this.pools[g]!.base, this.pools[g]!.base + this.pools[g]!.capacity)

    // t = 0: the first interval's advisors log in; first arrivals and boundary are scheduled.
    for (let g = 0; g < GROUP_COUNT; g++) this.setStaff(g, this.staff[g]![0]!)
    this.scheduleNextArrival(0, 0)
    if (this.formHandle !== null) this.scheduleNextForm(0, 0)
    if (this.span < this.horizon && this.intervalCount > 1) this.cal.schedule(this.span, EV_BOUNDARY, 1)
  }

  /** Runs to the horizon and closes the books. */
  run(): ReplicationTotals {
    this.advanceTo(this.horizon)
    return this.finish()
  }

  /** Processes every event with time < min(limit, horizon). Lets callers report progress. */
  advanceTo(limit: number): void {
    const cal = this.cal
    const end = Math.min(limit, this.horizon)
    const arrivalRank = EVENT_RANKS[EV_ARRIVAL]!
    for (;;) {
      const tHeap = cal.peekTime()
      const tArrival = this.nextArrival
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
    const q = this.queue
    for (let p = q.head; p < q.tail; p++) {
      const k = p & q.mask
      if (q.gone[k] !== 0) continue
      const interval = q.interval[k]!
      this.aWait[interval]! += this.horizon - q.arrival[k]!
      this.table.inSystemAtEnd[interval]!++
      if (this.groupsOn) this.addGroups(this.groups.waitSeconds, interval, q.meta[k]!, this.horizon - q.arrival[k]!)
    }
    const totals: ReplicationTotals = {
      offered: this.offered,
      answered: this.answered,
      abandoned: this.abandoned,
      dissuaded: this.dissuaded,
      inSystemAtEnd: q.waiting,
      inServiceAtEnd: this.onCall,
      formsReceived: this.formsReceived,
      formsHandled: this.formsHandled,
      formsBacklogAtEnd: this.formsWaiting,
      formsInProgressAtEnd: this.onFormsBlended + this.onFormsOnly,
      events: this.events,
      cancelledEvents: this.cancelledEvents
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

  private onFirstAttempt(): void {
    const interval = this.arrivalInterval
    this.nextArrival = Infinity
    this.scheduleNextArrival(this.now, interval)
    if (!this.groupsOn) {
      this.arrive(interval, 0, 0, 1, this.first) // one flow, one reason: nothing to draw
      return
    }
    const mix = this.mixOfDay[Math.floor(interval / this.perDay)]!
    const flow = this.flowPick[mix]!.sample(this.rngReason)
    const reason = this.reasonPick[mix]![flow]!.sample(this.rngReason)
    this.arrive(interval, flow, reason, 1, this.first)
  }

  private onRedial(slot: number): void {
    const meta = this.redialMeta[slot]!
    this.redialFree.push(slot)
    const interval = Math.min(Math.floor(this.now / this.span), this.intervalCount - 1)
    this.arrive(interval, metaFlow(meta), metaReason(meta), metaAttempt(meta), this.again)
  }

  /** A call arrives in `interval`: dissuaded, given to an idle advisor, or queued. */
  private arrive(interval: number, flow: number, reason: number, attempt: number, d: CallDraws): void {
    this.events++
    const now = this.now
    const caller = this.callers++
    this.offered++
    this.aOffered[interval]!++
    const t = this.table
    if (attempt > 1) t.redials[interval]!++
    const groupsOn = this.groupsOn
    if (groupsOn) {
      const base = Math.floor(interval / this.perDay) * this.groupCount
      this.groups.offered[base + reason]!++
      this.groups.offered[base + this.reasonCount + flow]!++
      if (attempt > 1) {
        this.groups.redials[base + reason]!++
        this.groups.redials[base + this.reasonCount + flow]!++
      }
    }
    if (this.tracing) this.trace.push([now, attempt > 1 ? "redial" : "arrive", caller])
    // Dissuasion: closure, then telecom incident, then the IVR message.
    const st = this.status[interval]!
    if (st !== OPEN) {
      t.dissuadedClosure[interval]!++
      if (st === CLOSED_EXCEPTIONAL) t.dissuadedExceptional[interval]!++
      else if (st === CLOSED_TECHNICAL) t.dissuadedTechnical[interval]!++
      this.dissuade(interval, flow, reason, attempt, this.groups.dissuadedClosure, "closure")
      return
    }
    if (this.telecom !== null) {
      const share = this.telecom[interval]!
      if (share > 0 && this.rngTelecom.nextDouble() < share) {
        t.dissuadedTelecom[interval]!++
        this.dissuade(interval, flow, reason, attempt, this.groups.dissuadedTelecom, "telecom")
        return
      }
    }
    if (this.ivr !== null && reason === this.ivrReason) {
      const share = this.ivr[Math.floor(interval / this.perDay)]!
      if (share > 0 && this.rngIvr.nextDouble() < share) {
        t.dissuadedIvr[interval]!++
        this.dissuade(interval, flow, reason, attempt, this.groups.dissuadedIvr, "ivr")
        return
      }
    }
    const talk = this.talk[reason]!.sample(d.talk)
    const wrap = this.wrap === null ? 0 : this.wrap.sample(d.wrap)
    const patience = this.patience === null ? Infinity : this.patience.sample(d.patience)
    const transfer = this.drawTransfer && d.transfer.nextDouble() < this.transferShare[reason]!
    const ticket = this.drawTicket && d.ticket.nextDouble() < this.ticketShare[reason]!
    const meta = packMeta(reason, flow, attempt, transfer, ticket)
    const phone = this.pools[GROUP_PHONE]!
    const blended = this.pools[GROUP_BLENDED]!
    if (phone.idle > 0 || blended.idle > 0) {
      this.accrue(now)
      const agent = phone.idle > 0 ? phone.popIdle() : blended.popIdle()
      this.startCall(agent, caller, now, talk, wrap, interval, meta)
      return
    }
    const q = this.queue.push(now, talk, wrap, interval, caller, meta)
    if (this.tracing) this.trace.push([now, "queue", caller])
    if (patience !== Infinity) this.cal.schedule(now + patience, EV_ABANDON, q)
  }

  private dissuade(interval: number, flow: number, reason: number, attempt: number, column: Float64Array, why: string): void {
    this.dissuaded++
    if (this.groupsOn) this.addGroups(column, interval, packMeta(reason, flow, attempt, false, false), 1)
    if (this.tracing) this.trace.push([this.now, "dissuade:" + why, this.callers - 1])
  }

  private startCall(agent: number, caller: number, arrival: number, talk: number, wrap: number, interval: number, meta: number): void {
    const now = this.now
    const wait = now - arrival
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
    this.agentCaller[agent] = caller
    if (this.tracing) this.trace.push([now, "answer", caller, agent])
    this.cal.schedule(now + talk + wrap, EV_SERVICE_END, agent)
  }

  /** Gives the caller at the head of the queue to `agent` (requires a waiting caller). */
  private serveHead(agent: number): void {
    const q = this.queue
    const k = q.shift()
    this.startCall(agent, q.caller[k]!, q.arrival[k]!, q.talk[k]!, q.wrap[k]!, q.interval[k]!, q.meta[k]!)
  }

  private onServiceEnd(agent: number): void {
    this.events++
    this.accrue(this.now)
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
    const k = q.remove(position)
    this.abandon(q.interval[k]!, q.arrival[k]!, q.caller[k]!, q.meta[k]!, false)
  }

  /** Books an abandonment and decides on a redial. */
  private abandon(interval: number, arrival: number, caller: number, meta: number, cutOff: boolean): void {
    const wait = this.now - arrival
    this.abandoned++
    this.aAbandoned[interval]!++
    this.aWait[interval]! += wait
    if (cutOff) this.table.cutOffAtClosing[interval]!++
    if (this.groupsOn) {
      this.addGroups(this.groups.abandoned, interval, meta, 1)
      this.addGroups(this.groups.waitSeconds, interval, meta, wait)
    }
    if (this.tracing) this.trace.push([this.now, cutOff ? "cutoff" : "abandon", caller])
    const attempt = metaAttempt(meta)
    if (this.redialDelay !== null && attempt < this.redialMaxAttempts && this.rngRedial.nextDouble() < this.redialProbability) {
      const at = this.now + this.redialDelay.sample(this.rngRedial)
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
    const interval = this.formArrivalInterval
    this.scheduleNextForm(this.now, interval)
    this.formsReceived++
    this.table.formsReceived[interval]!++
    if (this.tracing) this.trace.push([this.now, "formArrive", this.formsReceived - 1])
    const forms = this.pools[GROUP_FORMS]!
    const blended = this.pools[GROUP_BLENDED]!
    if (forms.idle > 0 || blended.idle > 0) {
      this.accrue(this.now)
      this.startForm(forms.idle > 0 ? forms.popIdle() : blended.popIdle())
    } else this.formsWaiting++
  }

  private startForm(agent: number): void {
    if (this.agentGroup[agent] === GROUP_BLENDED) this.onFormsBlended++
    else this.onFormsOnly++
    if (this.tracing) this.trace.push([this.now, "formStart", agent])
    this.cal.schedule(this.now + this.formHandle!.sample(this.rngFormHandle), EV_FORM_DONE, agent)
  }

  private onFormDone(agent: number): void {
    this.events++
    this.accrue(this.now)
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
    if (pool.pendingLogout > 0) {
      pool.pendingLogout--
      pool.logout(agent)
      if (this.tracing) this.trace.push([this.now, "logout", agent])
      return
    }
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
      const k = q.shift()
      this.abandon(q.interval[k]!, q.arrival[k]!, q.caller[k]!, q.meta[k]!, true)
    }
  }

  /** Moves a group's logged-in headcount to `target`: idle advisors leave first, busy ones when they finish. */
  private setStaff(g: number, target: number): void {
    this.accrue(this.now)
    const pool = this.pools[g]!
    while (pool.staffed - pool.pendingLogout < target && pool.pendingLogout > 0) pool.pendingLogout--
    while (pool.staffed < target) {
      const agent = pool.login()
      if (this.tracing) this.trace.push([this.now, "login", agent])
      if (g !== GROUP_FORMS && this.queue.waiting > 0) this.serveHead(agent)
      else if (g !== GROUP_PHONE && this.formsWaiting > 0) {
        this.formsWaiting--
        this.startForm(agent)
      } else pool.pushIdle(agent)
    }
    while (pool.staffed - pool.pendingLogout > target) {
      if (pool.idle > 0) {
        const agent = pool.logoutMostRecentIdle()
        if (this.tracing) this.trace.push([this.now, "logout", agent])
      } else pool.pendingLogout++
    }
  }

  /** Adds advisor-seconds since the last accrual to the current interval. */
  private accrue(now: number): void {
    const dt = now - this.accruedTo
    if (dt > 0) {
      const c = this.cur
      const p = this.pools
      const phone = p[GROUP_PHONE]!
      const forms = p[GROUP_FORMS]!
      const blended = p[GROUP_BLENDED]!
      this.aStaffed[c]! += (phone.staffed + forms.staffed + blended.staffed) * dt
      this.aPhoneStaffed[c]! += (phone.staffed + blended.staffed) * dt
      this.aBusy[c]! += this.onCall * dt
      this.aIdle[c]! += (phone.idle + blended.idle) * dt
      this.aForms[c]! += (forms.staffed + this.onFormsBlended) * dt
      this.accruedTo = now
    }
  }

  // --- arrival processes --------------------------------------------------------------------

  private scheduleNextArrival(from: number, interval: number): void {
    if (this.replay !== null) {
      const t = this.replayNext < this.replay.length ? this.replay[this.replayNext++]! : Infinity
      if (t < this.horizon) {
        this.arrivalInterval = Math.min(Math.floor(t / this.span), this.intervalCount - 1)
        this.nextArrival = t
      }
      return
    }
    const t = this.nextPoisson(this.rates, this.rngArrivals, from, interval)
    if (t < this.horizon) {
      this.arrivalInterval = this.lastInterval
      this.nextArrival = t
    }
  }

  private scheduleNextForm(from: number, interval: number): void {
    const t = this.nextPoisson(this.formRates, this.rngForms, from, interval)
    if (t < this.horizon) {
      this.formArrivalInterval = this.lastInterval
      this.cal.schedule(t, EV_FORM_ARRIVAL, 0)
    }
  }

  /** Interval of the last time returned by nextPoisson. */
  private lastInterval = 0

  /**
   * Next arrival after `from` (in `interval`) of a Poisson process with a rate per interval;
   * +Infinity when there is none before the horizon.
   */
  private nextPoisson(rates: Float64Array, rng: RandomStream, from: number, interval: number): number {
    const span = this.span
    let t = from
    let i = interval
    for (;;) {
      const rate = rates[i]!
      if (rate > 0) {
        t += -Math.log(1 - rng.nextDouble()) / rate
        if (t < (i + 1) * span) break
      }
      i++ // the gap crossed the boundary: restart at the next interval's start
      t = i * span
      if (i >= this.intervalCount || t >= this.horizon) return Infinity
    }
    this.lastInterval = i
    return t
  }

  /** Adds `value` to the reason row and the flow row of the day of `interval`. */
  private addGroups(column: Float64Array, interval: number, meta: number, value: number): void {
    const row = Math.floor(interval / this.perDay) * this.groupCount
    column[row + metaReason(meta)]! += value
    column[row + this.reasonCount + metaFlow(meta)]! += value
  }
}
