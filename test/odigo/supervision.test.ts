import { describe, expect, it } from "vitest"
import type { ServerFrame } from "../../mock-odigo/protocol/events.js"
import type { SupervisorSink } from "../../mock-odigo/supervision.js"
import { iso, person, startMock, T0 } from "./harness.js"

const EMPTY_TODAY = {
  offered: 0,
  answered: 0,
  abandoned: 0,
  transferred: 0,
  qualified: 0,
  answerRate: null,
  meanWaitMs: null,
  meanTalkMs: null,
  meanHandlingMs: null
}

const queueToday = (offered: number, answered: number, abandoned: number, answerRate: number | null, meanWaitMs: number | null) => ({
  offered,
  answered,
  abandoned,
  answerRate,
  meanWaitMs
})

describe("mock-odigo supervision websocket", () => {
  it("sends a supervisor a snapshot at login, then a delta every second with the agents that changed", async () => {
    const h = await startMock()
    const a = await h.agent()
    const queued = await h.inject({ flow: "opposition" })
    await a.take(2)
    await h.inject({ flow: "horsOpposition" })
    h.clock.advance(2000)
    const creds = await h.account("supervisor")
    const sup = await h.connect("/supervision")
    const p0 = person(0)
    expect(await sup.exchange("login", creds, 2)).toEqual([
      { type: "ack", id: "c1" },
      {
        type: "supervision.snapshot",
        payload: {
          at: iso(T0 + 2000),
          // Both calls received, neither answered: answer rate 0; both have waited 2 s so far.
          queues: [
            { flow: "opposition", gateId: "3422-opposition", waiting: 0, ringing: 1, longestWaitMs: 0, today: queueToday(1, 0, 0, 0, 2000) },
            { flow: "horsOpposition", gateId: "3422-hors-opposition", waiting: 1, ringing: 0, longestWaitMs: 2000, today: queueToday(1, 0, 0, 0, 2000) }
          ],
          agentsByState: { notReady: 0, ready: 0, offered: 1, onCall: 0, wrapUp: 0, pendingNotReady: 0 },
          today: { ...EMPTY_TODAY, offered: 2, answerRate: 0, meanWaitMs: 2000 },
          agents: [
            { login: p0.login, firstName: p0.firstName, lastName: p0.lastName, state: "offered", since: iso(T0), connected: true, callRef: queued }
          ]
        }
      }
    ])
    await a.exchange("answer", { callRef: queued }, 3)
    h.clock.advance(1000)
    expect(await sup.next()).toEqual({
      type: "supervision.delta",
      payload: {
        at: iso(T0 + 3000),
        // CCTP formulas over the calls received: 1 answered of 2 received; waits 2 s (answered) and 3 s so far (queued).
        queues: [
          { flow: "opposition", gateId: "3422-opposition", waiting: 0, ringing: 0, longestWaitMs: 0, today: queueToday(1, 1, 0, 1, 2000) },
          { flow: "horsOpposition", gateId: "3422-hors-opposition", waiting: 1, ringing: 0, longestWaitMs: 3000, today: queueToday(1, 0, 0, 0, 3000) }
        ],
        agentsByState: { notReady: 0, ready: 0, offered: 0, onCall: 1, wrapUp: 0, pendingNotReady: 0 },
        today: { ...EMPTY_TODAY, offered: 2, answered: 1, answerRate: 0.5, meanWaitMs: 2500 },
        agents: [{ login: p0.login, firstName: p0.firstName, lastName: p0.lastName, state: "onCall", since: iso(T0 + 2000), connected: true, callRef: queued }],
        removed: [],
        coalesced: 0
      }
    })
    h.clock.advance(1000)
    expect((await sup.next()).payload).toMatchObject({ at: iso(T0 + 4000), agents: [], removed: [], coalesced: 0 })
    await h.checkCalls()
  })

  it("reports agents that log out in `removed`, and today's answer rate, wait and handling time", async () => {
    const h = await startMock()
    const sup = await h.connect("/supervision")
    await sup.exchange("login", await h.account("supervisor"), 2)
    const a = await h.agent()
    const ref = await h.inject({ flow: "opposition" })
    await a.take(2)
    h.clock.advance(4000)
    await a.exchange("answer", { callRef: ref }, 3)
    h.clock.advance(240_000)
    await a.exchange("hangup", { callRef: ref }, 4)
    h.clock.advance(60_000)
    await a.exchange("endWrapUp", undefined, 2)
    const abandoned = await h.inject({ flow: "horsOpposition", patienceMs: 1000 })
    expect((await a.take(2))[0]!.payload.callRef).toBe(abandoned)
    h.clock.advance(1000)
    await a.take(2)
    await a.exchange("logout", undefined, 2)
    h.clock.advance(1000)
    const deltas = []
    for (;;) {
      const f = await sup.next()
      deltas.push(f)
      if (f.payload.removed.length > 0) break
    }
    const last = deltas[deltas.length - 1]!.payload
    expect(last.removed).toEqual([a.creds.login])
    expect(last.agents).toEqual([])
    expect(last.today).toEqual({
      offered: 2,
      answered: 1,
      abandoned: 1,
      transferred: 0,
      qualified: 0,
      answerRate: 0.5,
      meanWaitMs: 2500,
      meanTalkMs: 240_000,
      meanHandlingMs: 300_000
    })
    expect(last.queues.map((q: { today: unknown }) => q.today)).toEqual([queueToday(1, 1, 0, 1, 4000), queueToday(1, 0, 1, 0, 1000)])
    const realtime = (await h.http("GET", "/stats/realtime")).body
    expect(realtime.today).toEqual(last.today)
    // No call is waiting: the live figures are the cold statistics' CCTP formulas over today's rows.
    const rows: Array<Record<string, number>> = (await h.http("GET", "/stats/intervals")).body.rows
    const sum = (k: string) => rows.reduce((n, r) => n + r[k]!, 0)
    expect([realtime.today.answerRate, realtime.today.meanWaitMs]).toEqual([
      sum("answered") / sum("offered"),
      (sum("waitAnsweredMs") + sum("waitAbandonedMs")) / sum("offered")
    ])
    await h.checkCalls()
  })

  it("closes a removed supervisor's connections with 4003 and sends them no further delta", async () => {
    const h = await startMock()
    const creds = await h.account("supervisor")
    const sup = await h.connect("/supervision")
    const second = await h.connect("/supervision")
    expect((await sup.exchange("login", creds, 2)).map((f) => f.type)).toEqual(["ack", "supervision.snapshot"])
    expect((await second.exchange("login", creds, 2)).map((f) => f.type)).toEqual(["ack", "supervision.snapshot"])
    const other = await h.connect("/supervision")
    expect((await other.exchange("login", await h.account("supervisor"), 2)).map((f) => f.type)).toEqual(["ack", "supervision.snapshot"])
    expect((await h.http("DELETE", `/admin/accounts/${creds.login}`)).status).toBe(200)
    h.clock.advance(1000)
    expect((await other.next()).type).toBe("supervision.delta")
    await expect(sup.next()).rejects.toThrow("connection closed while waiting")
    expect(await sup.closed).toEqual({ code: 4003, reason: "account removed" })
    expect(await second.closed).toEqual({ code: 4003, reason: "account removed" })
    expect(sup.received.map((f) => f.type)).toEqual(["ack", "supervision.snapshot"])
    expect(h.mock.hub.size).toBe(1)
    expect((await h.http("GET", "/health")).body.connections).toEqual({ agent: 0, supervision: 1 })
    await h.checkCalls()
  })

  it("accepts only supervisor accounts on /supervision and only agents on /agent", async () => {
    const h = await startMock()
    const agentCreds = await h.account("agent")
    const supCreds = await h.account("supervisor")
    const s = await h.connect("/supervision")
    expect(await s.exchange("login", agentCreds)).toEqual([{ type: "error", id: "c1", code: "WRONG_ROLE", message: "Agent accounts connect to /agent" }])
    const a = await h.connect("/agent")
    expect(await a.exchange("login", supCreds)).toEqual([{ type: "error", id: "c1", code: "WRONG_ROLE", message: "Supervisor accounts connect to /supervision" }])
    expect(await s.exchange("setState", { state: "ready" })).toEqual([
      { type: "error", id: "c2", code: "UNKNOWN_TYPE", message: 'Unknown command type "setState"; expected one of login, logout, ping' }
    ])
    expect(await s.exchange("logout")).toEqual([{ type: "error", id: "c3", code: "NOT_LOGGED_IN", message: "Not logged in" }])
    await h.checkCalls()
  })
})

/** A supervisor sink whose backlog the test controls. */
class FakeSink implements SupervisorSink {
  bufferedAmount = 0
  readonly frames: Array<ServerFrame> = []
  send(frame: ServerFrame): void {
    this.frames.push(frame)
  }
}

describe("mock-odigo supervision: slow readers", () => {
  it("skips deltas while a supervisor's backlog is high, keeps one entry per changed agent, then sends one coalesced delta", async () => {
    const h = await startMock({ supervisionHighWaterBytes: 1000 })
    const agents = []
    for (let i = 0; i < 5; i++) agents.push(await h.agent({ ready: false }))
    const sink = new FakeSink()
    h.mock.hub.add(sink)
    expect(sink.frames.map((f) => f.type)).toEqual(["supervision.snapshot"])
    sink.bufferedAmount = 5000
    for (let round = 0; round < 20; round++) {
      for (const a of agents) await a.exchange("setState", { state: round % 2 === 0 ? "ready" : "notReady" }, 2)
      h.clock.advance(1000)
    }
    expect(sink.frames).toHaveLength(1)
    expect(h.mock.hub.backlogOf(sink)).toEqual({ changed: 5, removed: 0, coalesced: 20 })
    await agents[4]!.exchange("logout", undefined, 2)
    expect(h.mock.hub.backlogOf(sink)).toEqual({ changed: 4, removed: 1, coalesced: 20 })
    sink.bufferedAmount = 0
    h.clock.advance(1000)
    expect(sink.frames).toHaveLength(2)
    const delta = sink.frames[1]!
    expect(delta.type).toBe("supervision.delta")
    if (delta.type !== "supervision.delta") throw new Error("unreachable")
    expect(delta.payload.coalesced).toBe(20)
    expect(delta.payload.removed).toEqual([agents[4]!.creds.login])
    expect(delta.payload.agents.map((v) => [v.login, v.state])).toEqual(agents.slice(0, 4).map((a) => [a.creds.login, "notReady"]))
    expect(h.mock.hub.backlogOf(sink)).toEqual({ changed: 0, removed: 0, coalesced: 0 })
    expect(h.mock.hub.skippedDeltas).toBe(20)
    h.mock.hub.remove(sink)
    await h.checkCalls()
  })
})
