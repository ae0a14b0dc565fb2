/**
 * REST for the telephone network side: inject calls, look them up, hang up as the caller; and
 * the logged-in agents. Injection and caller hang-up are admin endpoints (loopback or token):
 * in production the network, not a client, creates calls.
 */
import type { FastifyInstance } from "fastify"
import type { Call } from "../acd/model.js"
import { agentView } from "../acd/views.js"
import { OdigoError } from "../errors.js"
import { jsonSchemaOf } from "../protocol/json-schema.js"
import { adminGuard, decodeOrThrow, type OdigoContext } from "./context.js"
import { AgentsView, CallRefParams, CallView, ErrorBody, InjectBody } from "./schemas.js"

const iso = (ms: number): string => new Date(ms).toISOString()

/** The REST view of a call at `nowMs`. */
function callView(c: Call, nowMs: number): CallView {
  const waitEnd = c.answeredAtMs ?? (c.status === "abandoned" ? c.endedAtMs! : nowMs)
  const v: { -readonly [K in keyof CallView]: CallView[K] } = {
    callRef: c.ref,
    flow: c.flow,
    gateId: c.gateId,
    status: c.status,
    arrivedAt: iso(c.arrivedAtMs),
    waitMs: waitEnd - c.arrivedAtMs,
    offers: c.offers,
    attachedData: { ...c.attachedData }
  }
  if (c.agent !== undefined) v.agent = c.agent.account.login
  if (c.answeredAtMs !== undefined) v.answeredAt = iso(c.answeredAtMs)
  if (c.endedAtMs !== undefined) v.endedAt = iso(c.endedAtMs)
  if (c.disconnectType !== undefined) v.disconnectType = c.disconnectType
  if (c.transferTarget !== undefined) v.transferTarget = c.transferTarget
  if (c.qualification !== undefined) v.qualification = c.qualification
  return v
}

const err = jsonSchemaOf(ErrorBody)

export function registerCallRoutes(app: FastifyInstance, ctx: OdigoContext): void {
  const guard = adminGuard(ctx)
  const { platform } = ctx
  const now = (): number => platform.clock.nowMs()

  app.post(
    "/calls",
    {
      onRequest: guard,
      schema: {
        tags: ["calls"],
        summary: "Inject a call (a caller reaches the IVR flow's queue)",
        description: "Routed at once to the longest-idle ready agent if there is one; otherwise queued (FIFO per flow). Admin endpoint.",
        body: jsonSchemaOf(InjectBody),
        response: { 201: jsonSchemaOf(CallView), 400: err, 403: err, 503: err }
      }
    },
    async (req, reply) => {
      const body = decodeOrThrow(InjectBody, req.body, "body")
      const call = platform.inject(body)
      return reply.code(201).send(callView(call, now()))
    }
  )

  app.get(
    "/calls/:callRef",
    {
      schema: {
        tags: ["calls"],
        summary: "A call's status (live calls, and the most recent ended ones)",
        params: jsonSchemaOf(CallRefParams),
        response: { 200: jsonSchemaOf(CallView), 404: err }
      }
    },
    async (req) => {
      const { callRef } = decodeOrThrow(CallRefParams, req.params, "params")
      const call = platform.getCall(callRef)
      if (call === undefined) throw new OdigoError("UNKNOWN_CALL", `No call ${callRef} (never injected, or ended too long ago to be remembered)`)
      return callView(call, now())
    }
  )

  app.delete(
    "/calls/:callRef",
    {
      onRequest: guard,
      schema: {
        tags: ["calls"],
        summary: "The caller hangs up",
        description: "Abandoned if queued or ringing; a normal end (agent to wrap-up) if connected. Admin endpoint.",
        params: jsonSchemaOf(CallRefParams),
        response: { 200: jsonSchemaOf(CallView), 403: err, 404: err, 409: err }
      }
    },
    async (req) => {
      const { callRef } = decodeOrThrow(CallRefParams, req.params, "params")
      return callView(platform.callerHangup(callRef), now())
    }
  )

  app.get(
    "/agents",
    {
      schema: {
        tags: ["agents"],
        summary: "Logged-in agents and their state (including those inside their reconnection grace period)",
        response: { 200: jsonSchemaOf(AgentsView) }
      }
    },
    async () => ({ agents: [...platform.sessions.values()].map(agentView) })
  )
}
