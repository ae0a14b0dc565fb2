/**
 * The one catalogue of mock-odigo's stable error codes and websocket close codes.
 *
 * Invariant: every error the mock reports — an `error` frame on a websocket, a `{code, message}`
 * body on REST, a close code — uses a code listed here, with a one-line description. The
 * README's catalogue, the AsyncAPI/OpenAPI enums and the `ErrorCode` type are all generated
 * from or checked against this object (test/odigo/catalogue.test.ts), so they cannot drift.
 * Codes are never renamed or reused for another meaning; new ones are added at the end.
 */

/** Where a code can appear: on the websocket (`error` frame), on REST (response body), or both. */
export type ErrorChannel = "ws" | "rest" | "both"

interface ErrorSpec {
  /** HTTP status when returned by REST (ignored for ws-only codes). */
  readonly status: number
  readonly channel: ErrorChannel
  /** One line, shown in the README and the API documents. */
  readonly doc: string
}

export const ERRORS = {
  BAD_JSON: { status: 400, channel: "both", doc: "The frame or request body is not valid JSON." },
  BAD_FRAME: { status: 400, channel: "ws", doc: "The frame is not a JSON object with a string `type` (and an optional string `id` of at most 64 characters, an optional object `payload`), or it is binary." },
  UNKNOWN_TYPE: { status: 400, channel: "ws", doc: "The frame's `type` is not a command of this websocket (/agent or /supervision)." },
  BAD_PAYLOAD: { status: 400, channel: "ws", doc: "The command's `payload` does not match its schema; the message gives the path of each problem." },
  RATE_LIMITED: { status: 429, channel: "ws", doc: "The connection sent frames faster than its budget; this frame was ignored (a flood that continues is closed with 1008)." },
  NOT_LOGGED_IN: { status: 401, channel: "ws", doc: "Only `login` and `ping` are accepted before a successful login." },
  ALREADY_LOGGED_IN: { status: 409, channel: "ws", doc: "This connection is already logged in; log out first." },
  BAD_CREDENTIALS: { status: 401, channel: "ws", doc: "Unknown login or wrong password." },
  WRONG_ROLE: { status: 403, channel: "ws", doc: "The account's role does not match the websocket: agents use /agent, supervisors /supervision." },
  INVALID_STATE: { status: 409, channel: "ws", doc: "The command is not allowed in the agent's current state; nothing changed." },
  UNKNOWN_CALL: { status: 404, channel: "both", doc: "No such call (REST), or the callRef is not the agent's current call (ws)." },
  UNKNOWN_TARGET: { status: 400, channel: "ws", doc: "Transfer target is not one of the configured level-1+ platforms (no transfer not driven by Odigo)." },
  QUALIFICATION_REQUIRED: { status: 409, channel: "ws", doc: "Wrap-up cannot end before the call is qualified (server started with qualification required)." },
  INVALID_BODY: { status: 400, channel: "rest", doc: "The request body, query or path parameters do not match the route's schema; the message gives the path of each problem." },
  GENERIC_ACCOUNT: { status: 422, channel: "rest", doc: "Account refused: not nominative (CCTP SEC-HAB-01) — missing or placeholder names, shared login, or generic e-mail." },
  ACCOUNT_EXISTS: { status: 409, channel: "rest", doc: "An account with this login or e-mail already exists (one personal identifier per person)." },
  UNKNOWN_ACCOUNT: { status: 404, channel: "rest", doc: "No account with this login." },
  CALL_ENDED: { status: 409, channel: "rest", doc: "The call has already ended (answered or abandoned); the caller cannot hang up again." },
  QUEUE_FULL: { status: 503, channel: "rest", doc: "The queues hold the configured maximum of waiting calls; the call was not injected." },
  RANGE_TOO_LARGE: { status: 400, channel: "rest", doc: "The statistics range spans more intervals than allowed in one request." },
  FORBIDDEN: { status: 403, channel: "rest", doc: "Admin endpoints answer only loopback clients, or clients with the configured bearer token." },
  NOT_FOUND: { status: 404, channel: "rest", doc: "No such route." },
  BODY_TOO_LARGE: { status: 413, channel: "rest", doc: "The request body exceeds the size limit." },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, channel: "rest", doc: "Request bodies must be application/json." },
  CONNECTIONS_REFUSED: { status: 503, channel: "rest", doc: "New websocket connections are refused (fault injected, server closing, or connection limit reached)." },
  SERVER_CLOSING: { status: 503, channel: "rest", doc: "The server is shutting down; no new calls are accepted." },
  INTERNAL: { status: 500, channel: "both", doc: "Unexpected server error (a bug); the connection and the server keep running." },
  UNKNOWN_FIELD: { status: 400, channel: "rest", doc: "The request body or query string has a field the route does not define (a misspelt field is refused, never ignored); the message names each." },
  METHOD_NOT_ALLOWED: { status: 405, channel: "rest", doc: "The path exists but not with this method; the `Allow` header lists its methods." },
  HEADERS_TOO_LARGE: { status: 431, channel: "rest", doc: "The request line and headers exceed Node's limit (16 KiB); the connection is closed." },
  MALFORMED_HTTP: { status: 400, channel: "rest", doc: "The request is not valid HTTP/1.1 (request line, header syntax, Content-Length or Transfer-Encoding); the connection is closed." },
  REQUEST_TIMEOUT: { status: 408, channel: "rest", doc: "The client did not send its whole request in time; the connection is closed." }
} as const satisfies Record<string, ErrorSpec>

/** A stable error code. */
export type ErrorCode = keyof typeof ERRORS

export const ERROR_CODES = Object.keys(ERRORS) as ReadonlyArray<ErrorCode>

/** Error codes that can appear in a websocket `error` frame. */
export const WS_ERROR_CODES: ReadonlyArray<ErrorCode> = ERROR_CODES.filter((c) => ERRORS[c].channel !== "rest")

/** Error codes that can appear in a REST error body. */
export const REST_ERROR_CODES: ReadonlyArray<ErrorCode> = ERROR_CODES.filter((c) => ERRORS[c].channel !== "ws")

export const isErrorCode = (u: unknown): u is ErrorCode => typeof u === "string" && Object.hasOwn(ERRORS, u)

/**
 * Websocket close codes the mock uses. 1000–1011 are RFC 6455 codes (1009 is sent by `ws`
 * itself when a frame exceeds `maxPayload`); 4000–4999 are the range RFC 6455 leaves to
 * applications.
 */
export const CLOSE_CODES = {
  1000: "Normal closure.",
  1001: "Going away: the server is shutting down (a `server.closing` frame precedes it).",
  1008: "Policy violation: the client kept flooding after RATE_LIMITED errors.",
  1009: "Message too big: a frame exceeded the server's maxPayload (4 KiB by default).",
  4000: "Session replaced: the same account logged in on another connection.",
  4001: "Login timeout: no successful login within the allowed time after connecting.",
  4002: "Slow consumer: the client did not read its frames and the send buffer passed its hard limit.",
  4003: "Account removed by an administrator."
} as const satisfies Record<number, string>

export type CloseCode = keyof typeof CLOSE_CODES

/** An expected failure with a catalogue code; REST turns it into a status and a body. */
export class OdigoError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string
  ) {
    super(message)
    this.name = "OdigoError"
  }

  /** HTTP status for this code. */
  get status(): number {
    return ERRORS[this.code].status
  }
}
