/**
 * Decoding untrusted input (path params, query strings, JSON bodies, websocket frames) with
 * effect/Schema, and turning a failure into one stable error.
 *
 * Invariant: unknown keys are always rejected (`onExcessProperty: "error"`), every problem is
 * reported with its path, and the code is chosen by precedence — UNKNOWN_FIELD, then
 * UNSAFE_TEXT, then INVALID_REQUEST — so a client sees the most specific reason. Messages
 * never echo the offending value (it may be a password typed in the wrong field).
 */
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import { Psn1Error, type ErrorCode, type Problem } from "../errors.js"
import { isPlainText } from "./fields.js"

const OPTIONS = { onExcessProperty: "error", errors: "all" } as const
const standard = SchemaIssue.makeFormatterStandardSchemaV1()

interface Flat {
  readonly problems: Array<Problem>
  unknownField: boolean
  unsafeText: boolean
}

const pathOf = (prefix: string, path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>((acc, k) => (typeof k === "number" ? `${acc}[${k}]` : `${acc}.${String(k)}`), prefix)

const flatten = (issue: SchemaIssue.Issue, path: string, out: Flat): void => {
  switch (issue._tag) {
    case "Pointer":
      flatten(issue.issue, pathOf(path, issue.path), out)
      return
    case "Composite":
      for (const child of issue.issues) flatten(child, path, out)
      return
    case "AnyOf":
      // No branch came close (e.g. a literal outside the allowed set): say what was expected.
      if (issue.issues.length === 0) {
        for (const i of standard(issue).issues) out.problems.push({ path: pathOf(path, (i.path ?? []).map((k) => (typeof k === "object" ? k.key : k))), message: i.message })
      }
      for (const child of issue.issues) flatten(child, path, out)
      return
    case "Encoding":
      flatten(issue.issue, path, out)
      return
    case "Filter": {
      if (issue.filter === isPlainText) out.unsafeText = true
      out.problems.push({ path, message: SchemaIssue.defaultCheckHook(issue) ?? "Invalid value" })
      return
    }
    case "UnexpectedKey":
      out.unknownField = true
      out.problems.push({ path, message: "Unknown field" })
      return
    default:
      out.problems.push({ path, message: SchemaIssue.defaultLeafHook(issue) })
  }
}

/** Maps a decoding issue to the error the client receives. `where` is `body`, `query`, … */
export const errorOfIssue = (issue: SchemaIssue.Issue, where: string): Psn1Error => {
  const flat: Flat = { problems: [], unknownField: false, unsafeText: false }
  flatten(issue, where, flat)
  const code: ErrorCode = flat.unknownField ? "UNKNOWN_FIELD" : flat.unsafeText ? "UNSAFE_TEXT" : "INVALID_REQUEST"
  const first = flat.problems[0]
  const summary = first === undefined ? `invalid ${where}` : `${first.path}: ${first.message}`
  const more = flat.problems.length > 1 ? ` (and ${flat.problems.length - 1} more)` : ""
  return new Psn1Error(code, `${summary}${more}`, { problems: flat.problems })
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
