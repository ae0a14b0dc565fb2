/**
 * A raw HTTP/1.1 client over a TCP socket, for the mocks' limit and fuzz tests: it sends bytes
 * exactly as given (oversized request lines and headers, bad Content-Length, wrong methods) —
 * what fetch and node:http refuse to send — and parses whatever comes back.
 *
 * Each request goes on its own connection with `Connection: close`, so the answer is complete
 * when the server closes the socket; loopback only.
 */
import { connect } from "node:net"

export interface RawResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

export interface RawRequest {
  readonly method: string
  /** Request target as sent (path and query, not re-encoded). */
  readonly target: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
}

/** Serialises a request; Content-Length is added for a body unless a header sets it. */
export const serialise = (r: RawRequest): string => {
  const headers: Record<string, string> = { host: "127.0.0.1", connection: "close", ...r.headers }
  if (r.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-length")) {
    headers["content-length"] = String(Buffer.byteLength(r.body))
  }
  return `${r.method} ${r.target} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join("\r\n")}\r\n\r\n${r.body ?? ""}`
}

/** Sends `request` (an object, or raw text) to 127.0.0.1:`port` and resolves with the parsed response. */
export const rawHttp = (port: number, request: RawRequest | string): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1")
    const chunks: Array<Buffer> = []
    const timer = setTimeout(() => socket.destroy(new Error("no complete answer within 10 s")), 10_000)
    socket.on("data", (c: Buffer) => chunks.push(c))
    // The server may close while we still write (it answered early, e.g. 413 or 431): what it
    // sent before is what counts.
    socket.on("error", () => {})
    socket.on("close", () => {
      clearTimeout(timer)
      const text = Buffer.concat(chunks).toString("utf8")
      const split = text.indexOf("\r\n\r\n")
      if (split < 0) return reject(new Error(`no HTTP response (got ${JSON.stringify(text.slice(0, 200))})`))
      const [statusLine = "", ...lines] = text.slice(0, split).split("\r\n")
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? NaN)
      const headers: Record<string, string> = {}
      for (const l of lines) {
        const i = l.indexOf(":")
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim()
      }
      let body = text.slice(split + 4)
      const length = headers["content-length"]
      if (length !== undefined) body = Buffer.from(body, "utf8").subarray(0, Number(length)).toString("utf8")
      resolve({ status, headers, body })
    })
    // Half-closed after the request: a body shorter than its Content-Length ends there.
    socket.end(typeof request === "string" ? request : serialise(request))
  })

/**
 * The error code of a response, checked against a catalogue: a 4xx/5xx answer must carry a JSON
 * body `{code, …}` whose code is in the catalogue and whose status is the catalogue's. Returns
 * the code (undefined for a success). Throws a message naming the request otherwise.
 */
export const catalogued = (
  what: string,
  res: RawResponse,
  catalogue: Readonly<Record<string, { readonly status: number }>>,
  method = ""
): string | undefined => {
  if (res.status < 400) return undefined
  if (method === "HEAD") return undefined // a HEAD answer has no body by definition
  let code: unknown
  try {
    code = (JSON.parse(res.body) as { code?: unknown }).code
  } catch {
    throw new Error(`${what}: ${res.status} with a body that is not JSON: ${res.body.slice(0, 200)}`)
  }
  if (typeof code !== "string" || !Object.hasOwn(catalogue, code)) throw new Error(`${what}: ${res.status} with code ${String(code)}, not in the catalogue: ${res.body.slice(0, 200)}`)
  if (catalogue[code]!.status !== res.status) throw new Error(`${what}: code ${code} answered with ${res.status}, the catalogue says ${catalogue[code]!.status}`)
  return code
}

/** What a route of an OpenAPI document looks like to the probes. */
export interface ProbeRoute {
  readonly method: string
  /** OpenAPI path, `{param}` style. */
  readonly path: string
}

/** The routes of an OpenAPI document. */
export const routesOf = (openapi: { readonly paths: Readonly<Record<string, Readonly<Record<string, unknown>>>> }): Array<ProbeRoute> =>
  Object.entries(openapi.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path })))

/**
 * Oversized and malformed requests for one route: a 5,000-character path parameter, query and
 * bearer token; request lines and headers past Node's 16 KiB limit; a body past `bodyLimitBytes`;
 * a body that is not JSON or not declared JSON; methods the route does not have; a broken
 * Content-Length and a request with both Content-Length and Transfer-Encoding.
 */
export const probesOf = (
  route: ProbeRoute,
  options: { readonly bodyLimitBytes: number; readonly param: (name: string) => string; readonly headers?: Readonly<Record<string, string>> }
): Array<{ readonly name: string; readonly request: RawRequest | string }> => {
  const url = route.path.replace(/\{([A-Za-z]+)\}/g, (_m, name: string) => encodeURIComponent(options.param(name)))
  const h = options.headers ?? {}
  const m = route.method
  const bodyful = m === "POST" || m === "DELETE"
  const json = { ...h, "content-type": "application/json" }
  const out: Array<{ name: string; request: RawRequest | string }> = [
    { name: "as is", request: { method: m, target: url, headers: h } },
    { name: "a 5,000-character query", request: { method: m, target: `${url}?pad=${"q".repeat(5000)}`, headers: h } },
    { name: "a 20,000-character query", request: { method: m, target: `${url}?pad=${"q".repeat(20_000)}`, headers: h } },
    { name: "a 20,000-character path", request: { method: m, target: `${url}/${"a".repeat(20_000)}`, headers: h } },
    { name: "a 20,000-character header", request: { method: m, target: url, headers: { ...h, "x-pad": "h".repeat(20_000) } } },
    { name: "a 5,000-character bearer token", request: { method: m, target: url, headers: { ...h, authorization: `Bearer ${"t".repeat(5000)}` } } },
    { name: "500 headers", request: { method: m, target: url, headers: { ...h, ...Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`x-h${i}`, "v"])) } } },
    { name: "a body over the limit", request: { method: m, target: url, headers: json, body: JSON.stringify({ pad: "b".repeat(options.bodyLimitBytes + 1024) }) } },
    { name: "a text/plain body", request: { method: m, target: url, headers: { ...h, "content-type": "text/plain" }, body: "hello" } },
    { name: "an XML body", request: { method: m, target: url, headers: { ...h, "content-type": "application/xml" }, body: "<a/>" } },
    { name: "invalid JSON", request: { method: m, target: url, headers: json, body: "{" } },
    { name: "a JSON array", request: { method: m, target: url, headers: json, body: "[1,2,3]" } },
    { name: "an empty content type", request: { method: m, target: url, headers: { ...h, "content-type": "" }, body: "{}" } },
    { name: "a Content-Length that lies (short body)", request: `${m} ${url} HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: 10\r\n\r\n{}` },
    { name: "a Content-Length that is not a number", request: `${m} ${url} HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-length: abc\r\n\r\n` },
    { name: "Content-Length and Transfer-Encoding", request: `${m} ${url} HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-length: 3\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n` },
    { name: "a request line that is not HTTP", request: `${m} ${url} HTTX/9.9\r\n\r\n` }
  ]
  for (const other of ["PUT", "PATCH", "OPTIONS", "HEAD", bodyful ? "GET" : "POST"]) {
    if (other !== m) out.push({ name: `method ${other}`, request: { method: other, target: url, headers: h } })
  }
  if (/\{[A-Za-z]+\}/.test(route.path)) {
    out.push({ name: "a 5,000-character path parameter", request: { method: m, target: route.path.replace(/\{[A-Za-z]+\}/g, "p".repeat(5000)), headers: h } })
  }
  return out
}

/** Runs `tasks` with at most `width` at a time (probes on separate connections need not wait for each other). */
export const inParallel = async (tasks: ReadonlyArray<() => Promise<void>>, width = 8): Promise<void> => {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < tasks.length) await tasks[next++]!()
  }
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker))
}
