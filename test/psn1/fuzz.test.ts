/**
 * Bounded fuzzing of mock-psn1 (loopback only): a few thousand REST requests generated from the
 * mock's OpenAPI document — valid, mutated and arbitrary, anonymous or under each role's token —
 * and websocket frames to `/events` generated from its AsyncAPI document; each test stops by
 * itself within its count and a time budget.
 *
 * Asserted: every error answer carries a catalogued code with its catalogued status; nothing
 * is accepted that the documentation refuses (a 2xx only for a request the OpenAPI document
 * accepts, a `pong` only for a frame the AsyncAPI document accepts); no 5xx; the server stays up
 * and its memory stays bounded (live heap after a full GC).
 */
import { readFileSync } from "node:fs"
import fc from "fast-check"
import { describe, expect, it, onTestFinished } from "vitest"
import { Ajv } from "ajv"
import addFormats from "ajv-formats"
import { ASYNCAPI_PATH, OPENAPI_PATH } from "../../mock-psn1/docs.js"
import { ERROR_CATALOGUE } from "../../mock-psn1/errors.js"
import { arbitraryOf, documentationRefuses, fullGc, requestsOf, urlOf, type JsonSchema, type OpenApiDocument } from "../fuzz-http.js"
import { bearer, login, makeApp, OFFICER, PASSWORD, people, staff } from "./harness.js"
import { connect, type Frame } from "./ws-client.js"

const MiB = 1024 * 1024
const REQUESTS = 5000
const FRAMES = 3000
const BUDGET_MS = 40_000
/** Fuzz requests come from another address than the tests' own logins, which its failed logins must not delay. */
const FUZZER = "198.51.100.7"

const ADVISOR = "alice.martin@example.test"
const SUPERVISOR = "bruno.durand@example.test"
const VICTIMS = ["chloe.bernard@example.test", "denis.petit@example.test"]

describe("mock-psn1 fuzz (bounded, loopback)", () => {
  it(`answers up to ${REQUESTS} generated REST requests with catalogued codes and statuses, accepts only what the OpenAPI document accepts, and survives`, async () => {
    const t = await makeApp()
    onTestFinished(() => t.app.close())
    const { app } = t
    const started = Date.now()
    await fullGc()
    const heapBefore = process.memoryUsage().heapUsed
    const s = await staff(app, [{ email: ADVISOR, role: "advisor" }, { email: SUPERVISOR, role: "supervisor" }, ...VICTIMS.map((email) => ({ email, role: "advisor" as const }))])
    const tokens: Record<string, string> = { officer: s.officer, advisor: s.tokens[ADVISOR]!, supervisor: s.tokens[SUPERVISOR]! }
    const relogin = async (): Promise<void> => {
      tokens["officer"] = await login(app, OFFICER.email, OFFICER.password)
      tokens["advisor"] = await login(app, ADVISOR, PASSWORD)
      tokens["supervisor"] = await login(app, SUPERVISOR, PASSWORD)
    }
    // Parameters that exist in the mock (people, devices, tickets and forms made below), mixed with generated ones.
    const who = people(app)
    const device = who.activeWithDevice.devices[0]!.id
    for (let i = 0; i < 5; i++) {
      const ticket = await app.inject({ method: "POST", url: "/tickets", headers: bearer(tokens["advisor"]!), payload: { reason: "incidentAccount", title: `Ticket ${i}`, description: "Connexion impossible." } })
      expect(ticket.statusCode).toBe(201)
      const form = await app.inject({ method: "POST", url: "/forms", headers: bearer(tokens["advisor"]!), payload: { insuredId: who.pending.id, reason: "generalInfo", subject: "Sujet", message: "Message" } })
      expect(form.statusCode).toBe(201)
    }
    const samples: Record<string, ReadonlyArray<string>> = {
      id: [who.pending.id, who.activeWithDevice.id, who.closed.id, "T000001", "T000003", "F000001", "F000002"],
      deviceId: [device],
      email: [...VICTIMS, "nobody@example.test", OFFICER.email]
    }
    const param = (name: string) => fc.constantFrom(...(samples[name] ?? ["x"]))
    const doc = JSON.parse(readFileSync(OPENAPI_PATH, "utf8")) as OpenApiDocument
    const refuses = documentationRefuses(doc)
    const requests = fc.sample(fc.tuple(requestsOf(doc, param), fc.constantFrom("none", "forged", "officer", "advisor", "supervisor")), { numRuns: REQUESTS, seed: 45 })
    const failures: Array<string> = []
    const byStatus = new Map<number, number>()
    let sent = 0
    for (const [r, as] of requests) {
      if (Date.now() - started > BUDGET_MS) break
      const url = urlOf(r)
      const auth = as === "none" ? {} : as === "forged" ? { authorization: `Bearer psn1_${"A".repeat(43)}` } : bearer(tokens[as]!)
      const json = r.rawBody !== undefined || r.body !== undefined ? { "content-type": "application/json" } : {}
      const res = await app.inject({
        method: r.method as "GET",
        url,
        remoteAddress: FUZZER,
        headers: { ...auth, ...json },
        ...(r.rawBody !== undefined ? { payload: r.rawBody } : r.body !== undefined ? { payload: JSON.stringify(r.body) } : {})
      })
      sent++
      byStatus.set(res.statusCode, (byStatus.get(res.statusCode) ?? 0) + 1)
      const what = `${as} ${r.method} ${url} ${r.rawBody ?? JSON.stringify(r.body) ?? ""}`.slice(0, 300)
      if (res.statusCode >= 400) {
        let code: unknown
        try {
          code = (res.json() as { code?: unknown }).code
        } catch {
          code = undefined
        }
        if (typeof code !== "string" || !Object.hasOwn(ERROR_CATALOGUE, code)) failures.push(`${what}: ${res.statusCode} without a catalogued code: ${res.body.slice(0, 200)}`)
        else if (ERROR_CATALOGUE[code as keyof typeof ERROR_CATALOGUE].status !== res.statusCode) failures.push(`${what}: ${code} with status ${res.statusCode}`)
        if (res.statusCode >= 500) failures.push(`${what}: ${res.statusCode} ${res.body.slice(0, 200)}`)
      } else {
        const why = refuses(r)
        if (why.length > 0) failures.push(`${what}: accepted (${res.statusCode}) though the OpenAPI document refuses it: ${why.join("; ")}`)
        // A logout or a removal may have ended a session the fuzz uses: open fresh ones.
        if (r.route === "/auth/logout" || r.method === "DELETE") await relogin()
      }
    }
    expect(failures.slice(0, 10)).toEqual([])
    expect(sent).toBeGreaterThanOrEqual(Math.min(REQUESTS, 500))
    expect([...byStatus.keys()].some((status) => status < 300)).toBe(true) // some requests were valid and went through
    expect((await app.inject({ method: "GET", url: "/health" })).statusCode).toBe(200)
    expect(await login(app, ADVISOR, PASSWORD)).toMatch(/^psn1_/) // the fuzzer's failures never locked our address out
    await fullGc()
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * MiB)
    process.stderr.write(`mock-psn1 REST fuzz: ${sent} requests in ${((Date.now() - started) / 1000).toFixed(1)} s, by status ${JSON.stringify(Object.fromEntries(byStatus))}\n`)
  }, 60_000)

  it(`answers up to ${FRAMES} generated /events frames: a pong only for what the AsyncAPI document accepts, an error with a catalogued code otherwise, and survives`, async () => {
    const t = await makeApp()
    onTestFinished(() => t.app.close())
    const started = Date.now()
    const { tokens } = await staff(t.app, [{ email: ADVISOR, role: "advisor" }])
    const address = await t.app.listen({ host: "127.0.0.1", port: 0 })
    await fullGc()
    const heapBefore = process.memoryUsage().heapUsed
    const asyncapi = JSON.parse(readFileSync(ASYNCAPI_PATH, "utf8")) as { components: { messages: Record<string, { payload: { schema: JsonSchema } }> } }
    const ajv = new Ajv({ allErrors: true, strict: false })
    ;(addFormats as unknown as (a: Ajv) => void)(ajv)
    const pingSchema = asyncapi.components.messages["ping"]!.payload.schema
    const documentedPing = ajv.compile(pingSchema)
    const frames = fc.sample(
      fc.oneof(
        { weight: 4, arbitrary: arbitraryOf(pingSchema).map((f) => JSON.stringify(f)) },
        { weight: 3, arbitrary: fc.tuple(arbitraryOf(pingSchema), fc.constantFrom("type", "id", "extra"), fc.jsonValue({ maxDepth: 2 })).map(([f, k, junk]) => JSON.stringify({ ...(f as object), [k]: junk })) },
        { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
        { weight: 1, arbitrary: fc.string({ maxLength: 40 }) }
      ),
      { numRuns: FRAMES, seed: 46 }
    )
    const failures: Array<string> = []
    let client = await connect(address, tokens[ADVISOR])
    const next = (): Promise<Frame | "closed"> => Promise.race([client.next(), client.closed.then(() => "closed" as const)])
    expect((await next()) as Frame).toMatchObject({ type: "hello" })
    let sent = 0
    let ponged = 0
    for (const [n, text] of frames.entries()) {
      if (Date.now() - started > BUDGET_MS) break
      client.ws.send(text)
      sent++
      const sentinel = `s${n}`
      client.ws.send(JSON.stringify({ type: "ping", id: sentinel }))
      for (;;) {
        const f = await next()
        if (f === "closed") {
          failures.push(`the socket closed after ${text}`)
          client = await connect(address, tokens[ADVISOR])
          await next()
          break
        }
        if (f.type === "pong" && f.id === sentinel) break
        let parsed: unknown
        try {
          parsed = JSON.parse(text)
        } catch {
          parsed = undefined
        }
        if (f.type === "pong") {
          ponged++
          if (!documentedPing(parsed)) failures.push(`pong for ${text}, which the AsyncAPI document refuses: ${ajv.errorsText(documentedPing.errors)}`)
        } else if (f.type === "error") {
          if (!Object.hasOwn(ERROR_CATALOGUE, String(f["code"]))) failures.push(`error code ${String(f["code"])} for ${text} is not in the catalogue`)
          if (documentedPing(parsed)) failures.push(`refused ${text}, which the AsyncAPI document accepts: ${String(f["message"])}`)
        }
      }
    }
    expect(failures.slice(0, 10)).toEqual([])
    expect(ponged).toBeGreaterThan(sent / 10)
    expect((await t.app.inject({ method: "GET", url: "/health" })).statusCode).toBe(200)
    const fresh = await connect(address, tokens[ADVISOR])
    expect((await fresh.next()).type).toBe("hello")
    expect(await fresh.fence()).toEqual([])
    fresh.ws.close()
    client.ws.close()
    await fullGc()
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * MiB)
    process.stderr.write(`mock-psn1 /events fuzz: ${sent} frames (${ponged} ponged) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
  }, 60_000)
})
