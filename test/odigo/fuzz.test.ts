/**
 * Bounded fuzzing of mock-odigo (loopback only): a few thousand websocket frames and REST
 * requests generated from the mock's own AsyncAPI and OpenAPI documents — valid, mutated and
 * arbitrary — each test stopping by itself within its count and a time budget.
 *
 * Asserted: every error answer carries a catalogued code (with its catalogued status on REST);
 * nothing is accepted that the documentation refuses (an `ack` only for a frame the AsyncAPI
 * document accepts, a 2xx only for a request the OpenAPI document accepts); the server stays up
 * (health, a new connection, the call-conservation audit) and its memory stays bounded (live
 * heap after a full GC, and the mock's own tables).
 */
import { readFileSync } from "node:fs"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { ERRORS, WS_ERROR_CODES } from "../../mock-odigo/errors.js"
import { DOC_FILES } from "../../mock-odigo/write-docs.js"
import { documentationRefuses, fullGc, requestsOf, urlOf, arbitraryOf, type JsonSchema, type OpenApiDocument } from "../fuzz-http.js"
import { asyncapi, validateFrame } from "./frame-validator.js"
import { Client, startMock, type Frame } from "./harness.js"

const MiB = 1024 * 1024
/** Budgets: the tests stop at whichever comes first. */
const FRAMES = 5000
const REQUESTS = 5000
const BUDGET_MS = 40_000

/** Command frames of a channel, generated from their AsyncAPI schemas, then sometimes mutated. */
const commandsOf = (channel: "agent" | "supervision"): fc.Arbitrary<unknown> => {
  const names = Object.entries(asyncapi.channels[channel]!.messages)
    .map(([type, ref]) => [type, ref.$ref.split("/").pop()!] as const)
    .filter(([type]) => type !== "ack" && type !== "error" && !type.includes("."))
  const valid = fc.oneof(...names.map(([, name]) => arbitraryOf(asyncapi.components.messages[name]!.payload as JsonSchema)))
  return fc.oneof(
    { weight: 6, arbitrary: valid },
    {
      weight: 3,
      arbitrary: fc.tuple(valid, fc.constantFrom("type", "id", "payload", "extra"), fc.jsonValue({ maxDepth: 2 })).map(([f, key, junk]) => ({ ...(f as object), [key]: junk }))
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) }
  )
}

/** What is sent: a JSON frame (its `id` made unique when it is a usable one), raw text or binary. */
const framesOf = (channel: "agent" | "supervision") =>
  fc.oneof(
    { weight: 400, arbitrary: fc.tuple(commandsOf(channel), fc.nat(99)).map(([frame, dice]) => ({ kind: "json" as const, frame, dice })) },
    { weight: 50, arbitrary: fc.string({ maxLength: 40 }).map((text) => ({ kind: "text" as const, text })) },
    { weight: 50, arbitrary: fc.uint8Array({ maxLength: 16 }).map((bytes) => ({ kind: "binary" as const, bytes })) },
    // Past maxPayload (4 KiB): the connection is closed with 1009, and the next frame reconnects.
    { weight: 1, arbitrary: fc.constant({ kind: "text" as const, text: JSON.stringify({ type: "ping", id: "big", payload: { pad: "x".repeat(5000) } }) }) }
  )

describe("mock-odigo fuzz (bounded, loopback)", () => {
  it(`answers up to ${FRAMES} generated websocket frames with catalogued codes, acks only what the AsyncAPI document accepts, and survives`, async () => {
    // A flood budget the fuzz never exhausts: it is after the decoders, not the rate limiter.
    const limits = { ratePerSec: 1e9, burst: 1e9, floodCloseAfter: 1e9 }
    const h = await startMock({ agentLimits: limits, supervisorLimits: limits })
    const started = Date.now()
    await fullGc()
    const heapBefore = process.memoryUsage().heapUsed
    const agentCreds = await h.account("agent")
    const supervisorCreds = await h.account("supervisor")
    const calls: Array<string> = []
    const clients: Record<"agent" | "supervision", Client | undefined> = { agent: undefined, supervision: undefined }
    const failures: Array<string> = []
    let sent = 0
    let acked = 0
    const samples = {
      agent: fc.sample(framesOf("agent"), { numRuns: Math.round(FRAMES * 0.8), seed: 42 }),
      supervision: fc.sample(framesOf("supervision"), { numRuns: Math.round(FRAMES * 0.2), seed: 43 })
    }
    for (const channel of ["agent", "supervision"] as const) {
      for (const [n, sample] of samples[channel].entries()) {
        if (Date.now() - started > BUDGET_MS) break
        let c = clients[channel]
        if (c === undefined || c.ws.readyState !== 1) c = clients[channel] = await h.connect(channel === "agent" ? "/agent" : "/supervision")
        // Now and then a call to answer, and real credentials or a live call reference in the frame.
        if (channel === "agent" && n % 100 === 0) calls.push(await h.inject({ flow: n % 200 === 0 ? "opposition" : "horsOpposition" }))
        const id = `f${n}`
        let sentFrame: unknown
        if (sample.kind === "json") {
          const f = sample.frame
          if (f !== null && typeof f === "object" && !Array.isArray(f)) {
            const o = { ...(f as Record<string, unknown>) }
            if (typeof o["id"] === "string" && o["id"].length >= 1 && o["id"].length <= 64) o["id"] = id
            const p = o["payload"]
            if (p !== null && typeof p === "object" && !Array.isArray(p)) {
              const q = { ...(p as Record<string, unknown>) }
              if ("login" in q && sample.dice < 60) Object.assign(q, channel === "agent" ? agentCreds : supervisorCreds)
              if ("callRef" in q && sample.dice < 70 && calls.length > 0) q["callRef"] = calls[sample.dice % calls.length]
              o["payload"] = q
            }
            sentFrame = o
          } else sentFrame = f
          c.send(JSON.stringify(sentFrame))
        } else if (sample.kind === "text") c.ws.send(sample.text)
        else c.ws.send(Buffer.from(sample.bytes), { binary: true })
        sent++
        // A sentinel after each frame: everything before its ack answers the fuzz frame.
        const sentinel = `s${n}`
        c.send({ type: "ping", id: sentinel })
        const replies: Array<Frame> = []
        for (;;) {
          let f: Frame
          try {
            f = await c.next()
          } catch {
            break // closed (e.g. replaced); the next frame reconnects
          }
          if (f.type === "ack" && f.id === sentinel) break
          replies.push(f)
        }
        for (const r of replies) {
          if (r.type === "error" && !WS_ERROR_CODES.includes(r.code as never)) failures.push(`${channel} ${JSON.stringify(sentFrame)}: error code ${r.code} not in the catalogue`)
          if (r.type === "ack" && r.id === id) {
            acked++
            const refused = validateFrame(channel, sentFrame as { type?: unknown })
            if (refused.length > 0) failures.push(`${channel} acked ${JSON.stringify(sentFrame)}, which the AsyncAPI document refuses: ${refused.join("; ")}`)
          }
        }
      }
    }
    expect(failures).toEqual([])
    expect(sent).toBeGreaterThanOrEqual(Math.min(FRAMES, 500))
    expect(acked).toBeGreaterThan(sent / 10) // the generator reaches past the decoders
    for (const ref of calls) h.injected.includes(ref) || h.injected.push(ref)
    // Up: health, a fresh agent, and no call lost (teardown audits again).
    expect((await h.http("GET", "/health")).body.status).toBe("ok")
    const fresh = await h.connect("/agent")
    expect(await fresh.exchange("ping")).toEqual([{ type: "ack", id: "c1" }])
    await h.checkCalls()
    await fullGc()
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * MiB)
    expect(h.mock.gateway.conns.size).toBeLessThanOrEqual(3)
    expect(h.mock.gateway.counters.heldFrames).toBe(0)
    process.stderr.write(`mock-odigo ws fuzz: ${sent} frames (${acked} acked) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
  }, 60_000)

  it(`answers up to ${REQUESTS} generated REST requests with catalogued codes and statuses, accepts only what the OpenAPI document accepts, and survives`, async () => {
    const h = await startMock()
    const started = Date.now()
    await fullGc()
    const heapBefore = process.memoryUsage().heapUsed
    const doc = JSON.parse(readFileSync(DOC_FILES.openapi, "utf8")) as OpenApiDocument
    const refuses = documentationRefuses(doc)
    const known = { callRef: [] as Array<string>, login: [] as Array<string> }
    const param = (name: string) => fc.nat(1000).map((i) => (name === "callRef" ? known.callRef : known.login)[i % Math.max(1, (name === "callRef" ? known.callRef : known.login).length)] ?? "x")
    const requests = fc.sample(requestsOf(doc, param), { numRuns: REQUESTS, seed: 44 })
    const failures: Array<string> = []
    const byStatus = new Map<number, number>()
    let sent = 0
    for (const r of requests) {
      if (Date.now() - started > BUDGET_MS) break
      // Faults and connection cuts would only slow the other test down: this one is about REST.
      const url = urlOf(r)
      const res = await h.mock.app.inject({
        method: r.method as "GET",
        url,
        ...(r.rawBody !== undefined ? { payload: r.rawBody, headers: { "content-type": "application/json" } } : r.body !== undefined ? { payload: JSON.stringify(r.body), headers: { "content-type": "application/json" } } : {})
      })
      sent++
      byStatus.set(res.statusCode, (byStatus.get(res.statusCode) ?? 0) + 1)
      const what = `${r.method} ${url} ${r.rawBody ?? JSON.stringify(r.body) ?? ""}`.slice(0, 300)
      if (res.statusCode >= 400) {
        let code: unknown
        try {
          code = (res.json() as { code?: unknown }).code
        } catch {
          code = undefined
        }
        if (typeof code !== "string" || !Object.hasOwn(ERRORS, code)) failures.push(`${what}: ${res.statusCode} without a catalogued code: ${res.body.slice(0, 200)}`)
        else if (ERRORS[code as keyof typeof ERRORS].status !== res.statusCode) failures.push(`${what}: ${code} with status ${res.statusCode}`)
        if (res.statusCode >= 500) failures.push(`${what}: ${res.statusCode} ${res.body.slice(0, 200)}`)
      } else {
        const why = refuses(r)
        if (why.length > 0) failures.push(`${what}: accepted (${res.statusCode}) though the OpenAPI document refuses it: ${why.join("; ")}`)
        if (r.method === "POST" && r.route === "/calls") h.injected.push((res.json() as { callRef: string }).callRef)
        if (r.method === "POST" && r.route === "/calls") known.callRef.push((res.json() as { callRef: string }).callRef)
        if (r.method === "POST" && r.route === "/admin/accounts") known.login.push((res.json() as { login: string }).login)
      }
    }
    expect(failures.slice(0, 10)).toEqual([])
    expect(sent).toBeGreaterThanOrEqual(Math.min(REQUESTS, 500))
    expect([...byStatus.keys()].filter((s) => s < 300).length).toBeGreaterThan(0) // some requests were valid
    expect((await h.http("GET", "/health")).body.status).toBe("ok")
    await h.checkCalls()
    await fullGc()
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * MiB)
    process.stderr.write(`mock-odigo REST fuzz: ${sent} requests in ${((Date.now() - started) / 1000).toFixed(1)} s, by status ${JSON.stringify(Object.fromEntries(byStatus))}\n`)
  }, 60_000)
})
