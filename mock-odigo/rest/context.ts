/**
 * What REST handlers share: the running parts of one mock instance, the admin guard, and
 * decoding with catalogue errors.
 *
 * Invariant: a handler either returns its documented response or throws an OdigoError whose
 * code is in the catalogue; app.ts turns every other failure (fastify's own, bugs) into a
 * catalogue code too. Input is strict: a field or query parameter the route does not define is
 * UNKNOWN_FIELD, never ignored.
 */
import type { FastifyReply, FastifyRequest } from "fastify"
import * as Schema from "effect/Schema"
import type * as SchemaIssue from "effect/SchemaIssue"
import { formatProblemsInline } from "../../sim/domain/problem.js"
import type { Accounts } from "../accounts.js"
import type { Platform } from "../acd/platform.js"
import { OdigoError } from "../errors.js"
import type { Faults } from "../faults.js"
import type { Gateway } from "../gateway.js"
import type { ResolvedOptions } from "../options.js"
import { hasUnknownField, wireProblems } from "../protocol/decode.js"
import type { SupervisionHub } from "../supervision.js"

export interface OdigoContext {
  readonly platform: Platform
  readonly accounts: Accounts
  readonly faults: Faults
  readonly hub: SupervisionHub
  readonly gateway: Gateway
  readonly options: ResolvedOptions
  readonly startedAtMs: number
}

/**
 * Decodes untrusted input strictly: throws UNKNOWN_FIELD when it has a field the schema does not
 * define (a typo such as `droprate` must not be silently ignored), otherwise INVALID_BODY; the
 * message names every problem's path under `where`.
 */
export const decodeOrThrow = <S extends Schema.Top>(schema: S, input: unknown, where: "body" | "query" | "params"): S["Type"] => {
  // A route that documents a body requires one (OpenAPI: requestBody required); `{}` is a body.
  if (where === "body" && input === undefined) throw new OdigoError("INVALID_BODY", "body: a JSON object is required")
  const r = Schema.decodeUnknownResult(schema as unknown as Schema.Codec<S["Type"], unknown>)(where === "body" ? input : input ?? {}, { errors: "all", onExcessProperty: "error" })
  if (r._tag === "Failure") {
    const issue = (r as unknown as { failure: { issue: SchemaIssue.Issue } }).failure.issue
    const problems = wireProblems(issue, where).map((p) => (p.message === EXCESS ? { path: p.path, message: "Unknown field" } : p))
    throw new OdigoError(hasUnknownField(issue) ? "UNKNOWN_FIELD" : "INVALID_BODY", formatProblemsInline(problems))
  }
  return (r as unknown as { success: S["Type"] }).success
}

/** The schema library's message for a key the schema does not define. */
const EXCESS = "Expected no excess property"

/**
 * The parts of a request a route does not declare must be absent: any query parameter, any
 * body field is an unknown field (`{}` is no field), any other body is invalid. Runs before the
 * handler on every route (a hook), so no route can forget it; 404s are left to NOT_FOUND.
 */
export const rejectUndeclared = async (req: FastifyRequest): Promise<void> => {
  if (req.is404) return
  const schema = req.routeOptions.schema
  if (schema?.querystring === undefined) {
    const keys = Object.keys((req.query ?? {}) as object)
    if (keys.length > 0) {
      const problems = keys.map((k) => ({ path: `query.${k}`, message: "Unknown field" }))
      throw new OdigoError("UNKNOWN_FIELD", `${formatProblemsInline(problems)} (this route takes no query parameters)`)
    }
  }
  if (schema?.body === undefined && req.body !== undefined) {
    const body = req.body
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new OdigoError("INVALID_BODY", "body: this route takes no body")
    const keys = Object.keys(body)
    if (keys.length > 0) {
      const problems = keys.map((k) => ({ path: `body.${k}`, message: "Unknown field" }))
      throw new OdigoError("UNKNOWN_FIELD", `${formatProblemsInline(problems)} (this route takes no body)`)
    }
  }
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/

/**
 * Admin guard: with a token configured, `Authorization: Bearer <token>` is required; without
 * one, only loopback clients are served (the mock binds 127.0.0.1 by default).
 */
export const adminGuard =
  (ctx: OdigoContext) =>
  async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const token = ctx.options.adminToken
    if (token !== undefined) {
      if (req.headers.authorization !== `Bearer ${token}`) throw new OdigoError("FORBIDDEN", "Admin endpoints need Authorization: Bearer <admin token>")
      return
    }
    if (!LOOPBACK.test(req.socket.remoteAddress ?? "")) {
      throw new OdigoError("FORBIDDEN", "Admin endpoints answer loopback clients only (start the mock with --admin-token to allow others)")
    }
  }
