/**
 * What both mock servers need at their HTTP edge, once: which methods each route pattern has
 * (so a request no route matched is told 405 with `Allow` when its path exists with other
 * methods, 404 otherwise), which kind of refusal Node's HTTP parser made, and how to answer on
 * the raw socket it leaves (a JSON error body, then close). Each mock keeps its own error codes,
 * bodies and audit around these.
 */
import { STATUS_CODES } from "node:http"
import type { Socket } from "node:net"

/** The methods of every path pattern, filled from the routes (`:param` segments match one segment). */
export class RouteMethods {
  private readonly patterns: Array<{ readonly source: string; readonly re: RegExp; readonly methods: Set<string> }> = []

  /** Registers a route (HEAD routes that mirror a GET are left implicit: GET implies HEAD). */
  add(url: string, method: string | ReadonlyArray<string>): void {
    const methods = (typeof method === "string" ? [method] : method).filter((m) => m !== "HEAD")
    if (methods.length === 0) return
    const source = `^${url.split("/").map((seg) => (seg.startsWith(":") ? "[^/]+" : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("/")}$`
    let entry = this.patterns.find((p) => p.source === source)
    if (entry === undefined) this.patterns.push((entry = { source, re: new RegExp(source), methods: new Set() }))
    for (const m of methods) entry.methods.add(m)
  }

  /** The methods allowed on a path ("GET, POST"), or undefined when no route has that path. */
  allowed(path: string): string | undefined {
    const methods = this.patterns.find((p) => p.re.test(path))?.methods
    return methods === undefined || methods.size === 0 ? undefined : [...methods].join(", ")
  }
}

/** Why Node's HTTP parser refused a request before any server code saw it. */
export type ParserRefusal = "headersTooLarge" | "timeout" | "malformed"

export const parserRefusal = (error: Error & { readonly code?: string }): ParserRefusal =>
  error.code === "HPE_HEADER_OVERFLOW" ? "headersTooLarge" : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? "timeout" : "malformed"

/** Answers `status` with a JSON body on a raw socket, then closes it (the stream is unusable). */
export const answerOnSocket = (socket: Socket, status: number, body: unknown): void => {
  if (!socket.writable) return void socket.destroy()
  const text = JSON.stringify(body)
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Error"}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`
  )
}
