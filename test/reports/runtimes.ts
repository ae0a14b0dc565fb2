/** The vega runtimes for tests, read from node_modules as the CLI reads them (reports/html.ts RUNTIME_FILES). */
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname } from "node:path"
import { runtimeTexts, type Runtimes } from "../../reports/html.js"

let cached: Runtimes | undefined
export const testRuntimes = (): Runtimes => {
  const req = createRequire(import.meta.url)
  cached ??= runtimeTexts((pkg) => dirname(req.resolve(pkg)), (path) => readFileSync(path, "utf8"))
  return cached
}
