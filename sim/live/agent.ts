/**
 * A virtual advisor's agent bar: one websocket to Odigo's `/agent`, spoken through the mock's
 * own schemas (`mock-odigo/protocol/client.ts`). It logs in at the start of its shift, goes
 * ready, answers offers at once, holds each call for its talk time (scaled), transfers or hangs
 * up, qualifies with the call's reason, wraps up for the call's wrap-up time, takes its breaks
 * (not ready, "lunch" or "break") and leaves at the end of its shift — after its current call,
 * as the simulation's advisors do. A dropped socket is reconnected with backoff and the session
 * restored, as a real desktop would.
 *
 * Invariants:
 * - the server's `agent.stateChanged` is the truth about the agent's state; the advisor only
 *   decides what it wants (work, break, leave) and sends at most one state command at a time;
 * - every command is timed from its intended instant (the frame or timer that called for it)
 *   to its ack; refusals are counted by code, except the one race a real desktop also meets —
 *   a state change refused because an offer arrived meanwhile — counted as such;
 * - a frame out of the protocol stops the run (`fatal`): a harness never works on from a
 *   server it no longer understands.
 */
import type WebSocket from "ws"
import type { AgentCommand } from "../../mock-odigo/protocol/commands.js"
import { decodeAgentEvent, encodeCommand, ProtocolViolation, type AgentEventFrame } from "../../mock-odigo/protocol/client.js"
import type { AgentState } from "../../mock-odigo/protocol/common.js"
import type { ReasonCode } from "../domain/vocabulary.js"
import type { Metrics } from "./metrics.js"
import type { Notice } from "./messages.js"
import { nowEpochMs, type Scheduled, type Scheduler } from "./scheduler.js"
import { Ws } from "./ws.js"

/** What the call's injector attached to it (attachedData keys, all strings). */
export interface CallInfo {
  readonly callRef: string
  readonly owner: number
  readonly index: number
  readonly reason: string | undefined
  readonly flow: string
  readonly talkMs: number
  readonly wrapMs: number
  readonly transfer: boolean
  readonly ticket: boolean
  /** Intended instant of the injection (epoch ms), NaN if not attached. */
  readonly injectAt: number
}

/** The call the advisor is on. */
interface Current extends CallInfo {
  phase: "offered" | "connected" | "wrapUp"
  talkTimer: Scheduled | undefined
  wrapTimer: Scheduled | undefined
  /** The talk (wrap-up) timer fired while the connection was down: do it on restoration. */
  talkDue: boolean
  wrapDue: boolean
  connectedAt: number
  wrapAt: number
}

/** What an advisor needs from its generator. */
export interface AgentContext {
  /** The run's tag, attached to every call it injects. */
  readonly runTag: string
  readonly scheduler: Scheduler
  readonly metrics: Metrics
  readonly agentUrl: string
  readonly transferTargets: ReadonlyArray<string>
  /** Tells the call's injector (this generator or another) what happened to its call. */
  notify(owner: number, notice: Notice): void
  /** The run cannot go on (protocol violation, refused login). */
  fatal(code: string, message: string): void
  /** A level-2 ticket for this call (PSN1, Idempotency-Key). */
  ticket(agent: VirtualAgent, call: CallInfo, intendedMs: number): void
  /** Blended advisors: a form may be worked now (the generator decides and calls back). */
  idleReady(agent: VirtualAgent): void
  /** Blended advisors: the platform has them not ready for a form; work it, then `formDone()`. */
  formTime(agent: VirtualAgent): void
  /** The advisor logged out at the end of its shift. */
  left(agent: VirtualAgent): void
  /** Handling done (talk and wrap-up real ms), for the harness's own KPIs. */
  handled(talkMs: number, wrapMs: number, transferred: boolean): void
}

/**
 * CCSIM_LIVE_DEBUG=1: each advisor keeps its last frames sent and received, and an error's
 * sample in load-summary.json ends with them (what led to a refused command).
 */
const DEBUG = process.env["CCSIM_LIVE_DEBUG"] === "1"

type Pending = { readonly type: AgentCommand["type"]; readonly intended: number; readonly offersBefore: number; readonly callRef: string | undefined }

/** A call's injector and details; a call of another run (another tag, or none) has no owner here (-1): handled, never reported. */
export const parseCallInfo = (callRef: string, data: Readonly<Record<string, string>>, flow: string, runTag: string): CallInfo => ({
  callRef,
  owner: data["run"] === runTag ? Number(data["g"] ?? -1) : -1,
  index: Number(data["i"] ?? -1),
  reason: data["reason"],
  flow,
  talkMs: Number(data["talk"] ?? 0),
  wrapMs: Number(data["wrap"] ?? 0),
  transfer: data["x"] === "1",
  ticket: data["k"] === "1",
  injectAt: Number(data["t"] ?? Number.NaN)
})

export class VirtualAgent {
  /** The server's view of this agent (from its frames); "offline" before login or while dropped. */
  state: AgentState | "offline" = "offline"
  intent: "work" | "break" | "leave" = "work"
  breakReason = "break"
  /** Blended advisors: working a form (not ready on Odigo meanwhile). */
  workingForm = false
  done = false
  private ws: WebSocket | undefined
  private loggedIn = false
  private seq = 0
  private readonly pending = new Map<string, Pending>()
  private stateInFlight = false
  /** The not-ready reason the server last gave. */
  private reason: string | undefined
  private offers = 0
  /** The last calls the caller ended while they rang or were connected (to tell a race from an error). */
  private readonly endedByCaller: string[] = []
  private call: Current | undefined
  private droppedAt: number | undefined
  private backoffMs = 0
  private closingOnPurpose = false
  /** A logout is on its way or done for this session (never sent twice). */
  private logoutSent = false

  constructor(
    readonly login: string,
    private readonly password: string,
    readonly personId: number,
    readonly blended: boolean,
    private readonly ctx: AgentContext
  ) {}

  get busy(): boolean {
    return this.call !== undefined
  }

  /** The shift starts: connect and log in (timed from `intendedMs`). */
  start(intendedMs: number): void {
    this.intent = "work"
    this.connect(intendedMs)
  }

  setIntent(intent: "work" | "break" | "leave", reason?: string): void {
    this.intent = intent
    if (reason !== undefined) this.breakReason = reason
    this.applyIntent()
  }

  /** Stops at once (abort): closes the socket, cancels timers. */
  abort(): void {
    this.done = true
    this.closingOnPurpose = true
    this.call?.talkTimer?.cancel()
    this.call?.wrapTimer?.cancel()
    this.ws?.terminate()
  }

  /** Sends a state change (blended advisors going to a form use it). */
  requestState(state: "ready" | "notReady", reason?: string): void {
    if (this.stateInFlight || !this.loggedIn) return
    this.stateInFlight = true
    this.send(state === "ready" ? { type: "setState", id: this.id(), payload: { state } } : { type: "setState", id: this.id(), payload: reason === undefined ? { state } : { state, reason } }, nowEpochMs())
  }

  /** Re-decides after a form (blended): back to ready, or away for a break or the end of the shift. */
  formDone(): void {
    this.workingForm = false
    this.applyIntent()
  }

  private id(): string {
    return (++this.seq).toString(36)
  }

  private connect(intendedMs: number): void {
    const ws = new (Ws())(this.ctx.agentUrl, { perMessageDeflate: false, handshakeTimeout: 10_000 })
    this.ws = ws
    ws.on("open", () => {
      this.ctx.metrics.record("connect", nowEpochMs() - intendedMs)
      this.send({ type: "login", id: this.id(), payload: { login: this.login, password: this.password } }, intendedMs)
    })
    ws.on("unexpected-response", (_req, res) => {
      this.ctx.metrics.error(res.statusCode === 503 ? "CONNECTIONS_REFUSED" : `HTTP_${res.statusCode}`, `${this.ctx.agentUrl} (advisor ${this.login}): upgrade answered ${res.statusCode}`)
      res.resume()
      ws.terminate()
    })
    ws.on("error", (e: NodeJS.ErrnoException) => {
      if (e.message.startsWith("Unexpected server response")) return
      this.ctx.metrics.error(e.code ?? "WS_ERROR", `${this.ctx.agentUrl} (advisor ${this.login}): ${e.message}`)
    })
    ws.on("close", () => this.onClose(ws))
    ws.on("message", (data) => {
      if (ws === this.ws) this.onFrame(String(data))
    })
  }

  private onClose(ws: WebSocket): void {
    if (ws !== this.ws) return
    const wasLoggedIn = this.loggedIn
    this.loggedIn = false
    this.state = "offline"
    this.stateInFlight = false
    this.pending.clear()
    if (this.closingOnPurpose || this.done) return
    // A drop: reconnect as a desktop would, at once then with a growing wait (at most 2 s).
    if (wasLoggedIn) {
      this.ctx.metrics.count("reconnects")
      this.droppedAt ??= nowEpochMs()
    }
    this.backoffMs = this.backoffMs === 0 ? 50 : Math.min(2000, this.backoffMs * 2)
    this.ctx.scheduler.after(this.backoffMs, (intended) => {
      if (!this.done) this.connect(intended)
    })
  }

  private send(cmd: AgentCommand, intendedMs: number): void {
    if (DEBUG) {
      this.recent.push(`SENT ${cmd.type}${cmd.id === undefined ? "" : `#${cmd.id}`}`)
      if (this.recent.length > 16) this.recent.shift()
    }
    const ws = this.ws
    if (ws === undefined || ws.readyState !== Ws().OPEN) {
      if (cmd.type === "setState") this.stateInFlight = false
      return
    }
    const callRef = cmd.type === "answer" || cmd.type === "hangup" || cmd.type === "transfer" || cmd.type === "qualify" ? cmd.payload.callRef : undefined
    if (cmd.id !== undefined) this.pending.set(cmd.id, { type: cmd.type, intended: intendedMs, offersBefore: this.offers, callRef })
    this.ctx.metrics.count("ops")
    ws.send(encodeCommand(cmd))
  }

  /** With CCSIM_LIVE_DEBUG: the last frames sent and received. */
  private readonly recent: string[] = []

  private onFrame(text: string): void {
    const now = nowEpochMs()
    if (DEBUG) {
      this.recent.push(text.slice(0, 70))
      if (this.recent.length > 16) this.recent.shift()
    }
    let f: AgentEventFrame
    try {
      f = decodeAgentEvent(text)
    } catch (e) {
      if (!(e instanceof ProtocolViolation)) throw e
      this.ctx.metrics.error("PROTOCOL_VIOLATION")
      this.ctx.fatal("PROTOCOL_VIOLATION", `${this.ctx.agentUrl} (advisor ${this.login}): ${e.message}`)
      return
    }
    switch (f.type) {
      case "ack":
        return this.onAck(f.id, now)
      case "error":
        return this.onError(f.id, f.code, f.message)
      case "agent.stateChanged":
        this.state = f.payload.state
        this.stateInFlight = false
        if (f.payload.state === "notReady" && f.payload.reason === "rona") this.ctx.metrics.count("calls.rona")
        this.reason = f.payload.reason
        if (f.payload.state === "loggedOut") return this.leave()
        if (f.payload.state === "notReady" && f.payload.reason === "forms" && !this.workingForm) {
          this.workingForm = true
          this.ctx.formTime(this)
          return
        }
        this.applyIntent()
        if (this.state === "ready" && this.blended && this.intent === "work") this.ctx.idleReady(this)
        return
      case "session.restored":
        return this.onRestored(f.payload.state, f.payload.call, now)
      case "call.offered":
        return this.onOffered(parseCallInfo(f.payload.callRef, f.payload.attachedData, f.payload.flow, this.ctx.runTag), f.payload.queuedMs, now)
      case "call.connected":
        return this.onConnected(f.payload.callRef, now)
      case "call.ended":
        return this.onEnded(f.payload.callRef, f.payload.disconnectType, now)
      case "wrapup.started":
        return this.onWrapUp(f.payload.callRef, now)
      case "server.closing":
        this.ctx.metrics.count("serverClosingNotices")
        return
    }
  }

  private onAck(id: string, now: number): void {
    const p = this.pending.get(id)
    if (p === undefined) return
    this.pending.delete(id)
    if (p.type === "login") {
      this.loggedIn = true
      this.logoutSent = false
      this.backoffMs = 0
      this.ctx.metrics.record("login", now - p.intended)
      if (this.droppedAt !== undefined) {
        this.ctx.metrics.record("reconnect", now - this.droppedAt)
        this.droppedAt = undefined
      }
      return
    }
    this.ctx.metrics.record("command_ack", now - p.intended)
    if (p.type === "qualify" && p.callRef !== this.foreignQualify) this.ctx.metrics.count("calls.qualified")
    if (p.type === "logout") this.leave()
  }

  private onError(id: string | undefined, code: string, message: string): void {
    // NB: `state` is the client's view (the last stateChanged received), said in samples.
    const p = id === undefined ? undefined : this.pending.get(id)
    if (id !== undefined) this.pending.delete(id)
    if (p?.type === "login") {
      this.ctx.metrics.error(code)
      this.ctx.fatal("LOGIN_REFUSED", `Odigo refused the login of ${this.login}: ${code} (${message})`)
      return
    }
    if (p?.type === "setState" || p?.type === "logout") this.stateInFlight = false
    if (p?.type === "answer" && code === "UNKNOWN_CALL") {
      // The call left this bar before the answer arrived: its caller hung up while it rang (or
      // it was redirected). A real desktop meets it too; the census says whether a call was lost.
      this.ctx.metrics.count("races.callGoneBeforeAnswer")
    } else if (p !== undefined && code === "INVALID_STATE" && this.offers > p.offersBefore) {
      // An offer crossed the command on the wire (a real desktop meets it too): not a server error.
      this.ctx.metrics.count("races.offerCrossedCommand")
    } else if (p?.callRef !== undefined && (code === "UNKNOWN_CALL" || code === "INVALID_STATE") && this.endedByCaller.includes(p.callRef)) {
      // The caller hung up while the command was on its way (answer to a call abandoned while ringing).
      this.ctx.metrics.count("races.callerHungUpFirst")
    } else this.ctx.metrics.error(code, `${this.login} ${p?.type ?? "frame"}${p?.callRef === undefined ? "" : ` ${p.callRef}`} in state ${this.state}: ${message}${DEBUG ? ` || ${this.recent.join(" | ")}` : ""}`)
    this.applyIntent()
  }

  private onRestored(state: AgentState, call: { callRef: string; flow: string; phase: "offered" | "connected" | "wrapUp"; attachedData: Readonly<Record<string, string>> } | undefined, now: number): void {
    this.state = state
    this.ctx.metrics.count("sessionsRestored")
    const mine = this.call
    if (call === undefined) {
      if (mine !== undefined) this.dropCall()
    } else if (mine === undefined || mine.callRef !== call.callRef) {
      // A call we had not seen (its offer was lost with the connection): take it as it stands.
      this.call = { ...parseCallInfo(call.callRef, call.attachedData, call.flow, this.ctx.runTag), phase: call.phase, talkTimer: undefined, wrapTimer: undefined, talkDue: call.phase === "connected", wrapDue: call.phase === "wrapUp", connectedAt: now, wrapAt: now }
    }
    const c = this.call
    if (c !== undefined && call !== undefined) {
      c.phase = call.phase
      if (c.phase === "offered") this.send({ type: "answer", id: this.id(), payload: { callRef: c.callRef } }, now)
      else if (c.phase === "connected" && c.talkDue) this.endTalk(c, now)
      else if (c.phase === "wrapUp" && c.wrapDue) this.endWrap(c, now)
    }
    this.applyIntent()
  }

  private onOffered(info: CallInfo, queuedMs: number, now: number): void {
    this.offers++
    this.ctx.metrics.count("calls.offered")
    // From the injection's intended instant, less the queue wait the server reports: what the
    // platform added between a call becoming routable and the advisor's bar ringing.
    if (Number.isFinite(info.injectAt)) this.ctx.metrics.record("offer_latency", now - info.injectAt - queuedMs)
    this.call = { ...info, phase: "offered", talkTimer: undefined, wrapTimer: undefined, talkDue: false, wrapDue: false, connectedAt: 0, wrapAt: 0 }
    if (info.owner >= 0) this.ctx.notify(info.owner, { i: info.index, kind: "offered", at: now })
    this.answerIntended = now
    this.send({ type: "answer", id: this.id(), payload: { callRef: info.callRef } }, now)
  }

  private answerIntended = 0
  /** The call of another run being qualified (its qualification is not this run's). */
  private foreignQualify: string | undefined

  private onConnected(callRef: string, now: number): void {
    const c = this.call
    if (c === undefined || c.callRef !== callRef) return
    this.ctx.metrics.record("answer_connected", now - this.answerIntended)
    // A call of another run (left on the server) is answered and ended like any, but counted apart.
    this.ctx.metrics.count(c.owner >= 0 ? "calls.answered" : "calls.foreign")
    c.phase = "connected"
    c.connectedAt = now
    if (c.owner >= 0) this.ctx.notify(c.owner, { i: c.index, kind: "connected", at: now })
    c.talkTimer = this.ctx.scheduler.at(now + c.talkMs, (intended) => this.endTalk(c, intended))
    this.applyIntent()
  }

  private endTalk(c: Current, intended: number): void {
    c.talkTimer = undefined
    if (this.call !== c || c.phase !== "connected") return
    if (!this.loggedIn) {
      c.talkDue = true
      return
    }
    c.talkDue = false
    if (c.transfer) {
      const target = this.ctx.transferTargets[c.index % this.ctx.transferTargets.length] ?? "cpam-1"
      this.send({ type: "transfer", id: this.id(), payload: { callRef: c.callRef, target } }, intended)
    } else this.send({ type: "hangup", id: this.id(), payload: { callRef: c.callRef } }, intended)
  }

  private onEnded(callRef: string, how: string, now: number): void {
    const c = this.call
    if (c === undefined || c.callRef !== callRef) return
    if (how === "abandoned" || how === "caller") {
      this.endedByCaller.push(callRef)
      if (this.endedByCaller.length > 8) this.endedByCaller.shift()
    }
    if (how === "abandoned" || how === "rona" || how === "agentLost") {
      if (how === "rona" && c.owner >= 0) this.ctx.notify(c.owner, { i: c.index, kind: "rona", at: now })
      this.dropCall()
      return
    }
    c.talkTimer?.cancel()
    if (how === "caller") this.ctx.metrics.count("calls.callerHungUpDuringTalk")
    if (c.owner >= 0) this.ctx.handled(now - c.connectedAt, 0, how === "transfer")
  }

  private onWrapUp(callRef: string, now: number): void {
    const c = this.call
    if (c === undefined || c.callRef !== callRef) return
    c.phase = "wrapUp"
    c.wrapAt = now
    if (c.reason !== undefined) {
      if (c.owner < 0) this.foreignQualify = c.callRef
      this.send({ type: "qualify", id: this.id(), payload: { callRef: c.callRef, reason: c.reason as ReasonCode } }, now)
    }
    if (c.ticket && c.owner >= 0) this.ctx.ticket(this, c, now)
    c.wrapTimer = this.ctx.scheduler.at(now + c.wrapMs, (intended) => this.endWrap(c, intended))
  }

  private endWrap(c: Current, intended: number): void {
    c.wrapTimer = undefined
    if (this.call !== c) return
    if (!this.loggedIn || c.phase !== "wrapUp") {
      c.wrapDue = true
      return
    }
    if (c.owner >= 0) this.ctx.handled(0, nowEpochMs() - c.wrapAt, false)
    this.call = undefined
    if (this.intent === "work") this.send({ type: "endWrapUp", id: this.id() }, intended)
    else {
      // Ends the wrap-up straight into not ready (a break or the end of the shift).
      this.stateInFlight = true
      this.send({ type: "setState", id: this.id(), payload: { state: "notReady", reason: this.awayReason() } }, intended)
    }
  }

  private dropCall(): void {
    this.call?.talkTimer?.cancel()
    this.call?.wrapTimer?.cancel()
    this.call = undefined
  }

  private awayReason(): string {
    return this.intent === "leave" ? "endOfShift" : this.breakReason
  }

  /** Moves the server state towards what the advisor wants, one command at a time. */
  private applyIntent(): void {
    if (!this.loggedIn || this.stateInFlight || this.done) return
    const s = this.state
    const now = nowEpochMs()
    if (this.intent === "work") {
      if ((s === "notReady" && !this.workingForm) || s === "pendingNotReady") {
        this.stateInFlight = true
        this.send({ type: "setState", id: this.id(), payload: { state: "ready" } }, now)
      }
      return
    }
    // Away (a break, the end of the shift): from ready at once; on a call, at the end of its
    // wrap-up (./endWrap) — never by a pending not-ready sent during the call, which a caller
    // hanging up meanwhile would turn into an early end of the wrap-up.
    if (s === "ready" || (s === "notReady" && !this.workingForm && this.reason !== this.awayReason() && this.intent === "break")) {
      this.stateInFlight = true
      this.send({ type: "setState", id: this.id(), payload: { state: "notReady", reason: this.awayReason() } }, now)
    } else if (s === "notReady" && this.intent === "leave" && !this.workingForm && this.call === undefined && !this.logoutSent) {
      this.stateInFlight = true
      this.logoutSent = true
      this.send({ type: "logout", id: this.id() }, now)
    }
  }

  private leave(): void {
    if (this.done) return
    this.done = true
    this.loggedIn = false
    this.state = "offline"
    this.closingOnPurpose = true
    this.ws?.close(1000, "end of shift")
    this.ctx.left(this)
  }
}
