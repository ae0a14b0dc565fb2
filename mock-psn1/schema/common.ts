/**
 * Schemas shared across endpoints: the error body, the reasons list, the test mailbox.
 *
 * Invariant: the error body's `code` enumerates exactly the catalogue of errors.ts, so the
 * OpenAPI and AsyncAPI documents list the same codes as the code and the README.
 */
import * as Schema from "effect/Schema"
import { ERROR_CODES, type ErrorCode } from "../errors.js"
import { Email, ReasonCodeSchema, Timestamp } from "./fields.js"

export const ErrorCodeSchema = Schema.Literals(ERROR_CODES as ReadonlyArray<ErrorCode> as [ErrorCode, ...Array<ErrorCode>])
  .annotate({ description: "Stable error code (see the catalogue in mock-psn1/README.md)." })

export const ProblemSchema = Schema.Struct({
  path: Schema.String.annotate({ description: "Where: `body.email`, `query.page`, `params.id`." }),
  message: Schema.String
})

export const ErrorBodySchema = Schema.Struct({
  code: ErrorCodeSchema,
  message: Schema.String,
  problems: Schema.optionalKey(Schema.Array(ProblemSchema))
}).annotate({ description: "Every 4xx/5xx response." })

export const ReasonSchema = Schema.Struct({
  code: ReasonCodeSchema,
  label: Schema.String.annotate({ description: "CCTP wording (French)." })
})
export const ReasonListSchema = Schema.Struct({ items: Schema.Array(ReasonSchema) })

export const MailMessageSchema = Schema.Struct({
  id: Schema.Int,
  to: Email,
  subject: Schema.String,
  text: Schema.String,
  sentAt: Timestamp
})
export const MailboxSchema = Schema.Struct({ items: Schema.Array(MailMessageSchema) })
export const MailboxParams = Schema.Struct({ email: Email })
