/**
 * Generates the committed API documents: mock-psn1/openapi.json (from the route schemas via
 * @fastify/swagger) and mock-psn1/asyncapi.json (from the /events frame schemas).
 *
 * Invariant: the committed files equal what this module generates; test/psn1/docs.test.ts
 * fails otherwise. After changing a schema or a route, regenerate with
 *   npx tsx mock-psn1/docs.ts --write
 * The OpenAPI document is the one of a server started with `--mailbox` (it documents the
 * test-only mailbox route, tagged `test`).
 */
import { writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { randomBytes } from "node:crypto"
import { buildApp } from "./app.js"
import { buildAsyncApi } from "./asyncapi.js"

export const DOCS_DIR = dirname(fileURLToPath(import.meta.url))
export const OPENAPI_PATH = join(DOCS_DIR, "openapi.json")
export const ASYNCAPI_PATH = join(DOCS_DIR, "asyncapi.json")

/** The OpenAPI document of a `--mailbox` server. */
export const generateOpenApi = async (): Promise<unknown> => {
  const app = await buildApp({
    officer: { email: "docs.officer@example.test", password: `Docs-${randomBytes(9).toString("base64url")}-1` },
    mailbox: true,
    population: 1,
    scrypt: { logN: 4, r: 8, p: 1 },
    tickIntervalMs: 0,
    heartbeatMs: 0
  })
  try {
    await app.ready()
    return app.swagger()
  } finally {
    await app.close()
  }
}

/** Serialisation used for the committed files (stable, 2-space indent, final newline). */
export const toFileText = (doc: unknown): string => `${JSON.stringify(doc, null, 2)}\n`

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href && process.argv.includes("--write")) {
  writeFileSync(OPENAPI_PATH, toFileText(await generateOpenApi()))
  writeFileSync(ASYNCAPI_PATH, toFileText(buildAsyncApi()))
  process.stderr.write(`wrote ${OPENAPI_PATH} and ${ASYNCAPI_PATH}\n`)
}
