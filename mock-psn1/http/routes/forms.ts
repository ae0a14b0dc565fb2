/**
 * Contact forms: inject (harnesses), list, read, claim (exactly one advisor wins), claim the
 * oldest, release, answer with a template; the KPI counts; the template library.
 */
import type { Portal } from "../../portal.js"
import type { FormView } from "../../schema/forms.js"
import { Psn1Error } from "../../errors.js"
import { TEMPLATES } from "../../domain/templates.js"
import {
  AnswerRequest, FormList, FormParams, FormQuery, FormStats, FormStatsQuery, FormView as FormViewSchema, InjectFormRequest, TemplateList
} from "../../schema/forms.js"
import { defineRoute, type AnyRoute } from "../route.js"

const STAFF = ["advisor", "supervisor"] as const

const updated = (portal: Portal, form: FormView): FormView => {
  portal.hub.toStaff({ type: "form.updated", formId: form.id, status: form.status, claimedBy: form.claimedBy })
  return form
}

export const formRoutes: ReadonlyArray<AnyRoute> = [
  defineRoute({
    method: "POST", url: "/forms", operationId: "forms.inject", tag: "forms", access: STAFF,
    summary: "Inject a contact form as if an insured person had written it (test harnesses)",
    body: InjectFormRequest,
    success: { status: 201, schema: FormViewSchema, description: "The new form, status `new`." },
    errors: ["UNSAFE_TEXT", "INSURED_NOT_FOUND"],
    handler: ({ body, portal, nowMs, target }) => {
      const form = portal.forms.inject(body, nowMs)
      target(`form:${form.id}`)
      portal.hub.toStaff({ type: "form.received", form })
      return form
    }
  }),
  defineRoute({
    method: "GET", url: "/forms", operationId: "forms.list", tag: "forms", access: STAFF,
    summary: "List forms oldest first (`?status=new` is the queue), paged by `after`",
    query: FormQuery,
    success: { status: 200, schema: FormList, description: "A page of forms." },
    errors: [],
    handler: ({ query, portal }) => portal.forms.list(query.status, query.after, Math.min(Number(query.limit ?? 50), 100))
  }),
  defineRoute({
    method: "GET", url: "/forms/stats", operationId: "forms.stats", tag: "forms", access: ["supervisor"],
    summary: "Forms received / answered over Europe/Paris days, and answers per advisor-day (CCTP KPIs)",
    query: FormStatsQuery,
    success: { status: 200, schema: FormStats, description: "Counts." },
    errors: [],
    handler: ({ query, portal }) => {
      if (query.from > query.to) throw new Psn1Error("INVALID_REQUEST", "query.from is after query.to", { problems: [{ path: "query.from", message: "must not be after query.to" }] })
      return portal.forms.stats(query.from, query.to)
    }
  }),
  defineRoute({
    method: "GET", url: "/forms/:id", operationId: "forms.read", tag: "forms", access: STAFF,
    summary: "Read a form",
    params: FormParams,
    success: { status: 200, schema: FormViewSchema, description: "The form." },
    errors: ["FORM_NOT_FOUND"],
    handler: ({ params, portal, target }) => {
      target(`form:${params.id}`)
      return portal.forms.get(params.id)
    }
  }),
  defineRoute({
    method: "POST", url: "/forms/claim-next", operationId: "forms.claimNext", tag: "forms", access: STAFF,
    summary: "Claim the oldest unclaimed form",
    success: { status: 200, schema: FormViewSchema, description: "The form, now claimed by you." },
    errors: ["QUEUE_EMPTY"],
    handler: ({ me, portal, nowMs, target }) => {
      const form = portal.forms.claimNext(me.email, nowMs)
      target(`form:${form.id}`)
      return updated(portal, form)
    }
  }),
  defineRoute({
    method: "POST", url: "/forms/:id/claim", operationId: "forms.claim", tag: "forms", access: STAFF,
    summary: "Claim a form (of concurrent claims exactly one wins; claiming your own again is a no-op)",
    params: FormParams,
    success: { status: 200, schema: FormViewSchema, description: "The form, claimed by you." },
    errors: ["FORM_NOT_FOUND", "FORM_CLAIMED_BY_OTHER", "FORM_ALREADY_ANSWERED"],
    handler: ({ params, me, portal, nowMs, target }) => {
      target(`form:${params.id}`)
      return updated(portal, portal.forms.claim(params.id, me.email, nowMs))
    }
  }),
  defineRoute({
    method: "POST", url: "/forms/:id/release", operationId: "forms.release", tag: "forms", access: STAFF,
    summary: "Put a claimed form back in the queue (its holder, or a supervisor)",
    params: FormParams,
    success: { status: 200, schema: FormViewSchema, description: "The form, status `new`." },
    errors: ["FORM_NOT_FOUND", "FORM_NOT_CLAIMED", "FORM_CLAIMED_BY_OTHER", "FORM_ALREADY_ANSWERED"],
    handler: ({ params, me, portal, target }) => {
      target(`form:${params.id}`)
      return updated(portal, portal.forms.release(params.id, me.email, me.role === "supervisor"))
    }
  }),
  defineRoute({
    method: "POST", url: "/forms/:id/answer", operationId: "forms.answer", tag: "forms", access: STAFF,
    summary: "Answer a form you hold with a template (+ optional free text)",
    params: FormParams,
    body: AnswerRequest,
    success: { status: 200, schema: FormViewSchema, description: "The form, answered." },
    errors: ["UNSAFE_TEXT", "TEMPLATE_NOT_FOUND", "FORM_NOT_FOUND", "FORM_NOT_CLAIMED", "FORM_CLAIMED_BY_OTHER", "FORM_ALREADY_ANSWERED"],
    handler: ({ params, body, me, portal, nowMs, target }) => {
      target(`form:${params.id}`)
      return updated(portal, portal.forms.answer(params.id, me.email, body.templateId, body.text, nowMs))
    }
  }),
  defineRoute({
    method: "GET", url: "/templates", operationId: "templates.list", tag: "forms", access: STAFF,
    summary: "The library of answer templates",
    success: { status: 200, schema: TemplateList, description: "Every template." },
    errors: [],
    handler: () => ({ items: TEMPLATES })
  })
]
