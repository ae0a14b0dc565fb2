/**
 * buildApp: the PSN1 mock as a fastify instance — routes, OpenAPI, the `/events` websocket,
 * the error mapping and the audit hook — without listening (the CLI or a test listens).
 *
 * Invariants:
 * - Every response that is not a success carries `{code, message[, problems]}` with a code of
 *   the catalogue; fastify's own errors (bad JSON, body too large, wrong media type, unknown
 *   route) are mapped onto it — so are Node's HTTP parser's refusals and wrong methods
 *   (http/edge.ts) — and anything unexpected becomes INTERNAL (logged, never a crash).
 * - Every HTTP request leaves exactly one audit entry, written when its response is sent.
 * - Validation is done by the effect decoders (http/route.ts); fastify's own validator and
 *   serializer compilers are neutralised, its route schemas only feed @fastify/swagger.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from "fastify"
import { systemClock, type Clock } from "./clock.js"
import { outcomeOf } from "./domain/audit.js"
import { DEFAULT_POLICY, type SecurityPolicy } from "./domain/accounts.js"
import type { ScryptParams } from "./domain/secrets.js"
import { ERROR_CATALOGUE, isPsn1Error, Psn1Error, type ErrorCode } from "./errors.js"
import { buildAsyncApi } from "./asyncapi.js"
import { originOf, userAgentOf } from "./http/caller.js"
import { clientErrorHandlerOf, RouteTable } from "./http/edge.js"
import { errorBodyJsonSchema, registerRoute, type AnyRoute } from "./http/route.js"
import { adminRoutes } from "./http/routes/admin.js"
import { authRoutes } from "./http/routes/auth.js"
import { formRoutes } from "./http/routes/forms.js"
import { insuredRoutes } from "./http/routes/insured.js"
import { mailboxRoute, miscRoutes } from "./http/routes/misc.js"
import { ticketRoutes } from "./http/routes/tickets.js"
import { attachEvents } from "./http/ws.js"
import { DEFAULT_PORTAL_OPTIONS, Portal } from "./portal.js"

export interface BuildOptions {
  /** The security officer (required). */
  readonly officer: { readonly email: string; readonly password: string }
  readonly clock?: Clock
  /** Registers `GET /mailbox/:email` (test-only). */
  readonly mailbox?: boolean
  readonly seed?: string
  readonly population?: number
  readonly formsPerHour?: number
  readonly tokenTtlMs?: number
  readonly policy?: Partial<SecurityPolicy>
  readonly scrypt?: ScryptParams
  readonly auditRetentionMs?: number
  readonly auditMaxEntries?: number
  readonly auditSink?: (line: string) => void
  /** Largest accepted request body (bytes); default 32 KiB. */
  readonly bodyLimitBytes?: number
  /** Largest accepted websocket frame (bytes); default 4 KiB. */
  readonly wsMaxPayloadBytes?: number
  /** /events ping interval (ms); default 30 s; 0 disables. */
  readonly heartbeatMs?: number
  /** Slow-reader threshold of /events (bytes); default 1 MiB. */
  readonly wsHighWaterBytes?: number
  /** How often `portal.tick()` runs (ms); default 1 s; 0 disables (tests call tick()). */
  readonly tickIntervalMs?: number
  /** fastify's pino logger (stderr is the CLI's business); default off. */
  readonly logger?: boolean
}

declare module "fastify" {
  interface FastifyInstance {
    psn1: Portal
  }
  interface FastifyRequest {
    psn1ErrorCode: ErrorCode | null
  }
}

/** Every declared route (the mailbox one is added only with `mailbox: true`). */
export const ROUTES: ReadonlyArray<AnyRoute> = [...authRoutes, ...adminRoutes, ...insuredRoutes, ...ticketRoutes, ...formRoutes, ...miscRoutes]
export { mailboxRoute }

export const OPENAPI_INFO = {
  title: "mock-psn1",
  version: "1.0.0",
  description: "Mock of PSN1, the Mon espace santé support portal (CCTP 2.1.5, 10.1.2): OTP login, accounts managed by a " +
    "security officer, synthetic insured people and interventions, level-2 tickets, contact forms, audit. Synthetic data only."
}

/** Maps anything thrown during a request to a catalogue error. */
const toPsn1Error = (error: unknown): Psn1Error => {
  if (isPsn1Error(error)) return error
  const e = error as Partial<FastifyError> & { message?: string }
  switch (e.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new Psn1Error("PAYLOAD_TOO_LARGE", "the request body is too large")
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new Psn1Error("UNSUPPORTED_MEDIA_TYPE", "send the body as application/json")
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new Psn1Error("BAD_JSON", "the body is empty but Content-Type is application/json")
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return new Psn1Error("BAD_JSON", "the body is not valid JSON")
  }
  if (error instanceof SyntaxError || (e.statusCode === 400 && /JSON|prototype|constructor/i.test(e.message ?? ""))) {
    return new Psn1Error("BAD_JSON", "the body is not valid JSON, or holds a forbidden __proto__/constructor key")
  }
  if (typeof e.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 500) {
    return new Psn1Error("INVALID_REQUEST", `malformed request (${e.code ?? e.statusCode})`)
  }
  return new Psn1Error("INTERNAL", "unexpected server error")
}

/** Builds the mock (not listening). Close it with `app.close()`. */
export const buildApp = async (options: BuildOptions): Promise<FastifyInstance> => {
  const clock = options.clock ?? systemClock
  const portal = await Portal.create({
    clock,
    officer: options.officer,
    seed: options.seed ?? DEFAULT_PORTAL_OPTIONS.seed,
    population: options.population ?? DEFAULT_PORTAL_OPTIONS.population,
    formsPerHour: options.formsPerHour ?? DEFAULT_PORTAL_OPTIONS.formsPerHour,
    tokenTtlMs: options.tokenTtlMs ?? DEFAULT_PORTAL_OPTIONS.tokenTtlMs,
    policy: { ...DEFAULT_POLICY, ...options.policy },
    scrypt: options.scrypt,
    auditRetentionMs: options.auditRetentionMs ?? DEFAULT_PORTAL_OPTIONS.auditRetentionMs,
    auditMaxEntries: options.auditMaxEntries ?? DEFAULT_PORTAL_OPTIONS.auditMaxEntries,
    auditSink: options.auditSink,
    wsHighWaterBytes: options.wsHighWaterBytes ?? DEFAULT_PORTAL_OPTIONS.wsHighWaterBytes
  })

  // fastify and its plugin load here, not when this module loads: ccsim's bundle leaves them in
  // node_modules (build.mjs), and `ccsim run` must not pay for reading them.
  const [{ default: Fastify }, { default: swagger }] = await Promise.all([import("fastify"), import("@fastify/swagger")])
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimitBytes ?? 32 * 1024,
    trustProxy: false,
    onProtoPoisoning: "error",
    onConstructorPoisoning: "error",
    routerOptions: { maxParamLength: 300 },
    // What Node's HTTP parser refuses is answered with catalogue codes too, and audited (http/edge.ts).
    clientErrorHandler: clientErrorHandlerOf(portal),
    // Errors fastify raises before routing (bad URL encoding, over-long path parameter): same
    // error body as everything else, and audited like everything else.
    frameworkErrors: (error, request, reply) => {
      const e = new Psn1Error("INVALID_REQUEST", error.code === "FST_ERR_MAX_PARAM_LENGTH"
        ? "a path parameter is longer than 300 characters"
        : "the URL is not validly encoded")
      auditFrameworkError(request.raw.url ?? "", request.ip, userAgentOf(request.headers), e.code)
      return (reply as unknown as FastifyReply).code(400).send(e.toBody())
    }
  })
  function auditFrameworkError(url: string, ip: string, userAgent: string | null, code: ErrorCode): void {
    portal.audit.append({
      atMs: portal.nowMs(), actor: null, role: null, action: "http.badUrl", target: `path:${(url.split("?")[0] ?? "").slice(0, 120)}`,
      outcome: "rejected", status: 400, code, ip, userAgent
    })
  }
  const routeTable = new RouteTable()
  app.addHook("onRoute", routeTable.onRoute)
  app.decorate("psn1", portal)
  app.decorateRequest("psn1Audit", null)
  app.decorateRequest("psn1Session", null)
  app.decorateRequest("psn1ErrorCode", null)
  // Validation and serialisation are ours (effect decoders, JSON.stringify); route schemas are documentation.
  app.setValidatorCompiler(() => () => true)
  app.setSerializerCompiler(() => (data) => JSON.stringify(data))
  // Only JSON bodies: without this, fastify would hand text/plain bodies to the handlers as strings.
  app.removeContentTypeParser("text/plain")
  // An empty body is no body on routes that take none or take one optionally (`POST
  // /auth/logout` with `Content-Type: application/json` and nothing else); where a body is
  // required it is still BAD_JSON. fastify's own parser otherwise (poisoned keys refused).
  const parseJson = app.getDefaultJsonParser("error", "error")
  app.removeContentTypeParser("application/json")
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    if (body === "" && request.routeOptions.config.psn1BodyRequired !== true) return done(null, undefined)
    return parseJson(request, body as string, done)
  })
  app.addSchema(errorBodyJsonSchema())

  await app.register(swagger, {
    // Name shared schemas by their $id (ErrorBody) instead of def-0.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === "string" ? json.$id : `def-${i}`) },
    // @fastify/swagger marks every documented body required; a route that takes one optionally
    // (unlinking a device) must say so, or a client would be told its empty request is refused.
    transformObject: (document) => {
      const openapi = "openapiObject" in document ? document.openapiObject : document.swaggerObject
      const paths = (openapi as { paths?: Record<string, Record<string, { requestBody?: { required?: boolean } }>> }).paths ?? {}
      for (const route of ROUTES) {
        const body = paths[route.url.replace(/:([A-Za-z]+)/g, "{$1}")]?.[route.method.toLowerCase()]?.requestBody
        if (route.bodyOptional === true && body !== undefined) body.required = false
      }
      return openapi
    },
    openapi: {
      openapi: "3.1.0",
      info: OPENAPI_INFO,
      servers: [{ url: "http://127.0.0.1:8082", description: "ccsim mock psn1 (default port)" }],
      tags: [
        { name: "auth", description: "Login with OTP (SEC-HAB-02)" },
        { name: "admin", description: "Accounts and audit, security officer only (SEC-HAB-03, CCTP 8.1)" },
        { name: "insured", description: "Synthetic insured people and interventions" },
        { name: "tickets", description: "Tickets to level 2" },
        { name: "forms", description: "Contact forms and answer templates" },
        { name: "reference", description: "Reference data" },
        { name: "test", description: "Test aids, only with --mailbox" }
      ],
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "Token from POST /auth/otp." } } }
    }
  })

  app.setErrorHandler((error, request, reply) => {
    const e = toPsn1Error(error)
    if (e.code === "INTERNAL") {
      process.stderr.write(`mock-psn1: ${request.method} ${request.url}: ${(error as Error).stack ?? String(error)}\n`)
    }
    request.psn1ErrorCode = e.code
    if (e.headers !== undefined) void reply.headers(e.headers)
    return reply.code(ERROR_CATALOGUE[e.code].status).send(e.toBody())
  })
  app.setNotFoundHandler(routeTable.notFound)
  app.addHook("onResponse", (request, reply, done) => {
    const slot = request.psn1Audit
    portal.audit.append({
      atMs: portal.nowMs(),
      actor: slot?.actor ?? null,
      role: slot?.role ?? null,
      action: slot?.action ?? "http.notFound",
      target: slot === null ? `path:${(request.url.split("?")[0] ?? "").slice(0, 120)}` : slot.target,
      outcome: outcomeOf(reply.statusCode),
      status: reply.statusCode,
      code: request.psn1ErrorCode ?? (reply.statusCode >= 400 ? "INTERNAL" : null),
      ...originOf(request)
    })
    done()
  })

  for (const route of ROUTES) registerRoute(app, portal, route)
  if (options.mailbox === true) registerRoute(app, portal, mailboxRoute)

  const docsRoute = (url: string, action: string, body: () => unknown) =>
    app.get(url, {
      schema: { hide: true },
      onRequest: async (request) => { request.psn1Audit = { action, target: null, actor: null, role: null } }
    }, async () => body())
  docsRoute("/openapi.json", "docs.openapi", () => app.swagger())
  docsRoute("/asyncapi.json", "docs.asyncapi", () => buildAsyncApi())

  await attachEvents(app, portal, { maxPayloadBytes: options.wsMaxPayloadBytes ?? 4096, heartbeatMs: options.heartbeatMs ?? 30_000 })

  const tickMs = options.tickIntervalMs ?? 1000
  if (tickMs > 0) {
    const timer = setInterval(() => portal.tick(), tickMs)
    timer.unref()
    app.addHook("onClose", async () => clearInterval(timer))
  }
  return app
}
