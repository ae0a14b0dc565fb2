/**
 * effect Schema -> plain JSON Schema objects for the API documents (AsyncAPI payloads,
 * fastify route schemas that @fastify/swagger turns into OpenAPI).
 *
 * Invariant: the output is self-contained (no `$ref`, no `$defs`): we never give schemas an
 * identifier, and this function fails loudly if one slips in, so a document never points to a
 * definition it does not contain.
 */
import * as Schema from "effect/Schema"

export type JsonSchema = Record<string, unknown>

/** The JSON Schema of the encoded (wire) side of `schema`; `strict` forbids extra properties. */
export const jsonSchemaOf = (schema: Schema.Top, strict = true): JsonSchema => {
  const doc = Schema.toJsonSchemaDocument(schema, { onExcessProperty: strict ? "error" : "ignore" })
  if (Object.keys(doc.definitions).length > 0) {
    throw new Error(`jsonSchemaOf: unexpected definitions ${Object.keys(doc.definitions).join(", ")}`)
  }
  return doc.schema as JsonSchema
}
