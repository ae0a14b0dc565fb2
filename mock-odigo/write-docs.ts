/**
 * Generates the two committed API documents from the code: mock-odigo/asyncapi.json (from the
 * frame schemas) and mock-odigo/openapi.json (from the fastify route schemas, via
 * @fastify/swagger). Run `npx tsx mock-odigo/write-docs.ts` after changing the protocol;
 * test/odigo/docs.test.ts fails while the committed files differ from this output.
 */
import { writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { buildApp } from "./app.js"
import { buildAsyncApi } from "./docs/asyncapi.js"

export const DOC_FILES = {
  asyncapi: join(dirname(fileURLToPath(import.meta.url)), "asyncapi.json"),
  openapi: join(dirname(fileURLToPath(import.meta.url)), "openapi.json")
} as const

const text = (doc: unknown): string => `${JSON.stringify(doc, null, 2)}\n`

/** The documents as they must be committed. */
export async function generateDocs(): Promise<{ asyncapi: string; openapi: string }> {
  const mock = await buildApp()
  try {
    return { asyncapi: text(buildAsyncApi()), openapi: text(mock.app.swagger()) }
  } finally {
    await mock.close()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const docs = await generateDocs()
  writeFileSync(DOC_FILES.asyncapi, docs.asyncapi)
  writeFileSync(DOC_FILES.openapi, docs.openapi)
  process.stdout.write(`wrote ${DOC_FILES.asyncapi}\nwrote ${DOC_FILES.openapi}\n`)
}
