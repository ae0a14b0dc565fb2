import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from "vitest"
import WebSocket from "ws"
import { DAY_MS, HOUR_MS } from "../../mock-psn1/clock.js"
import { EventHub, type SocketLike } from "../../mock-psn1/hub.js"
import { ManualClock } from "../../mock-psn1/clock.js"
import { bearer, makeApp, people, staff, type TestApp } from "./harness.js"
import { connect, expectAsyncApiFrame, type Client } from "./ws-client.js"

const A = "alice.martin@example.test"
const B = "hugo.lambert@example.test"
const S = "bruno.durand@example.test"

describe("/events websocket", () => {
  let t: TestApp
  let address: string
  let tokens: Record<string, string>
  let officer: string
  const clients: Array<Client> = []
  const open = async (token: string): Promise<Client> => {
    const c = await connect(address, token)
    clients.push(c)
    const hello = await c.next()
    expect(hello.type).toBe("hello")
    return c
  }

  beforeEach(async () => {
    t = await makeApp()
    const s = await staff(t.app, [{ email: A, role: "advisor" }, { email: B, role: "advisor" }, { email: S, role: "supervisor" }])
    tokens = s.tokens
    officer = s.officer
    address = await t.app.listen({ host: "127.0.0.1", port: 0 })
  })
  afterEach(async () => {
    for (const c of clients.splice(0)) c.ws.terminate()
    await t.app.close()
  })

  it("refuses an upgrade without a live token with the REST error body (401) and audits it", async () => {
    await expect(connect(address)).rejects.toMatchObject({ status: 401, body: { code: "AUTH_REQUIRED" } })
    await expect(connect(address, "psn1_" + "x".repeat(43))).rejects.toMatchObject({ status: 401, body: { code: "TOKEN_INVALID" } })
    t.clock.advance(8 * HOUR_MS)
    await expect(connect(address, tokens[A])).rejects.toMatchObject({ status: 401, body: { code: "TOKEN_EXPIRED", message: "this token expired at 2026-01-05T16:30:00.000Z" } })
    await expect(connect(address, officer, {}, "/elsewhere")).rejects.toMatchObject({ status: 404, body: { code: "NOT_FOUND" } })
    const denied = t.app.psn1.audit.all().filter((e) => e.action === "events.connect")
    expect(denied.map((e) => [e.outcome, e.status, e.code])).toEqual([
      ["denied", 401, "AUTH_REQUIRED"], ["denied", 401, "TOKEN_INVALID"], ["denied", 401, "TOKEN_EXPIRED"]
    ])
  })

  it("answers a malformed Authorization header on the upgrade exactly as REST does: 401 TOKEN_INVALID with the Bearer challenge", async () => {
    const upgrade = await new Promise<{ status: number | undefined; challenge: unknown; body: unknown }>((resolve, reject) => {
      const ws = new WebSocket(`${address.replace(/^http/, "ws")}/events`, { headers: { authorization: "Basic abc" } })
      ws.once("unexpected-response", (_req, res) => {
        let body = ""
        res.on("data", (c: Buffer) => { body += c.toString() })
        res.on("end", () => resolve({ status: res.statusCode, challenge: res.headers["www-authenticate"], body: JSON.parse(body) as unknown }))
      })
      ws.once("open", () => reject(new Error("the upgrade was accepted")))
    })
    const rest = await t.app.inject({ method: "GET", url: "/auth/session", headers: { authorization: "Basic abc" } })
    expect(upgrade).toEqual({ status: 401, challenge: 'Bearer realm="psn1"', body: { code: "TOKEN_INVALID", message: "the Authorization header must be `Bearer <token>`" } })
    expect({ status: rest.statusCode, challenge: rest.headers["www-authenticate"], body: rest.json() }).toEqual(upgrade)
  })

  it("greets with hello (account, session expiry) and audits the connection", async () => {
    const c = await connect(address, tokens[A])
    clients.push(c)
    const hello = await c.next()
    expect(hello).toEqual({ type: "hello", at: "2026-01-05T08:30:00.000Z", account: { email: A, role: "advisor" }, sessionExpiresAt: "2026-01-05T16:30:00.000Z" })
    expect(t.app.psn1.audit.all().at(-1)).toMatchObject({ action: "events.connect", actor: A, role: "advisor", outcome: "success", status: 101 })
  })

  it("pushes new and updated forms to advisors and supervisors, not to the security officer", async () => {
    const [a, s, o] = [await open(tokens[A] as string), await open(tokens[S] as string), await open(officer)]
    const writer = people(t.app).activeWithoutDevice
    await t.app.inject({ method: "POST", url: "/forms", headers: bearer(tokens[S] as string), payload: { insuredId: writer.id, reason: "generalInfo", subject: "Sujet", message: "Question" } })
    const received = await a.next()
    expect(received).toMatchObject({ type: "form.received", form: { id: "F000001", status: "new", insuredId: writer.id } })
    expect(await s.next()).toEqual(received)
    await t.app.inject({ method: "POST", url: "/forms/F000001/claim", headers: bearer(tokens[A] as string) })
    expect(await a.next()).toEqual({ type: "form.updated", at: "2026-01-05T08:30:00.000Z", formId: "F000001", status: "claimed", claimedBy: A })
    expect((await s.next()).type).toBe("form.updated")
    expect(await o.fence()).toEqual([])
  })

  it("pushes generated forms as they arrive (tick on the injected clock)", async () => {
    await t.app.close()
    t = await makeApp({ formsPerHour: 60 })
    const s2 = await staff(t.app, [{ email: A, role: "advisor" }])
    address = await t.app.listen({ host: "127.0.0.1", port: 0 })
    const a = await open(s2.tokens[A] as string)
    t.clock.advance(HOUR_MS)
    t.app.psn1.tick()
    const count = t.app.psn1.forms.size
    expect(count).toBeGreaterThan(0)
    const frames = await a.fence()
    expect(frames.map((f) => f.type)).toEqual(Array.from({ length: count }, () => "form.received"))
  })

  it("pushes ticket updates to the creator, commenters and supervisors only", async () => {
    const [a, b, s] = [await open(tokens[A] as string), await open(tokens[B] as string), await open(tokens[S] as string)]
    const created = await t.app.inject({ method: "POST", url: "/tickets", headers: bearer(tokens[A] as string), payload: { reason: "incidentMessaging", title: "Messagerie", description: "Messages absents." } })
    const id = created.json().id as string
    const createdFrame = await a.next()
    expect(createdFrame).toEqual({
      type: "ticket.updated", at: "2026-01-05T08:30:00.000Z", change: "created",
      ticket: { id, status: "new", reason: "incidentMessaging", title: "Messagerie", createdBy: A, updatedAt: "2026-01-05T08:30:00.000Z" }
    })
    expect(await s.next()).toEqual(createdFrame)
    expect(await b.fence()).toEqual([])

    await t.app.inject({ method: "POST", url: `/tickets/${id}/comments`, headers: bearer(tokens[B] as string), payload: { body: "Je regarde." } })
    expect((await a.next()).change).toBe("commented")
    expect((await b.next()).change).toBe("commented") // B now watches the ticket
    await t.app.inject({ method: "POST", url: `/tickets/${id}/status`, headers: bearer(tokens[A] as string), payload: { status: "resolved" } })
    expect(await b.next()).toMatchObject({ type: "ticket.updated", change: "statusChanged", ticket: { status: "resolved" } })
    expect((await s.fence()).map((f) => f.change)).toEqual(["commented", "statusChanged"])
  })

  it("sends session.expired when the token expires and closes with 4001", async () => {
    const a = await open(tokens[A] as string)
    t.clock.advance(8 * HOUR_MS)
    t.app.psn1.tick()
    expect(await a.next()).toEqual({ type: "session.expired", at: "2026-01-05T16:30:00.000Z", expiredAt: "2026-01-05T16:30:00.000Z" })
    expect(await a.closed).toEqual({ code: 4001, reason: "session.expired" })
  })

  it("sends session.revoked on logout and on account removal, and closes with 4001", async () => {
    const [a, b] = [await open(tokens[A] as string), await open(tokens[B] as string)]
    await t.app.inject({ method: "POST", url: "/auth/logout", headers: bearer(tokens[A] as string) })
    expect(await a.next()).toMatchObject({ type: "session.revoked", reason: "logout" })
    expect((await a.closed).code).toBe(4001)
    await t.app.inject({ method: "DELETE", url: `/admin/users/${B}`, headers: bearer(officer) })
    expect(await b.next()).toMatchObject({ type: "session.revoked", reason: "accountRemoved" })
    expect((await b.closed).code).toBe(4001)
  })

  it("sends session.revoked when the idle rule disables the account, closes with 4001, and refuses a new upgrade (403 ACCOUNT_DISABLED)", async () => {
    await t.app.close()
    t = await makeApp({ policy: { idleDisableMs: DAY_MS }, tokenTtlMs: 7 * DAY_MS })
    const s2 = await staff(t.app, [{ email: A, role: "advisor" }])
    address = await t.app.listen({ host: "127.0.0.1", port: 0 })
    const a = await open(s2.tokens[A] as string)
    t.clock.advance(DAY_MS + 1)
    t.app.psn1.tick()
    expect(await a.next()).toEqual({ type: "session.revoked", at: "2026-01-06T08:30:00.001Z", reason: "accountDisabled" })
    expect(await a.closed).toEqual({ code: 4001, reason: "session.revoked" })
    await expect(connect(address, s2.tokens[A])).rejects.toMatchObject({ status: 403, body: { code: "ACCOUNT_DISABLED" } })
  })

  it("answers bad client frames with an error frame and keeps the connection open", async () => {
    const a = await open(tokens[A] as string)
    a.ws.send("not json")
    expect(await a.next()).toEqual({ type: "error", at: "2026-01-05T08:30:00.000Z", code: "WS_INVALID_MESSAGE", message: "the frame is not JSON" })
    a.ws.send(JSON.stringify({ type: "claim", formId: "F000001" }))
    expect(await a.next()).toMatchObject({ type: "error", code: "WS_INVALID_MESSAGE" })
    a.ws.send(JSON.stringify({ type: "ping", id: "x", extra: true }))
    expect(await a.next()).toMatchObject({ type: "error", code: "WS_INVALID_MESSAGE" })
    a.ws.send(Buffer.from([1, 2, 3]))
    expect(await a.next()).toEqual({ type: "error", at: "2026-01-05T08:30:00.000Z", code: "WS_INVALID_MESSAGE", message: "binary frames are not accepted; send JSON text" })
    a.ws.send(JSON.stringify({ type: "ping", id: "still-here" }))
    expect(await a.next()).toEqual({ type: "pong", at: "2026-01-05T08:30:00.000Z", id: "still-here" })
    a.ws.send(JSON.stringify({ type: "ping" }))
    expect(await a.next()).toMatchObject({ type: "pong", id: null })
  })

  it("closes a socket that sends a frame over 4 KiB (1009) and keeps serving others", async () => {
    const a = await open(tokens[A] as string)
    a.ws.send(JSON.stringify({ type: "ping", id: "x".repeat(5000) }))
    expect((await a.closed).code).toBe(1009)
    const b = await open(tokens[B] as string)
    expect(await b.fence()).toEqual([])
  })
})

describe("/events heartbeat", () => {
  it("terminates a client that stops answering pings, and keeps one that answers", async () => {
    const t = await makeApp({ heartbeatMs: 40 })
    onTestFinished(() => t.app.close())
    const { tokens } = await staff(t.app, [{ email: A, role: "advisor" }, { email: B, role: "advisor" }])
    const address = await t.app.listen({ host: "127.0.0.1", port: 0 })
    const silent = await connect(address, tokens[A], { autoPong: false })
    const healthy = await connect(address, tokens[B])
    onTestFinished(() => { silent.ws.terminate(); healthy.ws.terminate() })
    let pings = 0
    const threePings = new Promise<void>((resolve) => healthy.ws.on("ping", () => { if (++pings === 3) resolve() }))
    expect((await silent.closed).code).toBe(1006) // terminated: no close frame
    await threePings
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN)
    expect(t.app.psn1.hub.size).toBe(1)
  })
})

describe("EventHub slow readers", () => {
  class FakeSocket implements SocketLike {
    readyState = 1
    bufferedAmount = 0
    readonly sent: Array<Record<string, unknown>> = []
    closedWith: number | null = null
    send(data: string): void { this.sent.push(JSON.parse(data) as Record<string, unknown>) }
    ping(): void {}
    close(code?: number): void { this.closedWith = code ?? null; this.readyState = 3 }
    terminate(): void { this.readyState = 3 }
  }

  it("skips frames while bufferedAmount is over the high-water mark, then says how many were dropped", () => {
    const hub = new EventHub(new ManualClock(), 1000)
    const slow = new FakeSocket()
    const fast = new FakeSocket()
    hub.add(slow, { key: "k1", email: A, role: "advisor" })
    hub.add(fast, { key: "k2", email: B, role: "advisor" })
    slow.bufferedAmount = 5000
    for (let i = 0; i < 3; i++) hub.toStaff({ type: "form.updated", formId: `F00000${i + 1}`, status: "new", claimedBy: null })
    expect(slow.sent).toEqual([])
    expect(fast.sent).toHaveLength(3)
    slow.bufferedAmount = 0
    hub.toStaff({ type: "form.updated", formId: "F000004", status: "new", claimedBy: null })
    expect(slow.sent.map((f) => [f.type, f.count ?? f.formId])).toEqual([["frames.dropped", 3], ["form.updated", "F000004"]])
    for (const f of slow.sent) expectAsyncApiFrame(f)
  })

  it("serialises a fan-out frame once and sends the same text to every recipient", () => {
    const hub = new EventHub(new ManualClock(), 1000)
    const texts: Array<string> = []
    const recorder = (): SocketLike => ({ readyState: 1, bufferedAmount: 0, send: (d) => void texts.push(d), ping() {}, close() {}, terminate() {} })
    hub.add(recorder(), { key: "k1", email: A, role: "advisor" })
    hub.add(recorder(), { key: "k2", email: B, role: "supervisor" })
    hub.add(recorder(), { key: "k3", email: "rssi@example.test", role: "securityOfficer" })
    const stringify = vi.spyOn(JSON, "stringify")
    onTestFinished(() => stringify.mockRestore())
    hub.toStaff({ type: "form.updated", formId: "F000001", status: "new", claimedBy: null })
    expect(stringify).toHaveBeenCalledTimes(1)
    expect(texts).toHaveLength(2)
    expect(texts[1]).toBe(texts[0])
  })

  it("never skips the session-ending frame, even to a slow reader", () => {
    const hub = new EventHub(new ManualClock(), 1000)
    const slow = new FakeSocket()
    hub.add(slow, { key: "k1", email: A, role: "advisor" })
    slow.bufferedAmount = 5000
    hub.endSession("k1", { type: "session.revoked", reason: "logout" })
    expect(slow.sent.map((f) => f.type)).toEqual(["session.revoked"])
    expect(slow.closedWith).toBe(4001)
    expect(hub.size).toBe(0)
  })
})
