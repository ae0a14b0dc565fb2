/**
 * Problems in user input, and the two expected failures every command maps to an exit code
 * (DESIGN.md "Errors": 0 ok, 1 runtime failure, 2 bad input).
 *
 * ONE `Problem` type (where + what), ONE path syntax (`arrivals.months[3].calls`, `file:line`,
 * `--flag`), ONE formatter. Scenario decoding, CSV readers, the CLI and both mocks use them, so
 * a planner reads every problem the same way whichever part of ccsim found it.
 *
 * Invariant: a `BadInput` lists every problem found, each with the location of the offending
 * value; it is never shown with a stack trace.
 */
import * as Data from "effect/Data"
import * as SchemaIssue from "effect/SchemaIssue"

/** One problem in user input: where it is and what is wrong. */
export interface Problem {
  /** Location: `file`, `file:line`, `--flag`, or a path inside a document (`arrivals.months[3].calls`); "" for the whole input. */
  readonly path: string
  readonly message: string
}

/** `["arrivals", "months", 3, "calls"]` -> `arrivals.months[3].calls` (prefixed by `prefix` when given). */
export const formatPath = (path: ReadonlyArray<PropertyKey>, prefix = ""): string =>
  path.reduce<string>((acc, key) => {
    if (typeof key === "number") return `${acc}[${key}]`
    const k = String(key)
    return acc === "" ? k : `${acc}.${k}`
  }, prefix)

const standardFormatter = SchemaIssue.makeFormatterStandardSchemaV1()

/** Rewords the few schema messages a planner would find cryptic. */
const friendlier = (message: string): string =>
  message.startsWith("Unexpected key") || message === "Expected no excess property"
    ? "unknown field (check its spelling and indentation)"
    : message === "Missing key"
      ? "missing field"
      : message

/**
 * Every problem in an effect/Schema issue, as (path, message), in document order, deduplicated.
 * `prefix` names the document the issue is about (`body`, `payload`), when it is not the root.
 * `reword: false` keeps the schema library's own messages ("Missing key") instead of the
 * planner's wording: the mocks' wire messages, which clients may already match, use it.
 */
export const issueProblems = (issue: SchemaIssue.Issue, prefix = "", options: { readonly reword?: boolean } = {}): ReadonlyArray<Problem> => {
  const reword = options.reword ?? true
  const seen = new Set<string>()
  const out: Problem[] = []
  for (const i of standardFormatter(issue).issues) {
    const keys = (i.path ?? []).map((p) => (typeof p === "object" && p !== null && "key" in p ? p.key : p)) as PropertyKey[]
    const path = formatPath(keys, prefix)
    const key = `${path}\u0000${i.message}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push({ path, message: reword ? friendlier(i.message) : i.message })
  }
  return out
}

/** One line per problem: `  path: message` (or `  message` when the problem has no path). */
export const formatProblemLines = (problems: ReadonlyArray<Problem>, indent = "  "): string[] =>
  problems.map((p) => (p.path ? `${indent}${p.path}: ${p.message}` : `${indent}${p.message}`))

/** `source: N problems` then one line per problem. */
export const formatProblems = (source: string, problems: ReadonlyArray<Problem>): string => {
  const n = problems.length
  return [`${source}: ${n} problem${n === 1 ? "" : "s"}`, ...formatProblemLines(problems)].join("\n")
}

/** The problems on one line: `path: message; path: message` (for wire error messages). */
export const formatProblemsInline = (problems: ReadonlyArray<Problem>): string =>
  problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join("; ")

/** The user's input (file, flags, scenario) is wrong; exit code 2. */
export class BadInput extends Data.TaggedError("BadInput")<{
  /** What was being read, e.g. the scenario file name, or "command line". */
  readonly source: string
  readonly problems: ReadonlyArray<Problem>
}> {
  override get message(): string {
    return formatProblems(this.source, this.problems)
  }
}

/** A failure that is not the user's input (I/O, worker crash); exit code 1. */
export class RuntimeFailure extends Data.TaggedError("RuntimeFailure")<{
  readonly message: string
}> {}

/** Problems found while turning input into something runnable (compiling a scenario, reading a CSV it names). */
export class ProblemsError extends Error {
  constructor(readonly problems: ReadonlyArray<Problem>) {
    super(formatProblemsInline(problems))
  }
}
