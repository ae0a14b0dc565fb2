// build.mjs on a copy of the project: builds never overlap (a lock), an edit made during a build
// is rebuilt next time, a missing bundle means stale, and dist/ keeps working throughout.
import { execFileSync, spawn, spawnSync } from "node:child_process"
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
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
const stubBundle = () => /new URL\("\.\/([^"]+\.cjs)"/.exec(readFileSync(join(copy, "dist/ccsim.mjs"), "utf8"))![1]!
const validate = () => node([join(copy, "dist/ccsim.mjs"), "validate", join(copy, "scenarios/erlang-a-textbook.yaml")])
/** A change to what the bundle does (`ccsim validate` says "valid<tag>"). */
const editSource = (tag: string) => {
  const file = join(copy, "sim/cli/validate.ts")
  writeFileSync(file, readFileSync(file, "utf8").replace(/: valid[A-Z]* —/, `: valid${tag} —`))
}

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
  it("leaves a working dist/ with a stamp and is then not stale", () => {
    expect(isStale()).toBe("false")
    expect(JSON.parse(readFileSync(join(copy, "dist/.stamp"), "utf8"))).toMatchObject({ node: process.version })
    expect(validate().status).toBe(0)
  })

  it("two builds started together, sources edited in between: they run one after the other and dist/ works", async () => {
    const first = buildAsync("--force")
    await new Promise((r) => setTimeout(r, 300))
    editSource("A")
    const second = buildAsync("--force")
    expect(await first).toBe(0)
    expect(await second).toBe(0)
    expect(validate().status).toBe(0)
    expect(validate().stdout).toContain(": validA —")
    expect(isStale()).toBe("false")
  }, 60_000)

  it("an edit made while a build runs makes dist/ stale afterwards", async () => {
    const build = buildAsync("--force")
    // Edit once the build is under way: it holds the lock, then notes its start and bundles.
    const deadline = Date.now() + 30_000
    while (!existsSync(join(copy, "dist/.build.lock")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
    await new Promise((r) => setTimeout(r, 300))
    editSource("B")
    expect(await build).toBe(0)
    expect(isStale()).toBe("true")
  }, 60_000)

  it("a stub whose bundle is gone is stale, and bin/ccsim.mjs rebuilds before running", () => {
    expect(node([join(copy, "build.mjs")]).status).toBe(0)
    expect(isStale()).toBe("false")
    rmSync(join(copy, "dist", stubBundle()))
    expect(isStale()).toBe("true")
    const r = node([join(copy, "bin/ccsim.mjs"), "validate", join(copy, "scenarios/erlang-a-textbook.yaml")])
    expect(r.status, r.stderr).toBe(0)
    expect(isStale()).toBe("false")
  }, 60_000)
})
