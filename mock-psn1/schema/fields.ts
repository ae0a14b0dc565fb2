/**
 * Field schemas shared by every request and response of mock-psn1 (effect/Schema).
 *
 * Invariant: each field's JSON Schema export is exact — the same strings pass the effect
 * decoder and the OpenAPI/AsyncAPI documents. That is why lengths count Unicode code points
 * (as JSON Schema does) and every RegExp carries the `u` flag (effect only exports patterns
 * it can express). Structured fields (ids, NIR, email, codes) are whitelisted patterns, so
 * injection-shaped strings fail them; free text goes through `PlainText`, which refuses
 * markup, control characters and bidirectional overrides with the code UNSAFE_TEXT.
 */
import * as Schema from "effect/Schema"
import { isValidNir, NIR_SHAPE } from "../domain/nir.js"
import { FLOW_CODES, REASON_CODES, type FlowCode, type ReasonCode } from "../../sim/domain/vocabulary.js"

const codePoints = (s: string): number => {
  let n = 0
  for (const _ of s) n++
  return n
}

/** A length check in code points whose JSON Schema (`minLength`/`maxLength`) is exact. */
export const isChars = (min: number, max: number) =>
  Schema.makeFilter<string>((s) => {
    const n = codePoints(s)
    return n >= min && n <= max
  }, {
    expected: min === max ? `exactly ${min} characters` : `between ${min} and ${max} characters`,
    toJsonSchema: () => ({ minLength: min, maxLength: max })
  })

const stringOf = (min: number, max: number, pattern: RegExp, expected: string, description: string) =>
  Schema.String.check(isChars(min, max), Schema.isPattern(pattern, { expected })).annotate({ description })

/** The `expected` text of the plain-text check, by which decode.ts recognises UNSAFE_TEXT. */
export const PLAIN_TEXT_EXPECTED = "plain text without markup, control characters or bidirectional overrides"

/**
 * The check behind UNSAFE_TEXT: no markup opener (`<` + letter, `/`, `!` or `?`), no control
 * character other than tab/newline/carriage return, no bidirectional override.
 */
export const isPlainText = Schema.isPattern(
  // eslint-disable-next-line no-control-regex
  /^(?![\s\S]*<[A-Za-z/!?])[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]*$/u,
  { expected: PLAIN_TEXT_EXPECTED }
)

/** Free text of 1..maxChars code points, stored verbatim and always returned JSON-encoded. */
export const PlainText = (maxChars: number, description: string) =>
  Schema.String.check(isChars(1, maxChars), isPlainText).annotate({ description })

/** An email address (ASCII, ≤ 254 characters); the server compares emails in lower case. */
export const Email = stringOf(3, 254, /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/u,
  "an email address", "Email address (compared case-insensitively).")

/** A person's first or last name: letters, spaces, hyphens, apostrophes. */
export const PersonName = stringOf(1, 60, /^\p{L}[\p{L}\p{M} '’-]*$/u,
  "a name made of letters, spaces, hyphens or apostrophes", "A person's name.")

/** A password as typed (the policy is checked separately, at account creation). */
export const Password = Schema.String.check(isChars(1, 256)).annotate({
  description: "Password; never stored in clear, never logged.",
  writeOnly: true
})

/** A 6-digit one-time password. */
export const Otp = stringOf(6, 6, /^[0-9]{6}$/u, "6 digits", "The 6-digit code received by email.")

/**
 * A NIR: 13 digits (a Corsican département is 2A or 2B) + the control key 97 − (first 13 mod
 * 97, 2A/2B counted as 19/18). The key is only reported when the shape is right (one problem).
 */
export const Nir = Schema.String.check(
  Schema.isPattern(new RegExp(NIR_SHAPE.source, "u"), { expected: "13 digits (2A or 2B for a Corsican département) + a 2-digit key" }),
  Schema.makeFilter<string>((s) => !NIR_SHAPE.test(s) || isValidNir(s), {
    expected: "a NIR whose 2-digit key is 97 − (first 13 digits mod 97, 2A/2B counted as 19/18)"
  })
).annotate({ description: "NIR (social-security number): 13 digits (2A/2B for a Corsican département) + 2-digit key." })

export const InsuredId = stringOf(8, 8, /^I[0-9]{7}$/u, "an insured id like I0000042", "Insured person id.")
export const DeviceId = stringOf(12, 12, /^DV[0-9]{7}-[0-9]{2}$/u, "a device id like DV0000042-01", "Device id.")
export const TicketId = stringOf(7, 12, /^T[0-9]{6,11}$/u, "a ticket id like T000001", "Ticket id.")
export const FormId = stringOf(7, 12, /^F[0-9]{6,11}$/u, "a form id like F000001", "Contact form id.")
export const TemplateId = stringOf(5, 44, /^TPL-[A-Z0-9-]{1,40}$/u, "a template id like TPL-ENROLMENT", "Answer template id.")

/** ISO-8601 UTC timestamp with milliseconds, as produced by `Date.prototype.toISOString`. */
export const Timestamp = stringOf(24, 24, /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$/u,
  "an ISO-8601 UTC timestamp", "ISO-8601 UTC timestamp.")

/** A calendar day `YYYY-MM-DD` (Europe/Paris days where the endpoint says so). */
export const Day = stringOf(10, 10, /^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$/u, "a day YYYY-MM-DD", "Calendar day.")

/** A positive integer carried in a query string (1..999999). */
export const PositiveIntString = stringOf(1, 6, /^[1-9][0-9]{0,5}$/u, "a positive integer", "Positive integer.")

/** An account's role. The security officer's role is never assignable through the API. */
export const Role = Schema.Literals(["securityOfficer", "supervisor", "advisor"]).annotate({ description: "Account role." })
export type Role = typeof Role.Type
export const AssignableRole = Schema.Literals(["supervisor", "advisor"]).annotate({ description: "Role given to a new account." })

/** One of the 17 CCTP call reasons (sim/domain/vocabulary.ts). */
export const ReasonCodeSchema = Schema.Literals(REASON_CODES as ReadonlyArray<ReasonCode> as [ReasonCode, ...Array<ReasonCode>])
  .annotate({ description: "CCTP 2.1.7 reason code (see GET /reasons)." })
/** One of the two IVR flows. */
export const FlowCodeSchema = Schema.Literals(FLOW_CODES as ReadonlyArray<FlowCode> as [FlowCode, ...Array<FlowCode>])
  .annotate({ description: "IVR flow the call came through." })

/** Text length limits, in code points. */
export const LIMITS = {
  noteChars: 1000,
  titleChars: 200,
  descriptionChars: 4000,
  commentChars: 2000,
  answerChars: 4000,
  subjectChars: 200,
  messageChars: 4000
} as const
