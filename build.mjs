// Build: bundles ccsim's TypeScript and its dependencies into dist/ with esbuild. `npm ci` runs it through the `prepare` script; bin/ccsim.mjs calls ensureBuilt()
// so a checkout whose sources changed since the last build is rebuilt before it runs (~1.5 s, one build at a time).
// Why not tsx at run time: on Node 20 its loader hooks run off-thread and add ~2 s to start-up.
// Why one CommonJS file per entry (not ES modules): it can be loaded through V8's code cache
// (bin/load-bundle.mjs), which ES modules cannot on Node 20; that saves ~60-90 ms per start.
import { spawnSync } from "node:child_process"
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs"
import { tmpdir } from "node:os"
import { basename, dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { codeCachePath } from "./bin/load-bundle.mjs"

const root = dirname(fileURLToPath(import.meta.url))
const dist = join(root, "dist")
const stamp = join(dist, ".stamp")
const lock = join(dist, ".build.lock")

/** Entry points: source file -> name of its stub in dist/ (`<name>.mjs`, which loads `<name>-<hash>.cjs`). */
export const entries = {
  "sim/cli/main.ts": "ccsim",
  "sim/run/worker.ts": "worker",
  "sim/cli/load-child.ts": "load-child"
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
const requiredAtRunTime = /^(fastify|ws|@fastify\/swagger|highs)$/
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

/** The bundle a stub in dist/ loads (`ccsim-<hash>.cjs`), or null when the stub is missing. */
const bundleOfStub = (name) => {
  try {
    return /new URL\("\.\/([^"]+\.cjs)"/.exec(readFileSync(join(dist, `${name}.mjs`), "utf8"))?.[1] ?? null
  } catch {
    return null
  }
}

/** The stamp says when the last build started and for which Node (a code cache is per V8). */
const readStamp = () => {
  try {
    const s = JSON.parse(readFileSync(stamp, "utf8"))
    return typeof s?.started === "number" && typeof s?.node === "string" ? s : null
  } catch {
    return null
  }
}

/**
 * True when dist/ must be rebuilt: no build yet, a stub's bundle missing, another Node, or a
 * source file changed since the last build *started* (an edit made during a build counts).
 */
export function isStale() {
  const s = readStamp()
  if (s === null || s.node !== process.version) return true
  for (const name of Object.values(entries)) {
    const bundle = bundleOfStub(name)
    if (bundle === null || !existsSync(join(dist, bundle))) return true
  }
  let newest = statSync(join(root, "build.mjs")).mtimeMs
  for (const d of sourceDirs) newest = newestSource(join(root, d), newest)
  return newest > s.started
}

/** A lock left by a build that died (its process is gone, or it is 10 minutes old) may be broken. */
const lockIsStale = () => {
  try {
    const pid = Number(readFileSync(lock, "utf8"))
    if (Date.now() - statSync(lock).mtimeMs > 600_000) return true
    process.kill(pid, 0) // throws when no such process
    return false
  } catch (e) {
    return e?.code === "ESRCH" || e?.code === "ENOENT"
  }
}

/**
 * Runs `fn` holding dist/.build.lock, so that builds never overlap (two at once would remove each
 * other's files): `npm test` and several `npx ccsim` may all find dist/ stale at the same moment.
 */
async function withBuildLock(fn) {
  mkdirSync(dist, { recursive: true })
  const deadline = Date.now() + 180_000
  for (;;) {
    try {
      const fd = openSync(lock, "wx")
      writeSync(fd, String(process.pid))
      closeSync(fd)
      break
    } catch (e) {
      if (e?.code !== "EEXIST") throw e
      if (lockIsStale()) {
        rmSync(lock, { force: true })
        continue
      }
      if (Date.now() > deadline) throw new Error(`build: ${lock} has been held for 3 minutes; remove it if no build is running`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  try {
    return await fn()
  } finally {
    rmSync(lock, { force: true })
  }
}

/**
 * effect/cli builds an Intl.Segmenter when its module loads, for the width of help text; ICU
 * takes ~11 ms to make one, on every start of every command. This plugin makes it on first use.
 * If effect's source no longer has the expected line (an upgrade), the build warns and leaves
 * it as it is: only start-up is slower.
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
      if (!source.includes(SEGMENTER)) {
        return { contents: source, loader: "js", warnings: [{ text: "effect's CliOutput.js changed: its Intl.Segmenter is no longer made lazily (update lazyGraphemeSegmenter in build.mjs)" }] }
      }
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
  // A missing cache only costs start-up time: warn, never fail the build.
  const warn = (why) => process.stderr.write(`build: code cache training run failed (${why}); ccsim will start slower\n`)
  let dir
  try {
    dir = mkdtempSync(join(tmpdir(), "ccsim-code-cache-"))
    const scenario = join(dir, "training.yaml")
    writeFileSync(scenario, TRAINING_SCENARIO)
    const r = spawnSync(process.execPath, [join(dist, "ccsim.mjs"), "run", scenario, "--json", "--replications", "1", "--workers", "2"], {
      cwd: root,
      env: { ...process.env, CCSIM_CODE_CACHE: "write" },
      encoding: "utf8",
      timeout: 60_000
    })
    if (r.status !== 0) warn(`${r.status ?? r.signal}\n${r.stderr ?? ""}`)
  } catch (e) {
    warn(e instanceof Error ? e.message : String(e))
  } finally {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Builds every entry point into dist/, dependencies included: one CommonJS bundle per entry,
 * named by its content hash (`ccsim-<hash>.cjs`), and a small ES-module stub (`ccsim.mjs`) that
 * loads it with its code cache. Loading one bundle instead of ~800 ESM modules cut start-up from
 * ~0.7 s to ~0.2 s; the code cache takes another ~60-90 ms off. Outputs are written atomically
 * (temp file + rename), stubs last. The previous build's bundles stay (a process that read the old
 * stub may still be about to load its bundle); older ones are removed. Holds the build lock.
 */
export const build = () => withBuildLock(buildUnlocked)

async function buildUnlocked() {
  const esbuild = await import("esbuild")
  mkdirSync(dist, { recursive: true })
  const started = Date.now()
  const previous = Object.values(entries).map(bundleOfStub).filter((b) => b !== null)
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
  const keep = new Set([stamp, lock])
  for (const bundle of previous) {
    const path = join(dist, bundle)
    for (const f of [path, `${path}.map`, codeCachePath(path)]) keep.add(f)
  }
  const writeAtomically = (path, contents) => {
    const tmp = `${path}.${process.pid}.tmp`
    writeFileSync(tmp, contents)
    renameSync(tmp, path)
    keep.add(path)
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
    keep.add(codeCachePath(join(dist, bundle)))
  }
  trainCodeCaches()
  for (const entry of readdirSync(dist)) {
    const path = join(dist, entry)
    if (!keep.has(path)) rmSync(path, { recursive: true, force: true })
  }
  writeAtomically(stamp, JSON.stringify({ started, node: process.version }))
}

/** Rebuilds only when dist/ is stale (checked again under the lock: another build may have done it). */
export async function ensureBuilt() {
  if (isStale()) await withBuildLock(async () => (isStale() ? buildUnlocked() : undefined))
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  if (process.argv.includes("--force")) await build()
  else await ensureBuilt()
}
