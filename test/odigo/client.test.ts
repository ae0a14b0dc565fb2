import { describe, expect, it } from "vitest"
import WebSocket from "ws"
import { decodeAgentEvent, decodeSupervisionEvent, encodeCommand, ProtocolViolation } from "../../mock-odigo/protocol/client.js"
import { iso, startMock, T0 } from "./harness.js"

describe("mock-odigo/protocol/client.ts: the protocol from a client's side (bench, live harness)", () => {
  it("encodes typed commands the mock accepts and decodes every frame of a call with the event schemas", async () => {
    const h = await startMock()
    const creds = await h.account("agent")
    const ws = new WebSocket(`${h.wsUrl}/agent`)
    const frames: Array<ReturnType<typeof decodeAgentEvent>> = []
    let wake: (() => void) | undefined
    ws.on("message", (data) => {
      frames.push(decodeAgentEvent(String(data)))
      wake?.()
    })
    /** Resolves once `n` frames have arrived (awaits protocol frames, never sleeps). */
    const received = async (n: number): Promise<void> => {
      while (frames.length < n) await new Promise<void>((r) => (wake = r))
    }
    await new Promise((r) => ws.once("open", r))
    ws.send(encodeCommand({ type: "login", id: "1", payload: creds }))
    ws.send(encodeCommand({ type: "setState", id: "2", payload: { state: "ready" } }))
    await received(4)
    const ref = await h.inject({ flow: "opposition", attachedData: { benchId: "7" } })
    await received(6)
    ws.send(encodeCommand({ type: "answer", id: "3", payload: { callRef: ref } }))
    await received(9)
    expect(frames).toEqual([
      { type: "ack", id: "1" },
      { type: "agent.stateChanged", payload: { state: "notReady", since: iso(T0) } },
      { type: "ack", id: "2" },
      { type: "agent.stateChanged", payload: { state: "ready", since: iso(T0) } },
      { type: "call.offered", payload: { callRef: ref, gateId: "3422-opposition", flow: "opposition", queuedMs: 0, attachedData: { benchId: "7" } } },
      { type: "agent.stateChanged", payload: { state: "offered", since: iso(T0) } },
      { type: "ack", id: "3" },
      { type: "call.connected", payload: { callRef: ref } },
      { type: "agent.stateChanged", payload: { state: "onCall", since: iso(T0) } }
    ])
    ws.terminate()
    await h.checkCalls()
  })

  it("refuses a server frame out of contract: not JSON, an unknown type, a missing or unknown field", () => {
    const refused = (decode: (t: string) => unknown, text: string) => {
      try {
        decode(text)
      } catch (e) {
        if (e instanceof ProtocolViolation) return e.message
        throw e
      }
      return "accepted"
    }
    expect(refused(decodeAgentEvent, "{oops")).toBe("server frame is not JSON")
    expect(refused(decodeAgentEvent, '{"type":"call.ringing","payload":{}}')).toBe('unknown server frame type "call.ringing"')
    expect(refused(decodeAgentEvent, '{"type":"ack"}')).toBe("ack: id: Missing key")
    expect(refused(decodeAgentEvent, '{"type":"ack","id":"1","extra":true}')).toBe("ack: extra: Expected no excess property")
    expect(refused(decodeAgentEvent, '{"type":"call.connected","payload":{"callRef":"oc-1"}}')).toBe("accepted")
    // The supervision feed has its own table: an agent event is not one of its frames.
    expect(refused(decodeSupervisionEvent, '{"type":"call.connected","payload":{"callRef":"oc-1"}}')).toBe('unknown server frame type "call.connected"')
  })
})
