/**
 * Field schemas shared by the websocket frames and the REST bodies of mock-odigo.
 *
 * One definition per wire concept (call reference, agent state, flow, reason, timestamp), so
 * the decoders, the TypeScript types and the generated AsyncAPI/OpenAPI documents agree. The
 * flow and reason codes come from the contract vocabulary (sim/domain/vocabulary.ts), never
 * copied.
 */
import * as Schema from "effect/Schema"
import { FLOW_CODES, REASON_CODES } from "../../sim/domain/vocabulary.js"

/** Agent states (CCTP 10.1 "bandeau" states, in the vocabulary of the issue). */
export const AGENT_STATES = ["loggedOut", "notReady", "ready", "offered", "onCall", "wrapUp", "pendingNotReady"] as const
export type AgentState = (typeof AGENT_STATES)[number]

/** Ways a call leg ends for the agent (`call.ended.disconnectType`). */
export const DISCONNECT_TYPES = ["agent", "caller", "transfer", "abandoned", "rona", "agentLost"] as const
export type DisconnectType = (typeof DISCONNECT_TYPES)[number]

/** Life-cycle status of a call as `GET /calls/:callRef` reports it. */
export const CALL_STATUSES = ["queued", "ringing", "connected", "answered", "abandoned"] as const
export type CallStatus = (typeof CALL_STATUSES)[number]

export const Id = Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(64)).annotate({
  description: "Client-chosen correlation id, echoed in the `ack` or `error` that answers the command."
})

export const CallRef = Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(64)).annotate({
  description: "Call reference assigned by the mock when the call is injected."
})

export const Login = Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(64)).annotate({
  description: "Nominative account login."
})

export const Flow = Schema.Literals(FLOW_CODES as ReadonlyArray<(typeof FLOW_CODES)[number]>).annotate({
  description: "IVR (SVI) flow of the 3422: `opposition` or `horsOpposition` (CCTP 2.1.3)."
})

export const Reason = Schema.Literals(REASON_CODES as ReadonlyArray<(typeof REASON_CODES)[number]>).annotate({
  description: "One of the 17 call reasons of CCTP 2.1.7 (see GET /reasons)."
})

export const AgentStateSchema = Schema.Literals(AGENT_STATES).annotate({ description: "Agent state." })

export const NotReadyReason = Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(64)).annotate({
  description: "Not-ready (pause) reason code, free text; `rona` is set by the server after an unanswered offer."
})

export const Timestamp = Schema.String.annotate({
  format: "date-time",
  description: "ISO 8601 instant (UTC) from the server clock."
})

export const DurationMs = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)).annotate({
  description: "Duration in milliseconds."
})

export const AttachedData = Schema.Record(
  Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(64)),
  Schema.String.check(Schema.isMaxLength(256))
)
  .check(Schema.isMaxProperties(20))
  .annotate({
    description: "Key/value data attached to the call by the IVR or the injector (at most 20 keys, values up to 256 characters)."
  })

export const DisconnectTypeSchema = Schema.Literals(DISCONNECT_TYPES).annotate({
  description:
    "agent: the agent hung up; caller: the caller hung up while connected; transfer: transferred to a level-1+ target; " +
    "abandoned: the caller hung up while the call was ringing; rona: the offer timed out (redirection on no answer); " +
    "agentLost: the agent's reconnection grace period expired during the call."
})
