/**
 * A generator's callers: each is injected at its intended instant (`POST /calls`, its talk,
 * wrap-up, transfer and ticket draws attached for the advisor who answers), hangs up through
 * the API when its patience runs out before an advisor is offered the call (`DELETE
 * /calls/:ref`), may redial later as the scenario's callers do, and is cut off when the service
 * closes with the caller still waiting — as in the simulation.
 *
 * The injector owns its callers' fate: advisors (in any generator) tell it when a call is
 * offered, connected or redirected (`Notice`); the DELETE answer tells it a call was abandoned.
 *
 * Invariant: every scheduled caller ends in exactly one state — failed to inject, queued,
 * ringing, answered or abandoned — and the census of those states is what the mock's audit must
 * find too. Memory is O(calls in flight): a call whose fate is settled (answered, abandoned,
 * failed) is counted and forgotten, so a long soak does not grow the generator.
 */
import { makeSampler, type Sampler } from "../engine/distributions.js"
import type { RandomStream } from "../engine/random.js"
import { replicationStreams } from "../run/replicate.js"
import type { InjectBody } from "../../mock-odigo/protocol/rest.js"
import type { FlowCode, ReasonCode } from "../domain/vocabulary.js"
import { describeReply, errorCodeOf } from "./http.js"
import type { Metrics } from "./metrics.js"
import type { ArrivalSeconds, Notice, OwnerCensus, Shard } from "./messages.js"
import type { OdigoRest } from "./odigo-rest.js"
import { FLAG_TICKET, FLAG_TRANSFER } from "./plan.js"
import { nowEpochMs, type Scheduled, type Scheduler } from "./scheduler.js"

type Status = "scheduled" | "posting" | "queued" | "ringing" | "answered" | "abandoned" | "failed"

interface CallState {
  readonly index: number
  /** Intended arrival, epoch ms. */
  readonly at: number
  readonly flow: number
  readonly reason: number
  readonly talk: number
  readonly wrap: number
  readonly patience: number
  readonly flags: number
  readonly attempt: number
  status: Status
  callRef: string | undefined
  /** Why the caller wants to hang up, once it does (applied as soon as its callRef is known). */
  hangup: "patience" | "cutOff" | "cleanup" | undefined
  /** When the caller meant to hang up (epoch ms): the hang-up's latency is timed from it. */
  hangupAt: number
  patienceTimer: Scheduled | undefined
  waitMs: number
}

export class Injector {
  /** Calls injected (or being injected) whose fate is not settled yet, by index. */
  private readonly live = new Map<number, CallState>()
  inFlight = 0
  private next = 0
  /** Callers of the plan; redials are numbered after them. */
  private readonly planned: number
  private redialSeq = 0
  private t0 = 0
  private stopped = false
  private pump: Scheduled | undefined
  private readonly census = { injected: 0, injectFailed: 0, answered: 0, abandoned: 0, cutOff: 0, redials: 0, cleanedUp: 0, waitAnsweredMs: 0, waitAbandonedMs: 0 }
  private readonly arrivals: ArrivalSeconds = { injected: [], answered: [], abandoned: [], waitMs: [] }
  private readonly redial: { readonly p: number; readonly delay: Sampler; readonly max: number; readonly rng: RandomStream } | null
  private readonly redialDraws: { talk: Sampler[]; wrap: Sampler | null; patience: Sampler | null; rng: Record<"talk" | "wrap" | "patience" | "transfer" | "ticket", RandomStream> }

  constructor(
    private readonly shard: Shard,
    private readonly odigo: OdigoRest,
    private readonly scheduler: Scheduler,
    private readonly metrics: Metrics,
    private readonly fatal: (code: string, message: string) => void
  ) {
    this.planned = shard.callers.time.length
    // Redials are decided here (they follow abandonments, which depend on the live queue), from
    // this generator's own streams: the scenario's laws, not the simulation's exact draws.
    const streams = replicationStreams(shard.seed, 0)
    const prefix = `live:g${shard.index}:redial:`
    const r = shard.laws.redial
    this.redial = r === null ? null : { p: r.probability, delay: makeSampler(r.delay), max: r.maxAttempts, rng: streams.stream(prefix + "decision") }
    this.redialDraws = {
      talk: shard.laws.talk.map(makeSampler),
      wrap: shard.laws.wrapUp === null ? null : makeSampler(shard.laws.wrapUp),
      patience: shard.laws.patience === null ? null : makeSampler(shard.laws.patience),
      rng: { talk: streams.stream(prefix + "talk"), wrap: streams.stream(prefix + "wrap"), patience: streams.stream(prefix + "patience"), transfer: streams.stream(prefix + "transfer"), ticket: streams.stream(prefix + "ticket") }
    }
  }

  /** Epoch ms of a simulated instant, once the run's start `t0` is known. */
  epochOf(simSeconds: number): number {
    return this.t0 + ((simSeconds - this.shard.windowStartSeconds) / this.shard.speed) * 1000
  }

  start(t0: number): void {
    this.t0 = t0
    this.armPump()
  }

  /** The window is over: no more callers; those still waiting are cut off if the service closes. */
  stop(): void {
    this.stopped = true
    this.pump?.cancel()
    if (!this.shard.closesAtEnd) return
    for (const c of this.live.values()) if (c.status === "queued" || c.status === "posting") this.wantHangup(c, "cutOff")
  }

  /**
   * The generator is idle and the census comes next: no caller loses patience any more, so the
   * callers still waiting are waiting on both sides when they are counted (a hang-up sent now
   * would race the census).
   */
  freeze(): void {
    this.frozen = true
    for (const c of this.live.values()) {
      c.patienceTimer?.cancel()
      c.patienceTimer = undefined
    }
  }

  private frozen = false

  /** After the census: hangs up callers still waiting (a server is left as it was found). */
  cleanup(): number {
    let n = 0
    for (const c of this.live.values()) {
      if (c.status === "queued" || c.status === "posting") {
        n++
        this.wantHangup(c, "cleanup")
      }
    }
    return n
  }

  /** Callers injected and not yet offered to an advisor nor gone. */
  get waiting(): number {
    let n = 0
    for (const c of this.live.values()) if (c.status === "queued" || c.status === "posting") n++
    return n
  }

  onNotice(n: Notice): void {
    // A call already settled (answered, abandoned) may still get a late notice: nothing to do.
    const c = this.live.get(n.i)
    if (c === undefined) return
    if (n.kind === "offered") {
      if (c.status === "posting" || c.status === "queued") {
        c.status = "ringing"
        c.waitMs = n.at - c.at
        c.patienceTimer?.cancel()
        c.hangup = undefined
      }
    } else if (n.kind === "connected") {
      if (c.status === "posting" || c.status === "queued") c.waitMs = n.at - c.at
      this.answered(c)
    } else if (n.kind === "rona" && c.status === "ringing") {
      c.status = "queued"
      this.armPatience(c)
    }
  }

  finalCensus(now: number): { census: OwnerCensus; arrivals: ArrivalSeconds } {
    let queued = 0
    let ringing = 0
    let waitQueuedMs = 0
    for (const c of this.live.values()) {
      if (c.status === "queued" || c.status === "posting") {
        queued++
        waitQueuedMs += now - c.at
        this.add(this.arrivals.waitMs, c, now - c.at)
      } else if (c.status === "ringing") ringing++
    }
    const k = this.census
    return {
      census: {
        scheduled: this.planned,
        injected: k.injected,
        injectFailed: k.injectFailed,
        answered: k.answered,
        abandoned: k.abandoned,
        cutOff: k.cutOff,
        queued,
        ringing,
        redials: k.redials,
        waitAnsweredMs: k.waitAnsweredMs,
        waitAbandonedMs: k.waitAbandonedMs,
        waitQueuedMs,
        answeredWithinSl: this.metrics.counter("calls.answeredWithinSl")
      },
      arrivals: this.arrivals
    }
  }

  // --- injection ---------------------------------------------------------------------------

  private planAt(i: number): number {
    return this.epochOf(this.shard.callers.time[i]!)
  }

  private armPump(): void {
    if (this.stopped || this.next >= this.planned) return
    this.pump = this.scheduler.at(this.planAt(this.next), () => this.inject())
  }

  private inject(): void {
    const now = nowEpochMs()
    const t = this.shard.callers
    while (!this.stopped && this.next < this.planned && this.planAt(this.next) <= now + 0.25) {
      const i = this.next++
      this.post({ index: i, at: this.planAt(i), flow: t.flow[i]!, reason: t.reason[i]!, talk: t.talk[i]!, wrap: t.wrap[i]!, patience: t.patience[i]!, flags: t.flags[i]!, attempt: 1, status: "scheduled", callRef: undefined, hangup: undefined, hangupAt: 0, patienceTimer: undefined, waitMs: 0 })
    }
    this.armPump()
  }

  private answered(c: CallState): void {
    if (c.status === "answered" || c.status === "abandoned") return
    c.status = "answered"
    c.patienceTimer?.cancel()
    this.live.delete(c.index)
    this.census.answered++
    this.census.waitAnsweredMs += c.waitMs
    this.bump(this.arrivals.answered, c)
    this.add(this.arrivals.waitMs, c, c.waitMs)
    if (c.waitMs * this.shard.speed <= this.shard.serviceLevelSeconds * 1000) this.metrics.count("calls.answeredWithinSl")
  }

  private post(c: CallState): void {
    this.metrics.record("generator_lag", Math.max(0, nowEpochMs() - c.at))
    c.status = "posting"
    this.live.set(c.index, c)
    const s = this.shard
    const body: InjectBody = {
      flow: s.laws.flows[c.flow] as FlowCode,
      ...(s.laws.reasons.length > 1 ? { reason: s.laws.reasons[c.reason] as ReasonCode } : {}),
      attachedData: {
        // The run's tag: a call left on the server by an earlier run is not taken for this one's.
        run: s.runTag,
        g: String(s.index),
        i: String(c.index),
        t: c.at.toFixed(3),
        talk: ((c.talk / s.speed) * 1000).toFixed(1),
        wrap: ((c.wrap / s.speed) * 1000).toFixed(1),
        ...((c.flags & FLAG_TRANSFER) !== 0 ? { x: "1" } : {}),
        ...((c.flags & FLAG_TICKET) !== 0 ? { k: "1" } : {})
      }
    }
    this.bump(this.arrivals.injected, c)
    this.armPatience(c)
    this.inFlight++
    this.metrics.count("ops")
    void this.odigo.inject(body).then(
      (a) => {
        this.inFlight--
        this.metrics.record("inject", nowEpochMs() - c.at)
        if (a.value === undefined) {
          this.metrics.error(errorCodeOf(a.reply), `POST /calls: ${describeReply(a.reply)}`)
          this.census.injectFailed++
          c.patienceTimer?.cancel()
          c.status = "failed"
          this.live.delete(c.index)
          return
        }
        this.census.injected++
        this.metrics.count("calls.injected")
        c.callRef = a.value.callRef
        if (c.status === "posting") c.status = "queued"
        if (c.hangup !== undefined && c.status === "queued") this.doHangup(c)
      },
      (e: unknown) => {
        this.inFlight--
        this.metrics.error("OUT_OF_CONTRACT")
        c.status = "failed"
        this.live.delete(c.index)
        this.census.injectFailed++
        this.fatal("OUT_OF_CONTRACT", e instanceof Error ? e.message : String(e))
      }
    )
  }

  private armPatience(c: CallState): void {
    c.patienceTimer?.cancel()
    if (!Number.isFinite(c.patience) || this.frozen) return
    const due = c.at + (c.patience / this.shard.speed) * 1000
    c.patienceTimer = this.scheduler.at(due, (intended) => {
      c.patienceTimer = undefined
      if (c.status === "posting" || c.status === "queued") this.wantHangup(c, "patience", intended)
    })
  }

  private wantHangup(c: CallState, why: "patience" | "cutOff" | "cleanup", intended = nowEpochMs()): void {
    c.hangup = why
    c.hangupAt = intended
    c.patienceTimer?.cancel()
    if (c.callRef !== undefined) this.doHangup(c)
  }

  private doHangup(c: CallState): void {
    const why = c.hangup!
    const intended = c.hangupAt
    const ref = c.callRef!
    this.inFlight++
    this.metrics.count("ops")
    void this.odigo.hangup(ref).then((a) => this.hungUp(c, why, intended, a), (e: unknown) => {
      this.inFlight--
      this.metrics.error("OUT_OF_CONTRACT")
      this.fatal("OUT_OF_CONTRACT", e instanceof Error ? e.message : String(e))
    })
  }

  private hungUp(c: CallState, why: "patience" | "cutOff" | "cleanup", intended: number, a: Awaited<ReturnType<OdigoRest["hangup"]>>): void {
    this.inFlight--
    const now = nowEpochMs()
    this.metrics.record("caller_hangup", now - intended)
    if (a.value === undefined) {
      // 409 CALL_ENDED: it ended meanwhile (answered and over): the advisor's notice says so.
      if (errorCodeOf(a.reply) !== "CALL_ENDED") this.metrics.error(errorCodeOf(a.reply), `DELETE /calls/${c.callRef}: ${describeReply(a.reply)}`)
      return
    }
    if (a.value.status !== "abandoned") {
      // The call was connected when the hang-up arrived (an offer crossed it): the caller ended the conversation.
      this.metrics.count("races.hangupCrossedAnswer")
      this.answered(c)
      return
    }
    if (c.status === "abandoned" || c.status === "answered") return
    c.status = "abandoned"
    c.waitMs = now - c.at
    this.live.delete(c.index)
    if (why === "cleanup") {
      this.census.cleanedUp++
      this.metrics.count("calls.cleanedUp")
      return
    }
    this.census.abandoned++
    this.census.waitAbandonedMs += c.waitMs
    this.metrics.count("calls.abandoned")
    this.bump(this.arrivals.abandoned, c)
    this.add(this.arrivals.waitMs, c, c.waitMs)
    if (why === "cutOff") {
      this.census.cutOff++
      this.metrics.count("calls.cutOff")
    }
    this.maybeRedial(c)
  }

  private maybeRedial(c: CallState): void {
    const r = this.redial
    if (r === null || c.attempt >= r.max || this.stopped) return
    if (r.rng.nextDouble() >= r.p) return
    const atSim = this.shard.windowStartSeconds + ((nowEpochMs() - this.t0) / 1000) * this.shard.speed + r.delay.sample(r.rng)
    if (atSim >= this.shard.windowEndSeconds) return
    const d = this.redialDraws
    const laws = this.shard.laws
    const flags = (d.rng.transfer.nextDouble() < laws.transferShare[c.reason]! ? FLAG_TRANSFER : 0) | (d.rng.ticket.nextDouble() < laws.ticketShare[c.reason]! ? FLAG_TICKET : 0)
    const call: CallState = {
      index: this.planned + this.redialSeq++,
      at: this.epochOf(atSim),
      flow: c.flow,
      reason: c.reason,
      talk: d.talk[c.reason]!.sample(d.rng.talk),
      wrap: d.wrap === null ? 0 : d.wrap.sample(d.rng.wrap),
      patience: d.patience === null ? Infinity : d.patience.sample(d.rng.patience),
      flags,
      attempt: c.attempt + 1,
      status: "scheduled",
      callRef: undefined,
      hangup: undefined,
      hangupAt: 0,
      patienceTimer: undefined,
      waitMs: 0
    }
    this.scheduler.at(call.at, () => {
      if (this.stopped) return
      this.census.redials++
      this.metrics.count("calls.redials")
      this.post(call)
    })
  }

  private second(c: CallState): number {
    return Math.max(0, Math.floor((c.at - this.t0) / 1000))
  }

  private bump(series: Array<number>, c: CallState): void {
    this.add(series, c, 1)
  }

  private add(series: Array<number>, c: CallState, v: number): void {
    const s = this.second(c)
    while (series.length <= s) series.push(0)
    series[s]! += v
  }
}
