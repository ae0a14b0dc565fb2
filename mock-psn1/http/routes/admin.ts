/**
 * Account administration and the access history, for the security officer only
 * (SEC-HAB-03, CCTP 8.1).
 */
import { DAY_MS, isoOf } from "../../clock.js"
import { AccountList, AccountParams, AccountView, CreateAccountRequest } from "../../schema/auth.js"
import { AuditPage, AuditQuery } from "../../schema/audit.js"
import { Psn1Error } from "../../errors.js"
import { defineRoute, type AnyRoute } from "../route.js"
import { originOf } from "../caller.js"
import { accountView } from "./auth.js"

const OFFICER = ["securityOfficer"] as const

export const adminRoutes: ReadonlyArray<AnyRoute> = [
  defineRoute({
    method: "GET", url: "/admin/users", operationId: "admin.listUsers", tag: "admin", access: OFFICER,
    summary: "List accounts (the 90-day idle rule is applied first)",
    success: { status: 200, schema: AccountList, description: "All accounts, officer first." },
    errors: [],
    handler: ({ portal, nowMs, request }) => {
      const origin = originOf(request)
      const accounts = portal.accounts.list()
      for (const a of accounts) portal.accounts.applyIdleRule(a, nowMs, origin)
      return { items: accounts.map((a) => accountView(a, portal.accounts, nowMs)) }
    }
  }),
  defineRoute({
    method: "POST", url: "/admin/users", operationId: "admin.createUser", tag: "admin", access: OFFICER,
    summary: "Create a nominative advisor or supervisor account",
    body: CreateAccountRequest,
    success: { status: 201, schema: AccountView, description: "Created." },
    errors: ["ACCOUNT_EXISTS", "WEAK_PASSWORD", "GENERIC_ACCOUNT"],
    handler: async ({ body, me, portal, target }) => {
      target(`account:${body.email.toLowerCase()}`)
      const account = await portal.accounts.create(body, me.email, () => portal.nowMs())
      return accountView(account, portal.accounts, portal.nowMs())
    }
  }),
  defineRoute({
    method: "DELETE", url: "/admin/users/:email", operationId: "admin.removeUser", tag: "admin", access: OFFICER,
    summary: "Remove an account: its tokens are revoked at once, its claimed forms released",
    params: AccountParams,
    success: { status: 204, schema: null, description: "Removed." },
    errors: ["ACCOUNT_NOT_FOUND", "CANNOT_REMOVE_OFFICER"],
    handler: ({ params, portal, target }) => {
      target(`account:${params.email.toLowerCase()}`)
      portal.removeAccount(params.email)
    }
  }),
  defineRoute({
    method: "POST", url: "/admin/users/:email/reactivate", operationId: "admin.reactivateUser", tag: "admin", access: OFFICER,
    summary: "Re-enable an account disabled by the idle rule, and lift a lockout",
    params: AccountParams,
    success: { status: 200, schema: AccountView, description: "Reactivated." },
    errors: ["ACCOUNT_NOT_FOUND", "CANNOT_REMOVE_OFFICER"],
    handler: ({ params, portal, nowMs, target }) => {
      target(`account:${params.email.toLowerCase()}`)
      return accountView(portal.accounts.reactivate(params.email, nowMs), portal.accounts, nowMs)
    }
  }),
  defineRoute({
    method: "POST", url: "/admin/users/:email/unlock", operationId: "admin.unlockUser", tag: "admin", access: OFFICER,
    summary: "Lift every lockout and login wait of an account, from every address (the officer's own account included)",
    description: "Failed logins lock out, and delay, only the address they came from (per email and address); this lifts them all " +
      "at once. Audited like every request (`admin.unlockUser`, target `account:<email>`). Lifts nothing else: an idle-disabled " +
      "account needs `reactivate`.",
    params: AccountParams,
    success: { status: 200, schema: AccountView, description: "Unlocked." },
    errors: ["ACCOUNT_NOT_FOUND"],
    handler: ({ params, portal, nowMs, target }) => {
      target(`account:${params.email.toLowerCase()}`)
      return accountView(portal.accounts.unlock(params.email), portal.accounts, nowMs)
    }
  }),
  defineRoute({
    method: "GET", url: "/audit", operationId: "audit.query", tag: "admin", access: OFFICER,
    summary: "Query the access history (oldest first, paged by `after`)",
    query: AuditQuery,
    success: { status: 200, schema: AuditPage, description: "A page of entries." },
    errors: [],
    handler: ({ query, portal }) => {
      const limit = Math.min(Number(query.limit ?? 200), 1000)
      const filter = {
        ...(query.actor === undefined ? {} : { actor: query.actor.toLowerCase() }),
        ...(query.action === undefined ? {} : { action: query.action }),
        ...(query.target === undefined ? {} : { target: query.target }),
        ...(query.from === undefined ? {} : { fromMs: Date.parse(query.from) }),
        ...(query.to === undefined ? {} : { toMs: Date.parse(query.to) })
      }
      if (filter.fromMs !== undefined && filter.toMs !== undefined && filter.fromMs > filter.toMs) {
        throw new Psn1Error("INVALID_REQUEST", "query.from is after query.to", { problems: [{ path: "query.from", message: "must not be after query.to" }] })
      }
      const page = portal.audit.query(filter, Number(query.after ?? 0), limit)
      return {
        items: page.items.map((e) => ({
          seq: e.seq, at: isoOf(e.atMs), actor: e.actor, role: e.role, action: e.action, target: e.target,
          outcome: e.outcome, status: e.status, code: e.code, ip: e.ip, userAgent: e.userAgent
        })),
        next: page.next,
        retentionDays: Math.round(portal.options.auditRetentionMs / DAY_MS),
        droppedForMemory: portal.audit.droppedForMemory
      }
    }
  })
]
