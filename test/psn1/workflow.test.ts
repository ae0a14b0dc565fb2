import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { MINUTE_MS } from "../../mock-psn1/clock.js"
import { bearer, expectDocumented, login, makeApp, PASSWORD, people, staff, type TestApp } from "./harness.js"

const ADVISOR = "alice.martin@example.test"
const OTHER = "hugo.lambert@example.test"
const SUPERVISOR = "bruno.durand@example.test"

describe("the call workflow: look up → opposition → ticket → comment → resolve", () => {
  let t: TestApp
  let tokens: Record<string, string>
  let officer: string
  beforeEach(async () => {
    t = await makeApp()
    const s = await staff(t.app, [{ email: ADVISOR, role: "advisor" }, { email: SUPERVISOR, role: "supervisor" }])
    tokens = s.tokens
    officer = s.officer
  })
  afterEach(async () => {
    await t.app.close()
  })

  it("runs the whole call and leaves an exact audit trail without secrets", async () => {
    const { app, clock } = t
    const h = bearer(tokens[ADVISOR] as string)
    const person = people(app).pending
    const auditStart = app.psn1.audit.all().length

    const found = await app.inject({ method: "GET", url: `/insured?nir=${person.nir}`, headers: h })
    expect(found.statusCode).toBe(200)
    expectDocumented("GET", "/insured", found)
    expect(found.json()).toMatchObject({ total: 1, page: 1, pageSize: 1 })
    expect(found.json().items[0]).toMatchObject({ id: person.id, nir: person.nir, profile: { status: "pending", createdAt: null } })

    clock.advance(MINUTE_MS)
    const opposed = await app.inject({ method: "POST", url: `/insured/${person.id}/opposition`, headers: h, payload: { requestedBy: "insured", note: "Demande faite au téléphone" } })
    expect(opposed.statusCode).toBe(200)
    expectDocumented("POST", "/insured/{id}/opposition", opposed)
    expect(opposed.json().intervention).toEqual({
      id: "IV000001", kind: "opposition", at: "2026-01-05T08:31:00.000Z", by: ADVISOR, requestedBy: "insured", deviceId: null, note: "Demande faite au téléphone"
    })
    expect(opposed.json().insured.profile).toMatchObject({ status: "opposed", opposedAt: "2026-01-05T08:31:00.000Z" })

    clock.advance(MINUTE_MS)
    const created = await app.inject({
      method: "POST", url: "/tickets", headers: { ...h, "idempotency-key": "call-42-ticket" },
      payload: { reason: "oppositionClosure", flow: "opposition", insuredId: person.id, title: "Opposition : accusé de réception", description: "L'assuré demande une confirmation écrite." }
    })
    expect(created.statusCode).toBe(201)
    expectDocumented("POST", "/tickets", created)
    const ticketId = created.json().id as string
    expect(created.json()).toEqual({
      id: "T000001", status: "new", reason: "oppositionClosure", flow: "opposition", insuredId: person.id,
      title: "Opposition : accusé de réception", description: "L'assuré demande une confirmation écrite.", priority: "normal",
      createdBy: ADVISOR, createdAt: "2026-01-05T08:32:00.000Z", updatedAt: "2026-01-05T08:32:00.000Z", comments: [], history: []
    })

    clock.advance(MINUTE_MS)
    const commented = await app.inject({ method: "POST", url: `/tickets/${ticketId}/comments`, headers: h, payload: { body: "Courrier envoyé." } })
    expect(commented.statusCode).toBe(201)
    expectDocumented("POST", "/tickets/{id}/comments", commented)
    expect(commented.json().comments).toEqual([{ id: 1, author: ADVISOR, body: "Courrier envoyé.", at: "2026-01-05T08:33:00.000Z" }])

    clock.advance(MINUTE_MS)
    const resolved = await app.inject({ method: "POST", url: `/tickets/${ticketId}/status`, headers: h, payload: { status: "resolved", note: "Confirmé" } })
    expect(resolved.statusCode).toBe(200)
    expectDocumented("POST", "/tickets/{id}/status", resolved)
    expect(resolved.json()).toMatchObject({ status: "resolved", updatedAt: "2026-01-05T08:34:00.000Z" })
    expect(resolved.json().history).toEqual([{ from: "new", to: "resolved", by: ADVISOR, at: "2026-01-05T08:34:00.000Z", note: "Confirmé" }])

    const read = await app.inject({ method: "GET", url: `/insured/${person.id}`, headers: h })
    expect(read.json().interventions).toHaveLength(1)
    expectDocumented("GET", "/insured/{id}", read)

    const trail = app.psn1.audit.all().slice(auditStart).map((e) => [e.actor, e.role, e.action, e.target, e.outcome, e.status])
    expect(trail).toEqual([
      [ADVISOR, "advisor", "insured.search", `insured:${person.id}`, "success", 200],
      [ADVISOR, "advisor", "insured.opposition", `insured:${person.id}`, "success", 200],
      [ADVISOR, "advisor", "tickets.create", `ticket:${ticketId}`, "success", 201],
      [ADVISOR, "advisor", "tickets.comment", `ticket:${ticketId}`, "success", 201],
      [ADVISOR, "advisor", "tickets.changeStatus", `ticket:${ticketId}`, "success", 200],
      [ADVISOR, "advisor", "insured.read", `insured:${person.id}`, "success", 200]
    ])

    // The officer reads the same trail through GET /audit, filtered on the advisor.
    const audit = await app.inject({ method: "GET", url: `/audit?actor=${ADVISOR}&limit=1000`, headers: bearer(officer) })
    expect(audit.statusCode).toBe(200)
    expectDocumented("GET", "/audit", audit)
    const actions = audit.json().items.map((e: { action: string }) => e.action)
    expect(actions).toEqual(["auth.login", "auth.otp", "insured.search", "insured.opposition", "tickets.create", "tickets.comment", "tickets.changeStatus", "insured.read"])
    expect(audit.json()).toMatchObject({ next: null, retentionDays: 400, droppedForMemory: 0 })
    expect(audit.json().items[0]).toMatchObject({ ip: "127.0.0.1", userAgent: "lightMyRequest", code: null })

    // Never a password, an OTP or a token in the access history.
    const all = JSON.stringify(app.psn1.audit.all())
    const secrets = [...Object.values(tokens), officer, "Advisor-Pass-2026", "Secret-123"]
    for (const m of app.psn1.mailbox.read(ADVISOR)) secrets.push(/([0-9]{6})/.exec(m.text)?.[1] as string)
    for (const secret of secrets) expect(all.includes(secret), `audit contains ${secret}`).toBe(false)
  })

  it("finds nobody for a well-formed NIR that is not in the population (0 items) and refuses a NIR with a wrong key", async () => {
    const { app } = t
    const h = bearer(tokens[ADVISOR] as string)
    const body = "1850575123456"
    const key = String(97 - Number(BigInt(body) % 97n)).padStart(2, "0")
    const none = await app.inject({ method: "GET", url: `/insured?nir=${body}${key}`, headers: h })
    expect(none.statusCode).toBe(200)
    expect(none.json()).toEqual({ items: [], page: 1, pageSize: 1, total: 0 })
    const wrongKey = `${body}${key === "01" ? "02" : "01"}`
    const bad = await app.inject({ method: "GET", url: `/insured?nir=${wrongKey}`, headers: h })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toEqual({
      code: "INVALID_REQUEST",
      message: "query.nir: Expected a NIR whose 2-digit key is 97 − (first 13 digits mod 97, 2A/2B counted as 19/18)",
      problems: [{ path: "query.nir", message: "Expected a NIR whose 2-digit key is 97 − (first 13 digits mod 97, 2A/2B counted as 19/18)" }]
    })
  })

  it("finds nobody for a Corsican NIR (2A/2B, never generated) and refuses one with a wrong key", async () => {
    const { app } = t
    const h = bearer(tokens[ADVISOR] as string)
    for (const [corsica, digits] of [["2A", "19"], ["2B", "18"]] as const) {
      const key = String(97n - (BigInt(`18505${digits}004123`) % 97n)).padStart(2, "0")
      const none = await app.inject({ method: "GET", url: `/insured?nir=18505${corsica}004123${key}`, headers: h })
      expect(none.statusCode, none.body).toBe(200)
      expect(none.json()).toEqual({ items: [], page: 1, pageSize: 1, total: 0 })
      const bad = await app.inject({ method: "GET", url: `/insured?nir=18505${corsica}004123${key === "01" ? "02" : "01"}`, headers: h })
      expect(bad.statusCode).toBe(400)
      expect(bad.json().problems).toEqual([{ path: "query.nir", message: "Expected a NIR whose 2-digit key is 97 − (first 13 digits mod 97, 2A/2B counted as 19/18)" }])
    }
    const lower = await app.inject({ method: "GET", url: "/insured?nir=18505" + "2a" + "00412300", headers: h })
    expect(lower.statusCode).toBe(400)
    expect(lower.json().problems).toEqual([{ path: "query.nir", message: "Expected 13 digits (2A or 2B for a Corsican département) + a 2-digit key" }])
  })

  it("enforces the profile state rules and changes nothing when it refuses", async () => {
    const { app } = t
    const h = bearer(tokens[ADVISOR] as string)
    const { pending, activeWithDevice, opposed, closed } = people(app)
    const post = (id: string, what: string) => app.inject({ method: "POST", url: `/insured/${id}/${what}`, headers: h, payload: { requestedBy: "insured" } })
    const cases: Array<[string, string, number, string]> = [
      [activeWithDevice.id, "opposition", 409, "OPPOSITION_NOT_ALLOWED"],
      [opposed.id, "opposition", 409, "ALREADY_OPPOSED"],
      [closed.id, "opposition", 409, "ALREADY_CLOSED"],
      [pending.id, "closure", 409, "CLOSURE_NOT_ALLOWED"],
      [opposed.id, "closure", 409, "CLOSURE_NOT_ALLOWED"],
      [closed.id, "closure", 409, "ALREADY_CLOSED"],
      ["I0099999", "closure", 404, "INSURED_NOT_FOUND"]
    ]
    const before = JSON.stringify(app.psn1.directory.page(1, 300))
    for (const [id, what, status, code] of cases) {
      const res = await post(id, what)
      expect([id, what, res.statusCode, res.json().code]).toEqual([id, what, status, code])
      expectDocumented("POST", `/insured/{id}/${what}`, res)
    }
    expect(JSON.stringify(app.psn1.directory.page(1, 300))).toBe(before)

    const device = activeWithDevice.devices[0]?.id as string
    const unlinked = await app.inject({ method: "POST", url: `/insured/${activeWithDevice.id}/devices/${device}/unlink`, headers: h })
    expect(unlinked.statusCode).toBe(200)
    expect(unlinked.json().insured.devices[0]).toMatchObject({ id: device, status: "unlinked", unlinkedAt: "2026-01-05T08:30:00.000Z" })
    expectDocumented("POST", "/insured/{id}/devices/{deviceId}/unlink", unlinked)
    const again = await app.inject({ method: "POST", url: `/insured/${activeWithDevice.id}/devices/${device}/unlink`, headers: h, payload: { note: "second try" } })
    expect([again.statusCode, again.json().code]).toEqual([409, "DEVICE_ALREADY_UNLINKED"])
    const missing = await app.inject({ method: "POST", url: `/insured/${activeWithDevice.id}/devices/DV0099999-01/unlink`, headers: h })
    expect([missing.statusCode, missing.json().code]).toEqual([404, "DEVICE_NOT_FOUND"])

    const closure = await post(activeWithDevice.id, "closure")
    expect(closure.statusCode).toBe(200)
    expect(closure.json().insured.profile.status).toBe("closed")
    expect(closure.json().insured.devices.every((d: { status: string }) => d.status === "unlinked")).toBe(true)
    const afterClosure = await app.inject({ method: "POST", url: `/insured/${closed.id}/devices/${closed.devices[0]?.id ?? "DV0000001-01"}/unlink`, headers: h })
    expect(afterClosure.json().code).toBe(closed.devices.length > 0 ? "PROFILE_NOT_ACTIVE" : "DEVICE_NOT_FOUND")
  })
})

describe("tickets to level 2", () => {
  let t: TestApp
  let tokens: Record<string, string>
  beforeEach(async () => {
    t = await makeApp()
    tokens = (await staff(t.app, [{ email: ADVISOR, role: "advisor" }, { email: OTHER, role: "advisor" }, { email: SUPERVISOR, role: "supervisor" }])).tokens
  })
  afterEach(async () => {
    await t.app.close()
  })

  const ticket = { reason: "incidentDocuments", title: "Document absent", description: "Le compte rendu n'apparaît pas." }

  it("replays the same ticket for the same Idempotency-Key and body, in any field order, and creates only one", async () => {
    const { app, clock } = t
    const h = { ...bearer(tokens[ADVISOR] as string), "idempotency-key": "retry-1" }
    const first = await app.inject({ method: "POST", url: "/tickets", headers: h, payload: ticket })
    clock.advance(MINUTE_MS)
    const reordered = { description: ticket.description, title: ticket.title, reason: ticket.reason }
    const second = await app.inject({ method: "POST", url: "/tickets", headers: h, payload: reordered })
    expect(first.statusCode).toBe(201)
    expect(second.statusCode).toBe(201)
    expect(first.headers["idempotent-replayed"]).toBeUndefined()
    expect(second.headers["idempotent-replayed"]).toBe("true")
    expect(second.json()).toEqual(first.json())
    expect(app.psn1.tickets.size).toBe(1)
  })

  it("refuses the same Idempotency-Key with a different body (409 IDEMPOTENCY_KEY_REUSED) and writes nothing", async () => {
    const { app } = t
    const h = { ...bearer(tokens[ADVISOR] as string), "idempotency-key": "retry-2" }
    await app.inject({ method: "POST", url: "/tickets", headers: h, payload: ticket })
    const res = await app.inject({ method: "POST", url: "/tickets", headers: h, payload: { ...ticket, priority: "high" } })
    expect(res.statusCode).toBe(409)
    expect(res.json()).toEqual({ code: "IDEMPOTENCY_KEY_REUSED", message: 'Idempotency-Key "retry-2" was used for a different ticket (T000001)' })
    expectDocumented("POST", "/tickets", res)
    expect(app.psn1.tickets.size).toBe(1)
  })

  it("scopes keys to the account, creates a new ticket without a key, and rejects a malformed key (400 INVALID_IDEMPOTENCY_KEY)", async () => {
    const { app } = t
    const a = await app.inject({ method: "POST", url: "/tickets", headers: { ...bearer(tokens[ADVISOR] as string), "idempotency-key": "k" }, payload: ticket })
    const b = await app.inject({ method: "POST", url: "/tickets", headers: { ...bearer(tokens[OTHER] as string), "idempotency-key": "k" }, payload: ticket })
    const c = await app.inject({ method: "POST", url: "/tickets", headers: bearer(tokens[ADVISOR] as string), payload: ticket })
    const d = await app.inject({ method: "POST", url: "/tickets", headers: bearer(tokens[ADVISOR] as string), payload: ticket })
    expect([a.json().id, b.json().id, c.json().id, d.json().id]).toEqual(["T000001", "T000002", "T000003", "T000004"])
    const bad = await app.inject({ method: "POST", url: "/tickets", headers: { ...bearer(tokens[ADVISOR] as string), "idempotency-key": "has space" }, payload: ticket })
    expect([bad.statusCode, bad.json().code]).toEqual([400, "INVALID_IDEMPOTENCY_KEY"])
    expect(app.psn1.tickets.size).toBe(4)
  })

  it("forgets a key after 24 hours, so it can then name a new ticket", async () => {
    const { app, clock } = t
    const first = await app.inject({ method: "POST", url: "/tickets", headers: { ...bearer(tokens[SUPERVISOR] as string), "idempotency-key": "daily" }, payload: ticket })
    expect(first.json().id).toBe("T000001")
    clock.advance(24 * 60 * MINUTE_MS)
    app.psn1.tick()
    const token = await login(app, SUPERVISOR, PASSWORD) // the first token expired after 8 h
    const fresh = await app.inject({ method: "POST", url: "/tickets", headers: { ...bearer(token), "idempotency-key": "daily" }, payload: { ...ticket, priority: "low" } })
    expect(fresh.statusCode).toBe(201)
    expect(fresh.json()).toMatchObject({ id: "T000002", priority: "low" })
  })

  it("follows the status workflow and refuses other moves (409 INVALID_TRANSITION), and a closed ticket takes nothing (409 TICKET_CLOSED)", async () => {
    const { app } = t
    const h = bearer(tokens[SUPERVISOR] as string)
    const id = (await app.inject({ method: "POST", url: "/tickets", headers: h, payload: ticket })).json().id as string
    const move = (status: string) => app.inject({ method: "POST", url: `/tickets/${id}/status`, headers: h, payload: { status } })
    const steps: Array<[string, number, string]> = [
      ["new", 409, "INVALID_TRANSITION"],
      ["closed", 409, "INVALID_TRANSITION"],
      ["inProgress", 200, "inProgress"],
      ["new", 409, "INVALID_TRANSITION"],
      ["resolved", 200, "resolved"],
      ["inProgress", 200, "inProgress"],
      ["resolved", 200, "resolved"],
      ["closed", 200, "closed"],
      ["inProgress", 409, "TICKET_CLOSED"]
    ]
    for (const [to, status, outcome] of steps) {
      const res = await move(to)
      expect([to, res.statusCode, res.statusCode === 200 ? res.json().status : res.json().code]).toEqual([to, status, outcome])
    }
    const invalid = await app.inject({ method: "POST", url: `/tickets/T000001/status`, headers: h, payload: { status: "closed" } })
    expect(invalid.json().message).toBe("T000001 is closed")
    const comment = await app.inject({ method: "POST", url: `/tickets/${id}/comments`, headers: h, payload: { body: "encore" } })
    expect([comment.statusCode, comment.json().code]).toEqual([409, "TICKET_CLOSED"])
    expect(app.psn1.tickets.get(id).history.map((x) => `${x.from}>${x.to}`)).toEqual([
      "new>inProgress", "inProgress>resolved", "resolved>inProgress", "inProgress>resolved", "resolved>closed"
    ])
  })

  it("lists tickets with filters and a cursor", async () => {
    const { app } = t
    const ha = bearer(tokens[ADVISOR] as string)
    const hb = bearer(tokens[OTHER] as string)
    for (let i = 0; i < 3; i++) await app.inject({ method: "POST", url: "/tickets", headers: ha, payload: ticket })
    await app.inject({ method: "POST", url: "/tickets", headers: hb, payload: { ...ticket, reason: "incidentMessaging" } })
    const page1 = await app.inject({ method: "GET", url: "/tickets?limit=2", headers: ha })
    expectDocumented("GET", "/tickets", page1)
    expect(page1.json().items.map((x: { id: string }) => x.id)).toEqual(["T000001", "T000002"])
    expect(page1.json().next).toBe("T000002")
    const page2 = await app.inject({ method: "GET", url: "/tickets?limit=2&after=T000002", headers: ha })
    expect(page2.json()).toMatchObject({ next: null })
    expect(page2.json().items.map((x: { id: string }) => x.id)).toEqual(["T000003", "T000004"])
    const mine = await app.inject({ method: "GET", url: "/tickets?mine=true", headers: hb })
    expect(mine.json().items.map((x: { id: string }) => x.id)).toEqual(["T000004"])
    const byReason = await app.inject({ method: "GET", url: "/tickets?reason=incidentDocuments&status=new", headers: hb })
    expect(byReason.json().items).toHaveLength(3)
    const missing = await app.inject({ method: "GET", url: "/tickets/T000099", headers: hb })
    expect([missing.statusCode, missing.json().code]).toEqual([404, "TICKET_NOT_FOUND"])
  })

  it("serves the 17 CCTP reasons from the shared vocabulary", async () => {
    const res = await t.app.inject({ method: "GET", url: "/reasons" })
    expect(res.statusCode).toBe(200)
    expectDocumented("GET", "/reasons", res)
    const { REASONS } = await import("../../sim/domain/vocabulary.js")
    expect(res.json().items).toEqual(REASONS)
    expect(res.json().items).toHaveLength(17)
  })
})
