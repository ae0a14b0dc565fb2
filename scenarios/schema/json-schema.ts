/**
 * The JSON Schema of scenario files (draft 2020-12), generated from the effect Schema — never
 * written by hand. `npm run schema` writes it to scenarios/scenario.schema.json, where editors
 * pick it up (YAML: `# yaml-language-server: $schema=./scenario.schema.json`; JSON: "$schema").
 * A test fails when the committed file differs from what this generates.
 */
import * as Schema from "effect/Schema"
import { Scenario } from "./scenario.js"

export const SCHEMA_FILE = "scenarios/scenario.schema.json"

export const scenarioJsonSchema = (): Record<string, unknown> => {
  const doc = Schema.toJsonSchemaDocument(Scenario, { onExcessProperty: "error", generateDescriptions: true })
  const root = doc.schema as { properties?: Record<string, unknown>; required?: ReadonlyArray<string> }
  // `extends` is resolved before decoding (scenarios/schema/load.ts), so the effect Schema never
  // sees it: add it here, and require the usual fields only in files that extend nothing (a file
  // that extends another inherits them).
  const { required, ...rest } = root
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://ccsim.local/scenario.schema.json",
    title: "ccsim scenario",
    description:
      "A ccsim scenario: a textbook single queue (horizon in hours) or the 3422 contact centre over dates (calendar, forecast, events, callers, staffing, forms). See README, section Scenario format.",
    ...rest,
    properties: {
      extends: { type: "string", description: "Another scenario file (relative path) this one is merged over: objects merge key by key, arrays and values replace." },
      ...root.properties
    },
    ...(required && required.length > 0 ? { if: { not: { required: ["extends"] } }, then: { required } } : {}),
    ...(doc.definitions && Object.keys(doc.definitions).length > 0 ? { $defs: doc.definitions } : {})
  }
}

export const scenarioJsonSchemaText = (): string => JSON.stringify(scenarioJsonSchema(), null, 2) + "\n"
