import { describe, expect, it } from "vitest"
import { iso, startMock, T0 } from "./harness.js"

describe("mock-odigo ACD: routing", () => {
  it("gives the oldest waiting call across both queues to the first agent that becomes ready", async () => {
    const h = await startMock()
    const first = await h.inject({ flow: "opposition" })
    h.clock.advance(1000)
    const second = await h.inject({ flow: "horsOpposition" })
    h.clock.advance(1000)
    const third = await h.inject({ flow: "opposition" })
    h.clock.advance(1000)
    const a = await h.agent()
    expect((await a.next()).payload).toMatchObject({ callRef: first, flow: "opposition", queuedMs: 3000 })
    const b = await h.agent()
    expect((await b.next()).payload).toMatchObject({ callRef: second, flow: "horsOpposition", queuedMs: 2000 })
    const c = await h.agent()
    expect((await c.next()).payload).toMatchObject({ callRef: third, flow: "opposition", queuedMs: 1000 })
    await h.checkCalls()
  })

  it("offers each new call to the longest-idle ready agent; an agent back from wrap-up goes last", async () => {
    const h = await startMock()
    const x = await h.agent()
    h.clock.advance(1000)
    const y = await h.agent()
    h.clock.advance(1000)
    const z = await h.agent()
    const c1 = await h.inject({ flow: "horsOpposition" })
    expect((await x.take(2)).map((f) => f.type)).toEqual(["call.offered", "agent.stateChanged"])
    await x.exchange("answer", { callRef: c1 }, 3)
    await x.exchange("hangup", { callRef: c1 }, 4)
    await x.exchange("endWrapUp", undefined, 2)
    const c2 = await h.inject({ flow: "horsOpposition" })
    expect((await y.next()).payload.callRef).toBe(c2)
    const c3 = await h.inject({ flow: "opposition" })
    expect((await z.next()).payload.callRef).toBe(c3)
    const c4 = await h.inject({ flow: "opposition" })
    expect((await x.next()).payload.callRef).toBe(c4)
    await h.checkCalls()
  })

  it("keeps a call queued while the only agent is on a call, and offers it once that agent is ready again", async () => {
    const h = await startMock()
    const a = await h.agent()
    const first = await h.inject({ flow: "opposition" })
    await a.take(2)
    await a.exchange("answer", { callRef: first }, 3)
    h.clock.advance(1000)
    const second = await h.inject({ flow: "horsOpposition" })
    h.clock.advance(60_000)
    await a.expectQuiet()
    expect((await h.http("GET", `/calls/${second}`)).body).toMatchObject({ status: "queued", offers: 0 })
    expect((await h.http("GET", "/stats/realtime")).body.queues[1]).toMatchObject({ flow: "horsOpposition", waiting: 1, ringing: 0, longestWaitMs: 60_000 })
    expect((await a.exchange("hangup", { callRef: first }, 4)).map((f) => f.type)).toEqual(["ack", "call.ended", "agent.stateChanged", "wrapup.started"])
    expect(await a.exchange("endWrapUp", undefined, 4)).toEqual([
      { type: "ack", id: "c6" },
      { type: "agent.stateChanged", payload: { state: "ready", since: iso(T0 + 61_000) } },
      { type: "call.offered", payload: { callRef: second, gateId: "3422-hors-opposition", flow: "horsOpposition", queuedMs: 60_000, attachedData: {} } },
      { type: "agent.stateChanged", payload: { state: "offered", since: iso(T0 + 61_000) } }
    ])
    await h.checkCalls()
  })

  it("refuses injections beyond the queue limit with QUEUE_FULL and does not count them", async () => {
    const h = await startMock({ maxQueuedCalls: 2 })
    await h.inject({ flow: "opposition" })
    await h.inject({ flow: "horsOpposition" })
    const r = await h.http("POST", "/calls", { flow: "opposition" })
    expect(r).toMatchObject({ status: 503, body: { code: "QUEUE_FULL", message: "The queues already hold 2 waiting calls (maximum 2)" } })
    expect((await h.http("GET", "/admin/audit")).body.census).toEqual({ injected: 2, answered: 0, abandoned: 0, queued: 2, ringing: 0, connected: 0 })
    await h.checkCalls()
  })
})

describe("mock-odigo ACD: RONA (redirection on no answer)", () => {
  it("withdraws an unanswered offer after ronaMs: agent to notReady 'rona', call back to the head of its queue", async () => {
    const h = await startMock({ ronaMs: 15_000 })
    const slow = await h.agent()
    const ref = await h.inject({ flow: "opposition" })
    h.clock.advance(500)
    const later = await h.inject({ flow: "opposition" })
    expect((await slow.take(2)).map((f) => f.type)).toEqual(["call.offered", "agent.stateChanged"])
    h.clock.advance(14_499)
    await slow.expectQuiet()
    h.clock.advance(1)
    expect(await slow.take(2)).toEqual([
      { type: "call.ended", payload: { callRef: ref, disconnectType: "rona" } },
      { type: "agent.stateChanged", payload: { state: "notReady", reason: "rona", since: iso(T0 + 15_000) } }
    ])
    expect((await h.http("GET", `/calls/${ref}`)).body).toMatchObject({ status: "queued", offers: 1, waitMs: 15_000 })
    const next = await h.agent()
    expect(await next.take(2)).toEqual([
      { type: "call.offered", payload: { callRef: ref, gateId: "3422-opposition", flow: "opposition", queuedMs: 15_000, attachedData: {} } },
      { type: "agent.stateChanged", payload: { state: "offered", since: iso(T0 + 15_000) } }
    ])
    expect((await h.http("GET", `/calls/${later}`)).body.status).toBe("queued")
    expect((await h.http("GET", `/calls/${ref}`)).body).toMatchObject({ status: "ringing", offers: 2, agent: next.creds.login })
    const rows = (await h.http("GET", `/stats/intervals?from=${iso(T0)}&to=${iso(T0 + 900_000)}`)).body.rows
    expect(rows[0]).toMatchObject({ offered: 2, ronas: 1, answered: 0 })
    await h.checkCalls()
  })
})

describe("mock-odigo ACD: callers hanging up", () => {
  it("counts a caller who hangs up while queued as abandoned (queued), and refuses a second hang-up", async () => {
    const h = await startMock()
    const ref = await h.inject({ flow: "horsOpposition" })
    h.clock.advance(42_000)
    const r = await h.http("DELETE", `/calls/${ref}`)
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ status: "abandoned", disconnectType: "abandoned", waitMs: 42_000, endedAt: iso(T0 + 42_000) })
    expect(await h.http("DELETE", `/calls/${ref}`)).toMatchObject({ status: 409, body: { code: "CALL_ENDED", message: `Call ${ref} has already ended` } })
    expect(await h.http("DELETE", "/calls/oc-nope-1")).toMatchObject({ status: 404, body: { code: "UNKNOWN_CALL", message: "No call oc-nope-1" } })
    const rows = (await h.http("GET", `/stats/intervals?from=${iso(T0)}&to=${iso(T0 + 900_000)}`)).body.rows
    expect(rows[0]).toMatchObject({ offered: 1, abandoned: 1, abandonedQueued: 1, abandonedRinging: 0, waitAbandonedMs: 42_000, maxWaitMs: 42_000 })
    await h.checkCalls()
  })

  it("counts a caller who hangs up while ringing as abandoned (ringing); the agent gets call.ended and is ready again", async () => {
    const h = await startMock()
    const a = await h.agent()
    const ref = await h.inject({ flow: "opposition" })
    await a.take(2)
    h.clock.advance(4000)
    expect((await h.http("DELETE", `/calls/${ref}`)).body.status).toBe("abandoned")
    expect(await a.take(2)).toEqual([
      { type: "call.ended", payload: { callRef: ref, disconnectType: "abandoned" } },
      { type: "agent.stateChanged", payload: { state: "ready", since: iso(T0 + 4000) } }
    ])
    await a.expectQuiet()
    const rows = (await h.http("GET", `/stats/intervals?from=${iso(T0)}&to=${iso(T0 + 900_000)}`)).body.rows
    expect(rows[0]).toMatchObject({ abandoned: 1, abandonedQueued: 0, abandonedRinging: 1 })
    await h.checkCalls()
  })

  it("abandons a caller whose patience expires before an agent frees, but not once answered", async () => {
    const h = await startMock()
    const impatient = await h.inject({ flow: "opposition", patienceMs: 30_000 })
    h.clock.advance(29_999)
    expect((await h.http("GET", `/calls/${impatient}`)).body.status).toBe("queued")
    h.clock.advance(1)
    expect((await h.http("GET", `/calls/${impatient}`)).body).toMatchObject({ status: "abandoned", waitMs: 30_000 })

    const a = await h.agent()
    const patient = await h.inject({ flow: "opposition", patienceMs: 10_000 })
    await a.take(2)
    h.clock.advance(9_000)
    await a.exchange("answer", { callRef: patient }, 3)
    h.clock.advance(60_000)
    expect((await h.http("GET", `/calls/${patient}`)).body.status).toBe("connected")
    await a.expectQuiet()
    await h.checkCalls()
  })

  it("abandons while ringing when patience expires during the offer", async () => {
    const h = await startMock({ ronaMs: 20_000 })
    const a = await h.agent()
    const ref = await h.inject({ flow: "opposition", patienceMs: 5000 })
    await a.take(2)
    h.clock.advance(5000)
    expect(await a.take(2)).toEqual([
      { type: "call.ended", payload: { callRef: ref, disconnectType: "abandoned" } },
      { type: "agent.stateChanged", payload: { state: "ready", since: iso(T0 + 5000) } }
    ])
    h.clock.advance(20_000)
    await a.expectQuiet()
    await h.checkCalls()
  })

  it("ends a connected call when the caller hangs up: call.ended 'caller', then wrap-up", async () => {
    const h = await startMock()
    const a = await h.agent()
    const ref = await h.inject({ flow: "horsOpposition" })
    await a.take(2)
    await a.exchange("answer", { callRef: ref }, 3)
    h.clock.advance(180_000)
    expect((await h.http("DELETE", `/calls/${ref}`)).body).toMatchObject({ status: "answered", disconnectType: "caller" })
    expect(await a.take(3)).toEqual([
      { type: "call.ended", payload: { callRef: ref, disconnectType: "caller" } },
      { type: "agent.stateChanged", payload: { state: "wrapUp", since: iso(T0 + 180_000) } },
      { type: "wrapup.started", payload: { callRef: ref } }
    ])
    await h.checkCalls()
  })
})

describe("mock-odigo ACD: transfers, pending not-ready, qualification", () => {
  it("transfers only to configured level-1+ targets", async () => {
    const h = await startMock()
    const a = await h.agent()
    const ref = await h.inject({ flow: "horsOpposition" })
    await a.take(2)
    await a.exchange("answer", { callRef: ref }, 3)
    const bad = a.nextId
    expect(await a.exchange("transfer", { callRef: ref, target: "my-mobile" })).toEqual([
      {
        type: "error",
        id: bad,
        code: "UNKNOWN_TARGET",
        message: 'Transfer target "my-mobile" is not configured; allowed: cpam-1, cpam-2, cpam-3, cpam-4, msa'
      }
    ])
    const ok = a.nextId
    expect(await a.exchange("transfer", { callRef: ref, target: "msa" }, 4)).toEqual([
      { type: "ack", id: ok },
      { type: "call.ended", payload: { callRef: ref, disconnectType: "transfer" } },
      { type: "agent.stateChanged", payload: { state: "wrapUp", since: iso(T0) } },
      { type: "wrapup.started", payload: { callRef: ref } }
    ])
    expect((await h.http("GET", `/calls/${ref}`)).body).toMatchObject({ status: "answered", transferTarget: "msa" })
    const rows = (await h.http("GET", `/stats/intervals?from=${iso(T0)}&to=${iso(T0 + 900_000)}`)).body.rows
    expect(rows[0]).toMatchObject({ answered: 1, transferred: 1 })
    await h.checkCalls()
  })

  it("defers a notReady asked during a call until wrap-up ends, and offers no call meanwhile", async () => {
    const h = await startMock()
    const a = await h.agent()
    const ref = await h.inject({ flow: "opposition" })
    await a.take(2)
    await a.exchange("answer", { callRef: ref }, 3)
    h.clock.advance(1000)
    const id = a.nextId
    expect(await a.exchange("setState", { state: "notReady", reason: "training" }, 2)).toEqual([
      { type: "ack", id },
      { type: "agent.stateChanged", payload: { state: "pendingNotReady", reason: "training", since: iso(T0 + 1000) } }
    ])
    await a.exchange("hangup", { callRef: ref }, 4)
    const waiting = await h.inject({ flow: "opposition" })
    await a.exchange("qualify", { callRef: ref, reason: "oppositionClosure" })
    h.clock.advance(1000)
    const end = a.nextId
    expect(await a.exchange("endWrapUp", undefined, 2)).toEqual([
      { type: "ack", id: end },
      { type: "agent.stateChanged", payload: { state: "notReady", reason: "training", since: iso(T0 + 2000) } }
    ])
    await a.expectQuiet()
    expect((await h.http("GET", `/calls/${waiting}`)).body.status).toBe("queued")
    await h.checkCalls()
  })

  it("cancels a pending notReady with setState ready while still on the call", async () => {
    const h = await startMock()
    const a = await h.agent()
    const ref = await h.inject({ flow: "opposition" })
    await a.take(2)
    await a.exchange("answer", { callRef: ref }, 3)
    await a.exchange("setState", { state: "notReady" }, 2)
    const id = a.nextId
    expect(await a.exchange("setState", { state: "ready" }, 2)).toEqual([
      { type: "ack", id },
      { type: "agent.stateChanged", payload: { state: "onCall", since: iso(T0) } }
    ])
    await a.exchange("hangup", { callRef: ref }, 4)
    expect((await a.exchange("endWrapUp", undefined, 2))[1]!.payload.state).toBe("ready")
    await h.checkCalls()
  })

  it("ends wrap-up straight into the state asked with setState", async () => {
    const h = await startMock()
    const a = await h.agent()
    const ref = await h.inject({ flow: "opposition" })
    await a.take(2)
    await a.exchange("answer", { callRef: ref }, 3)
    await a.exchange("hangup", { callRef: ref }, 4)
    expect((await a.exchange("setState", { state: "notReady", reason: "lunch" }, 2))[1]).toEqual({
      type: "agent.stateChanged",
      payload: { state: "notReady", reason: "lunch", since: iso(T0) }
    })
    await h.checkCalls()
  })

  it("with qualification required, refuses to end wrap-up before the call is qualified", async () => {
    const h = await startMock({ requireQualification: true })
    const a = await h.agent()
    const ref = await h.inject({ flow: "opposition" })
    await a.take(2)
    await a.exchange("answer", { callRef: ref }, 3)
    await a.exchange("hangup", { callRef: ref }, 4)
    const id = a.nextId
    expect(await a.exchange("endWrapUp")).toEqual([
      { type: "error", id, code: "QUALIFICATION_REQUIRED", message: `Qualify call ${ref} before ending wrap-up` }
    ])
    const bad = a.nextId
    expect(await a.exchange("qualify", { callRef: ref, reason: "notAReason" })).toEqual([
      { type: "error", id: bad, code: "BAD_PAYLOAD", message: expect.stringMatching(/^payload\.reason: Expected "cvSerialUnreadable" \| /) }
    ])
    await a.exchange("qualify", { callRef: ref, reason: "cvSerialUnreadable" })
    await a.exchange("qualify", { callRef: ref, reason: "outOfScope" })
    expect((await a.exchange("endWrapUp", undefined, 2))[1]!.payload.state).toBe("ready")
    expect((await h.http("GET", `/calls/${ref}`)).body.qualification).toBe("outOfScope")
    const rows = (await h.http("GET", `/stats/intervals?from=${iso(T0)}&to=${iso(T0 + 900_000)}`)).body.rows
    expect(rows[0]).toMatchObject({ answered: 1, qualified: 1, handled: 1 })
    await h.checkCalls()
  })
})
