// Build: bundles ccsim's TypeScript and its dependencies into dist/ with esbuild. `npm ci` runs it through the `prepare` script; bin/ccsim.mjs calls ensureBuilt()
// so a checkout whose sources changed since the last build is rebuilt before it runs (~1 s).
// Why not tsx at run time: on Node 20 its loader hooks run off-thread and add ~2 s to start-up.
// Why one CommonJS file per entry (not ES modules): it can be loaded through V8's code cache
// (bin/load-bundle.mjs), which ES modules cannot on Node 20; that saves ~60-90 ms per start.
import { spawnSync } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { basename, dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const root = dirname(fileURLToPath(import.meta.url))
const dist = join(root, "dist")
const stamp = join(dist, ".stamp")

/** Entry points: source file -> name of its stub in dist/ (`<name>.mjs`, which loads `<name>-<hash>.cjs`). */
export const entries = {
  "sim/cli/main.ts": "ccsim",
  "sim/run/worker.ts": "worker"
}

/**
 * Left out of the bundle: optional native add-ons that packages probe for with try/require
 * (ws), and esbuild itself (used only by this file).
 */
const external = ["bufferutil", "utf-8-validate", "esbuild", "fsevents"]

/**
 * The mock servers' HTTP stack (CommonJS packages) stays in node_modules and is required when
 * `ccsim mock …` first imports it: the simulator never loads it. Each import of one of these
 * becomes a one-line module `module.exports = require("<package>")` — not an external import():
 * a script run from a V8 code cache has no dynamic-import callback on Node 20.
 */
const requiredAtRunTime = /^(fastify|ws|@fastify\/swagger)$/
const requireAtRunTime = {
  name: "require-at-run-time",
  setup(b) {
    b.onResolve({ filter: requiredAtRunTime }, (args) =>
      args.namespace === "require-at-run-time" ? { path: args.path, external: true } : { path: args.path, namespace: "require-at-run-time" }
    )
    b.onLoad({ filter: /.*/, namespace: "require-at-run-time" }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)})`, loader: "js" }))
  }
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

/**
 * effect/cli builds an Intl.Segmenter when its module loads, for the width of help text; ICU
 * takes ~11 ms to make one, on every start of every command. This plugin makes it on first use.
 * The build fails if effect's source no longer has the expected line (e.g. after an upgrade).
 */
const SEGMENTER = `const graphemeSegmenter = /*#__PURE__*/new Intl.Segmenter(undefined, {
  granularity: "grapheme"
});`
const LAZY_SEGMENTER = `let graphemeSegmenterMadeOnUse;
const graphemeSegmenter = { segment: (text) => (graphemeSegmenterMadeOnUse ??= new Intl.Segmenter(undefined, { granularity: "grapheme" })).segment(text) };`
const lazyGraphemeSegmenter = {
  name: "lazy-grapheme-segmenter",
  setup(b) {
    b.onLoad({ filter: /[\\/]effect[\\/]dist[\\/]cli[\\/]CliOutput\.js$/ }, async (args) => {
      const { readFile } = await import("node:fs/promises")
      const source = await readFile(args.path, "utf8")
      if (!source.includes(SEGMENTER)) throw new Error(`${args.path} no longer builds its Intl.Segmenter as build.mjs expects: update lazyGraphemeSegmenter`)
      return { contents: source.replace(SEGMENTER, LAZY_SEGMENTER), loader: "js" }
    })
  }
}

/**
 * A short simulation run once per build with CCSIM_CODE_CACHE=write, so the code caches hold the
 * bytecode of what a run compiles (CLI, YAML, schema decoding, model, simulation, summary) in the
 * main thread and in a producer worker (two workers: a single replication is pipelined).
 */
const TRAINING_SCENARIO = `name: code-cache-training
horizon: { hours: 2 }
calendar: always-open
arrivals: { poisson: { perHour: 1000 } }
handleTime: { exponential: { meanSeconds: 300 } }
patience: { exponential: { meanSeconds: 180 } }
agents: 90
serviceLevelSeconds: 20
`

function trainCodeCaches() {
  const dir = mkdtempSync(join(tmpdir(), "ccsim-code-cache-"))
  try {
    const scenario = join(dir, "training.yaml")
    writeFileSync(scenario, TRAINING_SCENARIO)
    const r = spawnSync(process.execPath, [join(dist, "ccsim.mjs"), "run", scenario, "--json", "--replications", "1", "--workers", "2"], {
      cwd: root,
      env: { ...process.env, CCSIM_CODE_CACHE: "write" },
      encoding: "utf8"
    })
    // A missing cache only costs start-up time: warn, do not fail the build.
    if (r.status !== 0) process.stderr.write(`build: code cache training run failed (${r.status ?? r.signal}); ccsim will start slower\n${r.stderr ?? ""}\n`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Builds every entry point into dist/, dependencies included: one CommonJS bundle per entry,
 * named by its content hash (`ccsim-<hash>.cjs`), and a small ES-module stub (`ccsim.mjs`) that
 * loads it with its code cache. Loading one bundle instead of ~800 ESM modules cut start-up from
 * ~0.7 s to ~0.2 s; the code cache takes another ~60-90 ms off. Outputs are written atomically
 * (temp file + rename), stubs last; files of earlier builds are removed after.
 */
export async function build() {
  const esbuild = await import("esbuild")
  mkdirSync(dist, { recursive: true })
  const started = Date.now()
  const result = await esbuild.build({
    entryPoints: Object.entries(entries).map(([source, out]) => ({ in: join(root, source), out })),
    outdir: dist,
    entryNames: "[name]-[hash]",
    outExtension: { ".js": ".cjs" },
    bundle: true,
    external,
    plugins: [requireAtRunTime, lazyGraphemeSegmenter],
    platform: "node",
    format: "cjs",
    target: "node20",
    sourcemap: "linked",
    metafile: true,
    // The bundle runs as CommonJS: import.meta.url becomes the bundle's own file URL.
    define: { "import.meta.url": "__ccsimModuleUrl" },
    banner: { js: "var __ccsimModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
    write: false,
    logLevel: "error"
  })
  const written = new Set([stamp])
  const writeAtomically = (path, contents) => {
    const tmp = `${path}.${process.pid}.tmp`
    writeFileSync(tmp, contents)
    renameSync(tmp, path)
    written.add(path)
  }
  for (const file of result.outputFiles) writeAtomically(file.path, file.contents)
  for (const [path, output] of Object.entries(result.metafile.outputs)) {
    if (!output.entryPoint) continue
    const bundle = basename(path)
    const name = bundle.replace(/-[A-Z0-9]+\.cjs$/, "")
    // The CLI's stub first starts the worker a `ccsim run` will need (bin/prestart-worker.mjs).
    const prestart =
      name === "ccsim"
        ? `import { prestartWorker } from "../bin/prestart-worker.mjs"\nprestartWorker(process.argv.slice(2), new URL("./worker.mjs", import.meta.url))\n`
        : ""
    writeAtomically(
      join(dist, `${name}.mjs`),
      `// Generated by build.mjs: runs ${bundle} through its V8 code cache (bin/load-bundle.mjs).\n` +
        `import { loadBundle } from "../bin/load-bundle.mjs"\n` +
        prestart +
        `loadBundle(new URL("./${bundle}", import.meta.url))\n`
    )
    written.add(join(dist, bundle.replace(/\.cjs$/, ".code-cache")))
  }
  trainCodeCaches()
  for (const entry of readdirSync(dist)) {
    const path = join(dist, entry)
    if (!written.has(path)) rmSync(path, { recursive: true, force: true })
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
