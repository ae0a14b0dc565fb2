/**
 * Problems in user input, and the two expected failures every command maps to an exit code
 * (DESIGN.md "Errors": 0 ok, 1 runtime failure, 2 bad input).
 *
 * ONE `Problem` type (where + what), ONE path syntax (`arrivals.months[3].calls`, `file:line`,
 * `--flag`), ONE formatter. Scenario decoding, CSV readers, the CLI and both mocks use them, so
 * a planner reads every problem the same way whichever part of ccsim found it.
 *
 * Invariant: a `BadInput` lists every problem found, each with the location of the offending
 * value; it is never shown with a stack trace. A message never repeats more than
 * `QUOTE_MAX_CHARACTERS` characters of a user's value (`quote`), and the formatter prints at most
 * `PRINTED_PROBLEMS_MAX` problems: a 20 MB name or a file of garbage gives a few lines, not megabytes.
 */
import * as Data from "effect/Data"
import * as SchemaIssue from "effect/SchemaIssue"

/** One problem in user input: where it is and what is wrong. */
export interface Problem {
  /** Location: `file`, `file:line`, `--flag`, or a path inside a document (`arrivals.months[3].calls`); "" for the whole input. */
  readonly path: string
  readonly message: string
}

/** The most characters of a user's value a message repeats (see `quote`). */
export const QUOTE_MAX_CHARACTERS = 80

/** The most problems `formatProblems` prints; the rest are counted ("… and 9,950 more problems"). */
export const PRINTED_PROBLEMS_MAX = 50

/** The longest message or path printed; beyond, it is cut (a last guard for messages built elsewhere). */
const LINE_MAX_CHARACTERS = 400

/** The first `max` characters of `s` (whole code points), "…" and the full length when it is longer. */
const shorten = (s: string, max: number): string => {
  if (s.length <= max) return s
  const head = Array.from(s.slice(0, max + 1)).slice(0, max).join("")
  return `${head}… (${s.length.toLocaleString("en-US")} characters)`
}

/**
 * A user's value as messages show it: strings quoted as JSON (`"12k"`), anything else as
 * JSON or `String(value)`; at most `max` characters of it, then "…" and its length. Every message
 * that repeats a value goes through here, so a 20 MB field prints one short line.
 */
export const quote = (value: unknown, max = QUOTE_MAX_CHARACTERS): string => {
  if (typeof value === "string") {
    if (value.length <= max) return JSON.stringify(value)
    // max − 1 characters and "…": a quoted value is never longer than `max`, so quoting twice changes nothing.
    const head = Array.from(value.slice(0, max)).slice(0, max - 1).join("")
    return `${JSON.stringify(head).slice(0, -1)}…" (${value.length.toLocaleString("en-US")} characters)`
  }
  let text: string
  try {
    text = typeof value === "object" && value !== null ? (JSON.stringify(value) ?? String(value)) : String(value)
  } catch {
    text = Object.prototype.toString.call(value)
  }
  return shorten(text, max)
}

/**
 * Shortens the values a message built elsewhere repeats: every JSON string literal longer than
 * `QUOTE_MAX_CHARACTERS` goes through `quote`, and the whole message is cut at
 * `LINE_MAX_CHARACTERS` (a huge array or object echoed by the schema library).
 */
export const clipMessage = (message: string): string => {
  if (message.length <= QUOTE_MAX_CHARACTERS) return message
  // A scan by hand: a regular expression over a 20 MB literal overflows the regexp stack.
  let out = ""
  let from = 0
  for (let open = message.indexOf('"'); open >= 0; open = message.indexOf('"', from)) {
    let close = open + 1
    while (close < message.length && message[close] !== '"') close += message[close] === "\\" ? 2 : 1
    if (close >= message.length) break
    const literal = message.slice(open, close + 1)
    out += message.slice(from, open)
    if (literal.length <= QUOTE_MAX_CHARACTERS + 2) out += literal
    else {
      let value: unknown
      try {
        value = JSON.parse(literal)
      } catch {
        value = literal.slice(1, -1)
      }
      out += quote(value)
    }
    from = close + 1
    if (out.length > LINE_MAX_CHARACTERS) break
  }
  return shorten(out + message.slice(from), LINE_MAX_CHARACTERS)
}

/** `["arrivals", "months", 3, "calls"]` -> `arrivals.months[3].calls` (prefixed by `prefix` when given). */
export const formatPath = (path: ReadonlyArray<PropertyKey>, prefix = ""): string =>
  path.reduce<string>((acc, key) => {
    if (typeof key === "number") return `${acc}[${key}]`
    // A key is the user's text too (an unknown field may be 20 MB long).
    const k = shorten(String(key), QUOTE_MAX_CHARACTERS)
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
    out.push({ path, message: clipMessage(reword ? friendlier(i.message) : i.message) })
  }
  return out
}

const problemText = (p: Problem): string => {
  const message = clipMessage(p.message)
  return p.path ? `${shorten(p.path, LINE_MAX_CHARACTERS)}: ${message}` : message
}

const more = (n: number): string => `… and ${n.toLocaleString("en-US")} more problem${n === 1 ? "" : "s"}`

/**
 * One line per problem: `  path: message` (or `  message` when the problem has no path); past
 * `PRINTED_PROBLEMS_MAX`, one last line counts the others.
 */
export const formatProblemLines = (problems: ReadonlyArray<Problem>, indent = "  "): string[] => {
  const lines = problems.slice(0, PRINTED_PROBLEMS_MAX).map((p) => `${indent}${problemText(p)}`)
  if (problems.length > PRINTED_PROBLEMS_MAX) lines.push(`${indent}${more(problems.length - PRINTED_PROBLEMS_MAX)}`)
  return lines
}

/** `source: N problems` then one line per problem. */
export const formatProblems = (source: string, problems: ReadonlyArray<Problem>): string => {
  const n = problems.length
  return [`${shorten(source, LINE_MAX_CHARACTERS)}: ${n.toLocaleString("en-US")} problem${n === 1 ? "" : "s"}`, ...formatProblemLines(problems)].join("\n")
}

/** The problems on one line: `path: message; path: message` (for wire error messages). */
export const formatProblemsInline = (problems: ReadonlyArray<Problem>): string => {
  const parts = problems.slice(0, PRINTED_PROBLEMS_MAX).map(problemText)
  if (problems.length > PRINTED_PROBLEMS_MAX) parts.push(more(problems.length - PRINTED_PROBLEMS_MAX))
  return parts.join("; ")
}

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
