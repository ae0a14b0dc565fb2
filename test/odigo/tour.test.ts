import { afterAll, describe, expect, it } from "vitest"
import { AGENT_EVENTS, SUPERVISION_EVENTS } from "../../mock-odigo/protocol/events.js"
import { seenTypes, startMock } from "./harness.js"

describe("mock-odigo protocol tour", () => {
  it("emits every event type of both websockets in one realistic session", async () => {
    const h = await startMock()
    const sup = await h.connect("/supervision")
    await sup.exchange("login", await h.account("supervisor"), 2)
    await sup.exchange("ping")
    await sup.exchange("logout")
    await sup.exchange("login", { login: "nobody.here", password: "whatever!" })
    await sup.exchange("login", await h.account("supervisor"), 2)
    const a = await h.agent()
    const ref = await h.inject({ flow: "opposition", reason: "oppositionClosure" })
    await a.take(2)
    await a.exchange("answer", { callRef: ref }, 3)
    await a.exchange("transfer", { callRef: ref, target: "nowhere" })
    a.ws.terminate()
    await h.disconnected(a.creds.login)
    const back = await h.connect("/agent")
    await back.exchange("login", a.creds, 2)
    await back.exchange("hangup", { callRef: ref }, 4)
    await back.exchange("qualify", { callRef: ref, reason: "oppositionClosure" })
    await back.exchange("endWrapUp", undefined, 2)
    h.clock.advance(1000)
    await sup.next()
    await h.checkCalls()
    await h.mock.close("end of tour")
    expect((await back.next()).type).toBe("server.closing")
    expect((await sup.next()).type).toBe("server.closing")
  })
})

afterAll(() => {
  // Filled by the harness's teardown, which also validated each frame against AsyncAPI.
  const expected = [...Object.keys(AGENT_EVENTS).map((t) => `agent:${t}`), ...Object.keys(SUPERVISION_EVENTS).map((t) => `supervision:${t}`)]
  expect([...seenTypes].sort()).toEqual(expected.sort())
})
