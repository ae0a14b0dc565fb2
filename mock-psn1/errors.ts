/**
 * The error catalogue of mock-psn1: every code a client can receive, over HTTP or in a
 * websocket `error` frame, with its HTTP status and a one-line meaning.
 *
 * Invariant: this table is the only place a code is defined. `Psn1Error` only accepts a key
 * of it (the `ErrorCode` type), the OpenAPI/AsyncAPI error schemas enumerate its keys, and
 * mock-psn1/README.md documents each line; test/psn1/docs.test.ts ("the error catalogue") fails
 * if any of the three disagrees. Codes are stable: rename one and clients break, so add, never rename.
 *
 * 401 means "we do not know who you are" (no, bad, expired or revoked credentials); 403 means
 * "we know who you are and the answer is no" (role, disabled account).
 */

/** One catalogue line. */
export interface ErrorSpec {
  /** HTTP status answered with this code (websocket-only codes carry the status 400). */
  readonly status: number
  /** What happened and what the client can do, in one line. */
  readonly description: string
}

import type { Problem } from "../sim/domain/problem.js"

export const ERROR_CATALOGUE = {
  // --- malformed requests (nothing is written) ---
  BAD_JSON: { status: 400, description: "The body is not valid JSON (or carries a `__proto__`/`constructor` key)." },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: "The body is not `application/json`." },
  PAYLOAD_TOO_LARGE: { status: 413, description: "The body exceeds the size limit (32 KiB by default)." },
  INVALID_REQUEST: { status: 400, description: "A path parameter, query parameter or body field is missing or malformed; `problems` lists each with its path." },
  UNKNOWN_FIELD: { status: 400, description: "The body or query string has a field the endpoint does not define; `problems` names it." },
  UNSAFE_TEXT: { status: 400, description: "A text field holds markup (`<tag`), control characters or bidirectional overrides." },
  INVALID_IDEMPOTENCY_KEY: { status: 400, description: "The `Idempotency-Key` header is not 1–128 characters of `A-Z a-z 0-9 . _ : -`." },
  NOT_FOUND: { status: 404, description: "No endpoint has this path." },
  METHOD_NOT_ALLOWED: { status: 405, description: "The path exists but not with this method; the `Allow` header lists its methods." },
  HEADERS_TOO_LARGE: { status: 431, description: "The request line and headers exceed Node's limit (16 KiB); the connection is closed." },
  MALFORMED_HTTP: { status: 400, description: "The request is not valid HTTP/1.1 (request line, header syntax, Content-Length or Transfer-Encoding); the connection is closed." },
  REQUEST_TIMEOUT: { status: 408, description: "The client did not send its whole request in time; the connection is closed." },
  // --- authentication (401) and authorisation (403) ---
  AUTH_REQUIRED: { status: 401, description: "No `Authorization: Bearer <token>` header was sent." },
  TOKEN_INVALID: { status: 401, description: "The bearer token is malformed or unknown." },
  TOKEN_EXPIRED: { status: 401, description: "The bearer token is past its expiry time; log in again." },
  TOKEN_REVOKED: { status: 401, description: "The bearer token was revoked by logout." },
  ACCOUNT_REMOVED: { status: 401, description: "The account behind the token was removed by the security officer." },
  FORBIDDEN_ROLE: { status: 403, description: "The account's role may not use this endpoint or option." },
  INVALID_CREDENTIALS: { status: 401, description: "Email or password is wrong (same answer whether or not the account exists)." },
  OTP_INVALID: { status: 401, description: "The OTP is wrong, already used, superseded, or no login is pending for this email." },
  OTP_EXPIRED: { status: 401, description: "The OTP is older than its lifetime (5 min by default); log in again." },
  ACCOUNT_LOCKED: { status: 423, description: "Too many failed password/OTP attempts for this email from your address (password checks still running count as failures); retry after the `Retry-After` seconds, or ask the security officer to unlock it." },
  LOGIN_THROTTLED: { status: 429, description: "Your address failed for this email too recently: wait the `Retry-After` seconds (the wait doubles after each failure, up to 1 min); the attempt was not checked." },
  ACCOUNT_DISABLED: { status: 403, description: "The account was disabled after more than 90 days without login; the security officer must reactivate it." },
  // --- account administration (security officer) ---
  ACCOUNT_EXISTS: { status: 409, description: "An account with this email already exists." },
  ACCOUNT_NOT_FOUND: { status: 404, description: "No account has this email." },
  WEAK_PASSWORD: { status: 400, description: "The password breaks the policy: ≥ 10 characters, 3 of 4 classes, not containing the email's local part." },
  GENERIC_ACCOUNT: { status: 400, description: "The email is a shared mailbox (support@, contact@ …) or a name is a placeholder (Test, Agent …); accounts must be nominative (SEC-HAB-01)." },
  CANNOT_REMOVE_OFFICER: { status: 409, description: "The security officer's own account cannot be removed or changed through the API." },
  // --- insured people and interventions ---
  INSURED_NOT_FOUND: { status: 404, description: "No insured person has this id." },
  DEVICE_NOT_FOUND: { status: 404, description: "The insured person has no device with this id." },
  ALREADY_OPPOSED: { status: 409, description: "Opposition is already registered for this person." },
  ALREADY_CLOSED: { status: 409, description: "The person's profile is already closed." },
  OPPOSITION_NOT_ALLOWED: { status: 409, description: "The profile already exists: opposition is only possible before creation; use closure." },
  CLOSURE_NOT_ALLOWED: { status: 409, description: "There is no profile to close (creation pending or opposed)." },
  PROFILE_NOT_ACTIVE: { status: 409, description: "Devices can only be unlinked from an active profile." },
  DEVICE_ALREADY_UNLINKED: { status: 409, description: "The device is already unlinked." },
  // --- tickets to level 2 ---
  TICKET_NOT_FOUND: { status: 404, description: "No ticket has this id." },
  INVALID_TRANSITION: { status: 409, description: "The ticket cannot go from its current status to the requested one (see the allowed moves)." },
  TICKET_CLOSED: { status: 409, description: "The ticket is closed: no more comments or status changes." },
  IDEMPOTENCY_KEY_REUSED: { status: 409, description: "This `Idempotency-Key` was already used by you with a different body." },
  // --- contact forms ---
  FORM_NOT_FOUND: { status: 404, description: "No contact form has this id." },
  FORM_CLAIMED_BY_OTHER: { status: 409, description: "Another advisor holds the form (claim it only once it is released)." },
  FORM_NOT_CLAIMED: { status: 409, description: "Claim the form before answering or releasing it." },
  FORM_ALREADY_ANSWERED: { status: 409, description: "The form has already been answered." },
  TEMPLATE_NOT_FOUND: { status: 400, description: "`templateId` names no template of `GET /templates`." },
  QUEUE_EMPTY: { status: 404, description: "No unclaimed form is waiting." },
  // --- websocket /events ---
  WS_INVALID_MESSAGE: { status: 400, description: "A websocket frame was binary, not JSON, or not a known client message; the connection stays open." },
  // --- server ---
  INTERNAL: { status: 500, description: "Unexpected server error (a bug in the mock); the request may not have been applied." }
} as const satisfies Record<string, ErrorSpec>

/** Every stable error code. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE

export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ReadonlyArray<ErrorCode>

/** One problem in a rejected request: where (`body.email`, `query.page`, `body.items[2]`) and what — the project's one Problem type. */
export type { Problem }

/** A rejected request or message: a stable code, a human message, optional problems. */
export class Psn1Error extends Error {
  readonly code: ErrorCode
  readonly statusCode: number
  readonly problems: ReadonlyArray<Problem> | undefined
  /** Extra response headers (`Retry-After`, `WWW-Authenticate`). */
  readonly headers: Readonly<Record<string, string>> | undefined

  constructor(
    code: ErrorCode,
    message: string,
    extra?: { problems?: ReadonlyArray<Problem>; headers?: Record<string, string> }
  ) {
    super(message)
    this.name = "Psn1Error"
    this.code = code
    this.statusCode = ERROR_CATALOGUE[code].status
    this.problems = extra?.problems
    this.headers = extra?.headers
  }

  /** The JSON body sent to the client. */
  toBody(): ErrorBody {
    return this.problems === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, problems: this.problems }
  }
}

/** The wire shape of every error response (see schema/common.ts for its schema). */
export interface ErrorBody {
  readonly code: ErrorCode
  readonly message: string
  readonly problems?: ReadonlyArray<Problem>
}

export const isPsn1Error = (u: unknown): u is Psn1Error => u instanceof Psn1Error
