/**
 * Server-to-client frames (events, acks, errors) of the two websockets, as effect Schemas.
 *
 * The server builds these frames from the TypeScript types derived here, so what it sends and
 * what the AsyncAPI document promises are one definition. The schemas are strict (no extra
 * properties): test/odigo validates every frame the mock emits during the suite against the
 * generated document.
 */
import * as Schema from "effect/Schema"
import { WS_ERROR_CODES } from "../errors.js"
import {
  AgentStateSchema,
  AttachedData,
  CallRef,
  DisconnectTypeSchema,
  DurationMs,
  Flow,
  Id,
  Login,
  NotReadyReason,
  Timestamp
} from "./common.js"

const event = <const T extends string, P extends Schema.Top>(type: T, payload: P, description: string) =>
  Schema.Struct({ type: Schema.Literal(type), payload }).annotate({ description })

export const AckFrame = Schema.Struct({ type: Schema.Literal("ack"), id: Id }).annotate({
  description: "The command with this id was accepted and applied."
})

export const ErrorFrame = Schema.Struct({
  type: Schema.Literal("error"),
  id: Schema.optionalKey(Id),
  code: Schema.Literals(WS_ERROR_CODES),
  message: Schema.String
}).annotate({
  description: "The command (with this id, when it had one) was refused and changed nothing; `code` is from the catalogue."
})

export const AgentStateChanged = event(
  "agent.stateChanged",
  Schema.Struct({ state: AgentStateSchema, reason: Schema.optionalKey(NotReadyReason), since: Timestamp }),
  "The agent's state changed; `since` is when the new state began."
)

export const CallOffered = event(
  "call.offered",
  Schema.Struct({
    callRef: CallRef,
    gateId: Schema.String.annotate({ description: "Entry point (gate) of the call's IVR flow." }),
    flow: Flow,
    queuedMs: DurationMs.annotate({ description: "Time the caller has waited since entering the queue, in milliseconds." }),
    attachedData: AttachedData
  }),
  "A call is ringing on the agent's bar; answer it before the RONA timeout."
)

export const CallConnected = event(
  "call.connected",
  Schema.Struct({ callRef: CallRef }),
  "The agent and the caller are connected (the off-hook signal)."
)

export const CallEnded = event(
  "call.ended",
  Schema.Struct({ callRef: CallRef, disconnectType: DisconnectTypeSchema }),
  "The call left the agent's bar."
)

export const WrapUpStarted = event(
  "wrapup.started",
  Schema.Struct({ callRef: CallRef }),
  "Wrap-up (after-call work) started for this call: qualify it, then `endWrapUp`."
)

export const SessionCall = Schema.Struct({
  callRef: CallRef,
  flow: Flow,
  gateId: Schema.String,
  phase: Schema.Literals(["offered", "connected", "wrapUp"]),
  attachedData: AttachedData
})

export const SessionRestored = event(
  "session.restored",
  Schema.Struct({
    state: AgentStateSchema,
    reason: Schema.optionalKey(NotReadyReason),
    since: Timestamp,
    call: Schema.optionalKey(SessionCall)
  }),
  "Sent after `login` when the account's session was still alive (reconnection within the grace period, or takeover): " +
    "the current state and call, unchanged."
)

export const ServerClosing = event(
  "server.closing",
  Schema.Struct({
    reason: Schema.String,
    closingInMs: Schema.optionalKey(DurationMs)
  }),
  "The server is about to close connections (shutdown or maintenance notice); reconnect later."
)

const ANSWER_RATE =
  "Answer rate (CCTP 3.3.2): answered / offered, over the calls received today (Europe/Paris day) — calls still queued or " +
  "ringing count as received and not answered; null before the first call of the day."
const MEAN_WAIT =
  "Mean queue wait (CCTP 3.3.2), ms: total queue wait / offered, over the calls received today — the total counts the " +
  "waits of answered and abandoned calls and the wait so far of calls still queued or ringing; null before the first call of the day."

/** Today's figures of one queue (IVR flow). */
export const QueueToday = Schema.Struct({
  offered: Schema.Int.annotate({ description: "Calls that entered this queue today (received)." }),
  answered: Schema.Int,
  abandoned: Schema.Int,
  answerRate: Schema.NullOr(Schema.Finite).annotate({ description: ANSWER_RATE }),
  meanWaitMs: Schema.NullOr(Schema.Int).annotate({ description: MEAN_WAIT })
})

export const QueueView = Schema.Struct({
  flow: Flow,
  gateId: Schema.String,
  waiting: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  ringing: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  longestWaitMs: DurationMs.annotate({ description: "Wait so far of the call at the head of the queue (0 when empty)." }),
  today: QueueToday
})

export const AgentsByState = Schema.Struct({
  notReady: Schema.Int,
  ready: Schema.Int,
  offered: Schema.Int,
  onCall: Schema.Int,
  wrapUp: Schema.Int,
  pendingNotReady: Schema.Int
})

export const Today = Schema.Struct({
  offered: Schema.Int.annotate({ description: "Calls that entered a queue today (received), both flows." }),
  answered: Schema.Int,
  abandoned: Schema.Int,
  transferred: Schema.Int,
  qualified: Schema.Int,
  answerRate: Schema.NullOr(Schema.Finite).annotate({ description: ANSWER_RATE }),
  meanWaitMs: Schema.NullOr(Schema.Int).annotate({ description: MEAN_WAIT }),
  meanTalkMs: Schema.NullOr(Schema.Int).annotate({ description: "Mean talk time of today's calls whose conversation ended (DMC)." }),
  meanHandlingMs: Schema.NullOr(Schema.Int).annotate({ description: "Mean talk time plus mean wrap-up time (DMT), today." })
})

export const AgentView = Schema.Struct({
  login: Login,
  firstName: Schema.String,
  lastName: Schema.String,
  state: AgentStateSchema,
  reason: Schema.optionalKey(NotReadyReason),
  since: Timestamp,
  connected: Schema.Boolean.annotate({ description: "False while the agent is disconnected inside the grace period." }),
  callRef: Schema.optionalKey(CallRef)
})

export const SupervisionSnapshot = event(
  "supervision.snapshot",
  Schema.Struct({
    at: Timestamp,
    queues: Schema.Array(QueueView),
    agentsByState: AgentsByState,
    today: Today,
    agents: Schema.Array(AgentView)
  }),
  "Full real-time picture, sent once after a supervisor logs in."
)

export const SupervisionDelta = event(
  "supervision.delta",
  Schema.Struct({
    at: Timestamp,
    queues: Schema.Array(QueueView),
    agentsByState: AgentsByState,
    today: Today,
    agents: Schema.Array(AgentView).annotate({ description: "Agents whose view changed since the previous delta sent to this supervisor." }),
    removed: Schema.Array(Login).annotate({ description: "Agents that logged out (or whose grace period expired)." }),
    coalesced: Schema.Int.annotate({
      description: "Number of one-second deltas merged into this one because the supervisor was reading too slowly."
    })
  }),
  "Changes since the previous delta, every second."
)

/** Frames of the /agent websocket, by `type`. */
export const AGENT_EVENTS = {
  ack: AckFrame,
  error: ErrorFrame,
  "agent.stateChanged": AgentStateChanged,
  "call.offered": CallOffered,
  "call.connected": CallConnected,
  "call.ended": CallEnded,
  "wrapup.started": WrapUpStarted,
  "session.restored": SessionRestored,
  "server.closing": ServerClosing
} as const

/** Frames of the /supervision websocket, by `type`. */
export const SUPERVISION_EVENTS = {
  ack: AckFrame,
  error: ErrorFrame,
  "supervision.snapshot": SupervisionSnapshot,
  "supervision.delta": SupervisionDelta,
  "server.closing": ServerClosing
} as const

type Mutable<T> = T extends ReadonlyArray<infer U> ? Array<Mutable<U>> : T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T

export type AgentEvent = { [K in keyof typeof AGENT_EVENTS]: Mutable<(typeof AGENT_EVENTS)[K]["Type"]> }[keyof typeof AGENT_EVENTS]
export type SupervisionEvent = {
  [K in keyof typeof SUPERVISION_EVENTS]: Mutable<(typeof SUPERVISION_EVENTS)[K]["Type"]>
}[keyof typeof SUPERVISION_EVENTS]
/** Any frame the server sends. */
export type ServerFrame = AgentEvent | SupervisionEvent
export type AgentViewFrame = Mutable<typeof AgentView.Type>
export type SessionCallFrame = Mutable<typeof SessionCall.Type>
export type SupervisionTotals = Omit<Mutable<typeof SupervisionDelta.Type>["payload"], "agents" | "removed" | "coalesced" | "at">
