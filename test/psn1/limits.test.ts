import { readFileSync } from "node:fs"
import { describe, expect, it, onTestFinished } from "vitest"
import { OPENAPI_PATH } from "../../mock-psn1/docs.js"
import { ERROR_CATALOGUE } from "../../mock-psn1/errors.js"
import { catalogued, inParallel, probesOf, rawHttp, routesOf } from "../raw-http.js"
import { login, makeApp, PASSWORD, staff } from "./harness.js"

const ADVISOR = "alice.martin@example.test"
const routes = routesOf(JSON.parse(readFileSync(OPENAPI_PATH, "utf8")) as { paths: Record<string, Record<string, unknown>> })

/** Well-formed values for path parameters, so that probes get past their validation. */
const PARAMS: Record<string, string> = { id: "I0000001", deviceId: "DV0000001-01", email: ADVISOR }

describe("mock-psn1 over raw HTTP: every answer to an oversized or malformed request carries a catalogued code", () => {
  it("answers oversized paths, parameters, queries, headers and bodies, wrong methods and broken HTTP on every route — anonymous or logged in — with catalogued codes and statuses", async () => {
    const t = await makeApp()
    onTestFinished(() => t.app.close())
    const { officer, tokens } = await staff(t.app, [{ email: ADVISOR, role: "advisor" }])
    const port = Number(new URL(await t.app.listen({ host: "127.0.0.1", port: 0 })).port)
    const seen = new Map<string, number>()
    const failures: Array<string> = []
    const all = [...routes, { method: "GET", path: "/openapi.json" }, { method: "GET", path: "/asyncapi.json" }, { method: "GET", path: "/no/such/route" }]
    // Logins one after another (a login supersedes the same account's pending OTP), then probes in parallel.
    const logoutTokens: Array<string> = []
    const logoutProbes = probesOf({ method: "POST", path: "/auth/logout" }, { bodyLimitBytes: 0, param: () => "x" }).length
    for (let i = 0; i < logoutProbes; i++) logoutTokens.push(await login(t.app, ADVISOR, PASSWORD))
    const tasks: Array<() => Promise<void>> = []
    for (const route of all) {
      const officerRoute = route.path.startsWith("/admin") || route.path.startsWith("/audit")
      // Removal probes name an account that does not exist, and logout probes log out a session
      // of their own: the tokens the other probes use stay valid.
      const param = (name: string) => (name === "email" && route.method === "DELETE" ? "nobody@example.test" : PARAMS[name] ?? "x")
      for (const loggedIn of [false, true]) {
        const probes = loggedIn && route.path === "/auth/logout"
          ? logoutTokens.map((token, i) => probesOf(route, { bodyLimitBytes: 32 * 1024, param, headers: { authorization: `Bearer ${token}` } })[i]!)
          : probesOf(route, { bodyLimitBytes: 32 * 1024, param, headers: loggedIn ? { authorization: `Bearer ${officerRoute ? officer : tokens[ADVISOR]!}` } : {} })
        for (const probe of probes) {
          tasks.push(async () => {
            const what = `${route.method} ${route.path} (${loggedIn ? "logged in" : "anonymous"}), ${probe.name}`
            const method = typeof probe.request === "string" ? probe.request.split(" ")[0]! : probe.request.method
            try {
              const code = catalogued(what, await rawHttp(port, probe.request), ERROR_CATALOGUE, method)
              if (code !== undefined) seen.set(code, (seen.get(code) ?? 0) + 1)
            } catch (e) {
              failures.push((e as Error).message)
            }
          })
        }
      }
    }
    await inParallel(tasks)
    expect(failures).toEqual([])
    // The probes reach every kind of refusal at the HTTP edge (so the test cannot pass by answering 200 to everything).
    expect([...seen.keys()]).toEqual(expect.arrayContaining([
      "AUTH_REQUIRED", "BAD_JSON", "HEADERS_TOO_LARGE", "INVALID_REQUEST", "MALFORMED_HTTP", "METHOD_NOT_ALLOWED", "NOT_FOUND", "PAYLOAD_TOO_LARGE",
      "TOKEN_INVALID", "UNKNOWN_FIELD", "UNSUPPORTED_MEDIA_TYPE"
    ]))
    expect((await t.app.inject({ method: "GET", url: "/health" })).statusCode).toBe(200)
  })

  it("maps Node's and fastify's own refusals onto the catalogue, and audits them", async () => {
    const t = await makeApp()
    onTestFinished(() => t.app.close())
    const port = Number(new URL(await t.app.listen({ host: "127.0.0.1", port: 0 })).port)
    const header = await rawHttp(port, { method: "GET", target: "/health", headers: { "x-pad": "h".repeat(20_000) } })
    expect([header.status, JSON.parse(header.body)]).toEqual([431, { code: "HEADERS_TOO_LARGE", message: "the request line and headers exceed 16 KiB" }])
    const broken = await rawHttp(port, "GET /health HTTP/1.1\r\nhost: x\r\ncontent-length: abc\r\n\r\n")
    expect([broken.status, JSON.parse(broken.body).code]).toEqual([400, "MALFORMED_HTTP"])
    const put = await rawHttp(port, { method: "PUT", target: "/tickets/T000001" })
    expect([put.status, put.headers["allow"], JSON.parse(put.body)]).toEqual([405, "GET", { code: "METHOD_NOT_ALLOWED", message: "PUT is not allowed on /tickets/T000001; allowed: GET" }])
    const long = await rawHttp(port, { method: "GET", target: `/tickets/${"T".repeat(5000)}` })
    expect([long.status, JSON.parse(long.body).code]).toEqual([400, "INVALID_REQUEST"])
    expect(t.app.psn1.audit.all().map((e) => [e.action, e.status, e.code])).toEqual([
      ["http.malformed", 431, "HEADERS_TOO_LARGE"],
      ["http.malformed", 400, "MALFORMED_HTTP"],
      ["http.methodNotAllowed", 405, "METHOD_NOT_ALLOWED"],
      ["http.badUrl", 400, "INVALID_REQUEST"]
    ])
  })
})
