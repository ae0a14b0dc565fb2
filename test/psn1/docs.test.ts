import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it, onTestFinished } from "vitest"
import { ROUTES, mailboxRoute } from "../../mock-psn1/app.js"
import { buildAsyncApi } from "../../mock-psn1/asyncapi.js"
import { ASYNCAPI_PATH, DOCS_DIR, generateOpenApi, OPENAPI_PATH, toFileText } from "../../mock-psn1/docs.js"
import { ERROR_CATALOGUE, ERROR_CODES } from "../../mock-psn1/errors.js"
import { errorsOf } from "../../mock-psn1/http/route.js"
import { SERVER_FRAMES } from "../../mock-psn1/schema/events.js"
import { makeApp } from "./harness.js"

const REGENERATE = "regenerate with: npx tsx mock-psn1/docs.ts --write"

type OpenApi = {
  openapi: string
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, { description: string }> }>>
  components: { schemas: Record<string, { properties: Record<string, { enum?: Array<string> }> }> }
}

describe("API documents kept in the repo", () => {
  it("mock-psn1/openapi.json is exactly what the route schemas generate", async () => {
    expect(readFileSync(OPENAPI_PATH, "utf8"), REGENERATE).toBe(toFileText(await generateOpenApi()))
  })

  it("mock-psn1/asyncapi.json is exactly what the frame schemas generate", () => {
    expect(readFileSync(ASYNCAPI_PATH, "utf8"), REGENERATE).toBe(toFileText(buildAsyncApi()))
  })

  it("serves the committed documents at /openapi.json and /asyncapi.json (the mailbox path only with --mailbox)", async () => {
    const withMailbox = await makeApp()
    onTestFinished(() => withMailbox.app.close())
    const committed = JSON.parse(readFileSync(OPENAPI_PATH, "utf8")) as OpenApi
    const served = await withMailbox.app.inject({ method: "GET", url: "/openapi.json" })
    expect(served.json()).toEqual(committed)
    expect((await withMailbox.app.inject({ method: "GET", url: "/asyncapi.json" })).json()).toEqual(JSON.parse(readFileSync(ASYNCAPI_PATH, "utf8")))

    const without = await makeApp({ mailbox: false })
    onTestFinished(() => without.app.close())
    const paths = Object.keys((await without.app.inject({ method: "GET", url: "/openapi.json" })).json().paths)
    expect(paths).toEqual(Object.keys(committed.paths).filter((p) => p !== "/mailbox/{email}"))
  })

  it("documents every route with its operation id and every error code it can answer, grouped by status", () => {
    const doc = JSON.parse(readFileSync(OPENAPI_PATH, "utf8")) as OpenApi
    expect(doc.openapi).toBe("3.1.0")
    for (const route of [...ROUTES, mailboxRoute]) {
      const op = doc.paths[route.url.replace(/:([A-Za-z]+)/g, "{$1}")]?.[route.method.toLowerCase()]
      expect(op?.operationId, `${route.method} ${route.url}`).toBe(route.operationId)
      for (const code of errorsOf(route)) {
        const status = String(ERROR_CATALOGUE[code].status)
        expect(op?.responses[status]?.description, `${route.operationId} ${code}`).toContain(`\`${code}\``)
      }
    }
    expect(Object.values(doc.paths).flatMap((p) => Object.values(p)).length).toBe(ROUTES.length + 1)
  })

  it("documents a request body as required exactly where the route requires one (unlinking a device takes it optionally)", () => {
    const doc = JSON.parse(readFileSync(OPENAPI_PATH, "utf8")) as { paths: Record<string, Record<string, { requestBody?: { required?: boolean } }>> }
    for (const route of ROUTES) {
      const op = doc.paths[route.url.replace(/:([A-Za-z]+)/g, "{$1}")]?.[route.method.toLowerCase()]
      expect(op?.requestBody?.required, `${route.method} ${route.url}`).toBe(route.body === undefined ? undefined : route.bodyOptional !== true)
    }
    expect(doc.paths["/insured/{id}/devices/{deviceId}/unlink"]?.["post"]?.requestBody?.required).toBe(false)
  })

  it("enumerates exactly the error catalogue in the OpenAPI error body and the AsyncAPI error frame", () => {
    const doc = JSON.parse(readFileSync(OPENAPI_PATH, "utf8")) as OpenApi
    expect(doc.components.schemas.ErrorBody?.properties.code?.enum).toEqual([...ERROR_CODES])
    const asyncapi = buildAsyncApi()
    const messages = asyncapi.components.messages as Record<string, { payload: { schema: unknown } }>
    const errorFrame = messages.error?.payload.schema as { properties: { code: { enum: Array<string> } } }
    expect(errorFrame.properties.code.enum).toEqual([...ERROR_CODES])
  })

  it("lists in AsyncAPI 3.0 every frame the server sends, plus the client ping", () => {
    const doc = buildAsyncApi()
    expect(doc.asyncapi).toBe("3.0.0")
    expect(doc.channels.events.address).toBe("/events")
    const titles = SERVER_FRAMES.map((s) => (s.ast.annotations as { title: string }).title)
    expect(Object.keys(doc.components.messages)).toEqual([...titles, "ping"])
    expect(doc.operations.sendEvents.messages).toEqual(titles.map((n) => ({ $ref: `#/channels/events/messages/${n}` })))
    expect(doc.operations.receivePing.messages).toEqual([{ $ref: "#/channels/events/messages/ping" }])
  })
})

const sourceFiles = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : []
  })

describe("the error catalogue", () => {
  it("matches the table in mock-psn1/README.md line for line (code, status, meaning)", () => {
    const readme = readFileSync(join(DOCS_DIR, "README.md"), "utf8")
    const rows = [...readme.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \| (.+) \|$/gm)].map((m) => [m[1], Number(m[2]), m[3]])
    expect(rows).toEqual(Object.entries(ERROR_CATALOGUE).map(([code, spec]) => [code, spec.status, spec.description]))
  })

  it("uses 401 only for missing or bad credentials and 403 only for a known account that is not allowed", () => {
    const byStatus = (status: number) => ERROR_CODES.filter((c) => ERROR_CATALOGUE[c].status === status)
    expect(byStatus(401)).toEqual(["AUTH_REQUIRED", "TOKEN_INVALID", "TOKEN_EXPIRED", "TOKEN_REVOKED", "ACCOUNT_REMOVED", "INVALID_CREDENTIALS", "OTP_INVALID", "OTP_EXPIRED"])
    expect(byStatus(403)).toEqual(["FORBIDDEN_ROLE", "ACCOUNT_DISABLED"])
  })

  it("cites only test files that exist (headers and README point readers at the check that keeps them honest)", () => {
    const root = join(DOCS_DIR, "..")
    const cited = new Set(sourceFiles(DOCS_DIR).concat(join(DOCS_DIR, "README.md"))
      .flatMap((p) => [...readFileSync(p, "utf8").matchAll(/test\/psn1\/[A-Za-z0-9_.-]+\.ts/g)].map((m) => m[0])))
    expect(cited.size).toBeGreaterThan(0)
    expect([...cited].filter((p) => !existsSync(join(root, p)))).toEqual([])
  })

  it("has no dead code: every code is raised somewhere in mock-psn1", () => {
    const sources = sourceFiles(DOCS_DIR).filter((p) => !p.endsWith("errors.ts")).map((p) => readFileSync(p, "utf8")).join("\n")
    const unused = ERROR_CODES.filter((code) => !sources.includes(`"${code}"`))
    expect(unused).toEqual([])
  })
})
