import { describe, expect, it } from "vitest"
import { iso, startMock, T0 } from "./harness.js"

describe("mock-odigo: a call from injection to the next ready", () => {
  it("runs inject → offered → answer → connected → hangup → wrap-up → qualify → ready with exact frames", async () => {
    const h = await startMock()
    const creds = await h.account("agent")
    const a = await h.connect("/agent")
    expect(await a.exchange("login", creds, 2)).toEqual([
      { type: "ack", id: "c1" },
      { type: "agent.stateChanged", payload: { state: "notReady", since: "2025-11-10T08:30:00.000Z" } }
    ])
    expect(await a.exchange("setState", { state: "ready" }, 2)).toEqual([
      { type: "ack", id: "c2" },
      { type: "agent.stateChanged", payload: { state: "ready", since: "2025-11-10T08:30:00.000Z" } }
    ])
    h.clock.advance(2000)
    const ref = await h.inject({ flow: "horsOpposition", reason: "enrolmentHelp" })
    expect(await a.take(2)).toEqual([
      {
        type: "call.offered",
        payload: { callRef: ref, gateId: "3422-hors-opposition", flow: "horsOpposition", queuedMs: 0, attachedData: { reason: "enrolmentHelp" } }
      },
      { type: "agent.stateChanged", payload: { state: "offered", since: "2025-11-10T08:30:02.000Z" } }
    ])
    h.clock.advance(3000)
    expect(await a.exchange("answer", { callRef: ref }, 3)).toEqual([
      { type: "ack", id: "c3" },
      { type: "call.connected", payload: { callRef: ref } },
      { type: "agent.stateChanged", payload: { state: "onCall", since: "2025-11-10T08:30:05.000Z" } }
    ])
    h.clock.advance(240_000)
    expect(await a.exchange("hangup", { callRef: ref }, 4)).toEqual([
      { type: "ack", id: "c4" },
      { type: "call.ended", payload: { callRef: ref, disconnectType: "agent" } },
      { type: "agent.stateChanged", payload: { state: "wrapUp", since: "2025-11-10T08:34:05.000Z" } },
      { type: "wrapup.started", payload: { callRef: ref } }
    ])
    h.clock.advance(30_000)
    expect(await a.exchange("qualify", { callRef: ref, reason: "enrolmentHelp" })).toEqual([{ type: "ack", id: "c5" }])
    expect(await a.exchange("endWrapUp", undefined, 2)).toEqual([
      { type: "ack", id: "c6" },
      { type: "agent.stateChanged", payload: { state: "ready", since: "2025-11-10T08:34:35.000Z" } }
    ])
    await a.expectQuiet()

    const call = await h.http("GET", `/calls/${ref}`)
    expect(call.body).toEqual({
      callRef: ref,
      flow: "horsOpposition",
      gateId: "3422-hors-opposition",
      status: "answered",
      arrivedAt: iso(T0 + 2000),
      waitMs: 3000,
      offers: 1,
      attachedData: { reason: "enrolmentHelp" },
      agent: creds.login,
      answeredAt: iso(T0 + 5000),
      endedAt: iso(T0 + 245_000),
      disconnectType: "agent",
      qualification: "enrolmentHelp"
    })
    await h.checkCalls()
  })
})
