/**
 * Reference data and test aids: the 17 CCTP reasons, a health probe, and the test mailbox
 * (registered only with `--mailbox`: it stands in for the advisors' real inboxes).
 */
import * as Schema from "effect/Schema"
import { isoOf } from "../../clock.js"
import { REASONS } from "../../../sim/domain/vocabulary.js"
import { MailboxParams, MailboxSchema, ReasonListSchema } from "../../schema/common.js"
import { defineRoute, type AnyRoute } from "../route.js"

export const HealthSchema = Schema.Struct({ status: Schema.Literal("ok"), time: Schema.String })

export const miscRoutes: ReadonlyArray<AnyRoute> = [
  defineRoute({
    method: "GET", url: "/reasons", operationId: "reasons.list", tag: "reference", access: "public",
    summary: "The 17 call reasons of CCTP 2.1.7 (same codes as mock-odigo)",
    success: { status: 200, schema: ReasonListSchema, description: "Reasons in CCTP order." },
    errors: [],
    handler: () => ({ items: REASONS })
  }),
  defineRoute({
    method: "GET", url: "/health", operationId: "health", tag: "reference", access: "public",
    summary: "Liveness probe (the server's clock)",
    success: { status: 200, schema: HealthSchema, description: "Up." },
    errors: [],
    handler: ({ nowMs }) => ({ status: "ok", time: isoOf(nowMs) })
  })
]

export const mailboxRoute: AnyRoute = defineRoute({
  method: "GET", url: "/mailbox/:email", operationId: "mailbox.read", tag: "test", access: "public",
  summary: "Test only (`--mailbox`): the emails sent to an address, oldest first (login OTPs)",
  params: MailboxParams,
  success: { status: 200, schema: MailboxSchema, description: "Messages." },
  errors: [],
  handler: ({ params, portal, target }) => {
    const email = params.email.toLowerCase()
    target(`mailbox:${email}`)
    return { items: portal.mailbox.read(email).map((m) => ({ id: m.id, to: m.to, subject: m.subject, text: m.text, sentAt: isoOf(m.sentAtMs) })) }
  }
})
