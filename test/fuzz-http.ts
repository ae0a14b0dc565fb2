/**
 * Fuzzing a mock's REST API from its own OpenAPI document: requests generated from the documented
 * schemas (valid ones, mutated ones, and arbitrary JSON), and the documentation's verdict on a
 * request (ajv), so that a fuzz test can assert "nothing accepted that the documentation refuses".
 *
 * Why generate from the document: valid requests reach deep into the mock (a purely random body
 * never gets past the first schema check), and mutations of them probe each boundary the
 * document draws. Everything is seeded (fast-check) and bounded by the caller.
 */
import { Ajv2020 } from "ajv/dist/2020.js"
import addFormats from "ajv-formats"
import type { ValidateFunction } from "ajv"
import fc from "fast-check"

export type JsonSchema = Readonly<Record<string, unknown>>

interface Parameter {
  readonly in: "path" | "query" | "header" | "cookie"
  readonly name: string
  readonly required?: boolean
  readonly schema: JsonSchema
}

interface Operation {
  readonly parameters?: ReadonlyArray<Parameter>
  readonly requestBody?: { readonly required?: boolean; readonly content: Readonly<Record<string, { readonly schema: JsonSchema }>> }
}

export interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>
  readonly components?: { readonly schemas?: Readonly<Record<string, JsonSchema>> }
}

/** One generated request. `body` undefined: none sent; `rawBody`: sent as is (not JSON). */
export interface FuzzRequest {
  readonly method: string
  /** The documented path (`/calls/{callRef}`). */
  readonly route: string
  readonly params: Readonly<Record<string, string>>
  readonly query: Readonly<Record<string, string>>
  readonly body?: unknown
  readonly rawBody?: string
}

/** The concrete URL of a request (parameters and query percent-encoded). */
export const urlOf = (r: FuzzRequest): string => {
  const path = r.route.replace(/\{([A-Za-z]+)\}/g, (_m, name: string) => encodeURIComponent(r.params[name] ?? ""))
  const query = Object.entries(r.query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&")
  return query === "" ? path : `${path}?${query}`
}

/** Replaces `#/components/schemas/X` references by their definitions (the documents have no cycles). */
export const deref = (doc: OpenApiDocument, node: unknown): unknown => {
  if (Array.isArray(node)) return node.map((n) => deref(doc, n))
  if (node === null || typeof node !== "object") return node
  const ref = (node as { $ref?: unknown }).$ref
  if (typeof ref === "string" && ref.startsWith("#/components/schemas/")) return deref(doc, doc.components?.schemas?.[ref.slice("#/components/schemas/".length)])
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, deref(doc, v)]))
}

/** Values of a JSON Schema (draft 2020-12, the subset the mocks' documents use), mostly valid. */
export const arbitraryOf = (schema: JsonSchema): fc.Arbitrary<unknown> => {
  if (Array.isArray(schema["enum"])) return fc.constantFrom(...(schema["enum"] as Array<unknown>))
  if ("const" in schema) return fc.constant(schema["const"])
  for (const key of ["anyOf", "oneOf"] as const) {
    const options = schema[key]
    if (Array.isArray(options)) return fc.oneof(...(options as Array<JsonSchema>).map(arbitraryOf))
  }
  const type = Array.isArray(schema["type"]) ? (schema["type"] as Array<string>) : [schema["type"] as string | undefined]
  const arbs = type.map((t): fc.Arbitrary<unknown> => {
    switch (t) {
      case "null":
        return fc.constant(null)
      case "boolean":
        return fc.boolean()
      case "integer": {
        const min = typeof schema["minimum"] === "number" ? schema["minimum"] : -1000
        const max = typeof schema["maximum"] === "number" ? schema["maximum"] : 1_000_000
        return fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31 - 1) })
      }
      case "number": {
        const min = typeof schema["minimum"] === "number" ? schema["minimum"] : -1e6
        const max = typeof schema["maximum"] === "number" ? schema["maximum"] : 1e6
        return fc.double({ min, max, noNaN: true })
      }
      case "string": {
        const minLength = typeof schema["minLength"] === "number" ? schema["minLength"] : 0
        const maxLength = Math.min(typeof schema["maxLength"] === "number" ? schema["maxLength"] : 40, 80)
        if (typeof schema["pattern"] === "string") {
          const re = new RegExp(schema["pattern"], "u")
          const fits = (s: string) => s.length >= minLength && s.length <= ((schema["maxLength"] as number | undefined) ?? Infinity)
          try {
            return fc.stringMatching(re).filter(fits)
          } catch {
            // fast-check cannot build a generator for this pattern (a lookahead): filter plain strings.
            return fc.string({ minLength, maxLength: Math.max(minLength, maxLength) }).filter((s) => re.test(s) && fits(s))
          }
        }
        if (schema["format"] === "date-time") return fc.date({ min: new Date("2025-01-01"), max: new Date("2030-01-01"), noInvalidDate: true }).map((d) => d.toISOString())
        return fc.string({ minLength, maxLength: Math.max(minLength, maxLength) })
      }
      case "array": {
        const items = (schema["items"] as JsonSchema | undefined) ?? {}
        return fc.array(arbitraryOf(items), { minLength: (schema["minItems"] as number | undefined) ?? 0, maxLength: Math.min((schema["maxItems"] as number | undefined) ?? 4, 4) })
      }
      case "object": {
        const properties = (schema["properties"] as Record<string, JsonSchema> | undefined) ?? {}
        const required = new Set((schema["required"] as Array<string> | undefined) ?? [])
        const record = fc.record(Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, arbitraryOf(v)])), {
          requiredKeys: Object.keys(properties).filter((k) => required.has(k))
        })
        const extra = schema["additionalProperties"]
        if (Object.keys(properties).length === 0 && typeof extra === "object" && extra !== null) {
          return fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), arbitraryOf(extra as JsonSchema), { maxKeys: 3 })
        }
        return record
      }
      default:
        return fc.jsonValue({ maxDepth: 2 })
    }
  })
  return arbs.length === 1 ? arbs[0]! : fc.oneof(...arbs)
}

/** A valid value, one key dropped, one unknown key added, one value replaced by arbitrary JSON. */
const mutationOf = (valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.tuple(valid, fc.nat(), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom("drop", "add", "replace")).map(([v, n, junk, how]) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return junk
    const o = { ...(v as Record<string, unknown>) }
    const keys = Object.keys(o)
    if (how === "add" || keys.length === 0) o[`x${n % 7}`] = junk
    else if (how === "drop") delete o[keys[n % keys.length]!]
    else o[keys[n % keys.length]!] = junk
    return o
  })

/**
 * Requests for every route of `doc`: parameters from `param` (samples that exist in the mock,
 * mixed with generated ones), documented query parameters (sometimes an undocumented one),
 * and a body that is valid, mutated, arbitrary JSON, not JSON, or absent.
 */
export const requestsOf = (doc: OpenApiDocument, param: (name: string) => fc.Arbitrary<string>): fc.Arbitrary<FuzzRequest> => {
  const routes = Object.entries(doc.paths).flatMap(([route, ops]) => Object.entries(ops).map(([m, op]) => ({ method: m.toUpperCase(), route, op })))
  return fc.oneof(...routes.map(({ method, route, op }) => {
    const parameters = (op.parameters ?? []).map((p) => ({ ...p, schema: deref(doc, p.schema) as JsonSchema }))
    const pathParams = parameters.filter((p) => p.in === "path")
    const queryParams = parameters.filter((p) => p.in === "query")
    const params = fc.record(Object.fromEntries(pathParams.map((p) => [p.name, fc.oneof({ weight: 3, arbitrary: param(p.name) }, { weight: 1, arbitrary: arbitraryOf(p.schema).map(String) })])))
    const documentedQuery = fc.record(Object.fromEntries(queryParams.map((p) => [p.name, arbitraryOf(p.schema).map(String)])), { requiredKeys: [] })
    const query = fc.oneof({ weight: 4, arbitrary: documentedQuery }, { weight: 1, arbitrary: fc.tuple(documentedQuery, fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 8 })).map(([q, k, v]) => ({ ...q, [k]: v })) })
    const bodySchema = op.requestBody?.content["application/json"]?.schema
    const body: fc.Arbitrary<Pick<FuzzRequest, "body" | "rawBody">> = bodySchema === undefined
      ? fc.oneof({ weight: 6, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((b) => ({ body: b })) })
      : (() => {
          const valid = arbitraryOf(deref(doc, bodySchema) as JsonSchema)
          return fc.oneof(
            { weight: 6, arbitrary: valid.map((b) => ({ body: b })) },
            { weight: 4, arbitrary: mutationOf(valid).map((b) => ({ body: b })) },
            { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((b) => ({ body: b })) },
            { weight: 1, arbitrary: fc.constant({}) },
            { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map((raw) => ({ rawBody: `{${raw}` })) }
          )
        })()
    return fc.record({ params, query, body }).map(({ params: p, query: q, body: b }): FuzzRequest => ({
      method, route,
      params: p as Record<string, string>,
      query: Object.fromEntries(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined)),
      ...b
    }))
  }))
}

/**
 * Why the document refuses `r` (an empty list when it accepts it): a path parameter, query
 * parameter or body that does not validate, an undocumented query parameter, a body where none
 * is documented or a documented required body missing.
 */
export const documentationRefuses = (doc: OpenApiDocument): ((r: FuzzRequest) => Array<string>) => {
  const ajv = new Ajv2020({ allErrors: true, strict: false })
  ;(addFormats as unknown as (a: Ajv2020) => void)(ajv)
  const cache = new Map<string, ValidateFunction>()
  const validator = (key: string, schema: unknown): ValidateFunction => {
    let v = cache.get(key)
    if (v === undefined) cache.set(key, (v = ajv.compile(deref(doc, schema) as object)))
    return v
  }
  return (r) => {
    const op = doc.paths[r.route]?.[r.method.toLowerCase()]
    if (op === undefined) return [`${r.method} ${r.route} is not documented`]
    const problems: Array<string> = []
    const parameters = op.parameters ?? []
    for (const p of parameters.filter((x) => x.in === "path")) {
      const v = validator(`${r.method} ${r.route} path ${p.name}`, p.schema)
      if (!v(r.params[p.name])) problems.push(`path ${p.name}: ${ajv.errorsText(v.errors)}`)
    }
    for (const [k, value] of Object.entries(r.query)) {
      const p = parameters.find((x) => x.in === "query" && x.name === k)
      if (p === undefined) {
        problems.push(`query ${k} is not documented`)
        continue
      }
      const v = validator(`${r.method} ${r.route} query ${k}`, p.schema)
      if (!v(value)) problems.push(`query ${k}: ${ajv.errorsText(v.errors)}`)
    }
    const schema = op.requestBody?.content["application/json"]?.schema
    // A GET's body has no meaning in HTTP and is never read (fastify does not parse it): whatever
    // it holds, the document has nothing to refuse.
    if (r.method === "GET") return problems
    if (r.rawBody !== undefined) problems.push("the body is not JSON")
    else if (schema === undefined) {
      const b = r.body
      if (b !== undefined && !(typeof b === "object" && b !== null && !Array.isArray(b) && Object.keys(b).length === 0)) problems.push("a body where none is documented")
    } else if (r.body === undefined) {
      if (op.requestBody?.required === true) problems.push("the documented body is missing")
    } else {
      const v = validator(`${r.method} ${r.route} body`, schema)
      if (!v(r.body)) problems.push(`body: ${ajv.errorsText(v.errors)}`)
    }
    return problems
  }
}

/** A full garbage collection, for memory measurements (V8's `gc`, reached without `--expose-gc`). */
export const fullGc = async (): Promise<void> => {
  const [{ setFlagsFromString }, { runInNewContext }] = await Promise.all([import("node:v8"), import("node:vm")])
  setFlagsFromString("--expose-gc")
  ;(runInNewContext("gc") as () => void)()
}
