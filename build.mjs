// Build: bundles ccsim's TypeScript and its dependencies into dist/ with esbuild — one plain ES
// module per entry (dist/ccsim.mjs, the CLI; dist/load-child.mjs, a live-harness process) and the
// chunks they share or load on demand (dist/chunks/: each command of the CLI is one import() away,
// sim/cli/main.ts, so a start compiles only what its command needs); the worker thread's script,
// one CommonJS file (dist/worker.cjs, see workerEntry); and `ccsim run` alone, one CommonJS file
// (dist/run.cjs, see runEntry) that bin/ccsim.mjs runs with V8's code cache (runCached). `npm ci`
// runs it through the `prepare` script; bin/ccsim.mjs calls ensureBuilt() so that a checkout whose
// sources changed since the last build is rebuilt before it runs (~1 s, one build at a time).
// Why a bundle, not tsx at run time: on Node 20 tsx's loader hooks run off-thread and add ~2 s to
// start-up; one bundle also loads ~5x faster than the ~800 ES modules it is made of.
// This file is imported on every start (bin/ccsim.mjs): it imports only node:fs, node:path and
// node:url at the top, esbuild and node:crypto only when it builds, node:vm, node:v8,
// node:module, node:os and node:worker_threads only to run dist/run.cjs.
//
// The code cache, gone and back: until 938d2ce a V8 code cache trained at build time was loaded
// through node:vm for every command, beside a worker prestarted through globalThis and a text patch
// of effect's Segmenter line; measured then at ~22 ms a textbook run, it was removed with them
// (issue "The house": ~300 lines, a training run per build, ~35 ms of staleness checks a start).
// Two of the other pieces came back in another form once measured again: the worker started early
// (sim/cli/early-worker.ts, no global; −25 ms together with the CommonJS worker bundle and the
// timers calendar's sizing) and the lazy Segmenter (a build step, lazySegmenter below; −13 ms
// alone). The cache came back for `ccsim run` alone, without a training run (the first run of a
// build writes it) and without staleness checks of its own (a build's hash names it; V8 checks
// the rest): with everything else in place it was what still stood between the textbook run and
// half the C++ loop's speed, −49 to −60 ms a run in interleaved A/Bs (README, Performance).
import { accessSync, closeSync, constants, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs"
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
 * `ccsim run`'s own entry: one CommonJS file (dist/run.cjs) holding the command line with only
 * `run`, everything it needs bundled in, that bin/ccsim.mjs compiles through node:vm with V8's code
 * cache (runCached below). Its first line names the build (a hash of the file), which names the
 * cache: a rebuilt bundle never meets the cache of another.
 */
export const runEntry = { source: "sim/cli/main-run.ts", out: "run.cjs" }
const BUILD_ID_PLACEHOLDER = "0".repeat(16)
const BUILD_ID_LINE = /^\/\/ ccsim run bundle ([0-9a-f]{16})\n/
/** The CommonJS wrapper runCached compiles dist/run.cjs in (on its first line, the build comment: line numbers stay the file's). */
const WRAPPER_HEAD = "(function (exports, require, module, __filename, __dirname) {"
const WRAPPER_TAIL = "\n})"

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
  // import.meta.url is the file's URL in an ES module; threads.ts finds the worker's script by it.
  const run = await esbuild.build({
    ...common,
    entryPoints: [runEntry.source],
    outfile: join(dist, runEntry.out),
    format: "cjs",
    charset: "ascii", // esbuild's default: runCached then decodes the bundle as Latin-1 (cheaper than UTF-8)
    plugins: [lazySegmenter],
    define: { "import.meta.url": "__ccsimUrl" },
    banner: { js: `// ccsim run bundle ${BUILD_ID_PLACEHOLDER}\n"use strict";\nconst __ccsimUrl = require("node:url").pathToFileURL(__filename).href;` }
  })
  // The bundle is compiled through node:vm without a dynamic-import callback (Node 20's default
  // loader for vm scripts is experimental and warns): an import() left in it would fail at run time,
  // only on the cached path. Externals loaded with import() stay import() in a CommonJS bundle.
  for (const [out, { imports }] of Object.entries(run.metafile.outputs)) {
    const dynamic = imports.filter((i) => i.kind === "dynamic-import")
    if (dynamic.length > 0) throw new Error(`build: ${out} must not keep an import() (${dynamic.map((i) => i.path).join(", ")}): ccsim run's graph must load it statically`)
  }
  const { createHash } = await import("node:crypto")
  const runFiles = run.outputFiles.map((file) => {
    if (!file.path.endsWith(".cjs")) return file
    const id = createHash("sha256").update(file.contents).digest("hex").slice(0, 16)
    // The same length: the source map's positions stay right.
    return { path: file.path, contents: Buffer.from(file.text.replace(`// ccsim run bundle ${BUILD_ID_PLACEHOLDER}\n`, `// ccsim run bundle ${id}\n`)) }
  })
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
  const files = [...result.outputFiles, ...worker.outputFiles, ...runFiles]
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
  const sources = [...Object.keys(result.metafile.inputs), ...Object.keys(worker.metafile.inputs), ...Object.keys(run.metafile.inputs)].filter((f) => !f.split("/").includes("node_modules"))
  const present = buildInputs.filter((f) => statSync(join(root, f), { throwIfNoEntry: false }) !== undefined)
  const inputs = [...new Set([...sources, ...present])]
  const outputs = files.map((f) => relative(dist, f.path)).filter((f) => f.endsWith(".mjs") || f.endsWith(".cjs"))
  writeAtomically(stamp, JSON.stringify({ started, inputs, outputs }))
}

/** Rebuilds only when dist/ is stale (checked again under the lock: another build may have done it). */
export async function ensureBuilt() {
  if (isStale()) await withBuildLock(async (started) => (isStale() ? buildUnlocked(started) : undefined))
}

/**
 * Runs dist/run.cjs (`ccsim run`'s own bundle, runEntry) in this process, compiled through node:vm
 * with V8's code cache: the bytecode of every function the last run without a usable cache had
 * compiled by its end, written then beside the bundle as `run.cjs.<build>.v8cache`. V8 takes the
 * cache instead of compiling the ~0.6 MB of JavaScript again (~60-80 ms of a textbook run's
 * ~0.6 s on the project's VM; interleaved A/B: README, Performance) and rejects one it cannot use:
 * a different Node or V8, other V8 flags (`--max-old-space-size`, `--stack-size`…), a damaged file
 * (its checksum); the run is then compiled as usual and writes a new cache when it ends well. A rebuild names a new file (the build's hash, the
 * bundle's first line; build() removes the old ones), so a cache never outlives its bundle.
 * Writing is best effort (a read-only install runs without one) and atomic (temp file + rename:
 * several runs ending at once each write a whole cache). `CCSIM_CODE_CACHE=0` neither reads nor
 * writes one (it loads the bundle as any CommonJS file, to measure what the cache saves), nor does
 * `node --enable-source-maps` (Node maps stack traces to the TypeScript sources only for files its
 * own loader compiled). `dir` is dist/ (tests give a copy of it).
 */
export function runCached(dir = dist) {
  const { createRequire } = process.getBuiltinModule("node:module")
  const file = join(dir, runEntry.out)
  const worker = startWorker(dir)
  const plain = () => createRequire(import.meta.url)(file).main(worker)
  // Node maps stack traces to the TypeScript sources only for files its own loader compiled.
  if (process.env.CCSIM_CODE_CACHE === "0" || process.sourceMapsEnabled) return plain()
  const wrapped = readWrapped(file)
  const id = BUILD_ID_LINE.exec(wrapped.slice(WRAPPER_HEAD.length, WRAPPER_HEAD.length + 64))?.[1]
  if (id === undefined) return plain() // not a bundle build() wrote: no cache can be named for it
  const cacheFile = `${file}.${id}.v8cache`
  let cachedData
  try {
    cachedData = readFileSync(cacheFile)
  } catch {
    // none yet: this run writes it
  }
  // V8 checksums a code cache only when asked, writing and reading: without that, a damaged file
  // would not be rejected but crash the process in V8's deserializer. Asked only meanwhile: the
  // flag also has every new isolate check V8's own snapshot (+30-40 ms to a worker thread's start).
  const v8 = process.getBuiltinModule("node:v8")
  const checked = (fn) => {
    v8.setFlagsFromString("--verify-snapshot-checksum")
    try {
      return fn()
    } finally {
      v8.setFlagsFromString("--no-verify-snapshot-checksum")
    }
  }
  const vm = process.getBuiltinModule("node:vm")
  const script = checked(() => new vm.Script(wrapped, { filename: file, cachedData }))
  const module = { exports: {} }
  if (cachedData === undefined || script.cachedDataRejected === true) {
    process.once("exit", (code) => {
      // Only after a run that simulated and ended well: what a help request or bad input compiles
      // is a fraction of what a run needs, and V8 would take that cache from then on.
      if (code !== 0 || module.exports.hasSimulated?.() !== true) return
      const tmp = `${cacheFile}.${process.pid}.tmp`
      try {
        accessSync(dir, constants.W_OK) // a read-only install: not worth making the cache
        writeFileSync(tmp, checked(() => script.createCachedData()))
        renameSync(tmp, cacheFile)
      } catch {
        // a read-only dist/, a full disk, the cache's name taken by a folder: the next run compiles as this one did
        try {
          rmSync(tmp, { force: true })
        } catch {
          // nothing more to do at exit
        }
      }
    })
  }
  script.runInThisContext()(module.exports, createRequire(file), module, file, dir)
  module.exports.main(worker)
}

/**
 * dist/run.cjs inside its CommonJS wrapper, read into one buffer and decoded once: the wrapper
 * joined to the file's text afterwards made a two-part string that V8 copies whole (0.6 MB) before
 * it looks the source up, and decoding as UTF-8 costs more than as Latin-1 (−6 ms in all, read
 * and compile, on the project's VM). esbuild's `charset: "ascii"` escapes strings and names but
 * not everything (a licence comment, a regular expression with the `u` flag): a bundle that is not
 * ASCII is decoded as UTF-8.
 */
const readWrapped = (file) => {
  const fd = openSync(file, "r")
  try {
    const size = fstatSync(fd).size
    const buffer = Buffer.allocUnsafe(WRAPPER_HEAD.length + size + WRAPPER_TAIL.length)
    buffer.write(WRAPPER_HEAD, 0, "latin1")
    for (let done = 0; done < size; ) {
      const n = readSync(fd, buffer, WRAPPER_HEAD.length + done, size - done, done)
      if (n === 0) throw new Error(`${file}: shorter than its size (${done} of ${size} bytes): rebuild with \`npm run build\``)
      done += n
    }
    buffer.write(WRAPPER_TAIL, WRAPPER_HEAD.length + size, "latin1")
    return buffer.toString(process.getBuiltinModule("node:buffer").isAscii(buffer) ? "latin1" : "utf8")
  } finally {
    closeSync(fd)
  }
}

/**
 * The worker thread a `ccsim run` on several cores will want (the producer of a pipelined
 * replication, or the first of a pool), started before its bundle is read and compiled: it boots
 * on the other core meanwhile, ~30-50 ms sooner than the bundle's own code could start it (its
 * producer then takes over the calls sooner; interleaved A/B of the textbook run: README,
 * Performance). Handed to the bundle's main() in the same turn of the event loop, which takes it
 * (or stops it, for a line it does not suit). Unref'd: it never holds the process. None on one
 * core, nor when the line sets --workers (the runner then starts what that asks for), nor when
 * dist/worker.cjs is missing (the run then says so).
 */
const startWorker = (dir) => {
  const file = join(dir, workerEntry.out)
  // The line's own --workers: the runner starts what it asks for (the test sim/cli/early-worker.ts makes).
  const workersSet = process.argv.some((a) => a === "--workers" || a.startsWith("--workers="))
  if (workersSet || process.getBuiltinModule("node:os").availableParallelism() < 2 || !existsSync(file)) return undefined
  const { Worker } = process.getBuiltinModule("node:worker_threads")
  const worker = new Worker(file)
  worker.unref()
  return worker
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  if (process.argv.includes("--force")) await build()
  else await ensureBuilt()
}
