/**
 * REST bodies and responses of mock-odigo, as effect Schemas. Request bodies and queries are
 * decoded with them strictly (a property they do not define is UNKNOWN_FIELD) and documented so
 * (`additionalProperties: false`); responses are documented with them (strict) in the OpenAPI
 * document, and the tests check real responses against that document.
 */
import * as Schema from "effect/Schema"
import { FLOW_CODES, type FlowCode } from "../../sim/domain/vocabulary.js"
import { REST_ERROR_CODES } from "../errors.js"
import { AccountView } from "../accounts.js"
import { FaultSettings } from "../faults.js"
import {
  AttachedData,
  CALL_STATUSES,
  CallRef,
  DisconnectTypeSchema,
  DurationMs,
  Flow,
  Login,
  Reason,
  Timestamp
} from "../protocol/common.js"
import { AgentView, AgentsByState, QueueView, Today } from "../protocol/events.js"
import { AGENT_COUNTERS, CALL_COUNTERS, COLUMN_DOCS } from "../stats.js"

export const ErrorBody = Schema.Struct({
  code: Schema.Literals(REST_ERROR_CODES),
  message: Schema.String
}).annotate({ description: "Error with a stable code from the catalogue (mock-odigo/errors.ts)." })

export { InjectBody } from "../protocol/rest.js"

export const CallView = Schema.Struct({
  callRef: CallRef,
  flow: Flow,
  gateId: Schema.String,
  status: Schema.Literals(CALL_STATUSES),
  arrivedAt: Timestamp,
  waitMs: DurationMs.annotate({ description: "Queue wait so far (live) or until answer/abandonment, ms." }),
  offers: Schema.Int.annotate({ description: "Times the call was offered to an agent (1 + RONAs)." }),
  attachedData: AttachedData,
  agent: Schema.optionalKey(Login),
  answeredAt: Schema.optionalKey(Timestamp),
  endedAt: Schema.optionalKey(Timestamp),
  disconnectType: Schema.optionalKey(DisconnectTypeSchema),
  transferTarget: Schema.optionalKey(Schema.String),
  qualification: Schema.optionalKey(Reason)
})
export type CallView = typeof CallView.Type

export const CallRefParams = Schema.Struct({ callRef: CallRef })
export const LoginParams = Schema.Struct({ login: Login })

export const StatsQuery = Schema.Struct({
  from: Schema.optionalKey(Timestamp.annotate({ description: "Start (ISO 8601), rounded down to a quarter hour; default: today 00:00 Europe/Paris." })),
  to: Schema.optionalKey(Timestamp.annotate({ description: "End (ISO 8601, exclusive); default: now." })),
  format: Schema.optionalKey(Schema.Literals(["json", "csv"])),
  flow: Schema.optionalKey(Flow.annotate({ description: "Only this flow's call counters (advisor time is always all flows)." }))
})

const rowFields: Record<string, Schema.Top> = {
  intervalStart: Timestamp,
  intervalEnd: Timestamp
}
for (const c of [...CALL_COUNTERS, ...AGENT_COUNTERS]) rowFields[c] = Schema.Finite.annotate({ description: COLUMN_DOCS[c] })
export const IntervalRowSchema = Schema.Struct(rowFields as { [k: string]: Schema.Top })

export const StatsResponse = Schema.Struct({
  from: Timestamp,
  to: Timestamp,
  intervalMinutes: Schema.Literal(15),
  flow: Schema.Literals(["all", ...FLOW_CODES] as ReadonlyArray<"all" | FlowCode>),
  rows: Schema.Array(IntervalRowSchema)
})

export const Census = Schema.Struct({
  injected: Schema.Int,
  answered: Schema.Int.annotate({ description: "Calls answered (connected now or ended after an answer)." }),
  abandoned: Schema.Int,
  queued: Schema.Int,
  ringing: Schema.Int,
  connected: Schema.Int
})

export const AuditView = Schema.Struct({
  ok: Schema.Boolean,
  census: Census,
  violations: Schema.Array(Schema.String)
})

export const Health = Schema.Struct({
  status: Schema.Literals(["ok", "closing"]),
  uptimeMs: DurationMs,
  connections: Schema.Struct({ agent: Schema.Int, supervision: Schema.Int }),
  sessions: Schema.Int,
  accounts: Schema.Int,
  calls: Census
})

export const ConfigView = Schema.Struct({
  ronaMs: DurationMs,
  graceMs: DurationMs,
  loginTimeoutMs: DurationMs,
  heartbeatMs: DurationMs,
  supervisionTickMs: DurationMs,
  maxPayloadBytes: Schema.Int,
  requireQualification: Schema.Boolean,
  maxQueuedCalls: Schema.Int,
  transferTargets: Schema.Array(Schema.String),
  gates: Schema.Array(Schema.Struct({ flow: Flow, gateId: Schema.String })),
  agentRate: Schema.Struct({ ratePerSec: Schema.Finite, burst: Schema.Int })
})

export const ReasonsView = Schema.Struct({
  reasons: Schema.Array(Schema.Struct({ code: Reason, label: Schema.String })),
  flows: Schema.Array(Schema.Struct({ code: Flow, label: Schema.String }))
})

export const AgentsView = Schema.Struct({ agents: Schema.Array(AgentView) })
export const AccountsView = Schema.Struct({ accounts: Schema.Array(AccountView) })

export const FaultsView = Schema.Struct({
  faults: FaultSettings,
  heldFrames: Schema.Int.annotate({ description: "Frames currently delayed by injected latency." }),
  droppedFrames: Schema.Int.annotate({ description: "Frames dropped by the drop rate since the server started." }),
  disconnected: Schema.optionalKey(Schema.Int.annotate({ description: "Agent connections cut by this request." })),
  notified: Schema.optionalKey(Schema.Int.annotate({ description: "Connections that received this request's server.closing notice." }))
})

export const RealtimeView = Schema.Struct({
  at: Timestamp,
  queues: Schema.Array(QueueView),
  agentsByState: AgentsByState,
  today: Today
})
