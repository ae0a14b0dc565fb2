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
import { maxHeaderSize } from "node:http"
import type { Socket } from "node:net"
import type { FastifyError, FastifyReply, FastifyRequest, RouteOptions } from "fastify"
import { answerOnSocket, parserRefusal, RouteMethods } from "../../sim/domain/http-edge.js"
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
  const refusal = parserRefusal(error)
  const [code, message]: [ErrorCode, string] =
    refusal === "headersTooLarge"
      ? ["HEADERS_TOO_LARGE", `The request line and headers exceed ${Math.round(maxHeaderSize / 1024)} KiB`]
      : refusal === "timeout"
        ? ["REQUEST_TIMEOUT", "The request was not received in time"]
        : ["MALFORMED_HTTP", "The request is not valid HTTP/1.1"]
  answerOnSocket(socket, ERRORS[code].status, body(code, message))
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

  /** The not-found handler. */
  readonly notFound = (req: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const path = req.url.split("?")[0] ?? ""
    const allow = this.routes.allowed(path)
    if (allow === undefined) return reply.code(404).send(body("NOT_FOUND", `No route ${req.method} ${path}`))
    return reply.code(405).header("allow", allow).send(body("METHOD_NOT_ALLOWED", `${req.method} is not allowed on ${path}; allowed: ${allow}`))
  }
}
