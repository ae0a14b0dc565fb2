/**
 * The ACD's records: a call, an agent session, and where their frames go.
 *
 * These are plain mutable records owned by one `Platform`; only the platform changes them, and
 * `audit()` (acd/audit.ts) checks that they are consistent with each other: a call is in exactly
 * one place (a queue, ringing on one agent, connected to one agent, or ended), and an agent
 * that holds a call is the agent that call names.
 */
import type { FlowCode, ReasonCode } from "../../sim/contract/vocabulary.js"
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
