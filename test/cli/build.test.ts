// build.mjs on a copy of the project: a checkout whose sources changed is rebuilt before it runs,
// builds never overlap (a lock), an edit made during a build is rebuilt next time, a missing
// bundle means stale, and dist/ keeps working throughout. `ccsim run` goes through its own
// bundle (dist/run.cjs) and V8's code cache, written by the first run of a build (runCached).
import { execFileSync, spawn, spawnSync } from "node:child_process"
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs"
import { availableParallelism, tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { root } from "./run-cli.js"

const tmp = mkdtempSync(join(tmpdir(), "ccsim-build-"))
const copy = join(tmp, "ccsim")
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const node = (args: ReadonlyArray<string>) => spawnSync(process.execPath, args, { cwd: copy, encoding: "utf8", timeout: 120_000 })
const buildAsync = (...args: string[]) =>
  new Promise<number | null>((resolve) => spawn(process.execPath, [join(copy, "build.mjs"), ...args], { cwd: copy, stdio: "ignore" }).on("exit", resolve))
const isStale = () => node(["--input-type=module", "-e", `import { isStale } from ${JSON.stringify(join(copy, "build.mjs"))}; process.stdout.write(String(isStale()))`]).stdout
const textbook = () => join(copy, "scenarios/erlang-a-textbook.yaml")
/** `ccsim validate` through the bundle only (no staleness check). */
const validateBundle = () => node([join(copy, "dist/ccsim.mjs"), "validate", textbook()])
/** `ccsim validate` as a user runs it (bin/ccsim.mjs: rebuild if stale, then run). */
const validateBin = () => node([join(copy, "bin/ccsim.mjs"), "validate", textbook()])
/** A change to what the bundle does (`ccsim validate` says "valid<tag>"). */
const editSource = (tag: string) => {
  const file = join(copy, "sim/cli/validate.ts")
  writeFileSync(file, readFileSync(file, "utf8").replace(/: valid[A-Z]* —/, `: valid${tag} —`))
}
const stamp = () => JSON.parse(readFileSync(join(copy, "dist/.stamp"), "utf8")) as { started: number; inputs: string[]; outputs: string[] }

beforeAll(() => {
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: root, encoding: "utf8" }).split("\n").filter((f) => f !== "" && !f.startsWith("dist/"))
  for (const f of files) {
    mkdirSync(dirname(join(copy, f)), { recursive: true })
    try {
      copyFileSync(join(root, f), join(copy, f))
    } catch {
      // a file listed but deleted in the working tree
    }
  }
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules"))
  expect(node([join(copy, "build.mjs"), "--force"]).status).toBe(0)
}, 120_000)

describe("build.mjs", () => {
  it("leaves a working dist/ and a stamp naming the files it read, and is then not stale", () => {
    expect(isStale()).toBe("false")
    const { inputs } = stamp()
    expect(inputs).toEqual(expect.arrayContaining(["sim/cli/main.ts", "sim/run/worker.ts", "sim/cli/validate.ts", "build.mjs", "package.json"]))
    expect(inputs.filter((f) => f.includes("node_modules/") && f !== "node_modules/.package-lock.json")).toEqual([])
    const { outputs } = stamp()
    expect(outputs).toEqual(expect.arrayContaining(["ccsim.mjs", "worker.cjs", "load-child.mjs", "run.cjs"]))
    expect(outputs.filter((f) => f.startsWith("chunks/")).length).toBeGreaterThan(5)
    expect(validateBundle().status).toBe(0)
  })

  it("bundles effect/cli's Intl.Segmenter so that it is built on first use, not when the module loads (build.mjs: lazySegmenter)", () => {
    const segmenters = stamp().outputs.flatMap((f) => readFileSync(join(copy, "dist", f), "utf8").match(/.{0,4}new Intl\.Segmenter/g) ?? [])
    expect(segmenters.length).toBeGreaterThan(0) // effect/cli's is in the bundle…
    for (const s of segmenters) expect(s).toMatch(/\?\?=\s*new Intl\.Segmenter$/) // …and only ever built by `x ??= new Intl.Segmenter(…)`
    const help = node([join(copy, "dist/ccsim.mjs"), "--help"])
    expect(help.status).toBe(0)
    expect(help.stdout).toContain("USAGE")
  })

  it("`ccsim run` writes V8's code cache of its bundle when it ends, then runs from it; a damaged one is replaced, and the results never change", () => {
    const scenario = join(tmp, "short.yaml")
    writeFileSync(scenario, "name: short\nhorizon: { hours: 4 }\ncalendar: always-open\narrivals: { poisson: { perHour: 600 } }\nhandleTime: { exponential: { meanSeconds: 300 } }\npatience: { exponential: { meanSeconds: 180 } }\nagents: 50\n")
    const caches = () => readdirSync(join(copy, "dist")).filter((f) => f.endsWith(".v8cache"))
    const id = /^\/\/ ccsim run bundle ([0-9a-f]{16})\n/.exec(readFileSync(join(copy, "dist/run.cjs"), "utf8"))?.[1]
    expect(id).toBeDefined()
    const cache = join(copy, `dist/run.cjs.${id}.v8cache`)
    /** The run's summary without its timings (the figures are the seed's: the same every run). */
    const results = (args: ReadonlyArray<string>, env: Record<string, string> = {}) => {
      const r = spawnSync(process.execPath, args, { cwd: copy, encoding: "utf8", timeout: 120_000, env: { ...process.env, ...env } })
      expect(r.status, r.stderr).toBe(0)
      const { performance: _timings, ...summary } = JSON.parse(r.stdout) as { performance: unknown }
      return summary
    }
    const run = ["run", scenario, "--json", "--replications", "2"]
    const bin = (env?: Record<string, string>) => results([join(copy, "bin/ccsim.mjs"), ...run], env)
    // The reference: every command's bundle (dist/ccsim.mjs, ES modules), which never uses a cache.
    const expected = results([join(copy, "dist/ccsim.mjs"), ...run])
    expect(expected).toHaveProperty("calls.offered")

    rmSync(cache, { force: true })
    expect(bin({ CCSIM_CODE_CACHE: "0" })).toEqual(expected)
    expect(existsSync(cache)).toBe(false) // CCSIM_CODE_CACHE=0: neither read nor written
    // Neither does a line that does not simulate: help, bad input (they compile a fraction of the code).
    expect(node([join(copy, "bin/ccsim.mjs"), "run", "--help"]).status).toBe(0)
    const bad = node([join(copy, "bin/ccsim.mjs"), "run", join(tmp, "missing.yaml")])
    expect(bad.status).toBe(2)
    expect(existsSync(cache)).toBe(false)
    expect(bin()).toEqual(expected)
    expect(caches()).toEqual([`run.cjs.${id}.v8cache`]) // written at the end of the run
    const written = readFileSync(cache)
    expect(written.length).toBeGreaterThan(100_000)
    const writtenAt = statSync(cache).mtimeMs
    expect(bin()).toEqual(expected) // from the cache: accepted, so not written again
    expect(statSync(cache).mtimeMs).toBe(writtenAt)
    expect(readFileSync(cache).equals(written)).toBe(true)

    // A damaged cache (V8 checks what it reads) is rejected: the run compiles its bundle and writes a new one.
    for (const damaged of [written.subarray(0, 1000), Buffer.from(written.map((b, i) => (i >= 64 && i % 7 === 0 ? b ^ 0x5a : b)))]) {
      writeFileSync(cache, damaged)
      expect(bin()).toEqual(expected)
      expect(readFileSync(cache).length).toBeGreaterThan(100_000)
      expect(readFileSync(cache).equals(damaged)).toBe(false)
    }
    // Stack traces in the TypeScript sources (node --enable-source-maps): Node's own loader, no cache.
    rmSync(cache)
    expect(results(["--enable-source-maps", join(copy, "bin/ccsim.mjs"), ...run])).toEqual(expected)
    expect(existsSync(cache)).toBe(false)
    // A build removes every cache; the next run writes its bundle's.
    expect(bin()).toEqual(expected)
    expect(node([join(copy, "build.mjs"), "--force"]).status).toBe(0)
    expect(caches()).toEqual([])
    expect(bin()).toEqual(expected)
    expect(caches()).toHaveLength(1)
  }, 120_000)

  it.skipIf(availableParallelism() < 2)("`ccsim run`'s loader starts the worker thread the run uses, and none when the line sets --workers", () => {
    const scenario = join(tmp, "short-workers.yaml")
    writeFileSync(scenario, "name: short\nhorizon: { hours: 4 }\ncalendar: always-open\narrivals: { poisson: { perHour: 600 } }\nhandleTime: { exponential: { meanSeconds: 300 } }\nagents: 50\n")
    // Counts the worker threads a process creates and terminates (worker_threads.Worker, as every module reads it).
    const probe = join(tmp, "count-workers.cjs")
    const counts = join(tmp, "workers.json")
    writeFileSync(
      probe,
      `const wt = require("node:worker_threads"); const fs = require("node:fs"); const Base = wt.Worker; let created = 0, terminated = 0
wt.Worker = class extends Base { constructor(...a) { super(...a); created++ } terminate() { terminated++; return super.terminate() } }
process.on("exit", () => fs.writeFileSync(${JSON.stringify(counts)}, JSON.stringify({ created, terminated })))\n`
    )
    const workers = (extra: ReadonlyArray<string>) => {
      const r = node(["--require", probe, join(copy, "bin/ccsim.mjs"), "run", scenario, "--json", ...extra])
      expect(r.status, r.stderr).toBe(0)
      return JSON.parse(readFileSync(counts, "utf8")) as { created: number; terminated: number }
    }
    // One replication: the loader's worker is the producer (stopped once the replication is done), no other.
    expect(workers(["--replications", "1"])).toEqual({ created: 1, terminated: 1 })
    // A pool of two: the loader's worker and one more.
    expect(workers(["--replications", "3", "--workers", "2"]).created).toBe(2)
    expect(workers(["--replications", "3"]).created).toBe(Math.min(3, availableParallelism()))
    // --workers 1: no thread at all.
    expect(workers(["--replications", "1", "--workers", "1"])).toEqual({ created: 0, terminated: 0 })
  }, 60_000)

  it("a stale checkout is rebuilt before it runs: an edited source, a touched build input, a missing bundle", () => {
    editSource("C")
    expect(isStale()).toBe("true")
    const edited = validateBin()
    expect(edited.status, edited.stderr).toBe(0)
    expect(edited.stdout).toContain(": validC —")
    expect(isStale()).toBe("false")

    const afterStart = new Date(Math.ceil(stamp().started) + 1) // as if saved just after the last build started
    utimesSync(join(copy, "package.json"), afterStart, afterStart)
    expect(isStale()).toBe("true")
    utimesSync(join(copy, "package.json"), new Date(stamp().started - 1_000), new Date(stamp().started - 1_000))
    expect(isStale()).toBe("false")
    rmSync(join(copy, "dist/worker.cjs"))
    expect(isStale()).toBe("true")
    expect(validateBin().status).toBe(0)
    expect(existsSync(join(copy, "dist/worker.cjs"))).toBe(true)
    expect(isStale()).toBe("false")
    // A chunk a command loads on demand (dist/chunks/) counts as much as an entry.
    const chunk = stamp().outputs.find((f) => f.startsWith("chunks/"))!
    rmSync(join(copy, "dist", chunk))
    expect(isStale()).toBe("true")
    expect(validateBin().status).toBe(0)
    expect(existsSync(join(copy, "dist", chunk))).toBe(true)
  }, 60_000)

  it("keeps an earlier build's chunks for an hour after they go out of date, then removes them", () => {
    const chunks = () => new Set(stamp().outputs.filter((f) => f.startsWith("chunks/")))
    const before = chunks()
    editSource("D")
    expect(node([join(copy, "build.mjs")]).status).toBe(0)
    const gone = [...before].filter((f) => !chunks().has(f))
    expect(gone.length).toBeGreaterThan(0) // the validate command's chunk changed
    for (const f of gone) expect(existsSync(join(copy, "dist", f)), f).toBe(true)
    const ledger = join(copy, "dist/chunks/.superseded.json")
    const since = JSON.parse(readFileSync(ledger, "utf8")) as Record<string, number>
    for (const f of gone) expect(since[f.slice("chunks/".length)], f).toBeGreaterThan(Date.now() - 60_000)
    // An hour and more later, the next build removes them.
    writeFileSync(ledger, JSON.stringify(Object.fromEntries(Object.keys(since).map((k) => [k, Date.now() - 3_700_000]))))
    expect(node([join(copy, "build.mjs"), "--force"]).status).toBe(0)
    for (const f of gone) expect(existsSync(join(copy, "dist", f)), f).toBe(false)
    for (const f of chunks()) expect(existsSync(join(copy, "dist", f)), f).toBe(true)
    expect(validateBundle().stdout).toContain(": validD —")
  }, 60_000)

  it("two builds started together, sources edited in between: they run one after the other and dist/ works", async () => {
    const first = buildAsync("--force")
    await new Promise((r) => setTimeout(r, 300))
    editSource("A")
    const second = buildAsync("--force")
    expect(await first).toBe(0)
    expect(await second).toBe(0)
    expect(validateBundle().status).toBe(0)
    expect(validateBundle().stdout).toContain(": validA —")
    expect(isStale()).toBe("false")
  }, 60_000)

  it("an edit made while a build runs makes dist/ stale afterwards", async () => {
    const build = buildAsync("--force")
    // Edit once the build is under way: it holds the lock, then bundles.
    const deadline = Date.now() + 30_000
    while (!existsSync(join(copy, "dist/.build.lock")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
    await new Promise((r) => setTimeout(r, 300))
    editSource("B")
    expect(await build).toBe(0)
    expect(isStale()).toBe("true")
  }, 60_000)
})
