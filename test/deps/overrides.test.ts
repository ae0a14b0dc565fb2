// package.json `overrides` pin two transitive dependencies below the versions their parents ask
// for, because those want Node >= 22 and ccsim runs on Node 20: undici 7 under
// @effect/platform-node (which asks for undici 8), cookie 1 under fastify's light-my-request
// (which asks for cookie 2). These tests show each parent still does its job on the pinned one.
import { createServer, type IncomingMessage } from "node:http"
import type { AddressInfo } from "node:net"
import { createRequire } from "node:module"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import Fastify from "fastify"
import { describe, expect, it, onTestFinished } from "vitest"

const require = createRequire(import.meta.url)
const majorOf = (pkg: string, from: string) => Number((require(require.resolve(`${pkg}/package.json`, { paths: [from] })) as { version: string }).version.split(".")[0])

describe("dependency overrides (Node 20)", () => {
  it("@effect/platform-node's undici client sends a request and reads the response on undici 7", async () => {
    expect(majorOf("undici", require.resolve("@effect/platform-node/NodeHttpClient"))).toBe(7)
    const server = createServer((req: IncomingMessage, res) => {
      let body = ""
      req.on("data", (chunk: Buffer) => (body += chunk.toString()))
      req.on("end", () => res.end(`${req.method} ${req.url} ${body}`))
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/echo?x=1`
    const text = await Effect.runPromise(
      Effect.gen(function* () {
        const response = yield* HttpClient.execute(HttpClientRequest.post(url).pipe(HttpClientRequest.bodyText("hello")))
        return yield* response.text
      }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici))
    )
    expect(text).toBe("POST /echo?x=1 hello")
  })

  it("fastify's inject() sends request cookies on cookie 1", async () => {
    expect(majorOf("cookie", require.resolve("light-my-request", { paths: [require.resolve("fastify")] }))).toBe(1)
    const app = Fastify()
    onTestFinished(() => app.close())
    app.get("/", async (request) => request.headers.cookie ?? "")
    const response = await app.inject({ method: "GET", url: "/", cookies: { session: "a b", theme: "dark" } })
    expect(response.body).toBe("session=a%20b; theme=dark")
  })
})
