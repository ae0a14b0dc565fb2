/**
 * SEC-HAB-01 is one rule (sim/contract/accounts.ts): mock-odigo and mock-psn1 refuse the same
 * shared logins, functional mailboxes and placeholder names, each with its own stable code.
 */
import type { FastifyInstance } from "fastify"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startMock } from "../odigo/harness.js"
import { bearer, login, makeApp, OFFICER, PASSWORD, type TestApp } from "./harness.js"

/** Local parts that name a function, not a person — including those the two mocks once disagreed on. */
const SHARED = ["hotline", "standard", "stagiaire", "sup.port", "securite", "psn1", "support2", "no-reply", "contact", "admin", "conseiller"]
const PLACEHOLDER_NAMES: Array<[string, string]> = [["Test", "Lavande"], ["Aline", "Agent"], ["Conseiller", "Virtuel"], ["Aline", "Nom"]]

describe("both mocks refuse the same generic accounts (CCTP SEC-HAB-01)", () => {
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

  const psn1Create = (body: Record<string, unknown>) =>
    app.inject({ method: "POST", url: "/admin/users", headers: bearer(officer), payload: { password: PASSWORD, role: "advisor", ...body } })

  for (const local of SHARED) {
    it(`refuses the mailbox ${local}@ in both mocks (psn1 400, odigo 422 GENERIC_ACCOUNT)`, async () => {
      const email = `${local}@example.test`
      const p = await psn1Create({ email, firstName: "Aline", lastName: "Lavande" })
      expect([p.statusCode, p.json()]).toEqual([400, { code: "GENERIC_ACCOUNT", message: `${email} is a shared mailbox; create one account per person (SEC-HAB-01)` }])
      expect(app.psn1.accounts.get(email)).toBeUndefined()

      const h = await startMock()
      const asLogin = await h.http("POST", "/admin/accounts", { login: local, password: "correct horse battery", firstName: "Aline", lastName: "Lavande", email: "aline.lavande@example.test", role: "agent" })
      expect([asLogin.status, asLogin.body.code]).toEqual([422, "GENERIC_ACCOUNT"])
      expect(asLogin.body.message).toContain(`login ${JSON.stringify(local)} is a shared or functional login`)
      const asEmail = await h.http("POST", "/admin/accounts", { login: "aline.lavande", password: "correct horse battery", firstName: "Aline", lastName: "Lavande", email, role: "agent" })
      expect([asEmail.status, asEmail.body.code]).toEqual([422, "GENERIC_ACCOUNT"])
      expect(asEmail.body.message).toContain(`email ${JSON.stringify(email)} is a functional mailbox, not a person's`)
      expect((await h.http("GET", "/admin/accounts")).body.accounts).toEqual([])
      await h.checkCalls()
    })
  }

  for (const [firstName, lastName] of PLACEHOLDER_NAMES) {
    it(`refuses the name ${firstName} ${lastName} in both mocks`, async () => {
      const placeholder = firstName === "Aline" ? `lastName ${JSON.stringify(lastName)}` : `firstName ${JSON.stringify(firstName)}`
      const email = `${firstName}.${lastName}@example.test`.toLowerCase()
      const p = await psn1Create({ email, firstName, lastName })
      expect(p.statusCode).toBe(400)
      expect(p.json().code).toBe("GENERIC_ACCOUNT")
      expect(p.json().message).toContain(`${placeholder} is a placeholder, not a person's name`)
      expect(app.psn1.accounts.get(email)).toBeUndefined()

      const h = await startMock()
      const o = await h.http("POST", "/admin/accounts", { login: "aline.lavande", password: "correct horse battery", firstName, lastName, email: "aline.lavande@example.test", role: "agent" })
      expect([o.status, o.body.code]).toEqual([422, "GENERIC_ACCOUNT"])
      expect(o.body.message).toContain(`${placeholder} is a placeholder, not a person's name`)
      await h.checkCalls()
    })
  }

  it("still accepts a nominative account in both mocks", async () => {
    const p = await psn1Create({ email: "aline.lavande@example.test", firstName: "Aline", lastName: "Lavande" })
    expect(p.statusCode).toBe(201)
    const h = await startMock()
    const o = await h.http("POST", "/admin/accounts", { login: "aline.lavande", password: "correct horse battery", firstName: "Aline", lastName: "Lavande", email: "aline.lavande@example.test", role: "agent" })
    expect(o.status).toBe(201)
    await h.checkCalls()
  })
})
