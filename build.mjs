// Build: bundles ccsim's TypeScript into dist/ with esbuild (our code only; node_modules stay
// external). `npm ci` runs it through the `prepare` script; bin/ccsim.mjs calls ensureBuilt()
// so a checkout whose sources changed since the last build is rebuilt before it runs (~0.1 s).
// Why not tsx at run time: on Node 20 its loader hooks run off-thread and add ~2 s to start-up.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const root = dirname(fileURLToPath(import.meta.url))
const dist = join(root, "dist")
const stamp = join(dist, ".stamp")

/** Entry points: source file -> output file in dist/. */
export const entries = {
  "sim/cli/main.ts": "ccsim.mjs",
  "sim/run/worker.ts": "worker.mjs"
}

const sourceDirs = ["sim", "scenarios", "mock-odigo", "mock-psn1", "reports"]

function newestSource(dir, newest) {
  if (!existsSync(dir)) return newest
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) newest = newestSource(path, newest)
    else if (entry.name.endsWith(".ts") || entry.name.endsWith(".json")) {
      const m = statSync(path).mtimeMs
      if (m > newest) newest = m
    }
  }
  return newest
}

/** True when dist/ is missing or older than any source file. */
export function isStale() {
  if (!existsSync(stamp)) return true
  const built = statSync(stamp).mtimeMs
  let newest = statSync(join(root, "build.mjs")).mtimeMs
  for (const d of sourceDirs) newest = newestSource(join(root, d), newest)
  return newest > built
}

/** Builds every entry point; each output file is written atomically (temp file + rename). */
export async function build() {
  const esbuild = await import("esbuild")
  mkdirSync(dist, { recursive: true })
  const started = Date.now()
  for (const [source, output] of Object.entries(entries)) {
    const result = await esbuild.build({
      entryPoints: [join(root, source)],
      outfile: join(dist, output),
      bundle: true,
      packages: "external",
      platform: "node",
      format: "esm",
      target: "node20",
      sourcemap: "inline",
      write: false,
      logLevel: "error"
    })
    for (const file of result.outputFiles) {
      const tmp = `${file.path}.${process.pid}.tmp`
      writeFileSync(tmp, file.contents)
      renameSync(tmp, file.path)
    }
  }
  const tmp = `${stamp}.${process.pid}.tmp`
  writeFileSync(tmp, String(started))
  renameSync(tmp, stamp)
}

/** Rebuilds only when sources are newer than the last build. */
export async function ensureBuilt() {
  if (isStale()) await build()
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  if (process.argv.includes("--force")) await build()
  else await ensureBuilt()
}
