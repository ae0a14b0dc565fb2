// `ccsim run` starts its first worker thread before the bundle loads (bin/prestart-worker.mjs);
// the run adopts it instead of starting another, and a run that needs none never starts it.
import { spawnSync } from "node:child_process"
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { availableParallelism, tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { runUsesWorkers } from "../../bin/prestart-worker.mjs"
import { root } from "./run-cli.js"

const tmp = mkdtempSync(join(tmpdir(), "ccsim-prestart-"))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))
const scenario = join(tmp, "short.yaml")
writeFileSync(scenario, "name: short\nhorizon: { hours: 1 }\ncalendar: always-open\narrivals: { poisson: { perHour: 100 } }\nhandleTime: { exponential: { meanSeconds: 300 } }\nagents: 10\n")

/** Runs the CLI; counts the worker threads that loaded the worker bundle (one report line each). */
const run = (args: ReadonlyArray<string>) => {
  const r = spawnSync(process.execPath, [join(root, "bin/ccsim.mjs"), ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, CCSIM_CODE_CACHE: "report" }
  })
  return { code: r.status, stdout: r.stdout, workers: (r.stderr.match(/code cache \w+ for \S*worker-/g) ?? []).length }
}

describe("prestarted worker", () => {
  it("is wanted only by `run` with worker threads", () => {
    const manyCores = availableParallelism() > 1
    expect(runUsesWorkers(["run", "x.yaml"])).toBe(manyCores)
    expect(runUsesWorkers(["run", "x.yaml", "--workers", "0"])).toBe(manyCores) // 0: one per core
    expect(runUsesWorkers(["run", "x.yaml", "--workers", "2"])).toBe(true)
    expect(runUsesWorkers(["run", "x.yaml", "--workers", "1"])).toBe(false)
    expect(runUsesWorkers(["run", "x.yaml", "--workers=1"])).toBe(false)
    expect(runUsesWorkers(["validate", "x.yaml"])).toBe(false)
    expect(runUsesWorkers(["erlang", "--workers", "2"])).toBe(false)
  })

  it("becomes the producer of a single pipelined replication (no second worker)", () => {
    const r = run(["run", scenario, "--json", "--replications", "1", "--workers", "2"])
    expect(r.code).toBe(0)
    expect(r.workers).toBe(1)
  })

  it("becomes one of the pool's workers", () => {
    const r = run(["run", scenario, "--json", "--replications", "3", "--workers", "2"])
    expect(r.code).toBe(0)
    expect(r.workers).toBe(2)
    expect(JSON.parse(r.stdout).replications).toBe(3)
  })

  it("is not started for an in-process run, and never holds up a run that fails", () => {
    const inProcess = run(["run", scenario, "--json", "--replications", "2", "--workers", "1"])
    expect(inProcess.code).toBe(0)
    expect(inProcess.workers).toBe(0)
    const started = Date.now()
    const bad = run(["run", join(tmp, "missing.yaml"), "--json", "--replications", "1", "--workers", "2"])
    expect(bad.code).toBe(2)
    expect(Date.now() - started).toBeLessThan(30_000)
  })

  it("a worker that cannot start fails the run at once, with a message, whether pipelined or pooled", () => {
    // A copy of the project with the worker's stub but not its bundle (a half-removed build).
    const copy = join(tmp, "broken")
    mkdirSync(join(copy, "dist"), { recursive: true })
    mkdirSync(join(copy, "bin"), { recursive: true })
    writeFileSync(join(copy, "package.json"), JSON.stringify({ name: "ccsim", type: "module" }))
    for (const f of ["load-bundle.mjs", "prestart-worker.mjs"]) copyFileSync(join(root, "bin", f), join(copy, "bin", f))
    for (const f of readdirSync(join(root, "dist"))) if (f === "ccsim.mjs" || f === "worker.mjs" || f.startsWith("ccsim-")) copyFileSync(join(root, "dist", f), join(copy, "dist", f))
    for (const replications of ["1", "3"]) {
      const started = Date.now()
      const r = spawnSync(process.execPath, [join(copy, "dist/ccsim.mjs"), "run", scenario, "--json", "--replications", replications, "--workers", "2"], {
        encoding: "utf8",
        timeout: 60_000
      })
      expect(r.status, r.stderr).toBe(1)
      expect(r.stderr).toMatch(/worker-.*\.cjs is missing: run `npm run build`/)
      expect(r.stderr).toContain("a worker thread exited (code 1) before it was ready")
      expect(Date.now() - started).toBeLessThan(20_000) // not the 120 s stall limit
    }
    // No worker at all (no stub either): the same, with the stub named.
    rmSync(join(copy, "dist/worker.mjs"))
    for (const replications of ["1", "3"]) {
      const r = spawnSync(process.execPath, [join(copy, "dist/ccsim.mjs"), "run", scenario, "--json", "--replications", replications, "--workers", "2"], {
        encoding: "utf8",
        timeout: 60_000
      })
      expect(r.status, r.stderr).toBe(1)
      expect(r.stderr).toBe(`ccsim: ${join(copy, "dist/worker.mjs")} is missing: run \`npm run build\`\n`)
    }
  })

  it("gives the same results as a run without it", () => {
    const a = run(["run", scenario, "--json", "--replications", "1", "--workers", "2", "--seed", "5"])
    const b = run(["run", scenario, "--json", "--replications", "1", "--workers", "1", "--seed", "5"])
    const strip = (s: string) => {
      const { performance: _p, ...rest } = JSON.parse(s) as Record<string, unknown>
      return rest
    }
    expect(strip(a.stdout)).toEqual(strip(b.stdout))
  })
})
