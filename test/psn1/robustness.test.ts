import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest"
import type { FastifyInstance } from "fastify"
import { ERROR_CODES } from "../../mock-psn1/errors.js"
import { bearer, domainSnapshot, login, makeApp, PASSWORD, people, staff, type TestApp } from "./harness.js"

const ADVISOR = "alice.martin@example.test"

interface Case {
  readonly name: string
  readonly method: "GET" | "POST" | "DELETE"
  readonly url: string
  readonly headers?: Record<string, string>
  readonly payload?: string | object
  readonly status: number
  readonly code: string
  readonly problems?: ReadonlyArray<{ path: string; message: string }>
}

const ticket = { reason: "incidentAccount", title: "Compte", description: "Connexion impossible." }
const json = { "content-type": "application/json" }

describe("the \"nothing written\" snapshot", () => {
  it("sees failure counters, pending OTPs, the mailbox, idempotency keys and revoked sessions", async () => {
    const t = await makeApp()
    onTestFinished(() => t.app.close())
    const { app } = t
    const { tokens } = await staff(app, [{ email: ADVISOR, role: "advisor" }])
    const token = tokens[ADVISOR] as string
    const writes = async (act: () => Promise<unknown>): Promise<boolean> => {
      const before = domainSnapshot(app)
      await act()
      return domainSnapshot(app) !== before
    }
    const post = (url: string, payload: object, headers: Record<string, string> = {}) => app.inject({ method: "POST", url, payload, headers })
    expect(await writes(() => post("/auth/login", { email: ADVISOR, password: "Wrong-pass-1" }))).toBe(true) // a failure counted
    t.clock.advance(1000) // the wait after a failure
    expect(await writes(() => post("/auth/login", { email: ADVISOR, password: PASSWORD }))).toBe(true) // an OTP pending, a mail sent
    expect(await writes(() => post("/auth/otp", { email: ADVISOR, otp: "000000" }))).toBe(true) // one try fewer (or the OTP dropped)
    expect(await writes(() => post("/auth/logout", {}, bearer(token)))).toBe(true) // a session revoked

    t.clock.advance(2000) // the wait after the second failure (the wrong OTP)
    const second = await login(app, ADVISOR, PASSWORD)
    const created = await post("/tickets", ticket, { ...bearer(second), "idempotency-key": "call-42" })
    expect(created.statusCode).toBe(201)
    const snapshot = JSON.parse(domainSnapshot(app)) as Record<string, unknown>
    expect(snapshot.idempotencyKeys).toEqual([{ account: ADVISOR, key: "call-42", ticketId: created.json().id, createdAtMs: t.clock.nowMs() }])
    expect(Object.keys(snapshot)).toEqual(["accounts", "failures", "otps", "mailbox", "sessions", "insured", "tickets", "idempotencyKeys", "forms"])
  })
})

describe("bad input: 4xx with a stable code, nothing written, server unharmed", () => {
  let t: TestApp
  let app: FastifyInstance
  let token: string
  let officer: string
  let insuredId: string
  beforeAll(async () => {
    t = await makeApp()
    app = t.app
    const s = await staff(app, [{ email: ADVISOR, role: "advisor" }])
    token = s.tokens[ADVISOR] as string
    officer = s.officer
    insuredId = people(app).pending.id
    const form = await app.inject({ method: "POST", url: "/forms", headers: bearer(token), payload: { insuredId, reason: "generalInfo", subject: "Sujet", message: "Message" } })
    expect(form.statusCode).toBe(201)
  })
  afterAll(async () => {
    await t.app.close()
  })

  const cases: ReadonlyArray<Case> = [
    // malformed bodies
    { name: "truncated JSON", method: "POST", url: "/tickets", headers: json, payload: '{"reason": ', status: 400, code: "BAD_JSON" },
    { name: "empty body declared as JSON", method: "POST", url: "/tickets", headers: json, payload: "", status: 400, code: "BAD_JSON" },
    { name: "a JSON array instead of an object", method: "POST", url: "/tickets", headers: json, payload: "[1,2]", status: 400, code: "INVALID_REQUEST", problems: [{ path: "body", message: "Expected object" }] },
    { name: "JSON null", method: "POST", url: "/tickets", headers: json, payload: "null", status: 400, code: "INVALID_REQUEST" },
    { name: "text/plain body", method: "POST", url: "/tickets", headers: { "content-type": "text/plain" }, payload: "reason=x", status: 415, code: "UNSUPPORTED_MEDIA_TYPE" },
    { name: "form-encoded body", method: "POST", url: "/auth/login", headers: { "content-type": "application/x-www-form-urlencoded" }, payload: "email=a&password=b", status: 415, code: "UNSUPPORTED_MEDIA_TYPE" },
    { name: "missing required fields", method: "POST", url: "/tickets", payload: { reason: "incidentAccount" }, status: 400, code: "INVALID_REQUEST",
      problems: [{ path: "body.title", message: "Missing key" }, { path: "body.description", message: "Missing key" }] },
    { name: "wrong type", method: "POST", url: "/tickets", payload: { ...ticket, priority: 3 }, status: 400, code: "INVALID_REQUEST",
      problems: [{ path: "body.priority", message: 'Expected "low" | "normal" | "high"' }] },
    { name: "unknown reason code", method: "POST", url: "/tickets", payload: { ...ticket, reason: "urgent" }, status: 400, code: "INVALID_REQUEST" },
    { name: "a title over 200 characters", method: "POST", url: "/tickets", payload: { ...ticket, title: "x".repeat(201) }, status: 400, code: "INVALID_REQUEST",
      problems: [{ path: "body.title", message: "Expected between 1 and 200 characters" }] },
    { name: "an empty comment", method: "POST", url: "/tickets/T000001/comments", payload: { body: "" }, status: 400, code: "INVALID_REQUEST" },
    // unknown fields
    { name: "an unknown body field", method: "POST", url: "/tickets", payload: { ...ticket, status: "closed" }, status: 400, code: "UNKNOWN_FIELD",
      problems: [{ path: "body.status", message: "Unknown field" }] },
    { name: "an unknown field on login", method: "POST", url: "/auth/login", payload: { email: ADVISOR, password: "x", role: "securityOfficer" }, status: 400, code: "UNKNOWN_FIELD" },
    { name: "an unknown query parameter", method: "GET", url: "/tickets?sort=id", status: 400, code: "UNKNOWN_FIELD", problems: [{ path: "query.sort", message: "Unknown field" }] },
    { name: "a query parameter on a route that takes none", method: "GET", url: "/templates?debug=1", status: 400, code: "UNKNOWN_FIELD", problems: [{ path: "query.debug", message: "Unknown field" }] },
    { name: "a query parameter on a public route", method: "POST", url: "/auth/login?admin=true", payload: { email: ADVISOR, password: "x" }, status: 400, code: "UNKNOWN_FIELD" },
    { name: "a body on a route that takes none", method: "POST", url: "/forms/F000001/claim", payload: { claimedBy: "someone@example.test" }, status: 400, code: "UNKNOWN_FIELD" },
    { name: "a repeated query parameter", method: "GET", url: "/insured?nir=1&nir=2", status: 400, code: "INVALID_REQUEST" },
    // oversized
    { name: "a 40 KiB body", method: "POST", url: "/tickets", payload: { ...ticket, description: "é".repeat(20_000) }, status: 413, code: "PAYLOAD_TOO_LARGE" },
    { name: "a 1 MiB body to login", method: "POST", url: "/auth/login", payload: { email: ADVISOR, password: "p".repeat(1 << 20) }, status: 413, code: "PAYLOAD_TOO_LARGE" },
    // prototype pollution
    { name: "__proto__ key", method: "POST", url: "/tickets", headers: json, payload: `{"reason":"incidentAccount","title":"a","description":"b","__proto__":{"admin":true}}`, status: 400, code: "BAD_JSON" },
    { name: "constructor.prototype key", method: "POST", url: "/tickets", headers: json, payload: `{"constructor":{"prototype":{"admin":true}}}`, status: 400, code: "BAD_JSON" },
    // injection-shaped strings in structured fields
    { name: "SQL in a NIR", method: "GET", url: `/insured?nir=${encodeURIComponent("1' OR '1'='1")}`, status: 400, code: "INVALID_REQUEST" },
    { name: "SQL in an insured id", method: "POST", url: "/tickets", payload: { ...ticket, insuredId: "I0' OR 1=1" }, status: 400, code: "INVALID_REQUEST" },
    { name: "NoSQL operator instead of a string", method: "POST", url: "/tickets", payload: { ...ticket, title: { $gt: "" } }, status: 400, code: "INVALID_REQUEST" },
    { name: "NoSQL operator in login", method: "POST", url: "/auth/login", payload: { email: ADVISOR, password: { $ne: null } }, status: 400, code: "INVALID_REQUEST" },
    { name: "path traversal as an id", method: "GET", url: `/insured/${encodeURIComponent("../../etc/passwd")}`, status: 400, code: "INVALID_REQUEST" },
    { name: "script as a ticket id", method: "GET", url: `/tickets/${encodeURIComponent("<script>")}`, status: 400, code: "INVALID_REQUEST" },
    { name: "SQL in an email", method: "POST", url: "/auth/login", payload: { email: "admin'--@example.test", password: "x" }, status: 400, code: "INVALID_REQUEST" },
    { name: "CRLF in an email", method: "POST", url: "/auth/login", payload: { email: "a@example.test\r\nBcc: x@example.test", password: "x" }, status: 400, code: "INVALID_REQUEST" },
    { name: "a 400-character path parameter", method: "GET", url: `/insured/${"I".repeat(400)}`, status: 400, code: "INVALID_REQUEST" },
    { name: "a badly percent-encoded path", method: "GET", url: "/insured/%E0%A4%A", status: 400, code: "INVALID_REQUEST" },
    // injection-shaped free text
    { name: "script tag in a title", method: "POST", url: "/tickets", payload: { ...ticket, title: "<script>alert(1)</script>" }, status: 400, code: "UNSAFE_TEXT",
      problems: [{ path: "body.title", message: "Expected plain text without markup, control characters or bidirectional overrides" }] },
    { name: "img onerror in a comment", method: "POST", url: "/tickets/T000001/comments", payload: { body: 'voir <img src=x onerror="alert(1)">' }, status: 400, code: "UNSAFE_TEXT" },
    { name: "NUL byte in a description", method: "POST", url: "/tickets", payload: { ...ticket, description: "a\u0000b" }, status: 400, code: "UNSAFE_TEXT" },
    { name: "bidi override in a form message", method: "POST", url: "/forms", payload: { insuredId: "I0000001", reason: "generalInfo", subject: "s", message: "\u202Etxt.exe" }, status: 400, code: "UNSAFE_TEXT" },
    { name: "markup in an answer", method: "POST", url: "/forms/F000001/answer", payload: { templateId: "TPL-GENERIC", text: "<iframe src=//x>" }, status: 400, code: "UNSAFE_TEXT" },
    { name: "SQL in a person's name", method: "POST", url: "/admin/users", payload: { email: "zoe.roche@example.test", password: "Advisor-Pass-2026", firstName: "Robert'); DROP TABLE users;--", lastName: "Roche", role: "advisor" }, status: 400, code: "INVALID_REQUEST" }
  ]

  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const before = domainSnapshot(app)
    const auditBefore = app.psn1.audit.size
    const headers = { ...(c.url.startsWith("/admin") ? bearer(officer) : c.url.startsWith("/auth") ? {} : bearer(token)), ...c.headers }
    const res = await app.inject({ method: c.method, url: c.url, headers, ...(c.payload === undefined ? {} : { payload: c.payload }) })
    expect(res.statusCode).toBe(c.status)
    expect(res.json().code).toBe(c.code)
    expect(typeof res.json().message).toBe("string")
    if (c.problems !== undefined) expect(res.json().problems).toEqual(c.problems)
    expect(domainSnapshot(app)).toBe(before)
    // The rejection itself is part of the access history.
    expect(app.psn1.audit.size).toBe(auditBefore + 1)
    expect(app.psn1.audit.all().at(-1)).toMatchObject({ status: c.status, code: c.code, outcome: "rejected" })
    expect((await app.inject({ method: "GET", url: "/health" })).statusCode).toBe(200)
  })

  it("takes an empty body declared as JSON for no body on routes that take none or where it is optional", async () => {
    const empty = (url: string, auth: string, method: "POST" | "DELETE" = "POST") =>
      app.inject({ method, url, headers: { ...json, ...bearer(auth) }, payload: "" })
    const claimed = await empty("/forms/F000001/claim", token)
    expect([claimed.statusCode, claimed.json().status]).toEqual([200, "claimed"])
    expect((await empty("/forms/F000001/release", token)).statusCode).toBe(200)
    const device = people(app).activeWithDevice
    const unlinked = await empty(`/insured/${device.id}/devices/${device.devices[0]!.id}/unlink`, token)
    expect(unlinked.statusCode).toBe(200)
    expect((await empty("/admin/users/nobody@example.test", officer, "DELETE")).json().code).toBe("ACCOUNT_NOT_FOUND")
    const second = await login(app, ADVISOR, PASSWORD)
    expect((await empty("/auth/logout", second)).statusCode).toBe(204)
    expect((await app.inject({ method: "GET", url: "/auth/session", headers: bearer(second) })).json().code).toBe("TOKEN_REVOKED")
  })

  it("stores accepted free text verbatim (quotes, SQL-looking words, emoji, accents) and returns it JSON-encoded", async () => {
    const text = `L'assuré dit "ça ne marche pas" -- 1=1; DROP? non. 👍 a < b, c > d & e`
    const res = await app.inject({ method: "POST", url: "/tickets", headers: bearer(token), payload: { ...ticket, description: text } })
    expect(res.statusCode).toBe(201)
    expect(res.json().description).toBe(text)
  })

  it("never answers 5xx nor writes anything for arbitrary JSON bodies (property)", async () => {
    const before = domainSnapshot(app)
    await fc.assert(fc.asyncProperty(
      fc.constantFrom("/tickets", "/forms", "/admin/users", "/forms/F000001/answer", "/tickets/T000001/status", `/insured/${insuredId}/opposition`, "/auth/otp"),
      fc.jsonValue(),
      async (url, body) => {
        const headers = { ...json, ...(url.startsWith("/admin") ? bearer(officer) : bearer(token)) }
        const res = await app.inject({ method: "POST", url, headers, payload: JSON.stringify(body) })
        expect(res.statusCode).toBeGreaterThanOrEqual(400)
        expect(res.statusCode).toBeLessThan(500)
        expect(ERROR_CODES).toContain(res.json().code)
      }
    ), { numRuns: 300, seed: 20260105 })
    expect(domainSnapshot(app)).toBe(before)
  })

  it("either stores a title exactly or rejects it with UNSAFE_TEXT / INVALID_REQUEST, for any Unicode string (property)", async () => {
    await fc.assert(fc.asyncProperty(fc.string({ unit: "binary", maxLength: 60 }), async (title) => {
      const count = app.psn1.tickets.size
      const res = await app.inject({ method: "POST", url: "/tickets", headers: bearer(token), payload: { ...ticket, title } })
      if (res.statusCode === 201) {
        expect(res.json().title).toBe(title)
        expect(app.psn1.tickets.size).toBe(count + 1)
      } else {
        expect(res.statusCode).toBe(400)
        expect(["UNSAFE_TEXT", "INVALID_REQUEST"]).toContain(res.json().code)
        expect(app.psn1.tickets.size).toBe(count)
      }
    }), { numRuns: 200, seed: 7 })
  })
})
