/**
 * The real-time supervision feed: a snapshot when a supervisor logs in, then one delta per
 * second with the queues, agents by state, today's KPIs, and the agents whose view changed.
 *
 * Today's KPIs follow the CCTP 3.3.2 formulas over the calls received today (Europe/Paris day),
 * per queue and for both: answer rate = answered / offered; mean wait = total queue wait /
 * offered, where the total includes the wait so far of calls still queued or ringing (so a
 * queue that fills up shows its mean wait rising, not falling). Once no call of the day is
 * waiting, both equal the cold-statistics formulas applied to today's interval rows.
 *
 * Slow readers: before each delta the hub looks at the supervisor's unsent backlog; above
 * `highWaterBytes` it skips that second and keeps accumulating which agents changed (a set of
 * logins, bounded by the number of agents), so the next delta it can send carries the latest
 * view of every agent that changed in between and says how many seconds it coalesced.
 * Invariant: per supervisor, the hub holds at most one pending entry per agent — memory does
 * not grow with time or with the rate of changes, however slowly the supervisor reads.
 */
import { FLOW_CODES, type FlowCode } from "../sim/domain/vocabulary.js"
import type { Clock, Timer } from "./clock.js"
import type { Platform } from "./acd/platform.js"
import { agentView } from "./acd/views.js"
import type { ServerFrame, SupervisionTotals } from "./protocol/events.js"
import { parisDayStartMs, type Totals } from "./stats.js"

/** Where a supervisor's frames go. */
export interface SupervisorSink {
  send(frame: ServerFrame): void
  /** Bytes accepted for sending but not yet written to the network. */
  readonly bufferedAmount: number
}

interface Subscriber {
  readonly sink: SupervisorSink
  readonly changed: Set<string>
  readonly removed: Set<string>
  coalesced: number
}

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null)
const mean = (sum: number, n: number): number | null => (n > 0 ? Math.round(sum / n) : null)

/**
 * CCTP 3.3.2 answer rate and mean wait over the calls received (`offered`): `waitingMs` is the
 * wait so far of the received calls still queued or ringing.
 */
const receivedKpis = (t: Totals, waitingMs: number) => ({
  answerRate: ratio(t.answered, t.offered),
  meanWaitMs: mean(t.waitAnsweredMs + t.waitAbandonedMs + waitingMs, t.offered)
})

export class SupervisionHub {
  private readonly subs = new Map<SupervisorSink, Subscriber>()
  private timer: Timer | undefined = undefined
  /** Deltas skipped because a supervisor was reading too slowly (since start). */
  skippedDeltas = 0

  constructor(
    private readonly platform: Platform,
    private readonly clock: Clock,
    private readonly options: { readonly tickMs: number; readonly highWaterBytes: number }
  ) {}

  get size(): number {
    return this.subs.size
  }

  /** Registers a supervisor and sends the snapshot. */
  add(sink: SupervisorSink): void {
    this.subs.set(sink, { sink, changed: new Set(), removed: new Set(), coalesced: 0 })
    const p = this.platform
    sink.send({ type: "supervision.snapshot", payload: { ...this.totals(), agents: [...p.sessions.values()].map(agentView) } })
    if (this.timer === undefined) this.timer = this.clock.setTimer(this.options.tickMs, () => this.tick())
  }

  remove(sink: SupervisorSink): void {
    this.subs.delete(sink)
    if (this.subs.size === 0) {
      this.clock.clearTimer(this.timer)
      this.timer = undefined
    }
  }

  agentChanged(login: string): void {
    for (const s of this.subs.values()) {
      s.changed.add(login)
      s.removed.delete(login)
    }
  }

  agentRemoved(login: string): void {
    for (const s of this.subs.values()) {
      s.changed.delete(login)
      s.removed.add(login)
    }
  }

  /** Sends one delta to every supervisor that can take it (every `tickMs`). */
  tick(): void {
    this.timer = undefined
    if (this.subs.size === 0) return
    const totals = this.totals()
    const p = this.platform
    for (const s of this.subs.values()) {
      if (s.sink.bufferedAmount > this.options.highWaterBytes) {
        s.coalesced++
        this.skippedDeltas++
        continue
      }
      const agents = []
      for (const login of s.changed) {
        const a = p.sessions.get(login)
        if (a !== undefined) agents.push(agentView(a))
      }
      s.sink.send({ type: "supervision.delta", payload: { ...totals, agents, removed: [...s.removed], coalesced: s.coalesced } })
      s.changed.clear()
      s.removed.clear()
      s.coalesced = 0
    }
    this.timer = this.clock.setTimer(this.options.tickMs, () => this.tick())
  }

  /** What the hub holds for one supervisor: changed and removed agents, deltas coalesced. */
  backlogOf(sink: SupervisorSink): { changed: number; removed: number; coalesced: number } | undefined {
    const s = this.subs.get(sink)
    return s === undefined ? undefined : { changed: s.changed.size, removed: s.removed.size, coalesced: s.coalesced }
  }

  stop(): void {
    this.clock.clearTimer(this.timer)
    this.timer = undefined
    this.subs.clear()
  }

  /** Queues, agents by state and today's figures, shared by every supervisor this second. */
  totals(): SupervisionTotals & { at: string } {
    const p = this.platform
    const now = this.clock.nowMs()
    const dayStartMs = parisDayStartMs(now)
    // Wait so far of today's calls still queued or ringing, per flow: O(live calls), once a second.
    const waitingMs = Object.fromEntries(FLOW_CODES.map((f) => [f, 0])) as Record<FlowCode, number>
    for (const call of p.live.values()) {
      if (call.status !== "connected" && call.intervalStartMs >= dayStartMs) waitingMs[call.flow] += now - call.arrivedAtMs
    }
    const queues = FLOW_CODES.map((flow) => {
      const q = p.queues[flow]
      const t = p.stats.totals(dayStartMs, now + 1, flow)
      return {
        flow,
        gateId: q.gateId,
        waiting: q.size,
        ringing: p.ringing[flow],
        longestWaitMs: q.head === undefined ? 0 : now - q.head.arrivedAtMs,
        today: { offered: t.offered, answered: t.answered, abandoned: t.abandoned, ...receivedKpis(t, waitingMs[flow]) }
      }
    })
    const c = p.stateCounts
    const t = p.stats.totals(dayStartMs, now + 1)
    return {
      at: new Date(now).toISOString(),
      queues,
      agentsByState: { notReady: c.notReady, ready: c.ready, offered: c.offered, onCall: c.onCall, wrapUp: c.wrapUp, pendingNotReady: c.pendingNotReady },
      today: {
        offered: t.offered,
        answered: t.answered,
        abandoned: t.abandoned,
        transferred: t.transferred,
        qualified: t.qualified,
        ...receivedKpis(t, FLOW_CODES.reduce((sum, f) => sum + waitingMs[f], 0)),
        meanTalkMs: mean(t.talkMs, t.talkEnded),
        meanHandlingMs: t.talkEnded > 0 && t.handled > 0 ? Math.round(t.talkMs / t.talkEnded + t.wrapUpMs / t.handled) : null
      }
    }
  }
}
