import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { checkSeedAccounts, genericReasons } from "../../mock-odigo/accounts.js"
import { GENERIC_WORDS } from "../../sim/domain/accounts.js"
import { startMock } from "./harness.js"

const aline = { login: "aline.lavande", password: "correct horse battery", firstName: "Aline", lastName: "Lavande", email: "aline.lavande@example.test", role: "agent" }

describe("mock-odigo accounts are nominative (CCTP SEC-HAB-01)", () => {
  it("creates a nominative account and never shows its password", async () => {
    const h = await startMock()
    const r = await h.http("POST", "/admin/accounts", aline)
    expect(r.status).toBe(201)
    expect(r.body).toEqual({ login: "aline.lavande", firstName: "Aline", lastName: "Lavande", email: "aline.lavande@example.test", role: "agent", createdAt: "2025-11-10T08:30:00.000Z" })
    expect((await h.http("GET", "/admin/accounts")).body).toEqual({ accounts: [r.body] })
    expect(JSON.stringify((await h.http("GET", "/admin/accounts")).body)).not.toContain("horse")
    await h.checkCalls()
  })

  const refused: Array<[string, Record<string, unknown>, string]> = [
    ["a shared login like agent01", { login: "agent01" }, 'login "agent01" is a shared or functional login'],
    ["the login support", { login: "support" }, 'login "support" is a shared or functional login'],
    ["the login admin", { login: "Admin" }, 'login "Admin" is a shared or functional login'],
    ["the login test-2", { login: "test-2" }, 'login "test-2" is a shared or functional login'],
    ["a missing last name", { lastName: undefined }, "lastName is missing: an account must name one person"],
    ["a blank first name", { firstName: "  " }, "firstName is missing: an account must name one person"],
    ["a placeholder name", { firstName: "Test" }, 'firstName "Test" is a placeholder, not a person\'s name'],
    ["a name with digits", { lastName: "Lavande2" }, "lastName must be a name (letters, spaces, hyphens, apostrophes)"],
    ["a login without the person's name", { login: "poste-12" }, 'login "poste-12" is a shared or functional login'],
    ["a login naming someone else", { login: "jdupont" }, 'login "jdupont" must contain the person\'s first or last name (e.g. aline.lavande)'],
    ["a functional e-mail", { email: "support@example.test" }, 'email "support@example.test" is a functional mailbox, not a person\'s'],
    ["a missing e-mail", { email: undefined }, "email is missing: an account must name one person"]
  ]
  for (const [what, change, reason] of refused) {
    it(`refuses ${what} with GENERIC_ACCOUNT`, async () => {
      const h = await startMock()
      const body = Object.fromEntries(Object.entries({ ...aline, ...change }).filter(([, v]) => v !== undefined))
      const r = await h.http("POST", "/admin/accounts", body)
      expect(r.status).toBe(422)
      expect(r.body.code).toBe("GENERIC_ACCOUNT")
      expect(r.body.message).toContain(reason)
      expect(r.body.message.startsWith("Account refused (not nominative, CCTP SEC-HAB-01): ")).toBe(true)
      expect((await h.http("GET", "/admin/accounts")).body.accounts).toEqual([])
      await h.checkCalls()
    })
  }

  it("refuses a second account with the same login or the same e-mail (one identifier per person)", async () => {
    const h = await startMock()
    await h.http("POST", "/admin/accounts", aline)
    expect(await h.http("POST", "/admin/accounts", { ...aline, email: "a.lavande@example.test" })).toMatchObject({
      status: 409,
      body: { code: "ACCOUNT_EXISTS", message: 'An account with login "aline.lavande" already exists' }
    })
    expect(await h.http("POST", "/admin/accounts", { ...aline, login: "a.lavande" })).toMatchObject({
      status: 409,
      body: { code: "ACCOUNT_EXISTS", message: 'An account with e-mail "aline.lavande@example.test" already exists (one identifier per person)' }
    })
    await h.checkCalls()
  })

  it("reports schema problems (short password, unknown role) as INVALID_BODY with paths, never echoing the password", async () => {
    const h = await startMock()
    expect(await h.http("POST", "/admin/accounts", { ...aline, password: "short", role: "root" })).toMatchObject({
      status: 400,
      body: { code: "INVALID_BODY", message: 'body.password: Expected a value with a length of at least 8; body.role: Expected "agent" | "supervisor"' }
    })
    await h.checkCalls()
  })

  it("refuses a websocket login with a wrong password or an unknown login (BAD_CREDENTIALS)", async () => {
    const h = await startMock()
    await h.http("POST", "/admin/accounts", aline)
    const c = await h.connect("/agent")
    expect(await c.exchange("login", { login: "aline.lavande", password: "wrong password" })).toEqual([
      { type: "error", id: "c1", code: "BAD_CREDENTIALS", message: "Unknown login or wrong password" }
    ])
    expect(await c.exchange("login", { login: "nobody.here", password: "correct horse battery" })).toEqual([
      { type: "error", id: "c2", code: "BAD_CREDENTIALS", message: "Unknown login or wrong password" }
    ])
    await c.expectQuiet()
    await h.checkCalls()
  })

  it("refuses any login made of a generic word with digits and separators (property)", () => {
    const words = [...GENERIC_WORDS].filter((w) => w.length >= 2)
    fc.assert(
      fc.property(
        fc.constantFrom(...words),
        fc.stringMatching(/^[0-9._-]{0,4}$/),
        fc.boolean(),
        (word, suffix, upper) => {
          const login = `${upper ? word.toUpperCase() : word}${suffix}`
          const reasons = genericReasons({ login, password: "x".repeat(8), firstName: "Aline", lastName: "Lavande", email: "aline.lavande@example.test", role: "agent" })
          return reasons.some((r) => r.includes("shared or functional login"))
        }
      )
    )
  })
})

describe("the accounts file of `ccsim mock odigo --accounts` (checkSeedAccounts)", () => {
  it("names every schema problem with the project's one path syntax (array indices in brackets)", () => {
    expect(checkSeedAccounts([{ login: 5, password: "x", role: "agent" }, "x"])).toEqual({
      kind: "invalid",
      problems: [
        { path: "accounts[0].login", message: "Expected string" },
        { path: "accounts[0].password", message: "Expected a value with a length of at least 8" },
        { path: "accounts[1]", message: "Expected object" }
      ]
    })
  })

  it("refuses, account by account, what POST /admin/accounts would refuse (generic, duplicate)", () => {
    expect(checkSeedAccounts([aline, { ...aline, login: "agent01" }, aline])).toEqual({
      kind: "refused",
      problems: [
        { path: "accounts[1] (agent01)", message: expect.stringMatching(/^GENERIC_ACCOUNT: Account refused \(not nominative, CCTP SEC-HAB-01\): /) },
        { path: "accounts[2] (aline.lavande)", message: 'ACCOUNT_EXISTS: An account with login "aline.lavande" already exists' }
      ]
    })
    expect(checkSeedAccounts([aline])).toEqual({ kind: "ok", accounts: [aline] })
  })
})
