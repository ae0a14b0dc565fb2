/**
 * The HTTP edge of mock-odigo: what is refused before any route runs — by Node's HTTP parser (a
 * request line and headers past its limit, a request that is not HTTP/1.1, a client too slow to
 * send its request), by fastify's router (an over-long path parameter, a badly encoded URL) or
 * by no route matching (no such path; a path without that method).
 *
 * Invariant: each of these answers `{code, message}` with a catalogue code and the catalogue's
 * HTTP status, like every other error of the mock (fastify's own answers carry codes such as
 * FST_ERR_MAX_PARAM_LENGTH that no client can look up). test/odigo/limits.test.ts sends every
 * route oversized and malformed requests and checks each answer against the catalogue.
 */
import { maxHeaderSize, STATUS_CODES } from "node:http"
import type { Socket } from "node:net"
import type { FastifyError, FastifyReply, FastifyRequest, RouteOptions } from "fastify"
import { ERRORS, type ErrorCode } from "../errors.js"

/** Longest path parameter the router accepts, characters (ids and logins are at most 64). */
export const MAX_PARAM_LENGTH = 100

const body = (code: ErrorCode, message: string) => ({ code, message })

/** fastify's `frameworkErrors`: refusals of its router, before routing completes. */
export const frameworkErrors = (error: FastifyError, _req: FastifyRequest, reply: FastifyReply): void => {
  const [code, message]: [ErrorCode, string] =
    error.code === "FST_ERR_MAX_PARAM_LENGTH"
      ? ["INVALID_BODY", `params: a path parameter is longer than ${MAX_PARAM_LENGTH} characters`]
      : error.code === "FST_ERR_BAD_URL"
        ? ["INVALID_BODY", "params: the URL is not validly percent-encoded"]
        : ["INTERNAL", "Unexpected server error"]
  void reply.code(ERRORS[code].status).send(body(code, message))
}

/**
 * fastify's `clientErrorHandler`: requests Node's HTTP parser refuses never reach fastify; they
 * are answered here, on the raw socket, which is then closed (the stream is unusable).
 */
export const clientErrorHandler = (error: Error & { readonly code?: string }, socket: Socket): void => {
  if (error.code === "ECONNRESET" || socket.destroyed) return
  const [code, message]: [ErrorCode, string] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? ["HEADERS_TOO_LARGE", `The request line and headers exceed ${Math.round(maxHeaderSize / 1024)} KiB`]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? ["REQUEST_TIMEOUT", "The request was not received in time"]
        : ["MALFORMED_HTTP", "The request is not valid HTTP/1.1"]
  const status = ERRORS[code].status
  const text = JSON.stringify(body(code, message))
  if (!socket.writable) return void socket.destroy()
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Error"}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`
  )
}

/**
 * The methods of every path pattern (filled by an `onRoute` hook), so that a request no route
 * matched is told 405 METHOD_NOT_ALLOWED with `Allow` when its path exists with other methods,
 * and 404 NOT_FOUND otherwise.
 */
export class RouteTable {
  private readonly patterns: Array<{ readonly source: string; readonly re: RegExp; readonly methods: Set<string> }> = []

  /** An `onRoute` hook. HEAD routes that mirror a GET are left implicit (GET implies HEAD). */
  readonly onRoute = (route: RouteOptions): void => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== "HEAD")
    if (methods.length === 0) return
    const source = `^${route.url.split("/").map((seg) => (seg.startsWith(":") ? "[^/]+" : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("/")}$`
    let entry = this.patterns.find((p) => p.source === source)
    if (entry === undefined) this.patterns.push((entry = { source, re: new RegExp(source), methods: new Set() }))
    for (const m of methods) entry.methods.add(m)
  }

  /** The not-found handler. */
  readonly notFound = (req: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const path = req.url.split("?")[0] ?? ""
    const allowed = this.patterns.find((p) => p.re.test(path))?.methods
    if (allowed === undefined || allowed.size === 0) return reply.code(404).send(body("NOT_FOUND", `No route ${req.method} ${path}`))
    const allow = [...allowed].join(", ")
    return reply.code(405).header("allow", allow).send(body("METHOD_NOT_ALLOWED", `${req.method} is not allowed on ${path}; allowed: ${allow}`))
  }
}
