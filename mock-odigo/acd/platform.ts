/**
 * The ACD: queues per IVR flow, agent sessions, routing, RONA, abandonment, reconnection grace.
 *
 * Routing rule: whenever a call can meet an agent, the oldest waiting call across both queues
 * (arrival time, then injection order) goes to the longest-idle ready, connected agent (the
 * agent that has been ready the longest: the ready pool is ordered by when agents became
 * ready; an agent whose connection comes back within the grace period keeps its place,
 * acd/ready-pool.ts). Plain synchronous TypeScript with no I/O: frames go to each agent's
 * `sink`, time comes from the injected clock, so every rule is testable without sockets or
 * sleeping.
 *
 * Invariants (checked by `audit`, acd/audit.ts): every injected call is exactly one of queued,
 * ringing, connected, answered or abandoned — never lost, never duplicated; injected =
 * answered + abandoned + live; the ready pool holds exactly the ready agents that are
 * connected. A refused command changes nothing: every check runs before the first mutation.
 */
import type { FlowCode, ReasonCode } from "../../sim/domain/vocabulary.js"
import { FLOW_CODES } from "../../sim/domain/vocabulary.js"
import type { Account } from "../accounts.js"
import type { Clock } from "../clock.js"
import { OdigoError } from "../errors.js"
import type { AgentState, DisconnectType } from "../protocol/common.js"
import type { AgentCommand } from "../protocol/commands.js"
import { IntervalStats, intervalStartOf, type AgentCounter } from "../stats.js"
import type { Agent, AgentSink, Call, Injection, PlatformConfig, PlatformHooks } from "./model.js"
import { CallQueue } from "./queue.js"
import { ReadyPool } from "./ready-pool.js"
import { applyCommand, type Refusal } from "./commands.js"

export type { Injection, PlatformConfig, PlatformHooks } from "./model.js"

const AGENT_TIME: Record<AgentState, AgentCounter | undefined> = {
  loggedOut: undefined,
  notReady: "notReadyMs",
  ready: "readyMs",
  offered: "busyMs",
  onCall: "busyMs",
  pendingNotReady: "busyMs",
  wrapUp: "wrapUpAgentMs"
}

const iso = (ms: number): string => new Date(ms).toISOString()

export class Platform {
  readonly stats = new IntervalStats()
  readonly queues: Readonly<Record<FlowCode, CallQueue>>
  readonly sessions = new Map<string, Agent>()
  /** Ready, connected agents in the order they became ready: the first is the longest idle. */
  readonly readyPool = new ReadyPool()
  readonly live = new Map<string, Call>()
  readonly ended = new Map<string, Call>()
  readonly stateCounts: Record<AgentState, number> = { loggedOut: 0, notReady: 0, ready: 0, offered: 0, onCall: 0, pendingNotReady: 0, wrapUp: 0 }
  readonly ringing: Record<FlowCode, number>
  readonly totals = { injected: 0, answered: 0, abandoned: 0 }
  /** Set when the server is shutting down: no more injections. */
  closing = false
  private seq = 0
  private readySeq = 0
  private routing = false
  private readonly runId = Math.floor(Math.random() * 0xffffff).toString(16).padStart(6, "0")

  constructor(
    readonly config: PlatformConfig,
    readonly clock: Clock,
    private readonly hooks: PlatformHooks
  ) {
    const queues = {} as Record<FlowCode, CallQueue>
    const ringing = {} as Record<FlowCode, number>
    for (const f of FLOW_CODES) {
      queues[f] = new CallQueue(f, config.gateIds[f])
      ringing[f] = 0
    }
    this.queues = queues
    this.ringing = ringing
  }

  // ---- calls (REST side: the telephone network) -------------------------------------------

  /** A caller enters the IVR flow's queue; routed at once if an agent is ready. */
  inject(input: Injection): Call {
    if (this.closing) throw new OdigoError("SERVER_CLOSING", "The server is shutting down; no new calls are accepted")
    const queued = FLOW_CODES.reduce((n, f) => n + this.queues[f].size, 0)
    if (queued >= this.config.maxQueuedCalls) {
      throw new OdigoError("QUEUE_FULL", `The queues already hold ${queued} waiting calls (maximum ${this.config.maxQueuedCalls})`)
    }
    const now = this.clock.nowMs()
    const seq = ++this.seq
    const queue = this.queues[input.flow]
    const call: Call = {
      ref: `oc-${this.runId}-${seq}`,
      seq,
      flow: input.flow,
      gateId: queue.gateId,
      attachedData: { ...input.attachedData, ...(input.reason === undefined ? {} : { reason: input.reason }) },
      arrivedAtMs: now,
      intervalStartMs: intervalStartOf(now),
      status: "queued",
      agent: undefined,
      answeredAtMs: undefined,
      endedAtMs: undefined,
      disconnectType: undefined,
      transferTarget: undefined,
      qualification: undefined,
      offers: 0,
      patienceTimer: undefined,
      ronaTimer: undefined,
      queue: undefined,
      prev: undefined,
      next: undefined
    }
    this.totals.injected++
    this.live.set(call.ref, call)
    this.stats.add(call.intervalStartMs, call.flow, "offered")
    if (input.patienceMs !== undefined) call.patienceTimer = this.clock.setTimer(input.patienceMs, () => this.callerHangup(call.ref))
    queue.pushBack(call)
    this.route()
    return call
  }

  getCall(ref: string): Call | undefined {
    return this.live.get(ref) ?? this.ended.get(ref)
  }

  /** The caller hangs up: abandoned when queued or ringing, a normal end when connected. */
  callerHangup(ref: string): Call {
    const call = this.live.get(ref)
    if (call === undefined) {
      if (this.ended.has(ref)) throw new OdigoError("CALL_ENDED", `Call ${ref} has already ended`)
      throw new OdigoError("UNKNOWN_CALL", `No call ${ref}`)
    }
    switch (call.status) {
      case "queued":
        call.queue!.remove(call)
        this.abandon(call, "abandonedQueued")
        break
      case "ringing": {
        const agent = call.agent!
        this.clock.clearTimer(call.ronaTimer)
        call.ronaTimer = undefined
        this.ringing[call.flow]--
        agent.call = undefined
        this.abandon(call, "abandonedRinging")
        agent.sink?.send({ type: "call.ended", payload: { callRef: call.ref, disconnectType: "abandoned" } })
        this.changeState(agent, "ready", undefined)
        this.route()
        break
      }
      case "connected":
        this.endConnected(call, "caller")
        break
      default:
        throw new Error(`live call ${ref} has status ${call.status}`)
    }
    return call
  }

  // ---- agent sessions -----------------------------------------------------------------------

  /**
   * Attaches a connection to the account's session, creating it (state notReady) or restoring
   * it (grace period, takeover). `accepted` runs before any routing so the caller can send the
   * ack first; returns the connection that was replaced, if any.
   */
  login(account: Account, sink: AgentSink, accepted: (agent: Agent, restored: boolean) => void): AgentSink | undefined {
    const now = this.clock.nowMs()
    const existing = this.sessions.get(account.login)
    if (existing !== undefined) {
      const replaced = existing.sink
      this.clock.clearTimer(existing.graceTimer)
      existing.graceTimer = undefined
      existing.sink = sink
      accepted(existing, true)
      this.syncPool(existing)
      this.hooks.agentChanged(existing)
      this.route()
      return replaced
    }
    const agent: Agent = {
      account,
      state: "notReady",
      reason: undefined,
      sinceMs: now,
      readySeq: 0,
      call: undefined,
      pendingNotReady: undefined,
      wrapStartedAtMs: undefined,
      sink,
      graceTimer: undefined,
      accruedToMs: now
    }
    this.sessions.set(account.login, agent)
    this.stateCounts.notReady++
    accepted(agent, false)
    this.hooks.agentChanged(agent)
    return undefined
  }

  /** The agent's connection dropped: keep the session and its call for `graceMs`. */
  connectionLost(agent: Agent, sink: AgentSink): void {
    if (agent.sink !== sink || this.sessions.get(agent.account.login) !== agent) return
    agent.sink = undefined
    this.syncPool(agent)
    agent.graceTimer = this.clock.setTimer(this.config.graceMs, () => this.endSession(agent))
    this.hooks.agentChanged(agent)
  }

  /** Ends a session now (grace expired, account removed): its call is requeued or ended. */
  endSession(agent: Agent): void {
    if (this.sessions.get(agent.account.login) !== agent) return
    this.clock.clearTimer(agent.graceTimer)
    agent.graceTimer = undefined
    const call = agent.call
    if (call !== undefined) {
      if (agent.state === "offered") this.requeue(call)
      else if (call.status === "connected") this.endConnected(call, "agentLost")
      else if (agent.state === "wrapUp") this.recordWrapEnd(agent)
      agent.call = undefined
    }
    this.changeState(agent, "loggedOut", undefined)
    this.stateCounts.loggedOut--
    this.sessions.delete(agent.account.login)
    this.hooks.agentRemoved(agent.account.login)
    this.route()
  }

  /** Applies an agent command, or refuses it without changing anything (acd/commands.ts). */
  command(agent: Agent, cmd: AgentCommand, accepted: () => void): Refusal | undefined {
    return applyCommand(this, agent, cmd, accepted)
  }

  /** Accrues every session's agent time up to now (before reading the interval table). */
  flushAgentTime(): void {
    const now = this.clock.nowMs()
    for (const a of this.sessions.values()) this.accrue(a, now)
  }

  /** Cancels every timer (server shutdown); calls keep their current status. */
  close(): void {
    this.closing = true
    for (const c of this.live.values()) {
      this.clock.clearTimer(c.patienceTimer)
      this.clock.clearTimer(c.ronaTimer)
    }
    for (const a of this.sessions.values()) this.clock.clearTimer(a.graceTimer)
  }

  // ---- transitions, used by acd/commands.ts and by the timers above -------------------------

  /** The agent answers its offered call: connected, wait recorded, agent onCall. */
  answer(agent: Agent, c: Call): void {
    this.clock.clearTimer(c.ronaTimer)
    this.clock.clearTimer(c.patienceTimer)
    c.ronaTimer = c.patienceTimer = undefined
    const now = this.clock.nowMs()
    c.status = "connected"
    c.answeredAtMs = now
    this.ringing[c.flow]--
    this.totals.answered++
    this.stats.add(c.intervalStartMs, c.flow, "answered")
    this.stats.add(c.intervalStartMs, c.flow, "waitAnsweredMs", now - c.arrivedAtMs)
    this.stats.add(c.intervalStartMs, c.flow, "maxWaitMs", now - c.arrivedAtMs)
    agent.sink?.send({ type: "call.connected", payload: { callRef: c.ref } })
    this.changeState(agent, "onCall", undefined)
  }

  /** Records the call's reason (the first qualification counts in the statistics). */
  qualify(c: Call, reason: ReasonCode): void {
    if (c.qualification === undefined) this.stats.add(c.intervalStartMs, c.flow, "qualified")
    c.qualification = reason
  }

  /** Offers waiting calls to ready agents while both exist (oldest call, longest-idle agent). */
  route(): void {
    if (this.routing) return
    this.routing = true
    try {
      while (this.readyPool.size > 0) {
        let best: Call | undefined
        for (const f of FLOW_CODES) {
          const h = this.queues[f].head
          if (h !== undefined && (best === undefined || h.arrivedAtMs < best.arrivedAtMs || (h.arrivedAtMs === best.arrivedAtMs && h.seq < best.seq))) best = h
        }
        if (best === undefined) break
        const agent = this.readyPool.first()!
        this.offer(best, agent)
      }
    } finally {
      this.routing = false
    }
  }

  private offer(call: Call, agent: Agent): void {
    call.queue!.remove(call)
    call.status = "ringing"
    call.agent = agent
    call.offers++
    this.ringing[call.flow]++
    agent.call = call
    call.ronaTimer = this.clock.setTimer(this.config.ronaMs, () => this.rona(call))
    agent.sink?.send({
      type: "call.offered",
      payload: {
        callRef: call.ref,
        gateId: call.gateId,
        flow: call.flow,
        queuedMs: this.clock.nowMs() - call.arrivedAtMs,
        attachedData: { ...call.attachedData }
      }
    })
    this.changeState(agent, "offered", undefined)
  }

  private rona(call: Call): void {
    const agent = call.agent!
    call.ronaTimer = undefined
    this.stats.add(call.intervalStartMs, call.flow, "ronas")
    this.requeue(call)
    agent.call = undefined
    agent.sink?.send({ type: "call.ended", payload: { callRef: call.ref, disconnectType: "rona" } })
    this.changeState(agent, "notReady", "rona")
    this.route()
  }

  /** A ringing call goes back to the head of its queue (RONA, agent lost). */
  private requeue(call: Call): void {
    this.clock.clearTimer(call.ronaTimer)
    call.ronaTimer = undefined
    this.ringing[call.flow]--
    call.status = "queued"
    call.agent = undefined
    this.queues[call.flow].pushFront(call)
  }

  private abandon(call: Call, kind: "abandonedQueued" | "abandonedRinging"): void {
    const now = this.clock.nowMs()
    this.clock.clearTimer(call.patienceTimer)
    call.patienceTimer = undefined
    call.status = "abandoned"
    call.endedAtMs = now
    call.disconnectType = "abandoned"
    this.totals.abandoned++
    this.stats.add(call.intervalStartMs, call.flow, "abandoned")
    this.stats.add(call.intervalStartMs, call.flow, kind)
    this.stats.add(call.intervalStartMs, call.flow, "waitAbandonedMs", now - call.arrivedAtMs)
    this.stats.add(call.intervalStartMs, call.flow, "maxWaitMs", now - call.arrivedAtMs)
    this.retire(call)
  }

  /** A connected call ends; the agent enters wrap-up (unless the agent is gone). */
  endConnected(call: Call, type: DisconnectType, target?: string): void {
    const now = this.clock.nowMs()
    const agent = call.agent!
    call.status = "answered"
    call.endedAtMs = now
    call.disconnectType = type
    this.stats.add(call.intervalStartMs, call.flow, "talkMs", now - call.answeredAtMs!)
    this.stats.add(call.intervalStartMs, call.flow, "talkEnded")
    if (target !== undefined) {
      call.transferTarget = target
      this.stats.add(call.intervalStartMs, call.flow, "transferred")
    }
    this.retire(call)
    if (type === "agentLost") return
    if (agent.state === "pendingNotReady") agent.pendingNotReady = { reason: agent.reason }
    agent.wrapStartedAtMs = now
    agent.sink?.send({ type: "call.ended", payload: { callRef: call.ref, disconnectType: type } })
    this.changeState(agent, "wrapUp", undefined)
    agent.sink?.send({ type: "wrapup.started", payload: { callRef: call.ref } })
  }

  private recordWrapEnd(agent: Agent): void {
    const call = agent.call!
    this.stats.add(call.intervalStartMs, call.flow, "wrapUpMs", this.clock.nowMs() - agent.wrapStartedAtMs!)
    this.stats.add(call.intervalStartMs, call.flow, "handled")
    agent.wrapStartedAtMs = undefined
    agent.pendingNotReady = undefined
  }

  /** Wrap-up ends into `next`; the agent may be offered a call at once. */
  endWrap(agent: Agent, next: "ready" | "notReady", reason: string | undefined): void {
    this.recordWrapEnd(agent)
    agent.call = undefined
    this.changeState(agent, next, reason)
    this.route()
  }

  /** Moves an ended call from the live set to the bounded memory of ended calls. */
  private retire(call: Call): void {
    this.live.delete(call.ref)
    this.ended.set(call.ref, call)
    if (this.ended.size > this.config.retainEndedCalls) {
      const oldest = this.ended.keys().next().value as string
      this.ended.delete(oldest)
    }
  }

  private accrue(agent: Agent, now: number): void {
    const from = agent.accruedToMs
    if (now <= from) return
    const counter = AGENT_TIME[agent.state]
    if (counter !== undefined) {
      this.stats.addAgentTime(counter, from, now)
      this.stats.addAgentTime("loggedInMs", from, now)
    }
    agent.accruedToMs = now
  }

  /** Moves the agent to `state`: accrues its time, updates counters and the ready pool, tells it and the supervisors. */
  changeState(agent: Agent, state: AgentState, reason: string | undefined): void {
    const now = this.clock.nowMs()
    this.accrue(agent, now)
    this.stateCounts[agent.state]--
    this.stateCounts[state]++
    agent.state = state
    agent.reason = reason
    agent.sinceMs = now
    if (state === "ready") agent.readySeq = ++this.readySeq
    this.syncPool(agent)
    if (agent.sink !== undefined) {
      agent.sink.send({
        type: "agent.stateChanged",
        payload: reason === undefined ? { state, since: iso(now) } : { state, reason, since: iso(now) }
      })
    }
    this.hooks.agentChanged(agent)
  }

  /** Puts the agent in the ready pool exactly while it is ready and connected, at its `readySeq` place. */
  private syncPool(agent: Agent): void {
    if (agent.state === "ready" && agent.sink !== undefined) this.readyPool.add(agent)
    else this.readyPool.delete(agent.account.login)
  }
}
