/**
 * The HTTP edge of mock-psn1: what is refused before any route runs — by Node's HTTP parser (a
 * request line and headers past its limit, a request that is not HTTP/1.1, a client too slow to
 * send its request) or by no route matching (no such path; a path without that method). The
 * router's own refusals (over-long parameter, bad encoding) are app.ts's `frameworkErrors`.
 *
 * Invariants: each answers the usual error body with a catalogue code and the catalogue's
 * status (fastify's and Node's own answers carry no code a client can look up), and each is
 * audited like any request — the access history has no hole for malformed traffic.
 * test/psn1/limits.test.ts sends every route oversized and malformed requests and checks each
 * answer against the catalogue.
 */
import { maxHeaderSize } from "node:http"
import type { Socket } from "node:net"
import type { FastifyReply, FastifyRequest, RouteOptions } from "fastify"
import { answerOnSocket, parserRefusal, RouteMethods } from "../../sim/domain/http-edge.js"
import { ERROR_CATALOGUE, Psn1Error, type ErrorCode } from "../errors.js"
import type { Portal } from "../portal.js"

/**
 * fastify's `clientErrorHandler`: requests Node's HTTP parser refuses never reach fastify; they
 * are answered on the raw socket, which is then closed (the stream is unusable), and audited as
 * `http.malformed` (no account, no target: nothing of the request could be read).
 */
export const clientErrorHandlerOf = (portal: Portal) => (error: Error & { readonly code?: string }, socket: Socket): void => {
  if (error.code === "ECONNRESET" || socket.destroyed) return
  const refusal = parserRefusal(error)
  const e =
    refusal === "headersTooLarge"
      ? new Psn1Error("HEADERS_TOO_LARGE", `the request line and headers exceed ${Math.round(maxHeaderSize / 1024)} KiB`)
      : refusal === "timeout"
        ? new Psn1Error("REQUEST_TIMEOUT", "the request was not received in time")
        : new Psn1Error("MALFORMED_HTTP", "the request is not valid HTTP/1.1")
  const status = ERROR_CATALOGUE[e.code].status
  portal.audit.append({
    atMs: portal.nowMs(), actor: null, role: null, action: "http.malformed", target: null,
    outcome: "rejected", status, code: e.code, ip: socket.remoteAddress ?? "-", userAgent: null
  })
  answerOnSocket(socket, status, e.toBody())
}

/**
 * The methods of every path pattern (filled by an `onRoute` hook), so that a request no route
 * matched is told 405 METHOD_NOT_ALLOWED with `Allow` when its path exists with other methods,
 * and 404 NOT_FOUND otherwise.
 */
export class RouteTable {
  private readonly routes = new RouteMethods()

  /** An `onRoute` hook. */
  readonly onRoute = (route: RouteOptions): void => this.routes.add(route.url, route.method)

  /** The not-found handler; the audit names 405s `http.methodNotAllowed` (404s stay `http.notFound`). */
  readonly notFound = (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const path = request.url.split("?")[0] ?? ""
    const allow = this.routes.allowed(path)
    let code: ErrorCode = "NOT_FOUND"
    let error = new Psn1Error("NOT_FOUND", `no endpoint ${request.method} ${path}`)
    if (allow !== undefined) {
      code = "METHOD_NOT_ALLOWED"
      error = new Psn1Error(code, `${request.method} is not allowed on ${path}; allowed: ${allow}`)
      request.psn1Audit = { action: "http.methodNotAllowed", target: `path:${path.slice(0, 120)}`, actor: null, role: null }
      void reply.header("allow", allow)
    }
    request.psn1ErrorCode = code
    return reply.code(ERROR_CATALOGUE[code].status).send(error.toBody())
  }
}
