/**
 * Admin REST: nominative accounts (CCTP SEC-HAB-01), fault injection (CCTP 8.1), and the
 * call-conservation audit. All guarded: loopback clients only, or a bearer token when the mock
 * was started with one.
 */
import type { FastifyInstance } from "fastify"
import { NewAccount, AccountView, viewOf } from "../accounts.js"
import { audit, census } from "../acd/audit.js"
import { OdigoError } from "../errors.js"
import { FaultRequest } from "../faults.js"
import { jsonSchemaOf } from "../protocol/json-schema.js"
import { adminGuard, decodeOrThrow, type OdigoContext } from "./context.js"
import { AccountsView, AuditView, ErrorBody, FaultsView, LoginParams } from "./schemas.js"

const err = jsonSchemaOf(ErrorBody)

export function registerAdminRoutes(app: FastifyInstance, ctx: OdigoContext): void {
  const guard = adminGuard(ctx)
  const { accounts, platform, faults, gateway } = ctx

  app.post(
    "/admin/accounts",
    {
      onRequest: guard,
      schema: {
        tags: ["admin"],
        summary: "Create a nominative account (agent or supervisor)",
        description:
          "Refused with GENERIC_ACCOUNT when no single person is behind it: missing or placeholder first/last name, " +
          "a shared or functional login (agent01, support, admin, test…), a login that does not contain the person's name, " +
          "or a functional e-mail. Login and e-mail are unique.",
        body: jsonSchemaOf(NewAccount),
        response: { 201: jsonSchemaOf(AccountView), 400: err, 403: err, 409: err, 422: err }
      }
    },
    async (req, reply) => {
      const body = decodeOrThrow(NewAccount, req.body, "body")
      return reply.code(201).send(viewOf(accounts.create(body, platform.clock.nowMs())))
    }
  )

  app.get(
    "/admin/accounts",
    { onRequest: guard, schema: { tags: ["admin"], summary: "List accounts (never passwords)", response: { 200: jsonSchemaOf(AccountsView), 403: err } } },
    async () => ({ accounts: accounts.list().map(viewOf) })
  )

  app.delete(
    "/admin/accounts/:login",
    {
      onRequest: guard,
      schema: {
        tags: ["admin"],
        summary: "Remove an account (a leaver); a live agent session ends at once, and its connection or the supervisor's connections are closed with 4003",
        params: jsonSchemaOf(LoginParams),
        response: { 200: jsonSchemaOf(AccountView), 403: err, 404: err }
      }
    },
    async (req) => {
      const { login } = decodeOrThrow(LoginParams, req.params, "params")
      const account = accounts.remove(login)
      if (account === undefined) throw new OdigoError("UNKNOWN_ACCOUNT", `No account ${JSON.stringify(login)}`)
      const session = platform.sessions.get(login)
      if (session !== undefined) {
        gateway.closeAgent(login, 4003, "account removed")
        platform.endSession(session)
      }
      gateway.closeSupervisor(login, 4003, "account removed")
      return viewOf(account)
    }
  )

  const faultsView = () => ({ faults: faults.settings, heldFrames: gateway.counters.heldFrames, droppedFrames: faults.droppedFrames })

  app.get(
    "/admin/faults",
    { onRequest: guard, schema: { tags: ["faults"], summary: "Current fault settings", response: { 200: jsonSchemaOf(FaultsView), 403: err } } },
    async () => faultsView()
  )

  app.post(
    "/admin/faults",
    {
      onRequest: guard,
      schema: {
        tags: ["faults"],
        summary: "Inject faults: change settings (others kept) and/or run one-shot actions",
        body: jsonSchemaOf(FaultRequest),
        response: { 200: jsonSchemaOf(FaultsView), 400: err, 403: err }
      }
    },
    async (req) => {
      const body = decodeOrThrow(FaultRequest, req.body, "body")
      const { disconnect, serverClosing, ...settings } = body
      faults.update(settings)
      const out: { disconnected?: number; notified?: number } = {}
      if (serverClosing !== undefined) {
        out.notified = gateway.broadcast({
          type: "server.closing",
          payload: serverClosing.closingInMs === undefined ? { reason: serverClosing.reason } : { reason: serverClosing.reason, closingInMs: serverClosing.closingInMs }
        })
      }
      if (disconnect !== undefined) out.disconnected = gateway.disconnectAgents(disconnect === "all" ? "all" : disconnect.logins)
      return { ...faultsView(), ...out }
    }
  )

  app.delete(
    "/admin/faults",
    { onRequest: guard, schema: { tags: ["faults"], summary: "Clear every fault setting", response: { 200: jsonSchemaOf(FaultsView), 403: err } } },
    async () => {
      faults.clear()
      return faultsView()
    }
  )

  app.get(
    "/admin/audit",
    {
      onRequest: guard,
      schema: {
        tags: ["admin"],
        summary: "Call conservation check: every injected call is answered, abandoned, or still queued/ringing/connected — never lost or duplicated",
        response: { 200: jsonSchemaOf(AuditView), 403: err }
      }
    },
    async () => {
      const violations = audit(platform)
      return { ok: violations.length === 0, census: census(platform), violations }
    }
  )
}
