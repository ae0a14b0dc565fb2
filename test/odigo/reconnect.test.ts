import { describe, expect, it } from "vitest"
import { iso, startMock, T0 } from "./harness.js"

describe("mock-odigo reconnection within the grace period (VPN cut)", () => {
  it("keeps the call when an agent reconnects within the grace period, and the call can be finished", async () => {
    const h = await startMock({ graceMs: 60_000 })
    const a = await h.agent()
    const ref = await h.inject({ flow: "opposition", reason: "oppositionClosure" })
    await a.take(2)
    h.clock.advance(1000)
    await a.exchange("answer", { callRef: ref }, 3)
    const cut = await h.http("POST", "/admin/faults", { disconnect: { logins: [a.creds.login] } })
    expect(cut.body.disconnected).toBe(1)
    expect((await a.closed).code).toBe(1006)
    await h.disconnected(a.creds.login)
    h.clock.advance(59_999)
    expect((await h.http("GET", "/agents")).body.agents).toEqual([
      expect.objectContaining({ login: a.creds.login, state: "onCall", connected: false, callRef: ref })
    ])
    expect((await h.http("GET", `/calls/${ref}`)).body.status).toBe("connected")

    const back = await h.connect("/agent")
    expect(await back.exchange("login", a.creds, 2)).toEqual([
      { type: "ack", id: "c1" },
      {
        type: "session.restored",
        payload: {
          state: "onCall",
          since: iso(T0 + 1000),
          call: { callRef: ref, flow: "opposition", gateId: "3422-opposition", phase: "connected", attachedData: { reason: "oppositionClosure" } }
        }
      }
    ])
    h.clock.advance(1)
    await back.expectQuiet()
    expect(await back.exchange("hangup", { callRef: ref }, 4)).toEqual([
      { type: "ack", id: "c3" },
      { type: "call.ended", payload: { callRef: ref, disconnectType: "agent" } },
      { type: "agent.stateChanged", payload: { state: "wrapUp", since: iso(T0 + 61_000) } },
      { type: "wrapup.started", payload: { callRef: ref } }
    ])
    expect((await h.http("GET", `/calls/${ref}`)).body).toMatchObject({ status: "answered", disconnectType: "agent" })
    await h.checkCalls()
  })

  it("ends the session when the grace period expires: the connected call ends 'agentLost' (answered, not lost)", async () => {
    const h = await startMock({ graceMs: 30_000 })
    const a = await h.agent()
    const ref = await h.inject({ flow: "horsOpposition" })
    await a.take(2)
    await a.exchange("answer", { callRef: ref }, 3)
    a.ws.terminate()
    await h.disconnected(a.creds.login)
    h.clock.advance(30_000)
    expect((await h.http("GET", "/agents")).body.agents).toEqual([])
    expect((await h.http("GET", `/calls/${ref}`)).body).toMatchObject({ status: "answered", disconnectType: "agentLost", endedAt: iso(T0 + 30_000) })
    const again = await h.connect("/agent")
    expect(await again.exchange("login", a.creds, 2)).toEqual([
      { type: "ack", id: "c1" },
      { type: "agent.stateChanged", payload: { state: "notReady", since: iso(T0 + 30_000) } }
    ])
    await h.checkCalls()
  })

  it("redirects a call offered to a disconnected agent at RONA, and restores the agent as notReady 'rona'", async () => {
    const h = await startMock({ graceMs: 60_000, ronaMs: 15_000 })
    const a = await h.agent()
    const ref = await h.inject({ flow: "opposition" })
    await a.take(2)
    await h.http("POST", "/admin/faults", { disconnect: "all" })
    await a.closed
    await h.disconnected(a.creds.login)
    const b = await h.agent()
    h.clock.advance(15_000)
    expect((await b.take(2))[0]).toEqual({
      type: "call.offered",
      payload: { callRef: ref, gateId: "3422-opposition", flow: "opposition", queuedMs: 15_000, attachedData: {} }
    })
    const back = await h.connect("/agent")
    expect(await back.exchange("login", a.creds, 2)).toEqual([
      { type: "ack", id: "c1" },
      { type: "session.restored", payload: { state: "notReady", reason: "rona", since: iso(T0 + 15_000) } }
    ])
    await h.checkCalls()
  })

  it("offers no call to a ready agent while it is disconnected, and offers the waiting call as soon as it is back", async () => {
    const h = await startMock()
    const a = await h.agent()
    a.ws.terminate()
    await h.disconnected(a.creds.login)
    const ref = await h.inject({ flow: "horsOpposition" })
    h.clock.advance(5000)
    expect((await h.http("GET", `/calls/${ref}`)).body.status).toBe("queued")
    const back = await h.connect("/agent")
    expect(await back.exchange("login", a.creds, 4)).toEqual([
      { type: "ack", id: "c1" },
      { type: "session.restored", payload: { state: "ready", since: iso(T0) } },
      { type: "call.offered", payload: { callRef: ref, gateId: "3422-hors-opposition", flow: "horsOpposition", queuedMs: 5000, attachedData: {} } },
      { type: "agent.stateChanged", payload: { state: "offered", since: iso(T0 + 5000) } }
    ])
    await h.checkCalls()
  })

  it("gives a ready agent that reconnects within the grace period its place in the ready line back (longest idle first)", async () => {
    const h = await startMock()
    const a = await h.agent()
    h.clock.advance(1000)
    const b = await h.agent()
    a.ws.terminate()
    await h.disconnected(a.creds.login)
    h.clock.advance(1000)
    const back = await h.connect("/agent")
    expect(await back.exchange("login", a.creds, 2)).toEqual([
      { type: "ack", id: "c1" },
      { type: "session.restored", payload: { state: "ready", since: iso(T0) } }
    ])
    const ref = await h.inject({ flow: "opposition" })
    expect(await back.take(2)).toEqual([
      { type: "call.offered", payload: { callRef: ref, gateId: "3422-opposition", flow: "opposition", queuedMs: 0, attachedData: {} } },
      { type: "agent.stateChanged", payload: { state: "offered", since: iso(T0 + 2000) } }
    ])
    await b.expectQuiet()
    await h.checkCalls()
  })

  it("moves a live session to a new connection that logs in with the same account (the old one is closed with 4000)", async () => {
    const h = await startMock()
    const a = await h.agent()
    const ref = await h.inject({ flow: "opposition" })
    await a.take(2)
    const second = await h.connect("/agent")
    expect(await second.exchange("login", a.creds, 2)).toEqual([
      { type: "ack", id: "c1" },
      {
        type: "session.restored",
        payload: { state: "offered", since: iso(T0), call: { callRef: ref, flow: "opposition", gateId: "3422-opposition", phase: "offered", attachedData: {} } }
      }
    ])
    expect(await a.closed).toEqual({ code: 4000, reason: "session replaced" })
    expect((await second.exchange("answer", { callRef: ref }, 3))[1]).toEqual({ type: "call.connected", payload: { callRef: ref } })
    await h.checkCalls()
  })

  it("ends the session of an account removed by an administrator (close 4003) and requeues its offered call", async () => {
    const h = await startMock()
    const a = await h.agent()
    const ref = await h.inject({ flow: "opposition" })
    await a.take(2)
    const r = await h.http("DELETE", `/admin/accounts/${a.creds.login}`)
    expect(r.status).toBe(200)
    expect(r.body.login).toBe(a.creds.login)
    expect(await a.closed).toEqual({ code: 4003, reason: "account removed" })
    expect((await h.http("GET", `/calls/${ref}`)).body.status).toBe("queued")
    expect((await h.http("GET", "/agents")).body.agents).toEqual([])
    const again = await h.connect("/agent")
    expect(await again.exchange("login", a.creds)).toEqual([{ type: "error", id: "c1", code: "BAD_CREDENTIALS", message: "Unknown login or wrong password" }])
    expect(await h.http("DELETE", `/admin/accounts/${a.creds.login}`)).toMatchObject({ status: 404, body: { code: "UNKNOWN_ACCOUNT" } })
    await h.checkCalls()
  })

  it("ends wrap-up when the grace period expires during it, crediting the wrap-up time", async () => {
    const h = await startMock({ graceMs: 10_000 })
    const a = await h.agent()
    const ref = await h.inject({ flow: "opposition" })
    await a.take(2)
    await a.exchange("answer", { callRef: ref }, 3)
    h.clock.advance(60_000)
    await a.exchange("hangup", { callRef: ref }, 4)
    a.ws.terminate()
    await h.disconnected(a.creds.login)
    h.clock.advance(10_000)
    const rows = (await h.http("GET", `/stats/intervals?from=${iso(T0)}&to=${iso(T0 + 900_000)}`)).body.rows
    expect(rows[0]).toMatchObject({ answered: 1, talkEnded: 1, talkMs: 60_000, handled: 1, wrapUpMs: 10_000 })
    await h.checkCalls()
  })
})
