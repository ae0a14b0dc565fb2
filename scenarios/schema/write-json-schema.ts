/** `npm run schema`: regenerates scenarios/scenario.schema.json from the effect Schema. */
import { writeFileSync } from "node:fs"
import { SCHEMA_FILE, scenarioJsonSchemaText } from "./json-schema.js"

writeFileSync(SCHEMA_FILE, scenarioJsonSchemaText())
process.stdout.write(`wrote ${SCHEMA_FILE}\n`)
