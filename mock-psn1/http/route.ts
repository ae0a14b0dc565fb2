/**
 * One declaration per endpoint: its schemas (effect/Schema), who may call it, the errors it
 * can answer, and its handler. `registerRoute` turns a declaration into a fastify route whose
 * `schema` is the JSON Schema export of the same effect schemas (so @fastify/swagger's
 * OpenAPI document cannot drift from what is enforced).
 *
 * Invariants:
 * - Order of checks: authentication, the account's state and role (401/403, before the body is even parsed),
 *   then params, query, body decoding (400) — all before the handler runs, so a rejected
 *   request never reaches domain state.
 * - Every request, accepted or not, leaves one audit entry (see app.ts `onResponse`) with the
 *   action (`operationId`) and target the handler named.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify"
import * as Schema from "effect/Schema"
import { ERROR_CATALOGUE, Psn1Error, type ErrorCode } from "../errors.js"
import type { Portal } from "../portal.js"
import { ErrorBodySchema } from "../schema/common.js"
import { makeDecoder } from "../schema/decode.js"
import type { Role } from "../schema/fields.js"
import type { Session } from "../domain/sessions.js"
import { authenticateBearer, originOf } from "./caller.js"

/** Who may call: anyone, any logged-in account, or the listed roles. */
export type Access = "public" | "authenticated" | ReadonlyArray<Role>

type Decoded<S> = S extends Schema.ConstraintDecoder<unknown> ? S["Type"] : undefined

export interface RouteContext<P, Q, B> {
  readonly params: P
  readonly query: Q
  readonly body: B
  /** The caller's session (throws on public routes, which have none). */
  readonly me: Session
  readonly nowMs: number
  readonly portal: Portal
  readonly request: FastifyRequest
  readonly reply: FastifyReply
  /** Names what the request acted on, for the audit (`insured:I0000042`). */
  target(target: string): void
  /** On public routes: the account the request is about (login), for the audit. */
  actor(email: string): void
}

export interface RouteSpec<P, Q, B> {
  readonly method: "GET" | "POST" | "DELETE"
  /** fastify path syntax: `/insured/:id`. */
  readonly url: string
  /** Also the audit `action`. */
  readonly operationId: string
  readonly tag: string
  readonly summary: string
  readonly description?: string
  readonly access: Access
  readonly params?: P
  readonly query?: Q
  readonly body?: B
  /** True when the body may be omitted (it then decodes as `{}`). */
  readonly bodyOptional?: boolean
  /** Documents the optional `Idempotency-Key` request header. */
  readonly idempotencyKey?: boolean
  readonly success: { readonly status: 200 | 201 | 202 | 204; readonly schema: Schema.Constraint | null; readonly description: string }
  /** Errors specific to this route (the common ones are added from the access and inputs). */
  readonly errors: ReadonlyArray<ErrorCode>
  readonly handler: (ctx: RouteContext<Decoded<P>, Decoded<Q>, Decoded<B>>) => unknown
}

/** Declares a route (an identity function that infers the handler's types). */
export const defineRoute = <
  P extends Schema.ConstraintDecoder<unknown> | undefined = undefined,
  Q extends Schema.ConstraintDecoder<unknown> | undefined = undefined,
  B extends Schema.ConstraintDecoder<unknown> | undefined = undefined
>(spec: RouteSpec<P, Q, B>): RouteSpec<P, Q, B> => spec

/** A route of any type, as stored in route tables. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteSpec<any, any, any>

/** What onResponse writes into the audit for this request. */
export interface AuditSlot {
  action: string
  target: string | null
  actor: string | null
  role: Role | null
}

declare module "fastify" {
  interface FastifyRequest {
    psn1Audit: AuditSlot | null
    psn1Session: Session | null
  }
  interface FastifyContextConfig {
    /** The route needs a body: an empty one is BAD_JSON there, and no body elsewhere (app.ts). */
    psn1BodyRequired?: boolean
  }
}

const AUTH_ERRORS: ReadonlyArray<ErrorCode> = ["AUTH_REQUIRED", "TOKEN_INVALID", "TOKEN_EXPIRED", "TOKEN_REVOKED", "ACCOUNT_REMOVED", "ACCOUNT_DISABLED"]
const BODY_ERRORS: ReadonlyArray<ErrorCode> = ["BAD_JSON", "UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE", "INVALID_REQUEST", "UNKNOWN_FIELD"]

/** Every code a route can answer, in catalogue order. */
export const errorsOf = (spec: AnyRoute): Array<ErrorCode> => {
  const codes = new Set<ErrorCode>(spec.errors)
  if (spec.access !== "public") for (const c of AUTH_ERRORS) codes.add(c)
  if (Array.isArray(spec.access)) codes.add("FORBIDDEN_ROLE")
  // Every route refuses invalid params and unknown query parameters (declared query or not).
  codes.add("INVALID_REQUEST")
  codes.add("UNKNOWN_FIELD")
  if (spec.method === "POST" || spec.body !== undefined) for (const c of BODY_ERRORS) codes.add(c)
  codes.add("INTERNAL")
  return (Object.keys(ERROR_CATALOGUE) as Array<ErrorCode>).filter((c) => codes.has(c))
}

/** The JSON Schema (draft 2020-12, all inline) of an effect schema. */
export const jsonSchemaOf = (schema: Schema.Constraint): Record<string, unknown> => {
  const doc = Schema.toJsonSchemaDocument(schema, { onExcessProperty: "error", referencePolicy: () => undefined })
  return doc.schema as Record<string, unknown>
}

/** Rewrites `#/$defs/Name` references to fastify shared-schema references `Name#`. */
const toSharedRefs = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(toSharedRefs)
  if (node === null || typeof node !== "object") return node
  return Object.fromEntries(Object.entries(node).map(([k, v]) =>
    k === "$ref" && typeof v === "string" && v.startsWith("#/$defs/") ? [k, `${v.slice("#/$defs/".length)}#`] : [k, toSharedRefs(v)]))
}

/**
 * JSON Schema of an effect schema for a route: schemas annotated with an `identifier`
 * (InsuredView, TicketView, …) become shared schemas (`app.addSchema`, once each), which
 * @fastify/swagger lists under `components.schemas`; the rest stays inline.
 */
const routeJsonSchemaOf = (app: FastifyInstance, schema: Schema.Constraint): Record<string, unknown> => {
  const doc = Schema.toJsonSchemaDocument(schema, { onExcessProperty: "error" })
  const known = app.getSchemas() as Record<string, unknown>
  for (const [name, definition] of Object.entries(doc.definitions)) {
    if (known[name] === undefined) app.addSchema({ $id: name, title: name, ...(toSharedRefs(definition) as object) })
  }
  return toSharedRefs(doc.schema) as Record<string, unknown>
}

/** Shared schema id of the error body (`app.addSchema`), shown as `#/components/schemas/ErrorBody`. */
export const ERROR_BODY_ID = "ErrorBody"
/** The error body's JSON Schema, registered once with `app.addSchema`. */
export const errorBodyJsonSchema = (): Record<string, unknown> => ({ $id: ERROR_BODY_ID, title: ERROR_BODY_ID, ...jsonSchemaOf(ErrorBodySchema) })

/** The fastify `schema` option (documentation only: validation is done by the effect decoders). */
const fastifySchemaOf = (app: FastifyInstance, spec: AnyRoute): Record<string, unknown> => {
  const response: Record<string, unknown> = {}
  response[spec.success.status] = spec.success.schema === null
    ? { type: "null", description: spec.success.description }
    : { ...routeJsonSchemaOf(app, spec.success.schema), description: spec.success.description }
  const byStatus = new Map<number, Array<ErrorCode>>()
  for (const code of errorsOf(spec)) {
    const status = ERROR_CATALOGUE[code].status
    byStatus.set(status, [...(byStatus.get(status) ?? []), code])
  }
  for (const [status, codes] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    response[status] = { $ref: `${ERROR_BODY_ID}#`, description: codes.map((c) => `\`${c}\``).join(", ") }
  }
  const roles = spec.access === "public" ? "none (public)" : spec.access === "authenticated" ? "any logged-in account" : spec.access.join(", ")
  const schema: Record<string, unknown> = {
    operationId: spec.operationId,
    tags: [spec.tag],
    summary: spec.summary,
    description: `${spec.description ?? spec.summary}\n\nRoles: ${roles}.`,
    response
  }
  if (spec.access !== "public") schema.security = [{ bearer: [] }]
  if (spec.params !== undefined) schema.params = routeJsonSchemaOf(app, spec.params)
  if (spec.query !== undefined) schema.querystring = routeJsonSchemaOf(app, spec.query)
  if (spec.body !== undefined) schema.body = routeJsonSchemaOf(app, spec.body)
  if (spec.idempotencyKey === true) {
    schema.headers = {
      type: "object",
      properties: {
        "idempotency-key": {
          type: "string", pattern: "^[A-Za-z0-9._:-]{1,128}$",
          description: "Optional. The same key and body replay the first ticket (header `Idempotent-Replayed: true`) instead of creating another."
        }
      }
    }
  }
  return schema
}

/**
 * Authenticates and authorises the request for `access`; throws the 401/403 error. The
 * session's account is checked too (removed, or disabled by the idle rule), so a live token
 * never outlasts its account.
 */
const authorize = (portal: Portal, request: FastifyRequest, access: Access): Session | null => {
  if (access === "public") return null
  const session = authenticateBearer(portal, request.headers, () => originOf(request), (s) => {
    if (request.psn1Audit !== null) {
      request.psn1Audit.actor = s.email
      request.psn1Audit.role = s.role
    }
  })
  request.psn1Session = session
  if (access !== "authenticated" && !access.includes(session.role)) {
    throw new Psn1Error("FORBIDDEN_ROLE", `role ${session.role} may not call ${request.method} ${request.routeOptions.url ?? request.url}`)
  }
  return session
}

/**
 * Parts a route does not declare (no body, no query) must be absent or empty: any key is an
 * unknown field, any other value invalid. (An empty effect Struct would accept any object.)
 */
const rejectUndeclared = (where: "body" | "query", value: unknown): void => {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new Psn1Error("INVALID_REQUEST", `this endpoint takes no ${where}`, { problems: [{ path: where, message: `Expected no ${where} (or {})` }] })
  }
  const keys = Object.keys(value)
  if (keys.length > 0) {
    throw new Psn1Error("UNKNOWN_FIELD", `${where}.${keys[0]}: Unknown field (this endpoint takes no ${where})`, {
      problems: keys.map((k) => ({ path: `${where}.${k}`, message: "Unknown field" }))
    })
  }
}

/** Registers one declared route on `app`. */
export const registerRoute = (app: FastifyInstance, portal: Portal, spec: AnyRoute): void => {
  const decodeParams = spec.params === undefined ? undefined : makeDecoder(spec.params, "params")
  const decodeQuery = spec.query === undefined ? undefined : makeDecoder(spec.query, "query")
  const decodeBody = spec.body === undefined ? undefined : makeDecoder(spec.body, "body")
  app.route({
    method: spec.method,
    url: spec.url,
    schema: fastifySchemaOf(app, spec),
    config: { psn1BodyRequired: spec.body !== undefined && spec.bodyOptional !== true },
    // Callback style, not async: no promise per request on the hot path.
    onRequest: (request, _reply, done) => {
      request.psn1Audit = { action: spec.operationId, target: null, actor: null, role: null }
      try {
        authorize(portal, request, spec.access)
      } catch (e) {
        done(e as Error)
        return
      }
      done()
    },
    handler: async (request, reply) => {
      const params = decodeParams === undefined ? undefined : decodeParams(request.params)
      let query: unknown
      if (decodeQuery !== undefined) query = decodeQuery(request.query)
      else rejectUndeclared("query", request.query)
      let body: unknown
      if (decodeBody !== undefined) {
        body = decodeBody(request.body === undefined && spec.bodyOptional === true ? {} : request.body)
      } else if (request.body !== undefined) {
        rejectUndeclared("body", request.body)
      }
      const audit = request.psn1Audit as AuditSlot
      const session = request.psn1Session
      const ctx: RouteContext<unknown, unknown, unknown> = {
        params, query, body,
        get me(): Session {
          if (session === null) throw new Error(`${spec.operationId}: no session on a public route`)
          return session
        },
        nowMs: portal.nowMs(),
        portal, request, reply,
        target: (t) => { audit.target = t },
        actor: (email) => { audit.actor = email }
      }
      const result = await spec.handler(ctx)
      reply.code(spec.success.status)
      if (spec.success.status === 204) return reply.send()
      return reply.send(result)
    }
  })
}
