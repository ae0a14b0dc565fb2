/**
 * Reading a scenario file: bytes -> YAML/JSON document -> decoded `Scenario`, or a `BadInput`
 * listing every problem with its location (file:line:column for syntax errors, a dotted path
 * such as `arrivals.poisson.perHour` for schema errors). Nothing here throws on bad input: a
 * hostile file (huge, binary, a device, an alias bomb, too deep) is bad input like a typo, with
 * a documented limit in the message.
 */
import { dirname, resolve } from "node:path"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Cause from "effect/Cause"
import * as Schema from "effect/Schema"
import * as YAML from "yaml"
import { BadInput, issueProblems, quote, type Problem } from "../../sim/domain/problem.js"
import { readInputFile } from "./input-file.js"
import { Scenario } from "./scenario.js"

/** Decodes an already-parsed document with a schema, collecting every problem. */
export const decodeDocument = <S extends Schema.Top & { readonly DecodingServices: never }>(
  schema: S,
  document: unknown,
  source: string
): Effect.Effect<S["Type"], BadInput> => {
  const exit = Schema.decodeUnknownExit(schema)(document, { errors: "all", onExcessProperty: "error", reportInput: true })
  if (Exit.isSuccess(exit)) return Effect.succeed(exit.value)
  const error = Cause.squash(exit.cause)
  if (Schema.isSchemaError(error)) return Effect.fail(new BadInput({ source, problems: issueProblems(error.issue) }))
  return Effect.fail(new BadInput({ source, problems: [{ path: "", message: String(error) }] }))
}

/**
 * The most YAML tokens (scalars, punctuation, comments) a scenario document may hold. The YAML
 * library takes ~5 µs and ~600 bytes per item: 200,000 tokens parse in about a second and well
 * within memory, far beyond any real scenario (the shipped ones hold a few hundred).
 */
export const MAX_YAML_TOKENS = 200_000

/** The deepest nesting of mappings and lists in a scenario (the deepest real one is 6). */
export const MAX_YAML_DEPTH = 64

/** How many times YAML aliases (`*name`) may be expanded: a "billion laughs" file stops here. */
export const MAX_YAML_ALIASES = 100

/** The most files an `extends` chain may hold (the scenario itself included). */
export const MAX_EXTENDS_DEPTH = 16

const fail = (source: string, path: string, message: string) => Effect.fail(new BadInput({ source, problems: [{ path, message }] }))

/** Tokens of `text`, counted up to `limit + 1` (the lexer is ~20 times cheaper than a parse). */
const countTokens = (text: string, limit: number): number => {
  let n = 0
  for (const _ of new YAML.Lexer().lex(text)) if (++n > limit) break
  return n
}

/** Documents in a multi-document stream (only asked once the parser has said there are several). */
const countDocuments = (text: string): number => {
  let n = 0
  for (const token of new YAML.Parser().parse(text)) if (token.type === "document") n++
  return n
}

/** Depth of a plain value, iteratively (a recursive walk is what a deep document would overflow). */
const depthOf = (value: unknown, limit: number): number => {
  let deepest = 0
  const stack: Array<[unknown, number]> = [[value, 1]]
  while (stack.length > 0) {
    const [v, d] = stack.pop()!
    if (typeof v !== "object" || v === null) continue
    if (d > deepest) deepest = d
    if (deepest > limit) return deepest
    for (const child of Object.values(v)) stack.push([child, d + 1])
  }
  return deepest
}

/**
 * Repeated keys of a mapping, found in one pass with a set per mapping (the YAML library's own
 * check compares every key with every other: 20,000 keys took 4 s).
 */
const duplicateKeys = (doc: YAML.Document, lines: YAML.LineCounter, source: string): Problem[] => {
  const problems: Problem[] = []
  YAML.visit(doc, {
    Map(_, map) {
      const seen = new Set<string>()
      for (const pair of map.items) {
        const key = pair.key
        if (!YAML.isScalar(key)) continue
        const name = String(key.value)
        if (seen.has(name)) {
          const at = key.range ? lines.linePos(key.range[0]) : undefined
          problems.push({ path: at ? `${source}:${at.line}:${at.col}` : source, message: `syntax error: the key ${quote(name)} appears twice in the same mapping` })
        }
        seen.add(name)
      }
    }
  })
  return problems
}

/**
 * Parses YAML (which includes JSON) text; syntax errors carry `file:line:column`. Hostile
 * documents are bad input like any other: too many tokens, too deep, an alias bomb, several
 * documents in one file — each one plain message, never a stack trace.
 */
export const parseDocument = (text: string, source: string): Effect.Effect<unknown, BadInput> => {
  if (countTokens(text, MAX_YAML_TOKENS) > MAX_YAML_TOKENS) {
    return fail(source, "", `too large a YAML document: more than ${MAX_YAML_TOKENS.toLocaleString("en-US")} tokens (a scenario holds settings; a real one has a few hundred)`)
  }
  const lines = new YAML.LineCounter()
  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: false, lineCounter: lines })
  if (doc.errors.some((e) => e.code === "MULTIPLE_DOCS")) {
    return fail(source, "", `a scenario file holds one YAML document; found ${countDocuments(text)} (separated by "---")`)
  }
  if (doc.errors.some((e) => e.code === "RESOURCE_EXHAUSTION")) {
    return fail(source, "", `nested too deeply: a scenario nests mappings and lists at most ${MAX_YAML_DEPTH} levels`)
  }
  const syntax: Problem[] = doc.errors.map((e) => {
    const pos = e.linePos?.[0]
    return { path: pos ? `${source}:${pos.line}:${pos.col}` : source, message: `syntax error: ${firstLine(e.message)}` }
  })
  syntax.push(...duplicateKeys(doc, lines, source))
  if (syntax.length > 0) return Effect.fail(new BadInput({ source, problems: syntax }))
  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES })
  } catch (e) {
    // The YAML library throws a ReferenceError for an alias bomb, a RangeError for a deep stack.
    const message = e instanceof Error && /alias/i.test(e.message)
      ? `too many aliases: YAML aliases (*name) would be expanded more than ${MAX_YAML_ALIASES} times (a "billion laughs" document)`
      : e instanceof RangeError
        ? `nested too deeply: a scenario nests mappings and lists at most ${MAX_YAML_DEPTH} levels`
        : `cannot read the YAML document: ${e instanceof Error ? e.message : String(e)}`
    return fail(source, "", message)
  }
  if (value === null || value === undefined) {
    return fail(source, "", "the file is empty")
  }
  if (depthOf(value, MAX_YAML_DEPTH) > MAX_YAML_DEPTH) {
    return fail(source, "", `nested too deeply: a scenario nests mappings and lists at most ${MAX_YAML_DEPTH} levels`)
  }
  return Effect.succeed(value)
}

const firstLine = (s: string): string => s.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "").trim()

/**
 * Reads a scenario file as text (regular file, at most `MAX_SCENARIO_BYTES`, UTF-8); a missing,
 * unreadable, special, oversized or binary file is bad input (exit 2), not a crash.
 */
export const readText = (path: string): Effect.Effect<string, BadInput> =>
  Effect.try({
    try: () => readInputFile(path, "scenario"),
    catch: (e) => new BadInput({ source: path, problems: [{ path: "", message: e instanceof Error ? e.message : String(e) }] })
  })

const isPlainObject = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * Sets an own property, whatever its name: `out["__proto__"] = v` would replace the object's
 * prototype instead, and a `__proto__:` key in a child would vanish rather than be reported as
 * an unknown field.
 */
const setOwn = (out: Record<string, unknown>, key: string, value: unknown): void => {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
}

/** The value without the keys a child set to null, at every level. */
const withoutNulls = (value: unknown): unknown => {
  if (!isPlainObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) if (v !== null) setOwn(out, k, withoutNulls(v))
  return out
}

/**
 * Deep merge for `extends`: objects merge key by key; arrays and scalars of the child replace;
 * a child's `null` removes the key (`shifts: null` to give `planCsv` instead of the parent's shifts).
 */
export const mergeDocuments = (base: unknown, child: unknown): unknown => {
  if (!isPlainObject(base) || !isPlainObject(child)) return withoutNulls(child)
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(base)) setOwn(out, k, v)
  for (const [k, v] of Object.entries(child)) {
    if (v === null) delete out[k]
    else setOwn(out, k, Object.hasOwn(base, k) ? mergeDocuments(base[k], v) : withoutNulls(v))
  }
  return out
}

/** Fields a scenario file may hold (`extends` included). */
const SCENARIO_KEYS: ReadonlySet<string> = new Set([...Object.keys(Scenario.fields), "extends"])

/** What a document holds, in a planner's words. */
const kindOf = (u: unknown): string =>
  Array.isArray(u) ? "a list" : typeof u === "string" ? "plain text" : typeof u === "object" ? "a mapping" : `a ${typeof u}`

/**
 * Refuses a document that is not a scenario at all (`/etc/passwd`, a CSV, a list): it would
 * otherwise be reported field by field ("horizon: missing field") as if it were a broken one.
 */
const notAScenario = (document: unknown): string | undefined => {
  if (!isPlainObject(document)) return `not a scenario file: it holds ${kindOf(document)}, not a YAML mapping of scenario fields (name, horizon, arrivals…)`
  const keys = Object.keys(document)
  if (!keys.some((k) => SCENARIO_KEYS.has(k))) {
    return `not a scenario file: none of its keys (${keys.slice(0, 5).map((k) => quote(k, 30)).join(", ")}${keys.length > 5 ? ", …" : ""}) is a scenario field (name, horizon, arrivals…)`
  }
  return undefined
}

/**
 * Reads a scenario document and resolves `extends: other.yaml` (a path relative to the file):
 * the child is merged over its parent, recursively; a cycle, or a chain longer than
 * `MAX_EXTENDS_DEPTH`, is bad input. Every file of the chain must be a scenario document.
 */
export const readDocument = (path: string, seen: ReadonlyArray<string> = []): Effect.Effect<unknown, BadInput> =>
  Effect.gen(function* () {
    const full = resolve(path)
    if (seen.includes(full)) {
      return yield* fail(path, "extends", `cycle: ${[...seen, full].join(" -> ")}`)
    }
    if (seen.length >= MAX_EXTENDS_DEPTH) {
      return yield* fail(path, "extends", `more than ${MAX_EXTENDS_DEPTH} files in the extends chain`)
    }
    const text = yield* readText(path)
    const document = yield* parseDocument(text, path)
    const wrong = notAScenario(document)
    if (wrong !== undefined) return yield* fail(path, "", wrong)
    const own = document as Record<string, unknown>
    if (own.extends === undefined) return document
    const parentPath = own.extends
    if (typeof parentPath !== "string") {
      return yield* fail(path, "extends", "Expected the path of another scenario file")
    }
    const parent = yield* readDocument(resolve(dirname(path), parentPath), [...seen, full])
    const { extends: _, ...rest } = own
    return mergeDocuments(parent, rest)
  })

/** Loads and decodes a scenario file (YAML or JSON), resolving `extends`. */
export const loadScenario = (path: string): Effect.Effect<Scenario, BadInput> =>
  Effect.gen(function* () {
    const document = yield* readDocument(path)
    return yield* decodeDocument(Scenario, document, path)
  })
