/**
 * Schemas of the access history (CCTP 8.1: kept ≥ 1 year), readable by the security officer.
 *
 * Invariant: an entry has no field that could hold a password, an OTP or a token: who
 * (actor, role), what (action, target), when (at), from where (ip, userAgent), outcome.
 */
import * as Schema from "effect/Schema"
import { ErrorCodeSchema } from "./common.js"
import { Email, PositiveIntString, Role, Timestamp } from "./fields.js"

export const AuditOutcome = Schema.Literals(["success", "denied", "rejected", "failed"]).annotate({
  description: "`denied`: 401/403/423/429; `rejected`: other 4xx; `failed`: 5xx."
})

export const AuditEntryView = Schema.Struct({
  seq: Schema.Int,
  at: Timestamp,
  actor: Schema.NullOr(Schema.String).annotate({ description: "Account email, or the email a login was attempted for; null when unknown." }),
  role: Schema.NullOr(Role),
  action: Schema.String.annotate({ description: "Operation id (`tickets.create`) or event (`account.idleDisabled`)." }),
  target: Schema.NullOr(Schema.String).annotate({ description: "What was acted on: `insured:I0000042`, `ticket:T000001`, `account:x@y`." }),
  outcome: AuditOutcome,
  status: Schema.Int,
  code: Schema.NullOr(ErrorCodeSchema),
  ip: Schema.String,
  userAgent: Schema.NullOr(Schema.String)
})
export type AuditEntryView = typeof AuditEntryView.Type

export const AuditQuery = Schema.Struct({
  actor: Schema.optionalKey(Email),
  action: Schema.optionalKey(Schema.String.check(Schema.isPattern(/^[A-Za-z.]{1,64}$/u, { expected: "an action name" }))),
  target: Schema.optionalKey(Schema.String.check(Schema.isPattern(/^[A-Za-z]{1,20}:[A-Za-z0-9@._%+-]{1,254}$/u, { expected: "kind:id" }))),
  from: Schema.optionalKey(Timestamp),
  to: Schema.optionalKey(Timestamp),
  after: Schema.optionalKey(PositiveIntString.annotate({ description: "Cursor: entries with seq > after." })),
  limit: Schema.optionalKey(PositiveIntString.annotate({ description: "1..1000, default 200." }))
})

export const AuditPage = Schema.Struct({
  items: Schema.Array(AuditEntryView),
  next: Schema.NullOr(Schema.Int),
  retentionDays: Schema.Int,
  droppedForMemory: Schema.Int.annotate({ description: "Entries dropped because the in-memory cap was hit (0 unless the cap is reached; see --audit-file)." })
})
