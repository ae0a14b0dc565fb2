/**
 * One replication of the single-queue call centre: Poisson arrivals (piecewise-constant rate per
 * interval), one FIFO queue, a pool of identical agents whose number may change at interval
 * boundaries, handle time, optional patience (abandonment).
 *
 * One object owns the run (STYLE 1): clock, calendar, queue, agents, random streams and
 * accumulators are fields; nothing is module-level. The loop is a `while` over the calendar and
 * a `switch` on integer event kinds, with no allocation per event (STYLE 3).
 *
 * Tie-break at one instant (ranks, lowest first; decided, documented and tested — STYLE 4):
 *   0 BOUNDARY     interval boundary: accounting rolls over, staffing changes apply;
 *   1 SERVICE_END  an agent finishes and at once takes the head of the queue;
 *   2 ARRIVAL      a caller arrives: takes an idle agent or joins the queue;
 *   3 ABANDON      a caller's patience ends — last, so a caller whose patience ends exactly when
 *                  an agent frees is served, not lost.
 * Among events of the same kind at the same instant: the one scheduled first goes first.
 *
 * The pending external arrival is not stored in the calendar but in a register (`nextArrival`)
 * merged with the calendar's head by (time, rank): there is only ever one, and keeping it out of
 * the heap halves the heap traffic. The merge applies the same tie-break as the heap.
 *
 * Arrivals: exponential gaps at the current interval's rate, restarted at the next interval's
 * start when a gap crosses a boundary. By memorylessness this is an exact non-homogeneous
 * Poisson process for piecewise-constant rates (a gap drawn at one rate never spills into an
 * interval with another rate, so short peaks are never skipped).
 *
 * Each caller's handle time and patience are drawn at arrival from their own streams, whether
 * or not they will be needed: the same caller gets the same draws in two scenarios that differ
 * only in staffing (common random numbers).
 *
 * Conservation (asserted by `finish`): offered = answered + abandoned + inSystemAtEnd, where
 * answered counts calls picked up (service started) and inSystemAtEnd the callers still waiting
 * in the queue at the horizon.
 */
import { EventCalendar } from "../engine/calendar.js"
import { makeSampler, type Sampler } from "../engine/distributions.js"
import type { RandomStream, StreamFactory } from "../engine/random.js"
import { makeIntervalTable, type IntervalTable } from "../kpi/intervals.js"
import type { Model } from "./model.js"

export const EV_BOUNDARY = 0
export const EV_SERVICE_END = 1
export const EV_ARRIVAL = 2
export const EV_ABANDON = 3
/** Tie-break rank of each event kind (index = kind). */
export const EVENT_RANKS: ReadonlyArray<number> = [0, 1, 2, 3]

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
  /** Callers still waiting in the queue at the horizon. */
  readonly inSystemAtEnd: number
  /** Calls being handled at the horizon (already counted as answered). */
  readonly inServiceAtEnd: number
  /** Events dispatched (cancelled abandonment timers excluded). */
  readonly events: number
  /** Abandonment timers that fired after their caller was served (no effect). */
  readonly cancelledEvents: number
}

export class Simulation {
  readonly table: IntervalTable
  readonly trace: TraceEntry[] = []
  now = 0
  events = 0
  cancelledEvents = 0

  private readonly cal: EventCalendar
  private readonly horizon: number
  private readonly intervalSeconds: number
  private readonly rates: Float64Array
  private readonly staffPlan: Int32Array
  private readonly sl: number
  private readonly tracing: boolean

  private readonly rngArrivals: RandomStream
  private readonly rngHandle: RandomStream
  private readonly rngPatience: RandomStream
  private readonly handle: Sampler
  private readonly patience: Sampler | null

  // Accumulator columns, held directly for the hot loop.
  private readonly aOffered: Float64Array
  private readonly aAnswered: Float64Array
  private readonly aWithinSl: Float64Array
  private readonly aAbandoned: Float64Array
  private readonly aWait: Float64Array
  private readonly aHandle: Float64Array
  private readonly aStaffed: Float64Array
  private readonly aBusy: Float64Array

  /** Interval the clock is in (advanced by BOUNDARY events). */
  private cur = 0
  /** Time up to which staffed/busy time has been accumulated. */
  private accruedTo = 0
  /** Time of the pending external arrival (+Infinity: no more arrivals before the horizon). */
  private nextArrival = Infinity
  /** Replayed arrival times, or null for Poisson arrivals; index of the next one. */
  private readonly replay: Float64Array | null
  private replayNext = 0
  /** Interval of the pending external arrival. */
  private arrivalInterval = 0
  private callers = 0

  // FIFO queue: a ring over absolute positions [qHead, qTail); abandoned entries are flagged and
  // skipped at the head. Capacity is a power of two.
  private qMask: number
  private qArrival: Float64Array
  private qHandle: Float64Array
  private qInterval: Int32Array
  private qCaller: Int32Array
  private qGone: Uint8Array
  private qHead = 0
  private qTail = 0
  /** Callers waiting (abandoned ones excluded). */
  queued = 0

  // Agents: ids 0..maxStaff-1. Idle agents wait in a FIFO ring (longest idle first).
  staffed = 0
  busy = 0
  /** Busy agents who log out as soon as they finish (staff was cut while they were busy). */
  private pendingLogout = 0
  private readonly idleRing: Int32Array
  private readonly idleMask: number
  private idleHead = 0
  private idleTail = 0
  private readonly offStack: Int32Array
  private offTop = 0
  private readonly agentCaller: Int32Array

  answered = 0
  abandoned = 0
  offered = 0

  constructor(
    readonly model: Model,
    options: SimulationOptions
  ) {
    this.horizon = model.horizonSeconds
    this.intervalSeconds = model.intervalSeconds
    this.rates = model.arrivalRatePerSecond
    this.staffPlan = model.staff
    this.sl = model.serviceLevelSeconds
    this.replay = model.arrivalTimes
    this.tracing = options.trace === true
    this.cal = new EventCalendar(EVENT_RANKS, 1024)
    this.rngArrivals = options.streams.stream("arrivals")
    this.rngHandle = options.streams.stream("handle")
    this.rngPatience = options.streams.stream("patience")
    this.handle = makeSampler(model.handleTime)
    this.patience = model.patience ? makeSampler(model.patience) : null

    this.table = makeIntervalTable(model.intervalCount, model.intervalSeconds)
    this.aOffered = this.table.offered
    this.aAnswered = this.table.answered
    this.aWithinSl = this.table.answeredWithinSl
    this.aAbandoned = this.table.abandoned
    this.aWait = this.table.waitSeconds
    this.aHandle = this.table.handleSeconds
    this.aStaffed = this.table.staffedSeconds
    this.aBusy = this.table.busySeconds

    const qCap = 1024
    this.qMask = qCap - 1
    this.qArrival = new Float64Array(qCap)
    this.qHandle = new Float64Array(qCap)
    this.qInterval = new Int32Array(qCap)
    this.qCaller = new Int32Array(qCap)
    this.qGone = new Uint8Array(qCap)

    let maxStaff = 0
    for (let i = 0; i < model.staff.length; i++) maxStaff = Math.max(maxStaff, model.staff[i]!)
    const idleCap = nextPowerOfTwo(Math.max(2, maxStaff))
    this.idleRing = new Int32Array(idleCap)
    this.idleMask = idleCap - 1
    this.offStack = new Int32Array(Math.max(1, maxStaff))
    for (let a = maxStaff - 1; a >= 0; a--) this.offStack[this.offTop++] = a
    this.agentCaller = new Int32Array(Math.max(1, maxStaff))

    // t = 0: the first interval's staff logs in, the first arrival and boundary are scheduled.
    this.setStaff(this.staffPlan[0]!)
    this.scheduleNextArrival(0, 0)
    if (this.intervalSeconds < this.horizon) this.cal.schedule(this.intervalSeconds, EV_BOUNDARY, 1)
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
    for (;;) {
      const tHeap = cal.peekTime()
      const tArrival = this.nextArrival
      if (tArrival < tHeap || (tArrival === tHeap && cal.peekRank() > EVENT_RANKS[EV_ARRIVAL]!)) {
        if (tArrival >= end) break
        this.now = tArrival
        this.onArrival()
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
      }
    }
  }

  /** Accrues time to the horizon, counts the callers left waiting, checks conservation. */
  finish(): ReplicationTotals {
    this.now = this.horizon
    this.accrue(this.horizon)
    // Callers still waiting: their wait so far counts (wait of all calls, CCTP-style).
    for (let q = this.qHead; q < this.qTail; q++) {
      const k = q & this.qMask
      if (this.qGone[k] === 0) {
        const interval = this.qInterval[k]!
        this.aWait[interval]! += this.horizon - this.qArrival[k]!
        this.table.inSystemAtEnd[interval]!++
      }
    }
    const totals: ReplicationTotals = {
      offered: this.offered,
      answered: this.answered,
      abandoned: this.abandoned,
      inSystemAtEnd: this.queued,
      inServiceAtEnd: this.busy,
      events: this.events,
      cancelledEvents: this.cancelledEvents
    }
    if (totals.offered !== totals.answered + totals.abandoned + totals.inSystemAtEnd) {
      throw new Error(
        `conservation broken: offered ${totals.offered} != answered ${totals.answered} + abandoned ${totals.abandoned} + in system ${totals.inSystemAtEnd}`
      )
    }
    return totals
  }

  // --- events -------------------------------------------------------------------------------

  private onArrival(): void {
    this.events++
    const now = this.now
    const interval = this.arrivalInterval
    const caller = this.callers++
    this.offered++
    this.aOffered[interval]!++
    this.nextArrival = Infinity
    const handle = this.handle.sample(this.rngHandle)
    const patience = this.patience === null ? Infinity : this.patience.sample(this.rngPatience)
    this.scheduleNextArrival(now, interval)
    if (this.tracing) this.trace.push([now, "arrive", caller])
    if (this.idleTail !== this.idleHead) {
      this.startService(this.popIdle(), caller, now, handle, interval)
      return
    }
    const q = this.qTail
    if (q - this.qHead > this.qMask) this.growQueue()
    const k = q & this.qMask
    this.qArrival[k] = now
    this.qHandle[k] = handle
    this.qInterval[k] = interval
    this.qCaller[k] = caller
    this.qGone[k] = 0
    this.qTail = q + 1
    this.queued++
    if (this.tracing) this.trace.push([now, "queue", caller])
    if (patience !== Infinity) this.cal.schedule(now + patience, EV_ABANDON, q)
  }

  private onServiceEnd(agent: number): void {
    this.events++
    this.accrue(this.now)
    this.busy--
    if (this.tracing) this.trace.push([this.now, "release", agent, this.agentCaller[agent]!])
    if (this.pendingLogout > 0) {
      this.pendingLogout--
      this.staffed--
      this.offStack[this.offTop++] = agent
      if (this.tracing) this.trace.push([this.now, "logout", agent])
      return
    }
    if (this.queued > 0) this.serveHead(agent)
    else this.pushIdle(agent)
  }

  private onAbandon(q: number): void {
    const k = q & this.qMask
    if (q < this.qHead || this.qGone[k] !== 0) {
      this.cancelledEvents++ // served (or already gone) before patience ran out
      return
    }
    this.events++
    this.qGone[k] = 1
    this.queued--
    this.abandoned++
    const interval = this.qInterval[k]!
    this.aAbandoned[interval]!++
    this.aWait[interval]! += this.now - this.qArrival[k]!
    if (this.tracing) this.trace.push([this.now, "abandon", this.qCaller[k]!])
    this.skipGone()
  }

  private onBoundary(interval: number): void {
    this.events++
    this.accrue(this.now)
    this.cur = interval
    this.setStaff(this.staffPlan[interval]!)
    const next = (interval + 1) * this.intervalSeconds
    if (interval + 1 < this.model.intervalCount && next < this.horizon) this.cal.schedule(next, EV_BOUNDARY, interval + 1)
  }

  // --- mechanics ----------------------------------------------------------------------------

  private startService(agent: number, caller: number, arrival: number, handle: number, interval: number): void {
    const now = this.now
    const wait = now - arrival
    this.answered++
    this.aAnswered[interval]!++
    if (wait <= this.sl) this.aWithinSl[interval]!++
    this.aWait[interval]! += wait
    this.aHandle[interval]! += handle
    this.accrue(now)
    this.busy++
    this.agentCaller[agent] = caller
    if (this.tracing) this.trace.push([now, "answer", caller, agent])
    this.cal.schedule(now + handle, EV_SERVICE_END, agent)
  }

  /** Gives the caller at the head of the queue to `agent`. Requires queued > 0. */
  private serveHead(agent: number): void {
    const q = this.qHead
    const k = q & this.qMask
    this.qHead = q + 1
    this.queued--
    this.startService(agent, this.qCaller[k]!, this.qArrival[k]!, this.qHandle[k]!, this.qInterval[k]!)
    this.skipGone()
  }

  /** Drops abandoned entries from the head, so the head is always a waiting caller. */
  private skipGone(): void {
    while (this.qHead < this.qTail && this.qGone[this.qHead & this.qMask] !== 0) this.qHead++
  }

  private scheduleNextArrival(from: number, interval: number): void {
    if (this.replay !== null) {
      this.scheduleReplayedArrival()
      return
    }
    const rates = this.rates
    const span = this.intervalSeconds
    const n = this.model.intervalCount
    let t = from
    let i = interval
    for (;;) {
      const rate = rates[i]!
      const end = (i + 1) * span
      if (rate > 0) {
        t += -Math.log(1 - this.rngArrivals.nextDouble()) / rate
        if (t < end) break
      }
      i++ // the gap crossed the boundary: restart at the next interval's start
      t = i * span
      if (i >= n || t >= this.horizon) {
        this.nextArrival = Infinity
        return
      }
    }
    if (t >= this.horizon) {
      this.nextArrival = Infinity
      return
    }
    this.arrivalInterval = i
    this.nextArrival = t
  }

  private scheduleReplayedArrival(): void {
    const times = this.replay!
    const t = this.replayNext < times.length ? times[this.replayNext++]! : Infinity
    if (t >= this.horizon) {
      this.nextArrival = Infinity
      return
    }
    this.arrivalInterval = Math.min(Math.floor(t / this.intervalSeconds), this.model.intervalCount - 1)
    this.nextArrival = t
  }

  /** Adds staffed and busy agent-seconds since the last accrual to the current interval. */
  private accrue(now: number): void {
    const dt = now - this.accruedTo
    if (dt > 0) {
      this.aStaffed[this.cur]! += this.staffed * dt
      this.aBusy[this.cur]! += this.busy * dt
      this.accruedTo = now
    }
  }

  /** Moves the logged-in headcount to `target`: idle agents leave first, busy ones on release. */
  private setStaff(target: number): void {
    this.accrue(this.now)
    // Cancel pending logouts first, then log agents in.
    while (this.staffed - this.pendingLogout < target && this.pendingLogout > 0) this.pendingLogout--
    while (this.staffed < target) {
      const agent = this.offStack[--this.offTop]!
      this.staffed++
      if (this.tracing) this.trace.push([this.now, "login", agent])
      if (this.queued > 0) this.serveHead(agent)
      else this.pushIdle(agent)
    }
    while (this.staffed - this.pendingLogout > target) {
      if (this.idleTail !== this.idleHead) {
        // The most recently idle agent leaves (the longest idle stays first in line).
        this.idleTail--
        const agent = this.idleRing[this.idleTail & this.idleMask]!
        this.staffed--
        this.offStack[this.offTop++] = agent
        if (this.tracing) this.trace.push([this.now, "logout", agent])
      } else {
        this.pendingLogout++
      }
    }
  }

  private pushIdle(agent: number): void {
    this.idleRing[this.idleTail & this.idleMask] = agent
    this.idleTail++
  }

  private popIdle(): number {
    const agent = this.idleRing[this.idleHead & this.idleMask]!
    this.idleHead++
    return agent
  }

  private growQueue(): void {
    const oldMask = this.qMask
    const cap = (oldMask + 1) * 2
    const mask = cap - 1
    const arrival = new Float64Array(cap)
    const handle = new Float64Array(cap)
    const interval = new Int32Array(cap)
    const caller = new Int32Array(cap)
    const gone = new Uint8Array(cap)
    for (let q = this.qHead; q < this.qTail; q++) {
      const o = q & oldMask
      const k = q & mask
      arrival[k] = this.qArrival[o]!
      handle[k] = this.qHandle[o]!
      interval[k] = this.qInterval[o]!
      caller[k] = this.qCaller[o]!
      gone[k] = this.qGone[o]!
    }
    this.qMask = mask
    this.qArrival = arrival
    this.qHandle = handle
    this.qInterval = interval
    this.qCaller = caller
    this.qGone = gone
  }
}

const nextPowerOfTwo = (n: number): number => {
  let p = 1
  while (p < n) p *= 2
  return p
}
