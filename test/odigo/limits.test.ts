import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { ERRORS } from "../../mock-odigo/errors.js"
import { DOC_FILES } from "../../mock-odigo/write-docs.js"
import { catalogued, inParallel, probesOf, rawHttp, routesOf } from "../raw-http.js"
import { startMock } from "./harness.js"

const routes = routesOf(JSON.parse(readFileSync(DOC_FILES.openapi, "utf8")) as { paths: Record<string, Record<string, unknown>> })

describe("mock-odigo over raw HTTP: every answer to an oversized or malformed request carries a catalogued code", () => {
  it("answers oversized paths, parameters, queries, headers and bodies, wrong methods and broken HTTP on every route with catalogued codes and statuses", async () => {
    const h = await startMock()
    const port = Number(new URL(h.url).port)
    const seen = new Map<string, number>()
    const failures: Array<string> = []
    const tasks = [...routes, { method: "GET", path: "/no/such/route" }].flatMap((route) =>
      probesOf(route, { bodyLimitBytes: 64 * 1024, param: () => "x" }).map((probe) => async () => {
        const what = `${route.method} ${route.path}, ${probe.name}`
        const method = typeof probe.request === "string" ? probe.request.split(" ")[0]! : probe.request.method
        try {
          const code = catalogued(what, await rawHttp(port, probe.request), ERRORS, method)
          if (code !== undefined) seen.set(code, (seen.get(code) ?? 0) + 1)
        } catch (e) {
          failures.push((e as Error).message)
        }
      })
    )
    await inParallel(tasks)
    expect(failures).toEqual([])
    // The probes reach each kind of refusal (so the test cannot pass by answering 200 to everything).
    expect([...seen.keys()]).toEqual(expect.arrayContaining(
      ["BAD_JSON", "BODY_TOO_LARGE", "HEADERS_TOO_LARGE", "INVALID_BODY", "MALFORMED_HTTP", "METHOD_NOT_ALLOWED", "NOT_FOUND", "UNKNOWN_FIELD", "UNSUPPORTED_MEDIA_TYPE"]
    ))
    expect((await h.http("GET", "/health")).body.status).toBe("ok")
    await h.checkCalls()
  })

  it("maps fastify's own refusals onto the catalogue: over-long path parameter, request line and headers past 16 KiB, wrong method, broken HTTP", async () => {
    const h = await startMock()
    const port = Number(new URL(h.url).port)
    const get = (target: string, headers: Record<string, string> = {}) => rawHttp(port, { method: "GET", target, headers })
    const long = await get(`/calls/${"c".repeat(5000)}`)
    expect([long.status, JSON.parse(long.body)]).toEqual([400, { code: "INVALID_BODY", message: "params: a path parameter is longer than 100 characters" }])
    const line = await get(`/calls/x?pad=${"q".repeat(20_000)}`)
    expect([line.status, JSON.parse(line.body)]).toEqual([431, { code: "HEADERS_TOO_LARGE", message: "The request line and headers exceed 16 KiB" }])
    const header = await get("/health", { "x-pad": "h".repeat(20_000) })
    expect([header.status, JSON.parse(header.body).code]).toEqual([431, "HEADERS_TOO_LARGE"])
    const put = await rawHttp(port, { method: "PUT", target: "/calls/x" })
    expect([put.status, put.headers["allow"], JSON.parse(put.body)]).toEqual([405, "GET, DELETE", { code: "METHOD_NOT_ALLOWED", message: "PUT is not allowed on /calls/x; allowed: GET, DELETE" }])
    const broken = await rawHttp(port, "GET /health HTTP/1.1\r\nhost: x\r\ncontent-length: abc\r\n\r\n")
    expect([broken.status, JSON.parse(broken.body).code]).toEqual([400, "MALFORMED_HTTP"])
    expect((await h.http("GET", "/health")).body.status).toBe("ok")
    await h.checkCalls()
  })
})
