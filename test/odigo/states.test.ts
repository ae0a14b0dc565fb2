import { describe, expect, it } from "vitest"
import { ACCEPTED_IN, SESSION_STATES, type CommandKey } from "../../mock-odigo/acd/states.js"
import type { AgentState } from "../../mock-odigo/protocol/common.js"
import { type Client, type Harness, iso, startMock, T0 } from "./harness.js"

/** Brings a fresh agent into `state`; returns it and its current call, if any. */
async function reach(h: Harness, state: AgentState): Promise<{ a: Client & { creds: { login: string } }; callRef: string | undefined }> {
  const a = await h.agent({ ready: state !== "notReady" })
  if (state === "notReady" || state === "ready") return { a, callRef: undefined }
  const callRef = await h.inject({ flow: "opposition" })
  await a.take(2)
  if (state === "offered") return { a, callRef }
  await a.exchange("answer", { callRef }, 3)
  if (state === "onCall") return { a, callRef }
  if (state === "pendingNotReady") {
    await a.exchange("setState", { state: "notReady" }, 2)
    return { a, callRef }
  }
  await a.exchange("hangup", { callRef }, 4)
  return { a, callRef }
}

/** The frame that sends command `key` about `callRef`. */
const commandFor = (key: CommandKey, callRef: string): [string, unknown] => {
  switch (key) {
    case "setState ready":
      return ["setState", { state: "ready" }]
    case "setState notReady":
      return ["setState", { state: "notReady", reason: "break" }]
    case "answer":
    case "hangup":
      return [key, { callRef }]
    case "transfer":
      return [key, { callRef, target: "cpam-1" }]
    case "qualify":
      return [key, { callRef, reason: "generalInfo" }]
    case "endWrapUp":
    case "logout":
    case "ping":
      return [key, undefined]
  }
}

const KEYS = Object.keys(ACCEPTED_IN) as Array<CommandKey>

describe("mock-odigo agent state machine: commands invalid in the current state", () => {
  for (const state of SESSION_STATES) {
    const refused = KEYS.filter((k) => !ACCEPTED_IN[k].includes(state) || (k === "setState ready" && state === "ready"))
    it(`in ${state}, refuses ${refused.join(", ")} with INVALID_STATE and changes nothing`, async () => {
      const h = await startMock()
      const { a, callRef } = await reach(h, state)
      const before = (await h.http("GET", "/agents")).body.agents
      for (const key of refused) {
        const [type, payload] = commandFor(key, callRef ?? "oc-none-1")
        const id = a.nextId
        expect(await a.exchange(type, payload)).toEqual([{ type: "error", id, code: "INVALID_STATE", message: `${key} is not allowed in state ${state}` }])
      }
      await a.expectQuiet()
      expect((await h.http("GET", "/agents")).body.agents).toEqual(before)
      expect(before[0]).toMatchObject({ login: a.creds.login, state })
      await h.checkCalls()
    })
  }

  it("covers every session state and refuses at least one command in each", () => {
    expect(SESSION_STATES).toEqual(["notReady", "ready", "offered", "onCall", "pendingNotReady", "wrapUp"])
    for (const s of SESSION_STATES) expect(KEYS.some((k) => !ACCEPTED_IN[k].includes(s))).toBe(true)
  })

  it("refuses a call command naming another call with UNKNOWN_CALL, changing nothing", async () => {
    const h = await startMock()
    const { a, callRef } = await reach(h, "offered")
    const id = a.nextId
    expect(await a.exchange("answer", { callRef: "oc-other-9" })).toEqual([
      { type: "error", id, code: "UNKNOWN_CALL", message: "Call oc-other-9 is not this agent's current call" }
    ])
    await a.expectQuiet()
    expect((await h.http("GET", `/calls/${callRef}`)).body.status).toBe("ringing")
    await h.checkCalls()
  })
})

describe("mock-odigo agent sessions: before and after login", () => {
  it("answers only ping and login before login (NOT_LOGGED_IN), and refuses a second login (ALREADY_LOGGED_IN)", async () => {
    const h = await startMock()
    const creds = await h.account()
    const c = await h.connect("/agent")
    expect(await c.exchange("ping")).toEqual([{ type: "ack", id: "c1" }])
    const commands: Array<[string, unknown]> = [
      ["setState", { state: "ready" }],
      ["answer", { callRef: "x" }],
      ["hangup", { callRef: "x" }],
      ["transfer", { callRef: "x", target: "msa" }],
      ["qualify", { callRef: "x", reason: "generalInfo" }],
      ["endWrapUp", undefined],
      ["logout", undefined]
    ]
    for (const [type, payload] of commands) {
      const id = c.nextId
      expect(await c.exchange(type, payload)).toEqual([{ type: "error", id, code: "NOT_LOGGED_IN", message: `Log in before sending ${type}` }])
    }
    const login = c.nextId
    expect(await c.exchange("login", creds, 2)).toEqual([
      { type: "ack", id: login },
      { type: "agent.stateChanged", payload: { state: "notReady", since: iso(T0) } }
    ])
    const again = c.nextId
    expect(await c.exchange("login", creds)).toEqual([
      { type: "error", id: again, code: "ALREADY_LOGGED_IN", message: "This connection is already logged in; log out first" }
    ])
    await c.expectQuiet()
    await h.checkCalls()
  })

  it("logs out from ready: loggedOut, the session ends, and the same connection may log in again", async () => {
    const h = await startMock()
    const a = await h.agent()
    h.clock.advance(5000)
    const id = a.nextId
    expect(await a.exchange("logout", undefined, 2)).toEqual([
      { type: "ack", id },
      { type: "agent.stateChanged", payload: { state: "loggedOut", since: iso(T0 + 5000) } }
    ])
    expect((await h.http("GET", "/agents")).body).toEqual({ agents: [] })
    const next = a.nextId
    expect(await a.exchange("setState", { state: "ready" })).toEqual([
      { type: "error", id: next, code: "NOT_LOGGED_IN", message: "Log in before sending setState" }
    ])
    expect((await a.exchange("login", a.creds, 2))[1]).toEqual({ type: "agent.stateChanged", payload: { state: "notReady", since: iso(T0 + 5000) } })
    await h.checkCalls()
  })

  it("sends no ack for a command without an id, but still applies it", async () => {
    const h = await startMock()
    const a = await h.agent({ ready: false })
    a.send({ type: "setState", payload: { state: "ready" } })
    expect(await a.next()).toEqual({ type: "agent.stateChanged", payload: { state: "ready", since: iso(T0) } })
    a.send({ type: "setState", payload: { state: "ready" } })
    expect(await a.next()).toEqual({ type: "error", code: "INVALID_STATE", message: "setState ready is not allowed in state ready" })
    await h.checkCalls()
  })
})
