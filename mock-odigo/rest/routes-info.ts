/**
 * Read-only REST: health, configuration, the contract vocabulary, real-time and cold
 * statistics (CSV or JSON per 15-minute interval), and the two API documents.
 */
import type { FastifyInstance } from "fastify"
import type {} from "@fastify/swagger"
import { FLOWS, REASONS, FLOW_CODES } from "../../sim/domain/vocabulary.js"
import { census } from "../acd/audit.js"
import { buildAsyncApi } from "../docs/asyncapi.js"
import { OdigoError } from "../errors.js"
import { jsonSchemaOf } from "../protocol/json-schema.js"
import { AGENT_COUNTERS, CALL_COUNTERS, INTERVAL_MS, intervalStartOf, parisDayStartMs } from "../stats.js"
import { decodeOrThrow, type OdigoContext } from "./context.js"
import { ConfigView, ErrorBody, Health, RealtimeView, ReasonsView, StatsQuery, StatsResponse } from "./schemas.js"

const err = jsonSchemaOf(ErrorBody)

/** Most intervals one statistics request may return (31 days). */
const MAX_INTERVALS = 31 * 96

const parseInstant = (s: string | undefined, name: string): number | undefined => {
  if (s === undefined) return undefined
  const ms = Date.parse(s)
  if (!/^\d{4}-\d{2}-\d{2}T/.test(s) || Number.isNaN(ms)) throw new OdigoError("INVALID_BODY", `query.${name}: expected an ISO 8601 date-time, got ${JSON.stringify(s)}`)
  return ms
}

export function registerInfoRoutes(app: FastifyInstance, ctx: OdigoContext): void {
  const { platform, options, gateway, hub, accounts } = ctx

  app.get(
    "/health",
    { schema: { tags: ["info"], summary: "Liveness and a one-line census", response: { 200: jsonSchemaOf(Health) } } },
    async () => ({
      status: gateway.closing ? ("closing" as const) : ("ok" as const),
      uptimeMs: Math.max(0, platform.clock.nowMs() - ctx.startedAtMs),
      connections: { agent: gateway.count("agent"), supervision: gateway.count("supervision") },
      sessions: platform.sessions.size,
      accounts: accounts.size,
      calls: census(platform)
    })
  )

  app.get(
    "/config",
    { schema: { tags: ["info"], summary: "The running configuration (timeouts, transfer targets, gates, limits)", response: { 200: jsonSchemaOf(ConfigView) } } },
    async () => ({
      ronaMs: options.ronaMs,
      graceMs: options.graceMs,
      loginTimeoutMs: options.loginTimeoutMs,
      heartbeatMs: options.heartbeatMs,
      supervisionTickMs: options.supervisionTickMs,
      maxPayloadBytes: options.maxPayloadBytes,
      requireQualification: options.requireQualification,
      maxQueuedCalls: options.maxQueuedCalls,
      transferTargets: [...options.transferTargets],
      gates: FLOW_CODES.map((flow) => ({ flow, gateId: options.gateIds[flow] })),
      agentRate: { ratePerSec: options.agentLimits.ratePerSec, burst: options.agentLimits.burst }
    })
  )

  app.get(
    "/reasons",
    { schema: { tags: ["info"], summary: "The 17 call reasons (CCTP 2.1.7) and the 2 IVR flows", response: { 200: jsonSchemaOf(ReasonsView) } } },
    async () => ({ reasons: REASONS.map((r) => ({ ...r })), flows: FLOWS.map((f) => ({ ...f })) })
  )

  app.get(
    "/stats/realtime",
    {
      schema: {
        tags: ["stats"],
        summary: "What a supervision delta carries, without agents: queues, agents by state, today's KPIs",
        response: { 200: jsonSchemaOf(RealtimeView) }
      }
    },
    async () => hub.totals()
  )

  app.get(
    "/stats/intervals",
    {
      schema: {
        tags: ["stats"],
        summary: "Cold statistics per 15-minute interval with the CCTP KPI inputs (JSON, or CSV with format=csv)",
        description: "Every counter of a call is credited to the interval in which the call arrived; advisor time is split across intervals.",
        querystring: jsonSchemaOf(StatsQuery),
        response: { 200: jsonSchemaOf(StatsResponse), 400: err }
      }
    },
    async (req, reply) => {
      const q = decodeOrThrow(StatsQuery, req.query, "query")
      const now = platform.clock.nowMs()
      const from = intervalStartOf(parseInstant(q.from, "from") ?? parisDayStartMs(now))
      const to = parseInstant(q.to, "to") ?? now + 1
      if (to <= from) throw new OdigoError("INVALID_BODY", "query.to: must be after from")
      const n = Math.ceil((to - from) / INTERVAL_MS)
      if (n > MAX_INTERVALS) throw new OdigoError("RANGE_TOO_LARGE", `The range spans ${n} intervals; at most ${MAX_INTERVALS} (31 days) per request`)
      platform.flushAgentTime()
      const rows = platform.stats.intervals(from, to, q.flow)
      if (q.format === "csv") {
        const columns = ["intervalStart", "intervalEnd", ...CALL_COUNTERS, ...AGENT_COUNTERS] as const
        const lines = [columns.join(","), ...rows.map((r) => columns.map((c) => String(r[c])).join(","))]
        return reply
          .type("text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="odigo-intervals-${new Date(from).toISOString().slice(0, 10)}.csv"`)
          .send(lines.join("\r\n") + "\r\n")
      }
      return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), intervalMinutes: 15 as const, flow: q.flow ?? ("all" as const), rows }
    }
  )

  const asyncapi = buildAsyncApi()
  app.get("/asyncapi.json", { schema: { tags: ["docs"], summary: "AsyncAPI 3.0 document of the two websockets" } }, async () => asyncapi)
  app.get("/openapi.json", { schema: { tags: ["docs"], summary: "OpenAPI 3.1 document of this REST API" } }, async () => app.swagger())
}
