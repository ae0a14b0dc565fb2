import { afterEach, beforeEach, describe, expect, it, onTestFinished } from "vitest"
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../mock-psn1/clock.js"
import { TEMPLATES } from "../../mock-psn1/domain/templates.js"
import { bearer, expectDocumented, login, makeApp, PASSWORD, people, staff, type TestApp } from "./harness.js"

const ADVISOR = "alice.martin@example.test"
const OTHER = "hugo.lambert@example.test"
const SUPERVISOR = "bruno.durand@example.test"

describe("contact forms: claim → answer with a template", () => {
  let t: TestApp
  let tokens: Record<string, string>
  beforeEach(async () => {
    t = await makeApp()
    tokens = (await staff(t.app, [{ email: ADVISOR, role: "advisor" }, { email: OTHER, role: "advisor" }, { email: SUPERVISOR, role: "supervisor" }])).tokens
  })
  afterEach(async () => {
    await t.app.close()
  })

  const inject = (token: string, insuredId: string, subject = "Activation de mon profil") =>
    t.app.inject({
      method: "POST", url: "/forms", headers: bearer(token),
      payload: { insuredId, reason: "enrolmentHelp", subject, message: "Je n'arrive pas à activer mon profil." }
    })

  it("answers an injected form with a template and free text, with timestamps for the KPIs", async () => {
    const { app, clock } = t
    const h = bearer(tokens[ADVISOR] as string)
    const writer = people(app).activeWithoutDevice
    const created = await inject(tokens[SUPERVISOR] as string, writer.id)
    expect(created.statusCode).toBe(201)
    expectDocumented("POST", "/forms", created)
    expect(created.json()).toMatchObject({ id: "F000001", status: "new", source: "injected", insuredId: writer.id, receivedAt: "2026-01-05T08:30:00.000Z", claimedBy: null })

    const templates = await app.inject({ method: "GET", url: "/templates", headers: h })
    expectDocumented("GET", "/templates", templates)
    expect(templates.json().items.map((x: { id: string }) => x.id)).toEqual(TEMPLATES.map((x) => x.id))

    clock.advance(10 * MINUTE_MS)
    const claimed = await app.inject({ method: "POST", url: "/forms/F000001/claim", headers: h })
    expect(claimed.statusCode).toBe(200)
    expectDocumented("POST", "/forms/{id}/claim", claimed)
    expect(claimed.json()).toMatchObject({ status: "claimed", claimedBy: ADVISOR, claimedAt: "2026-01-05T08:40:00.000Z" })

    clock.advance(5 * MINUTE_MS)
    const answered = await app.inject({ method: "POST", url: "/forms/F000001/answer", headers: h, payload: { templateId: "TPL-ENROLMENT", text: "Votre code provisoire est valable 3 mois." } })
    expect(answered.statusCode).toBe(200)
    expectDocumented("POST", "/forms/{id}/answer", answered)
    const body = answered.json()
    expect(body).toMatchObject({ status: "answered", answeredBy: ADVISOR, answeredAt: "2026-01-05T08:45:00.000Z", templateId: "TPL-ENROLMENT" })
    expect(body.answer).toBe(
      `Bonjour ${writer.firstName} ${writer.lastName},\n\nPour activer votre profil, munissez-vous de votre carte Vitale et du code provisoire reçu par courrier ou courriel, puis suivez les étapes indiquées sur le site.` +
      "\n\nCordialement,\nLe service d'assistance Mon espace santé (3422)\n\nVotre code provisoire est valable 3 mois."
    )
    const again = await app.inject({ method: "POST", url: "/forms/F000001/answer", headers: h, payload: { templateId: "TPL-GENERIC" } })
    expect([again.statusCode, again.json().code]).toEqual([409, "FORM_ALREADY_ANSWERED"])

    const stats = await app.inject({ method: "GET", url: "/forms/stats?from=2026-01-05&to=2026-01-05", headers: bearer(tokens[SUPERVISOR] as string) })
    expect(stats.statusCode).toBe(200)
    expectDocumented("GET", "/forms/stats", stats)
    expect(stats.json()).toEqual({
      from: "2026-01-05", to: "2026-01-05", timeZone: "Europe/Paris", received: 1, answered: 1, receivedAndAnswered: 1, handledRate: 1, waiting: 0,
      perAdvisorDay: [{ advisor: ADVISOR, day: "2026-01-05", answered: 1 }]
    })
  })

  it("refuses to answer a form not claimed (FORM_NOT_CLAIMED), held by another advisor (FORM_CLAIMED_BY_OTHER), or with an unknown template (TEMPLATE_NOT_FOUND)", async () => {
    const { app } = t
    const writer = people(app).activeWithoutDevice
    await inject(tokens[ADVISOR] as string, writer.id)
    const answer = (token: string, templateId = "TPL-GENERIC") =>
      app.inject({ method: "POST", url: "/forms/F000001/answer", headers: bearer(token), payload: { templateId } })
    expect((await answer(tokens[ADVISOR] as string)).json().code).toBe("FORM_NOT_CLAIMED")
    await app.inject({ method: "POST", url: "/forms/F000001/claim", headers: bearer(tokens[ADVISOR] as string) })
    const other = await answer(tokens[OTHER] as string)
    expect([other.statusCode, other.json()]).toEqual([409, { code: "FORM_CLAIMED_BY_OTHER", message: "F000001 is claimed by another advisor" }])
    const unknown = await answer(tokens[ADVISOR] as string, "TPL-NOPE")
    expect([unknown.statusCode, unknown.json()]).toEqual([400, { code: "TEMPLATE_NOT_FOUND", message: "no template TPL-NOPE (see GET /templates)" }])
    expect(app.psn1.forms.get("F000001")).toMatchObject({ status: "claimed", claimedBy: ADVISOR, answer: null })
    const missing = await app.inject({ method: "POST", url: "/forms/F000999/claim", headers: bearer(tokens[ADVISOR] as string) })
    expect([missing.statusCode, missing.json().code]).toEqual([404, "FORM_NOT_FOUND"])
  })

  it("claims the oldest form first, gives a released form its place back, and says QUEUE_EMPTY when nothing waits", async () => {
    const { app, clock } = t
    const writer = people(app).activeWithoutDevice
    for (let i = 0; i < 3; i++) {
      await inject(tokens[SUPERVISOR] as string, writer.id, `Sujet ${i}`)
      clock.advance(MINUTE_MS)
    }
    const next = (token: string) => app.inject({ method: "POST", url: "/forms/claim-next", headers: bearer(token) })
    const a = await next(tokens[ADVISOR] as string)
    expectDocumented("POST", "/forms/claim-next", a)
    const b = await next(tokens[OTHER] as string)
    expect([a.json().id, b.json().id]).toEqual(["F000001", "F000002"])
    const byOther = await app.inject({ method: "POST", url: "/forms/F000001/release", headers: bearer(tokens[OTHER] as string) })
    expect(byOther.json().code).toBe("FORM_CLAIMED_BY_OTHER")
    const bySupervisor = await app.inject({ method: "POST", url: "/forms/F000001/release", headers: bearer(tokens[SUPERVISOR] as string) })
    expect(bySupervisor.json()).toMatchObject({ id: "F000001", status: "new", claimedBy: null })
    expect((await next(tokens[OTHER] as string)).json().id).toBe("F000001")
    expect((await next(tokens[OTHER] as string)).json().id).toBe("F000003")
    const empty = await next(tokens[OTHER] as string)
    expect([empty.statusCode, empty.json()]).toEqual([404, { code: "QUEUE_EMPTY", message: "no unclaimed form is waiting" }])
    const queue = await app.inject({ method: "GET", url: "/forms?status=claimed", headers: bearer(tokens[ADVISOR] as string) })
    expectDocumented("GET", "/forms", queue)
    expect(queue.json().items.map((f: { id: string; claimedBy: string }) => [f.id, f.claimedBy])).toEqual([["F000001", OTHER], ["F000002", OTHER], ["F000003", OTHER]])
  })

  it("counts forms on Europe/Paris days: 23:30 UTC on 5 January is 6 January in Paris", async () => {
    const { app, clock } = t
    clock.advance(15 * HOUR_MS) // 2026-01-05T23:30:00Z
    const token = await login(app, SUPERVISOR, PASSWORD) // the morning token expired after 8 h
    await inject(token, people(app).activeWithoutDevice.id)
    const h = bearer(token)
    const day5 = await app.inject({ method: "GET", url: "/forms/stats?from=2026-01-05&to=2026-01-05", headers: h })
    const day6 = await app.inject({ method: "GET", url: "/forms/stats?from=2026-01-06&to=2026-01-06", headers: h })
    expect([day5.json().received, day5.json().handledRate]).toEqual([0, null])
    expect([day6.json().received, day6.json().waiting, day6.json().handledRate]).toEqual([1, 1, 0])
    const inverted = await app.inject({ method: "GET", url: "/forms/stats?from=2026-01-06&to=2026-01-05", headers: h })
    expect([inverted.statusCode, inverted.json().code]).toEqual([400, "INVALID_REQUEST"])
  })

  it("releases the forms of a removed account back to the queue", async () => {
    const { app } = t
    const officer = (await staff(app, [])).officer
    await inject(tokens[SUPERVISOR] as string, people(app).activeWithoutDevice.id)
    await app.inject({ method: "POST", url: "/forms/F000001/claim", headers: bearer(tokens[OTHER] as string) })
    expect((await app.inject({ method: "DELETE", url: `/admin/users/${OTHER}`, headers: bearer(officer) })).statusCode).toBe(204)
    expect(app.psn1.forms.get("F000001")).toMatchObject({ status: "new", claimedBy: null })
  })

  it("releases the forms of an account the idle rule disables back to the queue, in their place", async () => {
    const { app, clock } = t
    await inject(tokens[SUPERVISOR] as string, people(app).activeWithoutDevice.id)
    await inject(tokens[SUPERVISOR] as string, people(app).activeWithoutDevice.id)
    await app.inject({ method: "POST", url: "/forms/F000001/claim", headers: bearer(tokens[OTHER] as string) })
    clock.advance(60 * DAY_MS)
    await login(app, ADVISOR, PASSWORD) // keeps ADVISOR active; OTHER stays idle
    clock.advance(31 * DAY_MS) // OTHER: 91 days without login
    app.psn1.tick()
    expect(app.psn1.accounts.get(OTHER)?.disabledAtMs).toBe(clock.nowMs())
    expect(app.psn1.forms.get("F000001")).toMatchObject({ status: "new", claimedBy: null })
    const next = await app.inject({ method: "POST", url: "/forms/claim-next", headers: bearer(await login(app, ADVISOR, PASSWORD)) })
    expect(next.json()).toMatchObject({ id: "F000001", claimedBy: ADVISOR }) // the oldest again
  })

  it("generates forms at the configured rate on the injected clock, deterministically from the seed", async () => {
    const make = async () => {
      const g = await makeApp({ formsPerHour: 30, seed: "forms-seed" })
      onTestFinished(() => g.app.close())
      g.clock.advance(10 * HOUR_MS)
      g.app.psn1.tick()
      return g.app.psn1.forms.list(undefined, undefined, 10_000).items
    }
    const first = await make()
    const second = await make()
    expect(first).toEqual(second)
    // Poisson(300): 300 ± 4.5 σ
    expect(first.length).toBeGreaterThan(222)
    expect(first.length).toBeLessThan(378)
    expect(first.every((f) => f.source === "generated" && f.status === "new")).toBe(true)
    const times = first.map((f) => Date.parse(f.receivedAt))
    expect(times).toEqual([...times].sort((x, y) => x - y))
    expect(Math.max(...times)).toBeLessThanOrEqual(Date.parse("2026-01-05T18:30:00.000Z"))
  })
})

describe("concurrent claims of one form", () => {
  it("lets exactly one of 12 advisors win when they claim the same form at the same time over real HTTP", async () => {
    const t = await makeApp()
    onTestFinished(() => t.app.close())
    const advisors = Array.from({ length: 12 }, (_, i) => ({ email: `claire.martin${String.fromCharCode(97 + i)}@example.test`, role: "advisor" as const }))
    const { tokens } = await staff(t.app, advisors)
    const writer = people(t.app).activeWithoutDevice
    const created = await t.app.inject({
      method: "POST", url: "/forms", headers: bearer(tokens[advisors[0]?.email as string] as string),
      payload: { insuredId: writer.id, reason: "generalInfo", subject: "Question", message: "Bonjour" }
    })
    const formId = created.json().id as string
    const address = await t.app.listen({ host: "127.0.0.1", port: 0 })

    // All requests are written before any response is read: they race inside the server.
    const results = await Promise.all(advisors.map(async (a) => {
      const res = await fetch(`${address}/forms/${formId}/claim`, { method: "POST", headers: bearer(tokens[a.email] as string) })
      return { email: a.email, status: res.status, body: (await res.json()) as { code?: string; claimedBy?: string } }
    }))
    const winners = results.filter((r) => r.status === 200)
    const losers = results.filter((r) => r.status !== 200)
    expect(winners).toHaveLength(1)
    expect(losers.map((r) => [r.status, r.body.code])).toEqual(Array.from({ length: 11 }, () => [409, "FORM_CLAIMED_BY_OTHER"]))
    expect(winners[0]?.body.claimedBy).toBe(winners[0]?.email)
    expect(t.app.psn1.forms.get(formId).claimedBy).toBe(winners[0]?.email)
  })
})
