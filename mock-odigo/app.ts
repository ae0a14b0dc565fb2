/**
 * `buildApp(options)`: one mock-odigo instance — the ACD platform, accounts, faults, the
 * supervision feed, the websocket gateway and the REST routes on a fastify app — without
 * listening. Tests use `app.inject()` or `listen({ host: "127.0.0.1", port: 0 })`; the CLI
 * (`ccsim mock odigo`, sim/cli/mock-odigo.ts) listens on the configured port.
 *
 * Invariants: every REST failure leaves as `{ code, message }` with a catalogue code — fastify's
 * and Node's own refusals included (rest/edge.ts); `close()`
 * is idempotent and graceful (refuse new calls, `server.closing` to every connection, close
 * them with 1001, stop every timer, close HTTP), so a closed instance leaves nothing running.
 * fastify, ws and @fastify/swagger are loaded on first use: the rest of the ccsim CLI does not
 * pay their ~150 ms start-up cost.
 */
import type { FastifyError, FastifyInstance } from "fastify"
import { Accounts } from "./accounts.js"
import { Platform } from "./acd/platform.js"
import { ERRORS, OdigoError, type ErrorCode } from "./errors.js"
import { Faults } from "./faults.js"
import { Gateway } from "./gateway.js"
import { resolveOptions, type OdigoOptions, type ResolvedOptions } from "./options.js"
import { rejectUndeclared, type OdigoContext } from "./rest/context.js"
import { clientErrorHandler, frameworkErrors, MAX_PARAM_LENGTH, RouteTable } from "./rest/edge.js"
import { registerAdminRoutes } from "./rest/routes-admin.js"
import { registerCallRoutes } from "./rest/routes-calls.js"
import { registerInfoRoutes } from "./rest/routes-info.js"
import { SupervisionHub } from "./supervision.js"

export interface OdigoApp extends OdigoContext {
  readonly app: FastifyInstance
  /** Listens and resolves with the base URL (`http://127.0.0.1:PORT`). */
  listen(port: number, host: string): Promise<string>
  /** Graceful shutdown; safe to call more than once. */
  close(reason?: string): Promise<void>
}

/** Request bodies above this size get 413 BODY_TOO_LARGE. */
const BODY_LIMIT_BYTES = 64 * 1024

const fastifyErrorCode = (error: FastifyError): ErrorCode => {
  if (error.code === "FST_ERR_CTP_INVALID_JSON_BODY" || error.code === "FST_ERR_CTP_EMPTY_JSON_BODY") return "BAD_JSON"
  const status = error.statusCode ?? 500
  if (status === 413) return "BODY_TOO_LARGE"
  if (status === 415) return "UNSUPPORTED_MEDIA_TYPE"
  if (status === 404) return "NOT_FOUND"
  return status < 500 ? "INVALID_BODY" : "INTERNAL"
}

export async function buildApp(input: OdigoOptions = {}): Promise<OdigoApp> {
  const options: ResolvedOptions = resolveOptions(input)
  const [{ default: Fastify }, { WebSocketServer }, { default: swagger }] = await Promise.all([
    import("fastify"),
    import("ws"),
    import("@fastify/swagger")
  ])
  const clock = options.clock
  const app = Fastify({
    logger: options.logger,
    bodyLimit: BODY_LIMIT_BYTES,
    forceCloseConnections: true,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // What the router and Node's HTTP parser refuse is answered with catalogue codes too (rest/edge.ts).
    frameworkErrors,
    clientErrorHandler
  })
  const routeTable = new RouteTable()
  app.addHook("onRoute", routeTable.onRoute)
  const onBug = (error: unknown): void => {
    app.log.error(error)
    if (!options.logger) process.stderr.write(`mock-odigo: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`)
  }

  let hub: SupervisionHub | undefined
  const platform = new Platform(
    {
      ronaMs: options.ronaMs,
      graceMs: options.graceMs,
      transferTargets: options.transferTargets,
      gateIds: options.gateIds,
      requireQualification: options.requireQualification,
      maxQueuedCalls: options.maxQueuedCalls,
      retainEndedCalls: options.retainEndedCalls
    },
    clock,
    {
      agentChanged: (agent) => hub?.agentChanged(agent.account.login),
      agentRemoved: (login) => hub?.agentRemoved(login)
    }
  )
  hub = new SupervisionHub(platform, clock, { tickMs: options.supervisionTickMs, highWaterBytes: options.supervisionHighWaterBytes })
  const accounts = new Accounts()
  const faults = new Faults()
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes, perMessageDeflate: false, clientTracking: false })
  const gateway = new Gateway(wss, {
    platform,
    accounts,
    hub,
    faults,
    clock,
    tap: options.tap,
    options: {
      maxPayloadBytes: options.maxPayloadBytes,
      heartbeatMs: options.heartbeatMs,
      loginTimeoutMs: options.loginTimeoutMs,
      maxConnections: options.maxConnections,
      agentLimits: options.agentLimits,
      supervisorLimits: options.supervisorLimits
    },
    onBug
  })
  app.server.on("upgrade", (req, socket, head) => gateway.handleUpgrade(req, socket, head))

  // Request bodies are decoded with the effect Schemas in the handlers (catalogue errors with
  // paths); the route JSON Schemas exist for the OpenAPI document. Responses use JSON.stringify.
  app.setValidatorCompiler(() => () => true)
  app.setSerializerCompiler(() => (data) => JSON.stringify(data))
  app.setErrorHandler((error: FastifyError, _req, reply) => {
    if (error instanceof OdigoError) return reply.code(error.status).send({ code: error.code, message: error.message })
    const code = fastifyErrorCode(error)
    if (code === "INTERNAL") onBug(error)
    return reply.code(ERRORS[code].status).send({ code, message: code === "INTERNAL" ? "Unexpected server error" : error.message })
  })
  // JSON only: without this, fastify would hand text/plain bodies to the handlers as strings.
  app.removeContentTypeParser("text/plain")
  // An empty body is no body on routes that take none (`DELETE /calls/:callRef` sent with
  // `Content-Type: application/json` and nothing else is common); where a body is required it
  // is still BAD_JSON. fastify's own parser otherwise (prototype poisoning refused).
  const parseJson = app.getDefaultJsonParser("error", "error")
  app.removeContentTypeParser("application/json")
  app.addContentTypeParser("application/json", { parseAs: "string" }, (req, body, done) => {
    if (body === "" && req.routeOptions.schema?.body === undefined) return done(null, undefined)
    return parseJson(req, body as string, done)
  })
  app.addHook("preValidation", rejectUndeclared)
  app.setNotFoundHandler(routeTable.notFound)

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "mock-odigo REST API",
        version: "1.0.0",
        description:
          "ccsim's mock of the Odigo telephony platform (3422 \"Mon espace santé\"): call injection, nominative accounts, " +
          "cold statistics per 15-minute interval, faults. The REST surface is ours (a test harness); what Odigo itself " +
          "offers here per the CCTP (10.1) is the cold statistics download. Admin endpoints answer loopback clients only, " +
          "or a bearer token when the mock is started with --admin-token. Errors: { code, message } with a stable code."
      },
      servers: [{ url: "http://127.0.0.1:8081" }],
      tags: [
        { name: "calls", description: "The telephone network: inject calls, hang up as the caller" },
        { name: "agents", description: "Agent sessions" },
        { name: "stats", description: "Real-time and cold statistics" },
        { name: "admin", description: "Accounts and audit (loopback or token)" },
        { name: "faults", description: "Fault injection (loopback or token)" },
        { name: "info", description: "Health, configuration, vocabulary" },
        { name: "docs", description: "API documents" }
      ]
    }
  })

  const ctx: OdigoContext = { platform, accounts, faults, hub, gateway, options, startedAtMs: clock.nowMs() }
  registerInfoRoutes(app, ctx)
  registerCallRoutes(app, ctx)
  registerAdminRoutes(app, ctx)
  await app.ready()

  let closing: Promise<void> | undefined
  const close = (reason = "shutdown"): Promise<void> =>
    (closing ??= (async () => {
      platform.closing = true
      gateway.closing = true
      gateway.broadcast({ type: "server.closing", payload: { reason } })
      await gateway.closeAll(1001, reason)
      hub.stop()
      platform.close()
      wss.close()
      await app.close()
    })())

  return {
    ...ctx,
    app,
    listen: async (port, host) => {
      await app.listen({ port, host })
      const addr = app.server.address()
      const p = typeof addr === "object" && addr !== null ? addr.port : port
      return `http://${host.includes(":") ? `[${host}]` : host}:${p}`
    },
    close
  }
}
