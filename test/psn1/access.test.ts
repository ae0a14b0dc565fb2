import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { FastifyInstance } from "fastify"
import { HOUR_MS } from "../../mock-psn1/clock.js"
import { ROUTES } from "../../mock-psn1/app.js"
import type { AnyRoute } from "../../mock-psn1/http/route.js"
import { bearer, expectDocumented, login, makeApp, OFFICER, PASSWORD, staff, type TestApp } from "./harness.js"

const ADVISOR = "alice.martin@example.test"
const SUPERVISOR = "bruno.durand@example.test"

/** A concrete URL for a route (well-formed ids, so only access control can answer). */
const urlOf = (route: AnyRoute): string => {
  const id = route.url.startsWith("/insured") ? "I0000001" : route.url.startsWith("/tickets") ? "T000001" : "F000001"
  return route.url.replace(":email", ADVISOR).replace(":deviceId", "DV0000001-01").replace(":id", id)
}
const openApiPathOf = (route: AnyRoute): string => route.url.replace(/:([A-Za-z]+)/g, "{$1}")

const protectedRoutes = ROUTES.filter((r) => r.access !== "public")
const roleRoutes = ROUTES.filter((r): r is AnyRoute & { access: ReadonlyArray<string> } => Array.isArray(r.access))
const ROLES = ["securityOfficer", "supervisor", "advisor"] as const

describe("access control on every route", () => {
  let t: TestApp
  let tokens: Record<(typeof ROLES)[number], string>
  beforeAll(async () => {
    t = await makeApp()
    const s = await staff(t.app, [{ email: ADVISOR, role: "advisor" }, { email: SUPERVISOR, role: "supervisor" }])
    tokens = { securityOfficer: s.officer, supervisor: s.tokens[SUPERVISOR] as string, advisor: s.tokens[ADVISOR] as string }
  })
  afterAll(async () => {
    await t.app.close()
  })

  it("keeps exactly these routes public: login, OTP, reasons, health", () => {
    expect(ROUTES.filter((r) => r.access === "public").map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST /auth/login", "POST /auth/otp", "GET /reasons", "GET /health"
    ])
  })

  it.each(protectedRoutes.map((r) => [`${r.method} ${r.url}`, r] as const))("%s without a token: 401 AUTH_REQUIRED with a Bearer challenge", async (_name, route) => {
    const res = await t.app.inject({ method: route.method, url: urlOf(route) })
    expect(res.statusCode).toBe(401)
    expect(res.headers["www-authenticate"]).toBe('Bearer realm="psn1"')
    expect(res.json()).toEqual({ code: "AUTH_REQUIRED", message: "send Authorization: Bearer <token> (obtained from POST /auth/otp)" })
    expectDocumented(route.method, openApiPathOf(route), res)
  })

  it.each(protectedRoutes.map((r) => [`${r.method} ${r.url}`, r] as const))("%s with a forged or malformed token: 401 TOKEN_INVALID", async (_name, route) => {
    for (const authorization of [`Bearer psn1_${"A".repeat(43)}`, "Bearer not-a-token", `Basic ${Buffer.from("a:b").toString("base64")}`]) {
      const res = await t.app.inject({ method: route.method, url: urlOf(route), headers: { authorization } })
      expect(res.statusCode).toBe(401)
      expect(res.json().code).toBe("TOKEN_INVALID")
    }
  })

  const denied = roleRoutes.flatMap((r) => ROLES.filter((role) => !r.access.includes(role)).map((role) => [`${role} → ${r.method} ${r.url}`, r, role] as const))
  it.each(denied)("%s: 403 FORBIDDEN_ROLE", async (_name, route, role) => {
    const res = await t.app.inject({ method: route.method, url: urlOf(route), headers: bearer(tokens[role]) })
    expect(res.statusCode).toBe(403)
    expect(res.json()).toEqual({ code: "FORBIDDEN_ROLE", message: `role ${role} may not call ${route.method} ${route.url}` })
    expectDocumented(route.method, openApiPathOf(route), res)
  })

  it("gives the security officer no access to insured people, tickets or forms, and advisors no access to accounts or audit", () => {
    const allowed = (role: string) => roleRoutes.filter((r) => r.access.includes(role)).map((r) => r.operationId)
    expect(allowed("securityOfficer")).toEqual(["admin.listUsers", "admin.createUser", "admin.removeUser", "admin.reactivateUser", "admin.unlockUser", "audit.query"])
    expect(allowed("advisor").some((op) => op.startsWith("admin.") || op === "audit.query" || op === "forms.stats")).toBe(false)
  })

  it("refuses advisors the bulk read of the population (page), which supervisors may use", async () => {
    const advisor = await t.app.inject({ method: "GET", url: "/insured?page=1&pageSize=2", headers: bearer(tokens.advisor) })
    expect(advisor.statusCode).toBe(403)
    expect(advisor.json()).toEqual({ code: "FORBIDDEN_ROLE", message: "reading the population by page needs the supervisor role" })
    const supervisor = await t.app.inject({ method: "GET", url: "/insured?page=1&pageSize=2", headers: bearer(tokens.supervisor) })
    expect(supervisor.statusCode).toBe(200)
    expect(supervisor.json()).toMatchObject({ page: 1, pageSize: 2, total: 300 })
    expect(supervisor.json().items.map((p: { id: string }) => p.id)).toEqual(["I0000001", "I0000002"])
    expectDocumented("GET", "/insured", supervisor)
  })

  it("lets only a supervisor close a ticket; an advisor's attempt changes nothing", async () => {
    const created = await t.app.inject({ method: "POST", url: "/tickets", headers: bearer(tokens.advisor), payload: { reason: "incidentAccount", title: "Compte bloqué", description: "Connexion impossible." } })
    const id = created.json().id as string
    await t.app.inject({ method: "POST", url: `/tickets/${id}/status`, headers: bearer(tokens.advisor), payload: { status: "resolved" } })
    const byAdvisor = await t.app.inject({ method: "POST", url: `/tickets/${id}/status`, headers: bearer(tokens.advisor), payload: { status: "closed" } })
    expect(byAdvisor.statusCode).toBe(403)
    expect(byAdvisor.json()).toEqual({ code: "FORBIDDEN_ROLE", message: "closing a ticket needs the supervisor role" })
    expect(t.app.psn1.tickets.get(id).status).toBe("resolved")
    const bySupervisor = await t.app.inject({ method: "POST", url: `/tickets/${id}/status`, headers: bearer(tokens.supervisor), payload: { status: "closed" } })
    expect(bySupervisor.statusCode).toBe(200)
    expect(bySupervisor.json().status).toBe("closed")
  })
})

describe("account lifecycle and its effect on access (SEC-HAB-01/03)", () => {
  let t: TestApp
  let app: FastifyInstance
  let officer: string
  beforeAll(async () => {
    t = await makeApp()
    app = t.app
    officer = await login(app, OFFICER.email, OFFICER.password)
  })
  afterAll(async () => {
    await t.app.close()
  })

  const create = (payload: Record<string, unknown>) => app.inject({ method: "POST", url: "/admin/users", headers: bearer(officer), payload })

  it("refuses shared mailboxes (400 GENERIC_ACCOUNT): accounts are nominative", async () => {
    const res = await create({ email: "support@example.test", password: PASSWORD, firstName: "Support", lastName: "Plateau", role: "advisor" })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({ code: "GENERIC_ACCOUNT", message: "support@example.test is a shared mailbox; create one account per person (SEC-HAB-01)" })
    expectDocumented("POST", "/admin/users", res)
  })

  it("refuses a weak password (400 WEAK_PASSWORD) listing every rule it breaks", async () => {
    const res = await create({ email: "carla.petit@example.test", password: "carlapetit", firstName: "Carla", lastName: "Petit", role: "advisor" })
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe("WEAK_PASSWORD")
    expect(res.json().problems).toEqual([
      { path: "body.password", message: "at least 3 of: lower-case, upper-case, digit, other character" }
    ])
    const weak = await create({ email: "carla.petit@example.test", password: "Carla.petit-1", firstName: "Carla", lastName: "Petit", role: "advisor" })
    expect(weak.json().problems).toEqual([{ path: "body.password", message: "must not contain the email's name part" }])
    expect(app.psn1.accounts.get("carla.petit@example.test")).toBeUndefined()
  })

  it("refuses a second account with the same email, in any case (409 ACCOUNT_EXISTS)", async () => {
    const ok = await create({ email: "denis.roy@example.test", password: PASSWORD, firstName: "Denis", lastName: "Roy", role: "supervisor" })
    expect(ok.statusCode).toBe(201)
    expect(ok.json()).toEqual({
      email: "denis.roy@example.test", firstName: "Denis", lastName: "Roy", role: "supervisor", status: "active",
      createdAt: "2026-01-05T08:30:00.000Z", createdBy: OFFICER.email, lastLoginAt: null, lockedUntil: null, disabledAt: null
    })
    expectDocumented("POST", "/admin/users", ok)
    const dup = await create({ email: "Denis.Roy@example.test", password: PASSWORD, firstName: "Denis", lastName: "Roy", role: "advisor" })
    expect(dup.statusCode).toBe(409)
    expect(dup.json()).toEqual({ code: "ACCOUNT_EXISTS", message: "an account already exists for denis.roy@example.test" })
  })

  it("cannot create another security officer: the role must be advisor or supervisor (400 INVALID_REQUEST)", async () => {
    const res = await create({ email: "eve.faure@example.test", password: PASSWORD, firstName: "Eve", lastName: "Faure", role: "securityOfficer" })
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe("INVALID_REQUEST")
    expect(res.json().problems).toEqual([{ path: "body.role", message: "Expected \"supervisor\" | \"advisor\"" }])
  })

  it("removes an account: its live token answers 401 ACCOUNT_REMOVED and its password no longer logs in", async () => {
    await create({ email: "farid.nicolas@example.test", password: PASSWORD, firstName: "Farid", lastName: "Nicolas", role: "advisor" })
    const token = await login(app, "farid.nicolas@example.test", PASSWORD)
    const removed = await app.inject({ method: "DELETE", url: "/admin/users/farid.nicolas@example.test", headers: bearer(officer) })
    expect(removed.statusCode).toBe(204)
    const res = await app.inject({ method: "GET", url: "/tickets", headers: bearer(token) })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual({ code: "ACCOUNT_REMOVED", message: "this account was removed by the security officer" })
    const again = await app.inject({ method: "POST", url: "/auth/login", payload: { email: "farid.nicolas@example.test", password: PASSWORD } })
    expect(again.json().code).toBe("INVALID_CREDENTIALS")
    const twice = await app.inject({ method: "DELETE", url: "/admin/users/farid.nicolas@example.test", headers: bearer(officer) })
    expect(twice.statusCode).toBe(404)
    expect(twice.json()).toEqual({ code: "ACCOUNT_NOT_FOUND", message: "no account for farid.nicolas@example.test" })
  })

  it("never removes the security officer through the API (409 CANNOT_REMOVE_OFFICER)", async () => {
    const res = await app.inject({ method: "DELETE", url: `/admin/users/${OFFICER.email}`, headers: bearer(officer) })
    expect(res.statusCode).toBe(409)
    expect(res.json().code).toBe("CANNOT_REMOVE_OFFICER")
    expect(app.psn1.accounts.get(OFFICER.email)?.role).toBe("securityOfficer")
  })

  it("answers an expired token on a business route with 401 TOKEN_EXPIRED", async () => {
    await create({ email: "gina.blanc@example.test", password: PASSWORD, firstName: "Gina", lastName: "Blanc", role: "advisor" })
    const token = await login(app, "gina.blanc@example.test", PASSWORD)
    t.clock.advance(8 * HOUR_MS)
    const res = await app.inject({ method: "GET", url: "/insured/I0000001", headers: bearer(token) })
    expect(res.statusCode).toBe(401)
    expect(res.json().code).toBe("TOKEN_EXPIRED")
    officer = await login(app, OFFICER.email, OFFICER.password)
  })
})
