import { describe, expect, it, onTestFinished } from "vitest"
import { DAY_MS } from "../../mock-psn1/clock.js"
import { AuditLog, type AuditInput } from "../../mock-psn1/domain/audit.js"
import { bearer, login, makeApp, OFFICER } from "./harness.js"

const entry = (atMs: number, action = "x.y"): AuditInput => ({
  atMs, actor: "a@example.test", role: "advisor", action, target: null, outcome: "success", status: 200, code: null, ip: "127.0.0.1", userAgent: null
})

describe("access history retention", () => {
  it("keeps entries for the whole retention and purges only older ones", () => {
    const log = new AuditLog({ retentionMs: 400 * DAY_MS, maxEntries: 1000 })
    log.append(entry(0))
    log.append(entry(10 * DAY_MS))
    log.purge(400 * DAY_MS)
    expect(log.all().map((e) => e.seq)).toEqual([1, 2])
    log.purge(400 * DAY_MS + 1)
    expect(log.all().map((e) => e.seq)).toEqual([2])
  })

  it("counts entries dropped for the memory cap, while the sink still receives every entry", () => {
    const lines: Array<string> = []
    const log = new AuditLog({ retentionMs: 400 * DAY_MS, maxEntries: 3, sink: (l) => lines.push(l) })
    for (let i = 0; i < 5; i++) log.append(entry(i))
    expect(log.all().map((e) => e.seq)).toEqual([3, 4, 5])
    expect(log.droppedForMemory).toBe(2)
    expect(lines.map((l) => JSON.parse(l).seq)).toEqual([1, 2, 3, 4, 5])
    expect(JSON.parse(lines[0] as string)).toMatchObject({ at: "1970-01-01T00:00:00.000Z", action: "x.y" })
  })

  it("pages with a cursor and filters by action and time", () => {
    const log = new AuditLog({ retentionMs: 400 * DAY_MS, maxEntries: 1000 })
    for (let i = 0; i < 10; i++) log.append(entry(i * 1000, i % 2 === 0 ? "even" : "odd"))
    const p1 = log.query({ action: "even" }, 0, 2)
    expect([p1.items.map((e) => e.seq), p1.next]).toEqual([[1, 3], 3])
    const p2 = log.query({ action: "even" }, 3, 10)
    expect([p2.items.map((e) => e.seq), p2.next]).toEqual([[5, 7, 9], null])
    expect(log.query({ fromMs: 2000, toMs: 4000 }, 0, 10).items.map((e) => e.seq)).toEqual([3, 4, 5])
  })
})

describe("GET /audit", () => {
  it("is filtered, paged, refuses an inverted period, and writes every entry to the sink without secrets", async () => {
    const lines: Array<string> = []
    const t = await makeApp({ auditSink: (l) => lines.push(l) })
    onTestFinished(() => t.app.close())
    const token = await login(t.app, OFFICER.email, OFFICER.password)
    t.clock.advance(3_600_000)
    for (let i = 0; i < 3; i++) await t.app.inject({ method: "GET", url: "/admin/users", headers: bearer(token) })
    const page = await t.app.inject({ method: "GET", url: "/audit?action=admin.listUsers&limit=2", headers: bearer(token) })
    expect(page.json().items.map((e: { seq: number }) => e.seq)).toEqual([4, 5])
    expect(page.json().next).toBe(5)
    const rest = await t.app.inject({ method: "GET", url: `/audit?action=admin.listUsers&after=5`, headers: bearer(token) })
    expect(rest.json().items.map((e: { seq: number }) => e.seq)).toEqual([6])
    const since = await t.app.inject({ method: "GET", url: "/audit?from=2026-01-06T00:00:00.000Z&action=auth.otp", headers: bearer(token) })
    expect(since.json().items).toEqual([])
    const inverted = await t.app.inject({ method: "GET", url: "/audit?from=2026-01-06T00:00:00.000Z&to=2026-01-05T00:00:00.000Z", headers: bearer(token) })
    expect([inverted.statusCode, inverted.json().code]).toEqual([400, "INVALID_REQUEST"])
    expect(lines.length).toBe(t.app.psn1.audit.size)
    const text = lines.join("")
    for (const secret of [OFFICER.password, token]) expect(text.includes(secret)).toBe(false)
  })

  it("never records a password typed in the email field (an invalid email is not kept)", async () => {
    const t = await makeApp()
    onTestFinished(() => t.app.close())
    await t.app.inject({ method: "POST", url: "/auth/login", payload: { email: "Secret-123", password: "Secret-123" } })
    expect(t.app.psn1.audit.all().at(-1)).toMatchObject({ action: "auth.login", actor: null, target: null, code: "INVALID_REQUEST" })
    expect(JSON.stringify(t.app.psn1.audit.all()).includes("Secret-123")).toBe(false)
  })
})
