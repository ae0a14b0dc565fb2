// The built bundles (dist/ccsim.mjs and the chunks it loads from dist/chunks/, plain ES modules;
// dist/worker.cjs, the worker thread's one CommonJS file; dist/run.cjs, `ccsim run` alone in one
// CommonJS file) hold everything the simulator needs: run from a folder with no node_modules,
// they validate and simulate (one replication pipelined, or on a pool of worker threads), and only
// a mock asks for its HTTP stack (fastify, ws, @fastify/swagger, left in node_modules by
// build.mjs). A missing worker bundle fails a run at once, with a message that says what to do.
import { spawnSync } from "node:child_process"
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { root } from "./run-cli.js"

const tmp = mkdtempSync(join(tmpdir(), "ccsim-bundle-"))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** A folder with only package.json (workers find dist/ beside it) and the bundles (entries and chunks). */
const copy = join(tmp, "ccsim")
const scenario = join(tmp, "short.yaml")
beforeAll(() => {
  mkdirSync(join(copy, "dist"), { recursive: true })
  writeFileSync(join(copy, "package.json"), JSON.stringify({ name: "ccsim", type: "module" }))
  copyBundles(join(copy, "dist"), ["ccsim.mjs", "worker.cjs", "run.cjs"])
  // dist/run.cjs exports main(), which bin/ccsim.mjs calls (build.mjs, runCached).
  writeFileSync(join(copy, "start-run.cjs"), 'require("./dist/run.cjs").main()\n')
  writeFileSync(
    scenario,
    "name: short\nhorizon: { hours: 2 }\ncalendar: always-open\narrivals: { poisson: { perHour: 600 } }\nhandleTime: { exponential: { meanSeconds: 300 } }\npatience: { exponential: { meanSeconds: 180 } }\nagents: 50\n"
  )
})

/** Copies these entries of dist/ and every chunk (source maps left out). */
const copyBundles = (to: string, entries: ReadonlyArray<string>) => {
  mkdirSync(join(to, "chunks"), { recursive: true })
  for (const f of entries) copyFileSync(join(root, "dist", f), join(to, f))
  for (const f of readdirSync(join(root, "dist/chunks"))) if (f.endsWith(".mjs")) copyFileSync(join(root, "dist/chunks", f), join(to, "chunks", f))
}

const node = (bundle: string, args: ReadonlyArray<string>) => {
  const r = spawnSync(process.execPath, [bundle, ...args], { cwd: tmp, encoding: "utf8", timeout: 60_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}
const copied = (args: ReadonlyArray<string>) => node(join(copy, "dist/ccsim.mjs"), args)

describe("the bundles", () => {
  // A 2-hour replication is over before its producer thread has started (the simulation's thread
  // generates the calls itself meanwhile: sim/run/pipeline.ts); the pool of 3 loads the worker bundle.
  it("validate and simulate without node_modules, one replication pipelined, and on a pool of worker threads", () => {
    const valid = copied(["validate", scenario])
    expect(valid.code).toBe(0)
    expect(valid.stdout).toMatch(new RegExp(`^${scenario.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: valid — "short", 2 h, 8 intervals of 15 min; per replication about [\\d,]+ calls`))
    for (const replications of [1, 3]) {
      const outputs = [copied, (args: ReadonlyArray<string>) => node(join(copy, "start-run.cjs"), args)].map((bundle) => {
        const r = bundle(["run", scenario, "--json", "--replications", String(replications), "--workers", "2"])
        expect(r.code, r.stderr).toBe(0)
        const summary = JSON.parse(r.stdout) as { replications: number; calls: { offered: number }; performance?: unknown }
        expect(summary.replications).toBe(replications)
        expect(summary.calls.offered).toBeGreaterThan(1000) // ~1,200 calls in 2 h at 600/h
        delete summary.performance
        return summary
      })
      expect(outputs[1]).toEqual(outputs[0]) // run's own bundle: the same run
    }
  })

  it("load the mocks' HTTP stack only when a mock starts", () => {
    const odigo = copied(["mock", "odigo", "--port", "0"])
    expect(odigo.code).toBe(1)
    expect(odigo.stderr).toContain("ccsim: mock odigo: Cannot find package 'fastify'")
    const psn1 = copied(["mock", "psn1", "--port", "0", "--officer", "rssi@example.test:Secret-123"])
    expect(psn1.code).toBe(1)
    expect(psn1.stderr).toContain("ccsim: mock psn1: could not start: Cannot find package 'fastify'")
  })

  it("a run that needs a worker thread fails at once when the worker bundle is missing, pipelined or pooled", () => {
    const broken = join(tmp, "broken")
    mkdirSync(join(broken, "dist"), { recursive: true })
    writeFileSync(join(broken, "package.json"), JSON.stringify({ name: "ccsim", type: "module" }))
    copyBundles(join(broken, "dist"), ["ccsim.mjs"])
    for (const replications of ["1", "3"]) {
      const r = node(join(broken, "dist/ccsim.mjs"), ["run", scenario, "--json", "--replications", replications, "--workers", "2"])
      expect(r.code).toBe(1)
      expect(r.stdout).toBe("")
      expect(r.stderr).toBe(`ccsim: ${join(broken, "dist/worker.cjs")} is missing: run \`npm run build\`\n`)
    }
    // A run that needs no worker thread does not look for it.
    expect(node(join(broken, "dist/ccsim.mjs"), ["run", scenario, "--json", "--replications", "2", "--workers", "1"]).code).toBe(0)
  })
})
