/**
 * A small keep-alive JSON client over node:http, shared by the live harness and the benches
 * (bench/psn1 used to hold its own copy): one Agent, small POSTs sent in one write with
 * `TCP_NODELAY`, a deadline per request.
 *
 * Invariant: `send` never rejects. Every outcome is a `Reply`: an HTTP status with its parsed
 * body (`undefined` when empty, the raw text when it is not JSON), or status 0 with the network
 * error's code (`ECONNREFUSED`, `ECONNRESET`, `TIMEOUT`, …) — so a caller counts errors by code
 * without a try/catch per request and a dead server never crashes a load generator.
 *
 * Why node:http and not undici or fetch: the undici in node_modules needs Node 22, and Node 20's
 * fetch costs more CPU per request on a machine whose two cores the generator shares with the
 * server. Why one write and no Nagle: small POSTs otherwise wait for delayed ACKs (tens of ms)
 * and a bench measures TCP, not the server (bench:psn1 paid for that lesson).
 */
import { Agent, request } from "node:http"

export interface Reply {
  /** HTTP status; 0 when no answer came (see `error`). */
  readonly status: number
  readonly body: unknown
  /** Response headers (lower-case names); empty without an answer. */
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  /** Without an answer: the network error's code (`ECONNREFUSED`, `TIMEOUT`, …). */
  readonly error?: string
}

export type Method = "GET" | "POST" | "DELETE"

export interface JsonClientOptions {
  /** Sockets kept open to the server (default 64). */
  readonly maxSockets?: number
  /** Deadline of one request, ms (default 10,000): past it the request is aborted with `TIMEOUT`. */
  readonly timeoutMs?: number
  /** Sent as `Authorization: Bearer …` on every request unless a call gives its own token. */
  readonly adminToken?: string | undefined
}

/** The base URL's host as node:http wants it (IPv6 literals without brackets). */
const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, "$1")

export class JsonClient {
  readonly base: URL
  private readonly agent: Agent
  private readonly host: string
  private readonly port: number
  private readonly timeoutMs: number
  private readonly adminToken: string | undefined

  constructor(address: string, options: JsonClientOptions | number = {}) {
    // A bare number is the maxSockets of the benches' original client.
    const o: JsonClientOptions = typeof options === "number" ? { maxSockets: options } : options
    this.base = new URL(address)
    this.host = hostOf(this.base)
    this.port = Number(this.base.port || (this.base.protocol === "https:" ? 443 : 80))
    const maxSockets = o.maxSockets ?? 64
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets })
    this.timeoutMs = o.timeoutMs ?? 10_000
    this.adminToken = o.adminToken
  }

  send(method: Method, path: string, token?: string, body?: unknown, extraHeaders?: Record<string, string>): Promise<Reply> {
    return new Promise((resolve) => {
      const payload = body === undefined ? undefined : JSON.stringify(body)
      const headers: Record<string, string> = { ...extraHeaders }
      const bearer = token ?? this.adminToken
      if (bearer !== undefined) headers["authorization"] = `Bearer ${bearer}`
      if (payload !== undefined) {
        headers["content-type"] = "application/json"
        headers["content-length"] = String(Buffer.byteLength(payload))
      }
      let settled = false
      const done = (r: Reply): void => {
        if (settled) return
        settled = true
        resolve(r)
      }
      const req = request({ host: this.host, port: this.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks: Array<Buffer> = []
        res.on("data", (c: Buffer) => chunks.push(c))
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString()
          let parsed: unknown = undefined
          if (text !== "") {
            try {
              parsed = JSON.parse(text)
            } catch {
              parsed = text
            }
          }
          done({ status: res.statusCode ?? 0, body: parsed, headers: res.headers })
        })
        res.on("error", (e: NodeJS.ErrnoException) => done({ status: 0, body: undefined, headers: {}, error: e.code ?? "ERESPONSE" }))
      })
      req.setTimeout(this.timeoutMs, () => {
        req.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" }))
      })
      req.on("error", (e: NodeJS.ErrnoException) => done({ status: 0, body: undefined, headers: {}, error: e.code ?? e.message }))
      req.setNoDelay(true)
      req.end(payload)
    })
  }

  async close(): Promise<void> {
    this.agent.destroy()
  }
}

/** The catalogue code of an error reply (`{code}` body), the network error, or `HTTP_<status>`. */
export const errorCodeOf = (r: Reply): string => {
  if (r.status === 0) return r.error ?? "NETWORK"
  const code = typeof r.body === "object" && r.body !== null ? (r.body as { code?: unknown }).code : undefined
  return typeof code === "string" && /^[A-Z0-9_]{1,64}$/.test(code) ? code : `HTTP_${r.status}`
}

/** A one-line description of a failed reply, for messages (never the whole body). */
export const describeReply = (r: Reply): string => {
  if (r.status === 0) return `no answer (${r.error ?? "network error"})`
  const message = typeof r.body === "object" && r.body !== null ? (r.body as { message?: unknown }).message : undefined
  return `${r.status} ${errorCodeOf(r)}${typeof message === "string" ? `: ${message.slice(0, 200)}` : ""}`
}
