import { describe, expect, it } from "vitest"
import { Client, startMock, until } from "./harness.js"

const NO_FAULTS = { latencyMs: 0, jitterMs: 0, dropRate: 0, refuseConnections: false, seed: 1 }

describe("mock-odigo faults", () => {
  it("delays server frames by the injected latency (held until the clock reaches it) and DELETE clears it", async () => {
    const h = await startMock()
    const a = await h.agent()
    expect((await h.http("POST", "/admin/faults", { latencyMs: 200 })).body).toEqual({ faults: { ...NO_FAULTS, latencyMs: 200 }, heldFrames: 0, droppedFrames: 0 })
    const id = a.cmd("ping")
    // The ack is held in the server until the (manual) clock has moved 200 ms.
    await waitHeld(h, 1)
    h.clock.advance(199)
    expect((await h.http("GET", "/admin/faults")).body.heldFrames).toBe(1)
    h.clock.advance(1)
    expect(await a.next()).toEqual({ type: "ack", id })
    expect((await h.http("DELETE", "/admin/faults")).body).toEqual({ faults: NO_FAULTS, heldFrames: 0, droppedFrames: 0 })
    await a.expectQuiet()
    await h.checkCalls()
  })

  it("keeps each connection's frames in order under latency with jitter", async () => {
    const h = await startMock()
    const a = await h.agent()
    await h.http("POST", "/admin/faults", { latencyMs: 100, jitterMs: 90, seed: 42 })
    const ids = Array.from({ length: 30 }, () => a.cmd("ping"))
    await waitHeld(h, 30)
    h.clock.advance(10_000)
    expect(await a.take(30)).toEqual(ids.map((id) => ({ type: "ack", id })))
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

/** Waits until the server holds `n` delayed frames (they left the command handler). */
async function waitHeld(h: { http: (m: "GET", u: string) => Promise<{ body: any }> }, n: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if ((await h.http("GET", "/admin/faults")).body.heldFrames === n) return
    await new Promise((r) => setTimeout(r, 2))
  }
  throw new Error(`the server never held ${n} frames`)
}
