/**
 * Schemas of contact forms (CCTP 2.1.5, optional part): the queue, claims, answers with a
 * template, and the counts behind the forms KPIs (handled / received, per advisor-day).
 */
import * as Schema from "effect/Schema"
import { Day, Email, FormId, InsuredId, LIMITS, PlainText, PositiveIntString, ReasonCodeSchema, TemplateId, Timestamp } from "./fields.js"

export const FormStatus = Schema.Literals(["new", "claimed", "answered"])
export type FormStatus = typeof FormStatus.Type

export const FormView = Schema.Struct({
  id: FormId,
  status: FormStatus,
  source: Schema.Literals(["generated", "injected"]),
  insuredId: InsuredId,
  reason: ReasonCodeSchema,
  subject: Schema.String,
  message: Schema.String,
  receivedAt: Timestamp,
  claimedBy: Schema.NullOr(Email),
  claimedAt: Schema.NullOr(Timestamp),
  answeredBy: Schema.NullOr(Email),
  answeredAt: Schema.NullOr(Timestamp),
  templateId: Schema.NullOr(TemplateId),
  answer: Schema.NullOr(Schema.String)
}).annotate({ identifier: "FormView" })
export type FormView = typeof FormView.Type

export const InjectFormRequest = Schema.Struct({
  insuredId: InsuredId,
  reason: ReasonCodeSchema,
  subject: PlainText(LIMITS.subjectChars, "Form subject as typed by the insured person."),
  message: PlainText(LIMITS.messageChars, "Form message.")
})

export const FormQuery = Schema.Struct({
  status: Schema.optionalKey(FormStatus),
  limit: Schema.optionalKey(PositiveIntString.annotate({ description: "1..100, default 50." })),
  after: Schema.optionalKey(FormId.annotate({ description: "Cursor: the `next` of the previous page." }))
})
export const FormList = Schema.Struct({ items: Schema.Array(FormView), next: Schema.NullOr(FormId) })
export const FormParams = Schema.Struct({ id: FormId })

export const AnswerRequest = Schema.Struct({
  templateId: TemplateId,
  text: Schema.optionalKey(PlainText(LIMITS.answerChars, "Free text appended to the template."))
})

export const TemplateView = Schema.Struct({
  id: TemplateId,
  title: Schema.String,
  reason: Schema.NullOr(ReasonCodeSchema),
  body: Schema.String.annotate({ description: "May contain {firstName} and {lastName}, filled from the insured person." })
})
export const TemplateList = Schema.Struct({ items: Schema.Array(TemplateView) })

export const FormStatsQuery = Schema.Struct({ from: Day, to: Day })
export const FormStats = Schema.Struct({
  from: Day,
  to: Day,
  timeZone: Schema.Literal("Europe/Paris"),
  received: Schema.Int.annotate({ description: "Forms received on these days." }),
  answered: Schema.Int.annotate({ description: "Forms answered on these days (whenever received)." }),
  receivedAndAnswered: Schema.Int.annotate({ description: "Of the forms received on these days, how many are answered now." }),
  handledRate: Schema.NullOr(Schema.Number).annotate({ description: "receivedAndAnswered / received (CCTP: > 90%); null when nothing was received." }),
  waiting: Schema.Int.annotate({ description: "Forms not answered yet (new or claimed), all days." }),
  perAdvisorDay: Schema.Array(Schema.Struct({ advisor: Email, day: Day, answered: Schema.Int }))
})
