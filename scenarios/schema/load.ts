/**
 * Reading a scenario file: bytes -> YAML/JSON document -> decoded `Scenario`, or a `BadInput`
 * listing every problem with its location (file:line:column for syntax errors, a dotted path
 * such as `arrivals.poisson.perHour` for schema errors). Nothing here throws on bad input.
 */
import { readFile } from "node:fs/promises"
import { dirname, resolve } from "node:path"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Cause from "effect/Cause"
import * as Schema from "effect/Schema"
import * as YAML from "yaml"
import { BadInput, issueProblems } from "../../sim/domain/problem.js"
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

/** Parses YAML (which includes JSON) text; syntax errors carry `file:line:column`. */
export const parseDocument = (text: string, source: string): Effect.Effect<unknown, BadInput> => {
  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true })
  if (doc.errors.length > 0) {
    return Effect.fail(
      new BadInput({
        source,
        problems: doc.errors.map((e) => {
          const pos = e.linePos?.[0]
          return { path: pos ? `${source}:${pos.line}:${pos.col}` : source, message: `syntax error: ${firstLine(e.message)}` }
        })
      })
    )
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 })
  if (value === null || value === undefined) {
    return Effect.fail(new BadInput({ source, problems: [{ path: source, message: "the file is empty" }] }))
  }
  return Effect.succeed(value)
}

const firstLine = (s: string): string => s.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "").trim()

/** Reads a file as text; a missing or unreadable file is bad input (exit 2), not a crash. */
export const readText = (path: string): Effect.Effect<string, BadInput> =>
  Effect.tryPromise({
    try: () => readFile(path, "utf8"),
    catch: (e) => {
      const code = (e as NodeJS.ErrnoException).code
      const message =
        code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, not a scenario file" : code === "EACCES" ? "permission denied" : `cannot read: ${String(e)}`
      return new BadInput({ source: path, problems: [{ path: "", message }] })
    }
  })

const isPlainObject = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/** Deep merge for `extends`: objects merge key by key; arrays and scalars of the child replace. */
export const mergeDocuments = (base: unknown, child: unknown): unknown => {
  if (!isPlainObject(base) || !isPlainObject(child)) return child
  const out: Record<string, unknown> = { ...base }
  for (const [k, v] of Object.entries(child)) out[k] = k in base ? mergeDocuments(base[k], v) : v
  return out
}

/**
 * Reads a scenario document and resolves `extends: other.yaml` (a path relative to the file):
 * the child is merged over its parent, recursively; a cycle is bad input.
 */
export const readDocument = (path: string, seen: ReadonlyArray<string> = []): Effect.Effect<unknown, BadInput> =>
  Effect.gen(function* () {
    const full = resolve(path)
    if (seen.includes(full)) {
      return yield* Effect.fail(new BadInput({ source: path, problems: [{ path: "extends", message: `cycle: ${[...seen, full].join(" -> ")}` }] }))
    }
    const text = yield* readText(path)
    const document = yield* parseDocument(text, path)
    if (!isPlainObject(document) || document.extends === undefined) return document
    const parentPath = document.extends
    if (typeof parentPath !== "string") {
      return yield* Effect.fail(new BadInput({ source: path, problems: [{ path: "extends", message: "Expected the path of another scenario file" }] }))
    }
    const parent = yield* readDocument(resolve(dirname(path), parentPath), [...seen, full])
    const { extends: _, ...own } = document
    return mergeDocuments(parent, own)
  })

/** Loads and decodes a scenario file (YAML or JSON), resolving `extends`. */
export const loadScenario = (path: string): Effect.Effect<Scenario, BadInput> =>
  Effect.gen(function* () {
    const document = yield* readDocument(path)
    return yield* decodeDocument(Scenario, document, path)
  })
