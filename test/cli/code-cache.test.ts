// The bundles start through V8's code cache (bin/load-bundle.mjs, written by build.mjs's training
// run). A cache V8 refuses must only cost time: the same command gives the same output.
import { spawnSync } from "node:child_process"
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { afterAll, describe, expect, it } from "vitest"
import { root } from "./run-cli.js"

const tmp = mkdtempSync(join(tmpdir(), "ccsim-code-cache-"))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const dist = join(root, "dist")
const textbook = join(root, "scenarios/erlang-a-textbook.yaml")
const node = (args: ReadonlyArray<string>, env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", timeout: 120_000, env: { ...process.env, ...env } })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}
const bundleOf = (name: string) => readdirSync(dist).find((f) => new RegExp(`^${name}-[A-Z0-9]+\\.cjs$`).test(f))

describe("code cache", () => {
  it("the build leaves one hashed bundle and one code cache per entry, and both threads use theirs", () => {
    for (const name of ["ccsim", "worker"]) {
      const bundle = bundleOf(name)
      expect(bundle, `dist/${name}-<hash>.cjs`).toBeDefined()
      expect(readdirSync(dist)).toContain(bundle!.replace(/\.cjs$/, ".code-cache"))
    }
    const scenario = join(tmp, "short.yaml")
    writeFileSync(scenario, "name: short\nhorizon: { hours: 1 }\ncalendar: always-open\narrivals: { poisson: { perHour: 100 } }\nhandleTime: { exponential: { meanSeconds: 300 } }\nagents: 10\n")
    // One replication on two workers: the first attempts come from a producer worker thread.
    const r = node([join(dist, "ccsim.mjs"), "run", scenario, "--json", "--replications", "1", "--workers", "2"], { CCSIM_CODE_CACHE: "report" })
    expect(r.code).toBe(0)
    expect(r.stderr).toContain(`code cache accepted for ${join(dist, bundleOf("ccsim")!)}`)
    expect(r.stderr).toContain(`code cache accepted for ${join(dist, bundleOf("worker")!)}`)
  })

  it("a cache V8 rejects is ignored: same output, exit 0", () => {
    const bundle = bundleOf("ccsim")!
    copyFileSync(join(dist, bundle), join(tmp, bundle))
    writeFileSync(join(tmp, bundle.replace(/\.cjs$/, ".code-cache")), Buffer.alloc(4096, 7)) // not a cache at all
    const stub = join(tmp, "ccsim.mjs")
    writeFileSync(
      stub,
      `import { loadBundle } from ${JSON.stringify(pathToFileURL(join(root, "bin/load-bundle.mjs")).href)}\nloadBundle(new URL("./${bundle}", import.meta.url))\n`
    )
    const broken = node([stub, "validate", textbook], { CCSIM_CODE_CACHE: "report" })
    const usual = node([join(dist, "ccsim.mjs"), "validate", textbook])
    expect(broken.stderr).toContain("code cache rejected")
    expect(broken.code).toBe(0)
    expect(usual.code).toBe(0)
    expect(broken.stdout).toBe(usual.stdout)
    const off = node([join(dist, "ccsim.mjs"), "validate", textbook], { CCSIM_CODE_CACHE: "off" })
    expect(off.stdout).toBe(usual.stdout)
  })
})
