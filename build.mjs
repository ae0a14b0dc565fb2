// Build: bundles ccsim's TypeScript and its dependencies into dist/ with esbuild — one plain ES
// module per entry (dist/ccsim.mjs, the CLI; dist/load-child.mjs, a live-harness process) and the
// chunks they share or load on demand (dist/chunks/: each command of the CLI is one import() away,
// sim/cli/main.ts, so a start compiles only what its command needs); and the worker thread's
// script, one CommonJS file (dist/worker.cjs, see workerEntry). `npm ci` runs it
// through the `prepare` script; bin/ccsim.mjs calls ensureBuilt() so that a checkout whose sources
// changed since the last build is rebuilt before it runs (~1 s, one build at a time).
// Why a bundle, not tsx at run time: on Node 20 tsx's loader hooks run off-thread and add ~2 s to
// start-up; one bundle also loads ~5x faster than the ~800 ES modules it is made of.
// This file is imported on every start (bin/ccsim.mjs): it imports only node:fs, node:path and
// node:url at the top, and esbuild only when it builds.
//
// Why no code cache: until 938d2ce a V8 code cache trained at build time was loaded through
// node:vm, beside a worker prestarted through globalThis and a text patch of effect's Segmenter
// line. An interleaved A/B of whole processes on the 2-core VM (bench/ab.mjs, 20 trials each, a
// busy machine) put all three together at 47 ms per `ccsim --version`, 29 ms per `ccsim validate`
// and 22 ms per textbook run (~1.6 s), within that run's noise; the textbook ratio to the C++
// reference loop (npm run bench) was 0.343 with them and 0.335 without (12 paired trials each).
// The cache was not worth ~300 lines, a node:vm loader and a training run per build. Two of the
// other pieces came back in another form once measured again: the worker started early
// (sim/run/threads.ts, from sim/cli/main.ts, no global; −25 ms together with the CommonJS worker
// bundle and the timers calendar's sizing) and the lazy Segmenter (a build step, lazySegmenter
// below; −13 ms alone).
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs"
import { dirname, join, relative, sep } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const root = dirname(fileURLToPath(import.meta.url))
const dist = join(root, "dist")
const stamp = join(dist, ".stamp")
const lock = join(dist, ".build.lock")
const chunksDir = join(dist, "chunks")

/** Entry points: source file -> its bundle in dist/ (`<name>.mjs`), ES modules sharing chunks. */
export const entries = {
  "sim/cli/main.ts": "ccsim",
  "sim/cli/load-child.ts": "load-child"
}

/**
 * The worker thread's entry: one CommonJS file (dist/worker.cjs), apart from the chunks. A worker
 * that loads CommonJS starts ~10 ms sooner than one that loads an ES module (Node sets up its ES
 * module loader in each new thread; measured on the project's VM, 15 starts each: 40 vs 52 ms),
 * and a pipelined run waits for its worker before the second thread takes the first calls
 * (sim/run/pipeline.ts). It needs no chunk: only the simulator's model, ~45 KB minified.
 */
export const workerEntry = { source: "sim/run/worker.ts", out: "worker.cjs" }

/**
 * Left out of the bundle and loaded from node_modules when imported:
 * - the mock servers' HTTP stack (fastify, ws, @fastify/swagger): the mocks import it with
 *   import() when one starts (mock-odigo/app.ts, mock-psn1/app.ts), so `ccsim run` never reads it;
 * - the shift solver (highs: its loader finds its WebAssembly beside itself) and exceljs, loaded
 *   by the commands that use them;
 * - optional native add-ons that packages probe for with try/require, and esbuild itself.
 */
const external = ["fastify", "ws", "@fastify/swagger", "highs", "exceljs", "bufferutil", "utf-8-validate", "esbuild", "fsevents"]

/**
 * One edit to a dependency as it is bundled (node_modules is never touched): effect/cli builds an
 * `Intl.Segmenter` when its module loads (effect/dist/cli/CliOutput.js, used to measure the width
 * of help text), and the first Intl object of a process loads ICU's data: ~8-13 ms on the
 * project's VM, on every start, for help text most runs never print. The plugin makes it built on
 * first use. An interleaved A/B of the textbook run (20 trials) put it at -13 ms (paired median),
 * part of what keeps the textbook bench at half the C++ loop's speed (issue "The house"; README).
 * If effect changes that line, the file is bundled as it is (the build warns, nothing breaks) and
 * test/cli/build.test.ts, which checks that no bundled module builds a Segmenter at load, fails.
 */
const EAGER_SEGMENTER = /const graphemeSegmenter = \/\*#__PURE__\*\/new Intl\.Segmenter\(undefined, \{\s*granularity: "grapheme"\s*\}\);/
const lazySegmenter = {
  name: "ccsim-lazy-segmenter",
  setup(build) {
    build.onLoad({ filter: /[\\/]effect[\\/]dist[\\/]cli[\\/]CliOutput\.js$/ }, (args) => {
      const source = readFileSync(args.path, "utf8")
      if (!EAGER_SEGMENTER.test(source)) {
        process.stderr.write("build.mjs: effect/cli's Intl.Segmenter line changed: bundled as it is (see lazySegmenter)\n")
        return { contents: source, loader: "js" }
      }
      const lazy =
        "let graphemeSegmenterOnce;\n" +
        'const graphemeSegmenter = { segment: (text) => (graphemeSegmenterOnce ??= new Intl.Segmenter(undefined, { granularity: "grapheme" })).segment(text) };'
      return { contents: source.replace(EAGER_SEGMENTER, lazy), loader: "js" }
    })
  }
}

/**
 * Files whose change makes dist/ stale besides the bundled sources: this file, and npm's record of
 * what node_modules holds (rewritten by every `npm ci`/`npm install`, which rebuild anyway).
 */
const buildInputs = ["build.mjs", "package.json", "node_modules/.package-lock.json"]

/** The stamp: when the last build started (a file-system time), the files it read and the modules it wrote (relative to dist/). */
const readStamp = () => {
  try {
    const s = JSON.parse(readFileSync(stamp, "utf8"))
    return typeof s?.started === "number" && Array.isArray(s?.inputs) && Array.isArray(s?.outputs) ? s : null
  } catch {
    return null
  }
}

/**
 * True when dist/ must be rebuilt: no finished build, a module it wrote missing, or a file the
 * last build read (sources of the bundles, see buildInputs) changed or vanished since that build
 * *started* (an edit made during a build counts). Cheap enough for every start: no directory walk
 * (a new source file matters only once an existing one imports it, and that edit is seen), an
 * existence check per module written (~80) and a stat per file read (~240): the loops take ~4-5 ms
 * on the project's VM. They took 9-13 ms with a `join` and a stat per file: `join` normalizes its
 * result (most of the difference), and a Node 20 Stats builds four Dates. The stamp's paths are
 * relative: the outputs as `relative` wrote them, the inputs as esbuild's metafile names them
 * (always with `/`, which Node's file functions take on every platform), so they are concatenated.
 * An output that cannot be checked (a stamp entry that is not a path, a permission error) counts
 * as missing: the build runs again, where a stat used to throw.
 */
export function isStale() {
  const s = readStamp()
  if (s === null) return true
  for (const file of s.outputs) if (!existsSync(dist + sep + file)) return true
  for (const file of s.inputs) {
    const st = statSync(root + sep + file, { throwIfNoEntry: false })
    // >=: an edit in the same file-system clock tick as the build's start may have come after it.
    if (st === undefined || st.mtimeMs >= s.started) return true
  }
  return false
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
 * `fn` gets the lock file's modification time: the build's start on the file system's own clock,
 * the clock source files' mtimes come from (Date.now() may run a tick ahead of it).
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
    return await fn(statSync(lock).mtimeMs)
  } finally {
    rmSync(lock, { force: true })
  }
}

/**
 * Builds every entry point into dist/, dependencies included (except `external`). ES modules, so
 * import() works as usual (the worker's script apart: one CommonJS file, see workerEntry); the
 * banner gives the CommonJS packages bundled in (yaml, seedrandom…) the `require` they call for
 * Node's built-ins. Outputs are written atomically (temp file +
 * rename): a process starting meanwhile reads the old bundle or the new one, never half of one.
 * The stamp is written last, and removed first: a build that dies leaves dist/ stale.
 */
export const build = () => withBuildLock(buildUnlocked)

async function buildUnlocked(started) {
  const esbuild = await import("esbuild")
  rmSync(stamp, { force: true })
  // What both builds share. For `node --enable-source-maps` (stack traces in the TypeScript
  // sources), without the sources' text inside (sourcesContent): the map is 1 MB instead of 8.6 MB
  // and a build takes ~0.4 s less; traces need only the positions, and the sources are beside dist/.
  const common = {
    absWorkingDir: root,
    bundle: true,
    external,
    platform: "node",
    target: "node20",
    minify: true,
    sourcemap: "linked",
    sourcesContent: false,
    metafile: true,
    write: false,
    logLevel: "error"
  }
  const result = await esbuild.build({
    ...common,
    entryPoints: Object.entries(entries).map(([source, out]) => ({ in: source, out })),
    outdir: dist,
    outExtension: { ".js": ".mjs" },
    format: "esm",
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    plugins: [lazySegmenter],
    banner: { js: `import { createRequire as __ccsimCreateRequire } from "node:module";\nconst require = __ccsimCreateRequire(import.meta.url);` }
  })
  const worker = await esbuild.build({ ...common, entryPoints: [workerEntry.source], outfile: join(dist, workerEntry.out), format: "cjs" })
  const keep = new Set([stamp, lock, chunksDir])
  const writeAtomically = (path, contents) => {
    const tmp = `${path}.${process.pid}.tmp`
    writeFileSync(tmp, contents)
    renameSync(tmp, path)
    keep.add(path)
  }
  mkdirSync(chunksDir, { recursive: true })
  // Chunks first, entries last: a process starting meanwhile finds every chunk its entry names.
  const isChunk = (file) => file.path.startsWith(chunksDir)
  const files = [...result.outputFiles, ...worker.outputFiles]
  for (const file of [...files.filter(isChunk), ...files.filter((f) => !isChunk(f))]) writeAtomically(file.path, file.contents)
  // Whatever else is in dist/ is an earlier build's (e.g. the former hashed bundles and code
  // caches) — except earlier builds' chunks, for an hour after a build first finds them out of
  // date (dist/chunks/.superseded.json): a process started from an earlier build may still import
  // its own (chunk names carry a hash of their contents, so they never collide).
  for (const entry of readdirSync(dist)) {
    const path = join(dist, entry)
    if (!keep.has(path)) rmSync(path, { recursive: true, force: true })
  }
  const supersededFile = join(chunksDir, ".superseded.json")
  let superseded = {}
  try {
    superseded = JSON.parse(readFileSync(supersededFile, "utf8"))
  } catch {
    // none yet, or unreadable: every old chunk is out of date from now
  }
  const stillKept = {}
  for (const entry of readdirSync(chunksDir)) {
    const path = join(chunksDir, entry)
    if (keep.has(path) || path === supersededFile) continue
    const since = typeof superseded[entry] === "number" ? superseded[entry] : Date.now()
    if (Date.now() - since > 3_600_000) rmSync(path, { force: true })
    else stillKept[entry] = since
  }
  writeAtomically(supersededFile, JSON.stringify(stillKept))
  // Metafile inputs are paths relative to absWorkingDir (the root), with "/".
  const sources = [...Object.keys(result.metafile.inputs), ...Object.keys(worker.metafile.inputs)].filter((f) => !f.split("/").includes("node_modules"))
  const present = buildInputs.filter((f) => statSync(join(root, f), { throwIfNoEntry: false }) !== undefined)
  const inputs = [...new Set([...sources, ...present])]
  const outputs = files.map((f) => relative(dist, f.path)).filter((f) => f.endsWith(".mjs") || f.endsWith(".cjs"))
  writeAtomically(stamp, JSON.stringify({ started, inputs, outputs }))
}

/** Rebuilds only when dist/ is stale (checked again under the lock: another build may have done it). */
export async function ensureBuilt() {
  if (isStale()) await withBuildLock(async (started) => (isStale() ? buildUnlocked(started) : undefined))
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  if (process.argv.includes("--force")) await build()
  else await ensureBuilt()
}
