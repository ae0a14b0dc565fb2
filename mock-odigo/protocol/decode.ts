/**
 * Turning untrusted input into typed commands: text frame -> JSON -> envelope -> command.
 *
 * Invariant: decoding never throws; every failure yields a catalogue code (BAD_JSON, BAD_FRAME,
 * UNKNOWN_TYPE, BAD_PAYLOAD) and, when the frame carried a usable `id`, that id, so the error
 * frame can be correlated. Messages name the path of every problem (`payload.callRef: …`), in
 * the project's one path syntax (sim/domain/problem.ts).
 */
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import { formatProblemsInline, issueProblems, type Problem } from "../../sim/domain/problem.js"
import type { ErrorCode } from "../errors.js"

/** Result of decoding one frame. */
export type Decoded<C> =
  | { readonly ok: true; readonly id: string | undefined; readonly command: C }
  | { readonly ok: false; readonly id: string | undefined; readonly code: ErrorCode; readonly message: string }

/**
 * Every problem of a schema issue, with the project's one path syntax (`payload.items[3].callRef`,
 * sim/domain/problem.ts) and the schema library's own messages (wire messages keep their wording).
 */
export const wireProblems = (issue: SchemaIssue.Issue, prefix = ""): ReadonlyArray<Problem> => issueProblems(issue, prefix, { reword: false })

/** True when the issue (or one inside it) is a key the schema does not define. */
export const hasUnknownField = (issue: SchemaIssue.Issue): boolean => {
  switch (issue._tag) {
    case "UnexpectedKey":
      return true
    case "Pointer":
    case "Encoding":
    case "Filter":
      return hasUnknownField(issue.issue)
    case "Composite":
    case "AnyOf":
      return issue.issues.some(hasUnknownField)
    default:
      return false
  }
}

/** A schema issue as one line: `path: message; path: message`. */
export const issueMessage = (issue: SchemaIssue.Issue, prefix = ""): string => formatProblemsInline(wireProblems(issue, prefix))

const isUsableId = (rawId: unknown): rawId is string => typeof rawId === "string" && rawId.length >= 1 && rawId.length <= 64

/**
 * The `id` of a frame's text when it is usable (a string of 1 to 64 characters), without
 * decoding the command: for a frame refused unread (RATE_LIMITED), whose error still names it.
 */
export const frameIdOf = (text: string): string | undefined => {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined
  const rawId = (raw as Record<string, unknown>)["id"]
  return isUsableId(rawId) ? rawId : undefined
}

/** Builds a decoder from a `type -> frame schema` table. */
export const makeFrameDecoder = <T extends Record<string, Schema.Top>>(table: T) => {
  const decoders = new Map<string, (u: unknown) => ReturnType<ReturnType<typeof Schema.decodeUnknownResult>>>()
  for (const [type, schema] of Object.entries(table)) {
    decoders.set(type, Schema.decodeUnknownResult(schema as unknown as Schema.Codec<unknown, unknown>) as never)
  }
  const known = [...decoders.keys()].join(", ")

  return (text: string): Decoded<{ [K in keyof T]: T[K]["Type"] }[keyof T]> => {
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch {
      return { ok: false, id: undefined, code: "BAD_JSON", message: "Frame is not valid JSON text" }
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      return { ok: false, id: undefined, code: "BAD_FRAME", message: "Frame must be a JSON object { type, id?, payload? }" }
    }
    const rec = raw as Record<string, unknown>
    const rawId = rec["id"]
    const id = isUsableId(rawId) ? rawId : undefined
    if (rawId !== undefined && id === undefined) return { ok: false, id: undefined, code: "BAD_FRAME", message: "id: expected a string of 1 to 64 characters" }
    const type = rec["type"]
    if (typeof type !== "string") return { ok: false, id, code: "BAD_FRAME", message: "type: expected a string" }
    // The envelope's last rule: a payload, when present, is an object. Checked before the
    // command's schema so that every command, logged in or not, refuses `"payload": 7` alike.
    const payload = rec["payload"]
    if (payload !== undefined && (typeof payload !== "object" || payload === null || Array.isArray(payload))) {
      return { ok: false, id, code: "BAD_FRAME", message: "payload: expected a JSON object" }
    }
    const decode = decoders.get(type)
    if (decode === undefined) {
      return { ok: false, id, code: "UNKNOWN_TYPE", message: `Unknown command type ${JSON.stringify(type.slice(0, 64))}; expected one of ${known}` }
    }
    const result = decode(rec)
    if (result._tag === "Failure") {
      const failure = (result as unknown as { failure: { issue: SchemaIssue.Issue } }).failure
      return { ok: false, id, code: "BAD_PAYLOAD", message: issueMessage(failure.issue) }
    }
    return { ok: true, id, command: (result as unknown as { success: never }).success }
  }
}
