import { readFileSync } from "node:fs"
import { describe, expect, it, onTestFinished } from "vitest"
import WebSocket from "ws"
import { DOC_FILES } from "../../mock-odigo/write-docs.js"
import { Client, iso, startMock, T0 } from "./harness.js"

describe("mock-odigo robustness: bad frames get a stable error code and the connection survives", () => {
  it("answers malformed JSON, non-objects, bad ids, unknown types, bad payloads and binary frames with error frames", async () => {
    const h = await startMock()
    const a = await h.agent()
    const cases: Array<[string | Buffer, unknown]> = [
      ["{not json", { type: "error", code: "BAD_JSON", message: "Frame is not valid JSON text" }],
      ["[1,2]", { type: "error", code: "BAD_FRAME", message: "Frame must be a JSON object { type, id?, payload? }" }],
      ['"ping"', { type: "error", code: "BAD_FRAME", message: "Frame must be a JSON object { type, id?, payload? }" }],
      ["null", { type: "error", code: "BAD_FRAME", message: "Frame must be a JSON object { type, id?, payload? }" }],
      ['{"id":"x1"}', { type: "error", id: "x1", code: "BAD_FRAME", message: "type: expected a string" }],
      ['{"type":"ping","id":7}', { type: "error", code: "BAD_FRAME", message: "id: expected a string of 1 to 64 characters" }],
      [JSON.stringify({ type: "ping", id: "i".repeat(65) }), { type: "error", code: "BAD_FRAME", message: "id: expected a string of 1 to 64 characters" }],
      [
        '{"type":"dial","id":"x2"}',
        {
          type: "error",
          id: "x2",
          code: "UNKNOWN_TYPE",
          message: 'Unknown command type "dial"; expected one of login, setState, answer, hangup, transfer, qualify, endWrapUp, logout, ping'
        }
      ],
      ['{"type":"answer","id":"x3"}', { type: "error", id: "x3", code: "BAD_PAYLOAD", message: "payload: Missing key" }],
      ['{"type":"answer","id":"x4","payload":{"callRef":12}}', { type: "error", id: "x4", code: "BAD_PAYLOAD", message: "payload.callRef: Expected string" }],
      [
        '{"type":"setState","id":"x5","payload":{"state":"busy"}}',
        { type: "error", id: "x5", code: "BAD_PAYLOAD", message: 'payload.state: Expected "ready" | "notReady"' }
      ],
      [Buffer.from([1, 2, 3]), { type: "error", code: "BAD_FRAME", message: "Binary frames are not supported; send JSON text" }]
    ]
    for (const [raw, expected] of cases) {
      a.ws.send(raw)
      expect(await a.next()).toEqual(expected)
    }
    await a.expectQuiet()
    expect((await h.http("GET", "/agents")).body.agents[0]).toMatchObject({ state: "ready", connected: true })
    await h.checkCalls()
  })

  it("refuses a payload that is not a JSON object with BAD_FRAME and the frame's id, before and after login alike", async () => {
    const h = await startMock()
    const bugs: Array<string> = []
    const write = process.stderr.write.bind(process.stderr)
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: Array<never>) => {
      bugs.push(String(chunk))
      return write(chunk, ...rest)
    }) as typeof process.stderr.write
    onTestFinished(() => {
      process.stderr.write = write
    })
    const notAnObject = (type: string, id: string, payload: unknown) => [
      JSON.stringify({ type, id, payload }),
      { type: "error", id, code: "BAD_FRAME", message: "payload: expected a JSON object" }
    ] as const
    const cases = [
      notAnObject("ping", "p1", 7),
      notAnObject("logout", "p2", "x"),
      notAnObject("endWrapUp", "p3", [1]),
      notAnObject("answer", "p4", null),
      notAnObject("login", "p5", true)
    ]
    const fresh = await h.connect("/agent")
    for (const [raw, expected] of cases) {
      fresh.send(raw)
      expect(await fresh.next()).toEqual(expected)
    }
    const agent = await h.agent()
    for (const [raw, expected] of cases) {
      agent.send(raw)
      expect(await agent.next()).toEqual(expected)
    }
    const sup = await h.connect("/supervision")
    for (const [raw, expected] of [cases[0]!, cases[1]!]) {
      sup.send(raw)
      expect(await sup.next()).toEqual(expected)
    }
    // An object payload's fields are ignored by commands that take none, even a `callRef`.
    agent.send({ type: "ping", id: "p6", payload: { callRef: "oc-none-1" } })
    expect(await agent.next()).toEqual({ type: "ack", id: "p6" })
    await agent.expectQuiet()
    expect((await h.http("GET", "/agents")).body.agents[0]).toMatchObject({ state: "ready", connected: true })
    expect(bugs.filter((b) => b.includes("unexpected error"))).toEqual([])
    await h.checkCalls()
  })

  it("closes a connection that sends a frame over maxPayload with 1009; other clients and calls are unaffected", async () => {
    const h = await startMock({ maxPayloadBytes: 1024 })
    const victim = await h.agent()
    const bystander = await h.agent()
    const ref = await h.inject({ flow: "opposition" })
    expect((await victim.next()).payload.callRef).toBe(ref)
    await victim.next()
    victim.send({ type: "ping", id: "big", payload: { pad: "x".repeat(2000) } })
    expect((await victim.closed).code).toBe(1009)
    await bystander.expectQuiet()
    const other = await h.inject({ flow: "opposition" })
    expect((await bystander.take(2))[0]!.payload.callRef).toBe(other)
    await bystander.exchange("answer", { callRef: other }, 3)
    expect((await h.http("GET", "/health")).body.status).toBe("ok")
    // The victim's call is still ringing on its (disconnected) session: not lost.
    expect((await h.http("GET", `/calls/${ref}`)).body.status).toBe("ringing")
    await h.checkCalls()
  })

  it("rate-limits a flooding client (exactly `burst` acks, then RATE_LIMITED) and closes it with 1008; a busy neighbour is unaffected", async () => {
    const h = await startMock({ agentLimits: { burst: 100, ratePerSec: 50, floodCloseAfter: 100 } })
    const neighbour = await h.agent()
    const ref = await h.inject({ flow: "horsOpposition" })
    await neighbour.take(2)
    const flooder = await h.connect("/agent")
    for (let i = 0; i < 300; i++) flooder.send({ type: "ping", id: `f${i}` })
    const { code } = await flooder.closed
    expect(code).toBe(1008)
    // The clock is frozen, so the bucket never refills: the split is exact.
    expect(flooder.received.slice(0, 100)).toEqual(Array.from({ length: 100 }, (_, i) => ({ type: "ack", id: `f${i}` })))
    expect(flooder.received.slice(100)).toEqual(
      Array.from({ length: 100 }, (_, i) => ({ type: "error", id: `f${100 + i}`, code: "RATE_LIMITED", message: "Too many frames; this one was ignored" }))
    )
    await neighbour.exchange("answer", { callRef: ref }, 3)
    await neighbour.exchange("hangup", { callRef: ref }, 4)
    await neighbour.expectQuiet()
    await h.checkCalls()
  })

  it("refills the flood budget as time passes", async () => {
    const h = await startMock({ agentLimits: { burst: 2, ratePerSec: 10, floodCloseAfter: 5 } })
    const c = await h.connect("/agent")
    for (let i = 0; i < 3; i++) c.send({ type: "ping", id: `p${i}` })
    expect(await c.take(3)).toEqual([
      { type: "ack", id: "p0" },
      { type: "ack", id: "p1" },
      { type: "error", id: "p2", code: "RATE_LIMITED", message: "Too many frames; this one was ignored" }
    ])
    h.clock.advance(100)
    expect(await c.exchange("ping")).toEqual([{ type: "ack", id: "c1" }])
    await h.checkCalls()
  })

  it("closes a connection that does not log in within loginTimeoutMs with 4001", async () => {
    const h = await startMock({ loginTimeoutMs: 10_000 })
    const idle = await h.connect("/agent")
    const logged = await h.agent()
    h.clock.advance(10_000)
    expect(await idle.closed).toEqual({ code: 4001, reason: "login timeout" })
    await logged.expectQuiet()
    await h.checkCalls()
  })

  it("terminates a connection that stops answering pings (heartbeat, real time) and keeps the others", async () => {
    const h = await startMock({ heartbeatMs: 40 })
    const healthy = await h.agent()
    const silent = await Client.open(`${h.wsUrl}/agent`, { autoPong: false })
    const { code } = await silent.closed
    expect(code).toBe(1006)
    await healthy.expectQuiet()
    await h.checkCalls()
  })

  it("refuses websocket upgrades on unknown paths with 404 NOT_FOUND", async () => {
    const h = await startMock()
    await expect(Client.open(`${h.wsUrl}/events`)).rejects.toMatchObject({
      status: 404,
      body: { code: "NOT_FOUND", message: "No websocket at /events; use /agent or /supervision" }
    })
    await h.checkCalls()
  })

  it("refuses new connections beyond maxConnections with 503 CONNECTIONS_REFUSED", async () => {
    const h = await startMock({ maxConnections: 2 })
    await h.connect("/agent")
    await h.connect("/supervision")
    await expect(Client.open(`${h.wsUrl}/agent`)).rejects.toMatchObject({ status: 503, body: { code: "CONNECTIONS_REFUSED", message: "Connection limit reached (2)" } })
    await h.checkCalls()
  })
})

describe("mock-odigo robustness: REST input", () => {
  it("maps malformed, oversized and non-JSON bodies and unknown routes to catalogue codes", async () => {
    const h = await startMock()
    const app = h.mock.app
    const bad = await app.inject({ method: "POST", url: "/calls", headers: { "content-type": "application/json" }, payload: "{oops" })
    expect([bad.statusCode, bad.json()]).toEqual([400, { code: "BAD_JSON", message: "Body is not valid JSON but content-type is set to 'application/json'" }])
    const big = await app.inject({ method: "POST", url: "/calls", headers: { "content-type": "application/json" }, payload: JSON.stringify({ flow: "opposition", pad: "x".repeat(70_000) }) })
    expect(big.statusCode).toBe(413)
    expect(big.json().code).toBe("BODY_TOO_LARGE")
    const text = await app.inject({ method: "POST", url: "/calls", headers: { "content-type": "text/plain" }, payload: "flow=opposition" })
    expect([text.statusCode, text.json().code]).toEqual([415, "UNSUPPORTED_MEDIA_TYPE"])
    const invalid = await h.http("POST", "/calls", { flow: "both", patienceMs: -1, attachedData: { k: 3 } })
    expect(invalid).toMatchObject({
      status: 400,
      body: {
        code: "INVALID_BODY",
        message: 'body.flow: Expected "opposition" | "horsOpposition"; body.patienceMs: Expected a value between 0 and 86400000; body.attachedData.k: Expected string'
      }
    })
    // Paths use the project's one syntax (sim/domain/problem.ts): array indices in brackets.
    expect(await h.http("POST", "/admin/faults", { disconnect: { logins: ["aline.lavande", 7] } })).toMatchObject({
      status: 400,
      body: { code: "INVALID_BODY", message: "body.disconnect.logins[1]: Expected string" }
    })
    expect(await h.http("GET", "/nothing/here")).toMatchObject({ status: 404, body: { code: "NOT_FOUND", message: "No route GET /nothing/here" } })
    expect(await h.http("GET", "/calls/oc-x-1")).toMatchObject({ status: 404, body: { code: "UNKNOWN_CALL" } })
    await h.checkCalls()
  })

  it("refuses unknown body fields and query parameters with UNKNOWN_FIELD (POST /admin/faults with a typo injects nothing)", async () => {
    const h = await startMock()
    const typo = await h.http("POST", "/admin/faults", { droprate: 0.5, latencyMS: 500 })
    expect(typo).toMatchObject({ status: 400, body: { code: "UNKNOWN_FIELD", message: "body.droprate: Unknown field; body.latencyMS: Unknown field" } })
    expect((await h.http("GET", "/admin/faults")).body.faults).toEqual({ latencyMs: 0, jitterMs: 0, dropRate: 0, refuseConnections: false, seed: 1 })
    // Unknown fields win over other problems (the most specific reason), and nothing is injected.
    expect(await h.http("POST", "/calls", { flow: "both", priority: "high" })).toMatchObject({
      status: 400,
      body: { code: "UNKNOWN_FIELD", message: 'body.priority: Unknown field; body.flow: Expected "opposition" | "horsOpposition"' }
    })
    expect((await h.http("GET", "/health")).body.calls.injected).toBe(0)
    expect(await h.http("GET", "/stats/intervals?format=csv&sort=asc")).toMatchObject({ status: 400, body: { code: "UNKNOWN_FIELD", message: "query.sort: Unknown field" } })
    expect(await h.http("POST", "/admin/accounts", { login: "aline.lavande", password: "correct horse battery", firstName: "Aline", lastName: "Lavande", email: "aline.lavande@example.test", role: "agent", admin: true })).toMatchObject({
      status: 400,
      body: { code: "UNKNOWN_FIELD", message: "body.admin: Unknown field" }
    })
    expect((await h.http("GET", "/admin/accounts")).body.accounts).toEqual([])
    const ref = await h.inject({ flow: "opposition" })
    expect(await h.http("DELETE", `/calls/${ref}`, { reason: "bored" })).toMatchObject({ status: 400, body: { code: "UNKNOWN_FIELD", message: "body.reason: Unknown field (this route takes no body)" } })
    expect((await h.http("GET", `/calls/${ref}`)).body.status).toBe("queued")
    await h.checkCalls()
  })

  it("refuses an unknown query parameter, and an unknown body field, on every route of the OpenAPI document", async () => {
    const h = await startMock()
    const openapi = JSON.parse(readFileSync(DOC_FILES.openapi, "utf8")) as { paths: Record<string, Record<string, unknown>> }
    const routes = Object.entries(openapi.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => [m.toUpperCase(), path.replace(/\{[A-Za-z]+\}/g, "x")] as const))
    expect(routes.length).toBe(18)
    for (const [method, url] of routes) {
      const q = await h.mock.app.inject({ method: method as "GET", url: `${url}?zz=1` })
      expect([`${method} ${url}?zz=1`, q.statusCode, q.json().code]).toEqual([`${method} ${url}?zz=1`, 400, "UNKNOWN_FIELD"])
      if (method === "GET") continue
      const b = await h.mock.app.inject({ method: method as "POST", url, payload: { zz: 1 } })
      expect([`${method} ${url} {zz}`, b.statusCode, b.json().code]).toEqual([`${method} ${url} {zz}`, 400, "UNKNOWN_FIELD"])
    }
    await h.checkCalls()
  })

  it("takes an empty body declared as JSON for no body on routes that take none, and still refuses it where a body is required", async () => {
    const h = await startMock()
    const empty = (method: "POST" | "DELETE", url: string) => h.mock.app.inject({ method, url, headers: { "content-type": "application/json" }, payload: "" })
    const ref = await h.inject({ flow: "opposition" })
    const hangup = await empty("DELETE", `/calls/${ref}`)
    expect([hangup.statusCode, hangup.json().status]).toEqual([200, "abandoned"])
    expect([(await empty("DELETE", "/calls/oc-x-1")).json().code, (await empty("DELETE", "/admin/accounts/nobody")).json().code]).toEqual(["UNKNOWN_CALL", "UNKNOWN_ACCOUNT"])
    expect((await empty("DELETE", "/admin/faults")).statusCode).toBe(200)
    const noBody = await empty("POST", "/calls")
    expect([noBody.statusCode, noBody.json().code]).toEqual([400, "BAD_JSON"])
    await h.checkCalls()
  })

  it("refuses a missing or null body where the route documents one (POST /admin/faults with nothing changed nothing but answered 200)", async () => {
    const h = await startMock()
    const none = await h.mock.app.inject({ method: "POST", url: "/admin/faults" })
    expect([none.statusCode, none.json()]).toEqual([400, { code: "INVALID_BODY", message: "body: a JSON object is required" }])
    const nul = await h.mock.app.inject({ method: "POST", url: "/admin/faults", headers: { "content-type": "application/json" }, payload: "null" })
    expect([nul.statusCode, nul.json().code]).toEqual([400, "INVALID_BODY"])
    expect((await h.mock.app.inject({ method: "POST", url: "/calls", headers: { "content-type": "application/json" }, payload: "null" })).json().code).toBe("INVALID_BODY")
    expect((await h.http("POST", "/admin/faults", {})).status).toBe(200) // {} is a body: change nothing
    await h.checkCalls()
  })

  it("serves admin endpoints to loopback clients only, unless a bearer token is configured", async () => {
    const h = await startMock()
    const remote = await h.mock.app.inject({ method: "POST", url: "/calls", payload: { flow: "opposition" }, remoteAddress: "10.1.2.3" })
    expect([remote.statusCode, remote.json()]).toEqual([
      403,
      { code: "FORBIDDEN", message: "Admin endpoints answer loopback clients only (start the mock with --admin-token to allow others)" }
    ])
    const read = await h.mock.app.inject({ method: "GET", url: "/health", remoteAddress: "10.1.2.3" })
    expect(read.statusCode).toBe(200)
    await h.checkCalls()

    const t = await startMock({ adminToken: "a-long-enough-token" })
    const noToken = await t.mock.app.inject({ method: "POST", url: "/calls", payload: { flow: "opposition" } }).then((r) => ({ status: r.statusCode, body: r.json() }))
    expect(noToken).toMatchObject({ status: 403, body: { code: "FORBIDDEN", message: "Admin endpoints need Authorization: Bearer <admin token>" } })
    const withToken = await t.mock.app.inject({
      method: "POST",
      url: "/calls",
      payload: { flow: "opposition" },
      headers: { authorization: "Bearer a-long-enough-token" },
      remoteAddress: "10.1.2.3"
    })
    expect(withToken.statusCode).toBe(201)
    t.injected.push(withToken.json().callRef)
    await t.checkCalls()
  })
})

describe("mock-odigo: graceful shutdown", () => {
  it("sends server.closing to every connection, closes them with 1001, and refuses new calls", async () => {
    const h = await startMock()
    const a = await h.agent()
    const sup = await h.connect("/supervision")
    const ref = await h.inject({ flow: "opposition" })
    await a.take(2)
    await h.checkCalls()
    const closing = h.mock.close("maintenance")
    expect(await a.next()).toEqual({ type: "server.closing", payload: { reason: "maintenance" } })
    expect(await sup.next()).toEqual({ type: "server.closing", payload: { reason: "maintenance" } })
    expect(await a.closed).toEqual({ code: 1001, reason: "maintenance" })
    expect((await sup.closed).code).toBe(1001)
    await closing
    expect(h.mock.platform.getCall(ref)?.status).toBe("ringing")
    expect(() => h.mock.platform.inject({ flow: "opposition" })).toThrow("The server is shutting down; no new calls are accepted")
  })

  it("delivers server.closing, after the frames held back by a latency fault, before closing with 1001", async () => {
    const h = await startMock()
    const a = await h.agent()
    const sup = await h.connect("/supervision")
    await h.http("POST", "/admin/faults", { latencyMs: 5000 })
    // The offer is sent while the injection is handled, so it is held once inject returns.
    const ref = await h.inject({ flow: "opposition" })
    expect(h.mock.gateway.counters.heldFrames).toBe(2)
    const closing = h.mock.close("maintenance")
    const notice = { type: "server.closing", payload: { reason: "maintenance" } }
    expect(await a.take(3)).toEqual([
      { type: "call.offered", payload: { callRef: ref, gateId: "3422-opposition", flow: "opposition", queuedMs: 0, attachedData: {} } },
      { type: "agent.stateChanged", payload: { state: "offered", since: iso(T0) } },
      notice
    ])
    expect(await sup.next()).toEqual(notice)
    expect(await a.closed).toEqual({ code: 1001, reason: "maintenance" })
    expect((await sup.closed).code).toBe(1001)
    await closing
    expect(h.mock.gateway.counters.heldFrames).toBe(0)
  })

  it("keeps an agent session usable after another client's socket errors abruptly", async () => {
    const h = await startMock()
    const a = await h.agent()
    const raw = new WebSocket(`${h.wsUrl}/agent`)
    await new Promise((r) => raw.once("open", r))
    raw.terminate()
    await a.expectQuiet()
    await h.checkCalls()
  })
})
