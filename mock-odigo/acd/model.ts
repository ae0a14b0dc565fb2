/**
 * The ACD's records — a call, an agent session, where their frames go — and the platform's
 * configuration and hooks.
 *
 * These are plain mutable records owned by one `Platform`; only the platform changes them, and
 * `audit()` (acd/audit.ts) checks that they are consistent with each other: a call is in exactly
 * one place (a queue, ringing on one agent, connected to one agent, or ended), and an agent
 * that holds a call is the agent that call names.
 */
import type { FlowCode, ReasonCode } from "../../sim/domain/vocabulary.js"
import type { Account } from "../accounts.js"
import type { Timer } from "../clock.js"
import type { AgentState, CallStatus, DisconnectType } from "../protocol/common.js"
import type { AgentEvent } from "../protocol/events.js"
import type { CallQueue } from "./queue.js"

/** Where an agent's frames go: its current websocket connection. */
export interface AgentSink {
  send(frame: AgentEvent): void
}

export interface Call {
  readonly ref: string
  /** Injection order, 1-based; ties between queues are broken on it. */
  readonly seq: number
  readonly flow: FlowCode
  readonly gateId: string
  readonly attachedData: Record<string, string>
  /** When the call entered its queue (epoch ms); queue waits are measured from here. */
  readonly arrivedAtMs: number
  /** Statistics interval the call is credited to (its arrival interval). */
  readonly intervalStartMs: number
  status: CallStatus
  /** The agent it rings on or is connected to; after the end, the agent that handled it. */
  agent: Agent | undefined
  answeredAtMs: number | undefined
  endedAtMs: number | undefined
  disconnectType: DisconnectType | undefined
  transferTarget: string | undefined
  qualification: ReasonCode | undefined
  /** Times the call was offered (1 + number of RONAs). */
  offers: number
  patienceTimer: Timer | undefined
  ronaTimer: Timer | undefined
  /** Intrusive queue links, set only while queued. */
  queue: CallQueue | undefined
  prev: Call | undefined
  next: Call | undefined
}

export interface Agent {
  readonly account: Account
  state: AgentState
  /** Not-ready reason (state notReady) or the requested one (state pendingNotReady). */
  reason: string | undefined
  /** When the current state began (epoch ms). */
  sinceMs: number
  /** Rank of the moment the agent last became ready (platform-wide, increasing): its place in the ready pool. */
  readySeq: number
  /** The call offered to, connected to, or being wrapped up by this agent. */
  call: Call | undefined
  /** A notReady asked for during the call, applied when wrap-up ends (with its reason). */
  pendingNotReady: { reason: string | undefined } | undefined
  wrapStartedAtMs: number | undefined
  /** The live connection; undefined while disconnected inside the grace period. */
  sink: AgentSink | undefined
  graceTimer: Timer | undefined
  /** Statistics: agent time is accrued up to this instant for the current state. */
  accruedToMs: number
}

export interface PlatformConfig {
  /** Ring time before an unanswered offer is withdrawn (RONA), ms. */
  readonly ronaMs: number
  /** How long a disconnected agent's session (and call) is kept for a reconnection, ms. */
  readonly graceMs: number
  /** Level-1+ platforms calls may be transferred to. */
  readonly transferTargets: ReadonlyArray<string>
  /** Gate (entry point) of each IVR flow. */
  readonly gateIds: Readonly<Record<FlowCode, string>>
  /** When true, wrap-up cannot end before the call is qualified. */
  readonly requireQualification: boolean
  /** Most calls waiting in queues at once; further injections get QUEUE_FULL. */
  readonly maxQueuedCalls: number
  /** How many ended calls `GET /calls/:callRef` still remembers (memory stays bounded). */
  readonly retainEndedCalls: number
}

export interface PlatformHooks {
  /** An agent's view changed (state, connection, call). */
  agentChanged(agent: Agent): void
  /** An agent's session ended (logout, grace expiry, account removal). */
  agentRemoved(login: string): void
}

/** Input of a call injection (`POST /calls`). */
export interface Injection {
  readonly flow: FlowCode
  readonly reason?: ReasonCode
  readonly patienceMs?: number
  readonly attachedData?: Readonly<Record<string, string>>
}
