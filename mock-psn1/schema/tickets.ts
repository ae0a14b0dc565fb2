/**
 * Schemas of level-2 tickets: creation (idempotent with `Idempotency-Key`), comments and the
 * status workflow new → inProgress → resolved → closed.
 */
import * as Schema from "effect/Schema"
import { Email, FlowCodeSchema, InsuredId, LIMITS, PlainText, PositiveIntString, ReasonCodeSchema, TicketId, Timestamp } from "./fields.js"

export const TicketStatus = Schema.Literals(["new", "inProgress", "resolved", "closed"])
export type TicketStatus = typeof TicketStatus.Type
export const Priority = Schema.Literals(["low", "normal", "high"])

export const CreateTicketRequest = Schema.Struct({
  reason: ReasonCodeSchema,
  flow: Schema.optionalKey(FlowCodeSchema),
  insuredId: Schema.optionalKey(InsuredId),
  title: PlainText(LIMITS.titleChars, "Short summary."),
  description: PlainText(LIMITS.descriptionChars, "What the caller reported and what was tried."),
  priority: Schema.optionalKey(Priority)
})
export type CreateTicketRequest = typeof CreateTicketRequest.Type

export const CommentView = Schema.Struct({ id: Schema.Int, author: Email, body: Schema.String, at: Timestamp })

export const StatusChangeView = Schema.Struct({
  from: TicketStatus,
  to: TicketStatus,
  by: Email,
  at: Timestamp,
  note: Schema.NullOr(Schema.String)
})

export const TicketView = Schema.Struct({
  id: TicketId,
  status: TicketStatus,
  reason: ReasonCodeSchema,
  flow: Schema.NullOr(FlowCodeSchema),
  insuredId: Schema.NullOr(InsuredId),
  title: Schema.String,
  description: Schema.String,
  priority: Priority,
  createdBy: Email,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  comments: Schema.Array(CommentView),
  history: Schema.Array(StatusChangeView)
}).annotate({ identifier: "TicketView" })
export type TicketView = typeof TicketView.Type

export const TicketQuery = Schema.Struct({
  status: Schema.optionalKey(TicketStatus),
  reason: Schema.optionalKey(ReasonCodeSchema),
  insuredId: Schema.optionalKey(InsuredId),
  mine: Schema.optionalKey(Schema.Literals(["true", "false"]).annotate({ description: "Only tickets you created." })),
  limit: Schema.optionalKey(PositiveIntString.annotate({ description: "1..100, default 50." })),
  after: Schema.optionalKey(TicketId.annotate({ description: "Cursor: the `next` of the previous page." }))
})

export const TicketList = Schema.Struct({ items: Schema.Array(TicketView), next: Schema.NullOr(TicketId) })
export const TicketParams = Schema.Struct({ id: TicketId })
export const CommentRequest = Schema.Struct({ body: PlainText(LIMITS.commentChars, "Comment text.") })
export const StatusRequest = Schema.Struct({
  status: TicketStatus,
  note: Schema.optionalKey(PlainText(LIMITS.noteChars, "Why the status changes."))
})
