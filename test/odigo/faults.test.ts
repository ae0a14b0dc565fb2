import { describe, expect, it } from "vitest"
import { Client, iso, startMock, T0, until } from "./harness.js"

const NO_FAULTS = { latencyMs: 0, jitterMs: 0, dropRate: 0, refuseConnections: false, seed: 1 }

describe("mock-odigo faults", () => {
  it("delays server frames by the injected latency (held until the clock reaches it) and DELETE clears it", async () => {
    const h = await startMock()
    const a = await h.agent()
    expect((await h.http("POST", "/admin/faults", { latencyMs: 200 })).body).toEqual({ faults: { ...NO_FAULTS, latencyMs: 200 }, heldFrames: 0, droppedFrames: 0 })
    // The offer is sent while the injection is handled, so both frames are held once it returns.
    const ref = await h.inject({ flow: "opposition" })
    expect((await h.http("GET", "/admin/faults")).body.heldFrames).toBe(2)
    h.clock.advance(199)
    expect((await h.http("GET", "/admin/faults")).body.heldFrames).toBe(2)
    h.clock.advance(1)
    expect(await a.take(2)).toEqual([
      { type: "call.offered", payload: { callRef: ref, gateId: "3422-opposition", flow: "opposition", queuedMs: 0, attachedData: {} } },
      { type: "agent.stateChanged", payload: { state: "offered", since: iso(T0) } }
    ])
    expect((await h.http("DELETE", "/admin/faults")).body).toEqual({ faults: NO_FAULTS, heldFrames: 0, droppedFrames: 0 })
    await a.expectQuiet()
    await h.checkCalls()
  })

  it("keeps each connection's frames in order under latency with jitter", async () => {
    const h = await startMock()
    const a = await h.agent()
    await h.http("POST", "/admin/faults", { latencyMs: 100, jitterMs: 90, seed: 42 })
    // Each injection and hang-up sends its frames while the request is handled: all held at once.
    const expected = []
    for (let i = 0; i < 8; i++) {
      const ref = await h.inject({ flow: "opposition" })
      await h.http("DELETE", `/calls/${ref}`)
      expected.push(["call.offered", ref], ["agent.stateChanged", "offered"], ["call.ended", ref], ["agent.stateChanged", "ready"])
    }
    expect((await h.http("GET", "/admin/faults")).body.heldFrames).toBe(32)
    h.clock.advance(10_000)
    expect((await a.take(32)).map((f) => [f.type, f.payload.callRef ?? f.payload.state])).toEqual(expected)
    await h.checkCalls()
  })

  it("drops frames at the injected rate, reproducibly for a given seed", async () => {
    const dropped = async (): Promise<Array<string>> => {
      const h = await startMock()
      const a = await h.agent()
      await h.http("POST", "/admin/faults", { dropRate: 0.5, seed: 7 })
      const before = a.received.length
      const ids = Array.from({ length: 40 }, () => a.cmd("ping"))
      // Every ping handled: each ack either dropped by the server or received here.
      await until("all 40 pings are handled", () => h.mock.faults.droppedFrames + a.received.length - before === 40)
      await h.http("DELETE", "/admin/faults")
      const marker = a.cmd("ping")
      const got: Array<string> = []
      for (;;) {
        const f = await a.next()
        if (f.id === marker) break
        got.push(f.id!)
      }
      expect((await h.http("GET", "/admin/faults")).body.droppedFrames).toBe(40 - got.length)
      await h.checkCalls()
      return ids.filter((id) => !got.includes(id))
    }
    const first = await dropped()
    expect(first.length).toBeGreaterThan(10)
    expect(first.length).toBeLessThan(30)
    expect(await dropped()).toEqual(first)
  })

  it("refuses new websocket connections while refuseConnections is set; existing ones keep working", async () => {
    const h = await startMock()
    const a = await h.agent()
    await h.http("POST", "/admin/faults", { refuseConnections: true })
    await expect(Client.open(`${h.wsUrl}/agent`)).rejects.toMatchObject({
      status: 503,
      body: { code: "CONNECTIONS_REFUSED", message: "New connections are refused (fault injected)" }
    })
    await a.expectQuiet()
    await h.http("DELETE", "/admin/faults")
    const b = await h.connect("/agent")
    await b.expectQuiet()
    await h.checkCalls()
  })

  it("cuts every agent connection at once (VPN cut) without touching supervisors; sessions wait in their grace period", async () => {
    const h = await startMock()
    const agents = [await h.agent(), await h.agent(), await h.agent()]
    const sup = await h.connect("/supervision")
    await sup.exchange("login", await h.account("supervisor"), 2)
    const r = await h.http("POST", "/admin/faults", { disconnect: "all" })
    expect(r.body.disconnected).toBe(3)
    for (const a of agents) expect((await a.closed).code).toBe(1006)
    for (const a of agents) await h.disconnected(a.creds.login)
    await sup.expectQuiet()
    expect((await h.http("GET", "/agents")).body.agents.map((v: { connected: boolean }) => v.connected)).toEqual([false, false, false])
    expect((await h.http("GET", "/health")).body.connections).toEqual({ agent: 0, supervision: 1 })
    await h.checkCalls()
  })

  it("broadcasts a server.closing notice to every connection without closing anything", async () => {
    const h = await startMock()
    const a = await h.agent()
    const idle = await h.connect("/agent")
    const r = await h.http("POST", "/admin/faults", { serverClosing: { reason: "maintenance at 18:00", closingInMs: 600_000 } })
    expect(r.body.notified).toBe(2)
    const notice = { type: "server.closing", payload: { reason: "maintenance at 18:00", closingInMs: 600_000 } }
    expect(await a.next()).toEqual(notice)
    expect(await idle.next()).toEqual(notice)
    await a.expectQuiet()
    await h.checkCalls()
  })

  it("validates fault requests and reports every problem", async () => {
    const h = await startMock()
    expect(await h.http("POST", "/admin/faults", { latencyMs: -5, dropRate: 2, disconnect: "some" })).toMatchObject({
      status: 400,
      body: { code: "INVALID_BODY", message: expect.stringMatching(/^body\.latencyMs: .*; body\.dropRate: .*; body\.disconnect: /) }
    })
    expect((await h.http("GET", "/admin/faults")).body.faults).toEqual(NO_FAULTS)
    await h.checkCalls()
  })
})
