import { readFileSync } from "node:fs"
import { Ajv2020 } from "ajv/dist/2020.js"
import addFormats from "ajv-formats"
import { describe, expect, it } from "vitest"
import { FLOWS, REASONS } from "../../sim/domain/vocabulary.js"
import { REST_ERROR_CODES, WS_ERROR_CODES } from "../../mock-odigo/errors.js"
import { AGENT_COMMANDS, SUPERVISION_COMMANDS } from "../../mock-odigo/protocol/commands.js"
import { AGENT_EVENTS, SUPERVISION_EVENTS } from "../../mock-odigo/protocol/events.js"
import { DOC_FILES, generateDocs } from "../../mock-odigo/write-docs.js"
import { asyncapi } from "./frame-validator.js"
import { iso, startMock, T0 } from "./harness.js"

const resolve = (doc: unknown, ref: string): unknown =>
  ref
    .replace(/^#\//, "")
    .split("/")
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc)

describe("mock-odigo API documents", () => {
  it("keeps the committed asyncapi.json and openapi.json equal to what the code generates", async () => {
    const docs = await generateDocs()
    expect(readFileSync(DOC_FILES.asyncapi, "utf8"), "run: npx tsx mock-odigo/write-docs.ts").toBe(docs.asyncapi)
    expect(readFileSync(DOC_FILES.openapi, "utf8"), "run: npx tsx mock-odigo/write-docs.ts").toBe(docs.openapi)
  })

  it("serves both documents, identical to the committed files", async () => {
    const h = await startMock()
    expect((await h.http("GET", "/asyncapi.json")).body).toEqual(JSON.parse(readFileSync(DOC_FILES.asyncapi, "utf8")))
    expect((await h.http("GET", "/openapi.json")).body).toEqual(JSON.parse(readFileSync(DOC_FILES.openapi, "utf8")))
    await h.checkCalls()
  })

  it("describes every command and event of both websockets in AsyncAPI 3.0, with resolvable references and an origin", () => {
    expect(asyncapi).toMatchObject({ asyncapi: "3.0.0" })
    const channels = asyncapi.channels
    expect(Object.keys(channels["agent"]!.messages).sort()).toEqual([...new Set([...Object.keys(AGENT_COMMANDS), ...Object.keys(AGENT_EVENTS)])].sort())
    expect(Object.keys(channels["supervision"]!.messages).sort()).toEqual(
      [...new Set([...Object.keys(SUPERVISION_COMMANDS), ...Object.keys(SUPERVISION_EVENTS)])].sort()
    )
    const text = JSON.stringify(asyncapi)
    for (const [, ref] of text.matchAll(/"\$ref":"([^"]+)"/g)) expect(resolve(asyncapi, ref!), ref).toBeDefined()
    for (const [name, m] of Object.entries(asyncapi.components.messages)) {
      expect((m as Record<string, unknown>)["x-modelledOn"], name).toEqual(expect.any(String))
    }
    const ops = (asyncapi as unknown as { operations: Record<string, { action: string; messages: Array<{ $ref: string }> }> }).operations
    expect(Object.fromEntries(Object.entries(ops).map(([k, o]) => [k, [o.action, o.messages.length]]))).toEqual({
      receiveAgentCommand: ["receive", Object.keys(AGENT_COMMANDS).length],
      sendAgentEvent: ["send", Object.keys(AGENT_EVENTS).length],
      receiveSupervisionCommand: ["receive", Object.keys(SUPERVISION_COMMANDS).length],
      sendSupervisionEvent: ["send", Object.keys(SUPERVISION_EVENTS).length]
    })
    const error = asyncapi.components.messages["error"] as { payload: { properties: { code: { enum: Array<string> } } } }
    expect(error.payload.properties.code.enum).toEqual([...WS_ERROR_CODES])
  })

  it("serves the contract's 17 call reasons and 2 IVR flows, in order, at GET /reasons", async () => {
    const h = await startMock()
    const r = await h.http("GET", "/reasons")
    expect(r.status).toBe(200)
    expect(r.body).toEqual({ reasons: REASONS, flows: FLOWS })
    expect([r.body.reasons.length, r.body.flows.length]).toEqual([17, 2])
    await h.checkCalls()
  })

  it("lists every REST route in OpenAPI 3.1 with the error body's codes", async () => {
    const openapi = JSON.parse(readFileSync(DOC_FILES.openapi, "utf8")) as { openapi: string; paths: Record<string, Record<string, unknown>> }
    expect(openapi.openapi).toBe("3.1.0")
    const routes = Object.entries(openapi.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
    expect(routes.sort()).toEqual(
      [
        "DELETE /admin/accounts/{login}",
        "DELETE /admin/faults",
        "DELETE /calls/{callRef}",
        "GET /admin/accounts",
        "GET /admin/audit",
        "GET /admin/faults",
        "GET /agents",
        "GET /asyncapi.json",
        "GET /calls/{callRef}",
        "GET /config",
        "GET /health",
        "GET /openapi.json",
        "GET /reasons",
        "GET /stats/intervals",
        "GET /stats/realtime",
        "POST /admin/accounts",
        "POST /admin/faults",
        "POST /calls"
      ].sort()
    )
    const post = openapi.paths["/calls"]!["post"] as { responses: Record<string, { content: { "application/json": { schema: { properties: { code: { enum: Array<string> } } } } } }> }
    expect(post.responses["503"]!.content["application/json"].schema.properties.code.enum).toEqual([...REST_ERROR_CODES])
  })

  it("returns REST responses that conform to their OpenAPI response schemas", async () => {
    const openapi = JSON.parse(readFileSync(DOC_FILES.openapi, "utf8")) as { paths: Record<string, Record<string, { responses: Record<string, any> }>> }
    const ajv = new Ajv2020({ allErrors: true, strict: false })
    ;(addFormats as unknown as (a: Ajv2020) => void)(ajv)
    const h = await startMock()
    const a = await h.agent()
    const ref = await h.inject({ flow: "opposition", reason: "generalInfo" })
    await a.take(2)
    const checks: Array<[string, "GET" | "POST" | "DELETE", string, unknown?]> = [
      ["/health", "GET", "/health"],
      ["/config", "GET", "/config"],
      ["/reasons", "GET", "/reasons"],
      ["/agents", "GET", "/agents"],
      ["/stats/realtime", "GET", "/stats/realtime"],
      ["/calls/{callRef}", "GET", `/calls/${ref}`],
      ["/calls/{callRef}", "GET", "/calls/oc-none-1"],
      ["/calls", "POST", "/calls", { flow: "horsOpposition", attachedData: { ivr: "1" } }],
      ["/calls", "POST", "/calls", { flow: "nope" }],
      ["/stats/intervals", "GET", `/stats/intervals?from=${iso(T0)}&to=${iso(T0 + 1_800_000)}`],
      ["/admin/accounts", "GET", "/admin/accounts"],
      ["/admin/accounts", "POST", "/admin/accounts", { login: "agent01", password: "xxxxxxxxxx", role: "agent" }],
      ["/admin/faults", "POST", "/admin/faults", { latencyMs: 5 }],
      ["/admin/faults", "DELETE", "/admin/faults"],
      ["/admin/audit", "GET", "/admin/audit"],
      ["/calls/{callRef}", "DELETE", `/calls/${ref}`],
      ["/calls/{callRef}", "DELETE", `/calls/${ref}`]
    ]
    for (const [path, method, url, body] of checks) {
      const r = await h.http(method, url, body)
      if (method === "POST" && url === "/calls" && r.status === 201) h.injected.push(r.body.callRef)
      const spec = openapi.paths[path]![method.toLowerCase()]!.responses[String(r.status)]
      expect(spec, `${method} ${url} -> ${r.status} is documented`).toBeDefined()
      const validate = ajv.compile(spec.content["application/json"].schema)
      expect(validate(r.body) ? [] : validate.errors, `${method} ${url} -> ${r.status}`).toEqual([])
    }
    await h.checkCalls()
  })
})
