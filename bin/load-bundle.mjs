// Loads one of ccsim's bundles (dist/<name>-<hash>.cjs, built by build.mjs) through V8's code
// cache. Node 20 has no compile cache for modules, so every start used to parse and compile
// ~1.5 MB of JavaScript (~45 ms, plus lazy compiles while it runs). node:vm's `cachedData` is the
// API that remains: build.mjs runs a short training simulation with CCSIM_CODE_CACHE=write, and
// the bytecode V8 compiled during it is saved beside the bundle as <name>-<hash>.code-cache; later
// starts deserialize it instead of compiling.
//
// Safety: the bundle's file name carries its content hash, so a cache always sits beside the one
// bundle it was made from; V8 also checks its own version, flags and the source length, and a cache
// it rejects is ignored (the bundle is compiled as usual — slower, never wrong).
//
// With --enable-source-maps the bundle is loaded by require() instead, so traces name the sources.
//
// CCSIM_CODE_CACHE: unset = use the cache when present; `off` = compile without it (for A/B
// timing); `write` = (re)write it (build.mjs's training run); `report` = say on stderr whether it
// was used.
import { existsSync, readFileSync, renameSync, writeFileSync, writeSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname } from "node:path"
import { fileURLToPath } from "node:url"
import { Script } from "node:vm"

/** The code cache file of a bundle. */
export const codeCachePath = (bundlePath) => bundlePath.replace(/\.cjs$/, ".code-cache")

/**
 * Runs the CommonJS bundle at `bundleUrl` in this thread (main or worker) with the usual CommonJS
 * bindings. The bundle must not call import() (build.mjs turns imports of packages left in
 * node_modules into require()): a script compiled from a code cache has no dynamic-import hook.
 */
export function loadBundle(bundleUrl) {
  const filename = fileURLToPath(bundleUrl)
  if (!existsSync(filename)) {
    // writeSync: a worker thread's process.stderr is asynchronous and could lose the line on exit.
    writeSync(2, `ccsim: ${filename} is missing: run \`npm run build\`\n`)
    process.exit(1)
  }
  // With --enable-source-maps, Node maps stack traces only for modules it loads itself (not for
  // a vm.Script): load the bundle the plain way then, without the cache.
  if (process.sourceMapsEnabled) return createRequire(import.meta.url)(filename)
  const cachePath = codeCachePath(filename)
  const mode = process.env.CCSIM_CODE_CACHE ?? ""
  let cachedData
  if (mode !== "off" && mode !== "write") {
    try {
      cachedData = readFileSync(cachePath)
    } catch {
      cachedData = undefined // no cache yet: compile
    }
  }
  const source = readFileSync(filename, "utf8")
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename, cachedData })
  if (mode === "report") {
    const state = cachedData === undefined ? "absent" : script.cachedDataRejected ? "rejected" : "accepted"
    process.stderr.write(`ccsim: code cache ${state} for ${filename}\n`)
  }
  if (mode === "write") {
    // The main thread writes at exit; a worker thread is terminated without an exit event, so it
    // calls globalThis.__ccsimFlushCodeCache() itself once its job is done (sim/run/worker.ts).
    let written = false
    const write = () => {
      if (written) return
      written = true
      const tmp = `${cachePath}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
      writeFileSync(tmp, script.createCachedData())
      renameSync(tmp, cachePath)
    }
    globalThis.__ccsimFlushCodeCache = write
    process.on("exit", write)
  }
  const module = { exports: {} }
  script.runInThisContext()(module.exports, createRequire(filename), module, filename, dirname(filename))
  return module.exports
}
