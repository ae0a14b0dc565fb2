/**
 * The frames of the `/events` websocket (documented in asyncapi.json, generated from here).
 *
 * Invariant: every frame the server sends is one of SERVER_FRAMES (a JSON object whose
 * `type` names it, with `at` the server time); the only frame a client may send is `ping`.
 * Anything else gets an `error` frame (WS_INVALID_MESSAGE) and the connection stays open.
 */
import * as Schema from "effect/Schema"
import { ErrorCodeSchema } from "./common.js"
import { Email, FormId, ReasonCodeSchema, Role, TicketId, Timestamp } from "./fields.js"
import { FormStatus, FormView } from "./forms.js"
import { TicketStatus } from "./tickets.js"

const frame = <const T extends string, F extends Schema.Struct.Fields>(type: T, description: string, fields: F) =>
  Schema.Struct({ type: Schema.Literal(type), at: Timestamp, ...fields }).annotate({ title: type, description })

export const HelloFrame = frame("hello", "Sent once on connection.", {
  account: Schema.Struct({ email: Email, role: Role }),
  sessionExpiresAt: Timestamp
})

export const FormReceivedFrame = frame("form.received", "A contact form arrived (generated or injected); sent to advisors and supervisors.", {
  form: FormView
})

export const FormUpdatedFrame = frame("form.updated", "A form was claimed, released or answered; sent to advisors and supervisors.", {
  formId: FormId,
  status: FormStatus,
  claimedBy: Schema.NullOr(Email)
})

export const TicketUpdatedFrame = frame("ticket.updated", "A ticket was created, commented or changed status; sent to its creator, its commenters and supervisors.", {
  change: Schema.Literals(["created", "commented", "statusChanged"]),
  ticket: Schema.Struct({ id: TicketId, status: TicketStatus, reason: ReasonCodeSchema, title: Schema.String, createdBy: Email, updatedAt: Timestamp })
})

export const SessionExpiredFrame = frame("session.expired", "The token reached its expiry; the server closes the socket with code 4001 right after.", {
  expiredAt: Timestamp
})

export const SessionRevokedFrame = frame("session.revoked", "The token was revoked (logout, the account was removed, or the idle rule disabled it); the server closes with 4001.", {
  reason: Schema.Literals(["logout", "accountRemoved", "accountDisabled"])
})

export const FramesDroppedFrame = frame("frames.dropped", "The client read too slowly and `count` frames were skipped; resynchronise through the REST API.", {
  count: Schema.Int
})

export const PongFrame = frame("pong", "Answer to a client `ping`.", { id: Schema.NullOr(Schema.String) })

export const ErrorFrame = frame("error", "A client frame was rejected; the connection stays open.", {
  code: ErrorCodeSchema,
  message: Schema.String
})

/** Every frame the server sends, in AsyncAPI order. */
export const SERVER_FRAMES = [HelloFrame, FormReceivedFrame, FormUpdatedFrame, TicketUpdatedFrame, SessionExpiredFrame,
  SessionRevokedFrame, FramesDroppedFrame, PongFrame, ErrorFrame] as const

export const ServerFrame = Schema.Union(SERVER_FRAMES)
export type ServerFrame = typeof ServerFrame.Type

/** The only client frame: an application-level ping (transport pings are answered by ws itself). */
export const PingFrame = Schema.Struct({
  type: Schema.Literal("ping"),
  id: Schema.optionalKey(Schema.String.check(Schema.isPattern(/^[A-Za-z0-9._:-]{1,64}$/u, { expected: "1-64 id characters" })))
}).annotate({ title: "ping", description: "Application-level ping; answered with `pong`." })

/** Close code sent after `session.expired` / `session.revoked`. */
export const CLOSE_SESSION_ENDED = 4001
