/**
 * Decoding untrusted input (path params, query strings, JSON bodies, websocket frames) with
 * effect/Schema, and turning a failure into one stable error.
 *
 * Invariant: unknown keys are always rejected (`onExcessProperty: "error"`), every problem is
 * reported with its path, and the code is chosen by precedence — UNKNOWN_FIELD, then
 * UNSAFE_TEXT, then INVALID_REQUEST — so a client sees the most specific reason. Paths use the
 * project's one syntax (`body.items[2].note`, sim/domain/problem.ts). Messages never echo the
 * offending value (it may be a password typed in the wrong field).
 */
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import { issueProblems } from "../../sim/domain/problem.js"
import { Psn1Error, type ErrorCode, type Problem } from "../errors.js"
import { PLAIN_TEXT_EXPECTED } from "./fields.js"

const OPTIONS = { onExcessProperty: "error", errors: "all" } as const

/** Which specific codes the issue tree calls for. */
const scan = (issue: SchemaIssue.Issue, found: { unknownField: boolean; unsafeText: boolean }): void => {
  switch (issue._tag) {
    case "Pointer":
    case "Encoding":
      scan(issue.issue, found)
      return
    case "Composite":
    case "AnyOf":
      for (const child of issue.issues) scan(child, found)
      return
    case "Filter":
      // Matched on its annotation: `.check()` may copy filters, so identity is not reliable.
      if (issue.filter.annotations?.expected === PLAIN_TEXT_EXPECTED) found.unsafeText = true
      scan(issue.issue, found)
      return
    case "UnexpectedKey":
      found.unknownField = true
      return
    default:
      return
  }
}

/** Maps a decoding issue to the error the client receives. `where` is `body`, `query`, … */
const errorOfIssue = (issue: SchemaIssue.Issue, where: string): Psn1Error => {
  const found = { unknownField: false, unsafeText: false }
  scan(issue, found)
  // The project's one path syntax (sim/domain/problem.ts); the schema library's own messages,
  // but for an excess property, which this API has always called an unknown field.
  const problems: Array<Problem> = issueProblems(issue, where, { reword: false }).map((p) =>
    p.message === "Expected no excess property" ? { path: p.path, message: "Unknown field" } : p)
  const code: ErrorCode = found.unknownField ? "UNKNOWN_FIELD" : found.unsafeText ? "UNSAFE_TEXT" : "INVALID_REQUEST"
  const first = problems[0]
  const summary = first === undefined ? `invalid ${where}` : `${first.path}: ${first.message}`
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : ""
  return new Psn1Error(code, `${summary}${more}`, { problems })
}

/** A reusable decoder: returns the decoded value or throws the Psn1Error for `where`. */
export const makeDecoder = <S extends Schema.ConstraintDecoder<unknown>>(schema: S, where: string) => {
  const decode = Schema.decodeUnknownResult(schema)
  return (input: unknown): S["Type"] => {
    const result = decode(input, OPTIONS)
    if (Result.isSuccess(result)) return result.success
    throw errorOfIssue(result.failure.issue, where)
  }
}
