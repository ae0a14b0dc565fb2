/**
 * Cold statistics: per-15-minute-interval accumulators with the inputs of the CCTP KPIs
 * (3.3.2) — offered, answered, abandoned, waits, talk, wrap-up, qualified, transferred — per IVR
 * flow, plus advisors' logged-in / ready / busy time (for the availability rate).
 *
 * Attribution rule (written down because reports differ): every counter of a call — its
 * answer, abandonment, wait, talk, wrap-up, qualification — is credited to the interval in
 * which the call ARRIVED, so per-interval ratios stay between 0 and 1 (answered + abandoned ≤
 * offered). Advisor time is split across interval boundaries as it elapses.
 *
 * Invariant: memory is O(intervals), never O(calls): 96 small rows per day of running.
 * Intervals are aligned on multiples of 15 minutes since the epoch, which are also quarter
 * hours in Europe/Paris (its offsets are whole hours).
 */
import { FLOW_CODES, type FlowCode } from "../sim/domain/vocabulary.js"

/** Interval length: 15 minutes. */
export const INTERVAL_MS = 15 * 60_000

/** Call counters, per flow and interval. `maxWaitMs` is a maximum; the others are sums. */
export const CALL_COUNTERS = [
  "offered",
  "answered",
  "abandoned",
  "abandonedQueued",
  "abandonedRinging",
  "transferred",
  "qualified",
  "ronas",
  "talkEnded",
  "handled",
  "waitAnsweredMs",
  "waitAbandonedMs",
  "maxWaitMs",
  "talkMs",
  "wrapUpMs"
] as const
export type CallCounter = (typeof CALL_COUNTERS)[number]

/** Advisor time, per interval (all flows). `busyMs` covers offered, onCall and pendingNotReady. */
export const AGENT_COUNTERS = ["loggedInMs", "readyMs", "notReadyMs", "busyMs", "wrapUpAgentMs"] as const
export type AgentCounter = (typeof AGENT_COUNTERS)[number]

/** One documented line per column of the interval table (README and OpenAPI use it). */
export const COLUMN_DOCS: Record<CallCounter | AgentCounter, string> = {
  offered: "calls that entered a queue (received, CCTP 3.3.2)",
  answered: "calls answered by an advisor",
  abandoned: "calls the caller hung up before an answer (queued or ringing)",
  abandonedQueued: "abandoned while waiting in queue",
  abandonedRinging: "abandoned while ringing on an advisor's bar",
  transferred: "answered calls transferred to a level-1+ platform",
  qualified: "answered calls given a reason (one of the 17)",
  ronas: "offers that timed out unanswered (redirection on no answer)",
  talkEnded: "answered calls whose conversation ended (hung up, transferred or lost)",
  handled: "answered calls whose wrap-up ended",
  waitAnsweredMs: "total queue wait of answered calls, ms",
  waitAbandonedMs: "total queue wait of abandoned calls, ms",
  maxWaitMs: "longest queue wait of an answered or abandoned call, ms",
  talkMs: "total talk time, ms",
  wrapUpMs: "total wrap-up time of the calls, ms",
  loggedInMs: "advisors' logged-in time, ms (all flows)",
  readyMs: "advisors' idle-available (ready) time, ms",
  notReadyMs: "advisors' not-ready (pause) time, ms",
  busyMs: "advisors' time ringing or on a call, ms",
  wrapUpAgentMs: "advisors' time in wrap-up, ms"
}

interface Row {
  readonly startMs: number
  readonly flows: Record<FlowCode, Float64Array>
  readonly agent: Float64Array
}

const idx = Object.fromEntries(CALL_COUNTERS.map((c, i) => [c, i])) as Record<CallCounter, number>
const aidx = Object.fromEntries(AGENT_COUNTERS.map((c, i) => [c, i])) as Record<AgentCounter, number>

/** A row of the interval table as the API returns it. */
export type IntervalRow = { intervalStart: string; intervalEnd: string } & Record<CallCounter | AgentCounter, number>

/** Totals over a time range (for the real-time "today" figures). */
export type Totals = Record<CallCounter, number>

export const intervalStartOf = (ms: number): number => Math.floor(ms / INTERVAL_MS) * INTERVAL_MS

export class IntervalStats {
  private readonly rows = new Map<number, Row>()

  private row(startMs: number): Row {
    let r = this.rows.get(startMs)
    if (r === undefined) {
      const flows = {} as Record<FlowCode, Float64Array>
      for (const f of FLOW_CODES) flows[f] = new Float64Array(CALL_COUNTERS.length)
      r = { startMs, flows, agent: new Float64Array(AGENT_COUNTERS.length) }
      this.rows.set(startMs, r)
    }
    return r
  }

  /** Adds `value` to a call counter of the interval starting at `intervalStartMs`. */
  add(intervalStartMs: number, flow: FlowCode, counter: CallCounter, value = 1): void {
    const a = this.row(intervalStartMs).flows[flow]
    if (counter === "maxWaitMs") a[idx.maxWaitMs] = Math.max(a[idx.maxWaitMs]!, value)
    else a[idx[counter]]! += value
  }

  /** Credits advisor time in `counter` from `fromMs` to `toMs`, split across intervals. */
  addAgentTime(counter: AgentCounter, fromMs: number, toMs: number): void {
    let t = fromMs
    while (t < toMs) {
      const start = intervalStartOf(t)
      const end = Math.min(toMs, start + INTERVAL_MS)
      this.row(start).agent[aidx[counter]]! += end - t
      t = end
    }
  }

  /** Every interval from `fromMs` (rounded down) up to `toMs` (exclusive), zero rows included. */
  intervals(fromMs: number, toMs: number, flow?: FlowCode): Array<IntervalRow> {
    const out: Array<IntervalRow> = []
    const flows = flow === undefined ? FLOW_CODES : [flow]
    for (let start = intervalStartOf(fromMs); start < toMs; start += INTERVAL_MS) {
      const r = this.rows.get(start)
      const row = { intervalStart: new Date(start).toISOString(), intervalEnd: new Date(start + INTERVAL_MS).toISOString() } as IntervalRow
      for (const c of CALL_COUNTERS) {
        let v = 0
        if (r !== undefined) for (const f of flows) v = c === "maxWaitMs" ? Math.max(v, r.flows[f][idx[c]]!) : v + r.flows[f][idx[c]]!
        row[c] = v
      }
      for (const c of AGENT_COUNTERS) row[c] = r === undefined ? 0 : r.agent[aidx[c]]!
      out.push(row)
    }
    return out
  }

  /** Call counters summed over the intervals that start in [fromMs, toMs), for one flow or all. */
  totals(fromMs: number, toMs: number, flow?: FlowCode): Totals {
    const t = Object.fromEntries(CALL_COUNTERS.map((c) => [c, 0])) as Totals
    const flows = flow === undefined ? FLOW_CODES : [flow]
    for (const r of this.rows.values()) {
      if (r.startMs < intervalStartOf(fromMs) || r.startMs >= toMs) continue
      for (const f of flows) {
        for (const c of CALL_COUNTERS) t[c] = c === "maxWaitMs" ? Math.max(t[c], r.flows[f][idx[c]]!) : t[c] + r.flows[f][idx[c]]!
      }
    }
    return t
  }
}

const parisParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Paris",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23"
})

/** Offset of Europe/Paris from UTC at instant `ms`, in ms (3,600,000 in winter, 7,200,000 in summer). */
const parisOffsetMs = (ms: number): number => {
  const p = Object.fromEntries(parisParts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]))
  const wall = Date.UTC(Number(p["year"]), Number(p["month"]) - 1, Number(p["day"]), Number(p["hour"]), Number(p["minute"]), Number(p["second"]))
  return wall - Math.floor(ms / 1000) * 1000
}

/** Epoch ms of the most recent midnight in Europe/Paris at or before `ms` ("today" for the CCTP). */
export const parisDayStartMs = (ms: number): number => {
  const offset = parisOffsetMs(ms)
  const wall = ms + offset
  const midnightWall = Math.floor(wall / 86_400_000) * 86_400_000
  // Re-read the offset at the candidate midnight: it differs on daylight-saving change days.
  return midnightWall - parisOffsetMs(midnightWall - offset)
}
