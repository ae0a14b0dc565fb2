// sim/cli/platform.ts: a start leaves Node's child_process, readline and crypto unloaded (effect/cli's
// terminal, spawner and file system are built on first use; no ccsim command uses any of them). The
// layer itself is exercised by every CLI test: each command runs with it.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { root } from "./run-cli.js"

const tmp = mkdtempSync(join(tmpdir(), "ccsim-platform-"))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** Node's own list of the built-in modules a `ccsim …` process loaded, taken at its exit. */
const builtinsLoadedBy = (args: ReadonlyArray<string>): string[] => {
  const probe = join(tmp, "modules.mjs")
  const list = join(tmp, "modules.json")
  writeFileSync(probe, `import { writeFileSync } from "node:fs"\nprocess.on("exit", () => writeFileSync(${JSON.stringify(list)}, JSON.stringify(process.moduleLoadList)))\n`)
  const r = spawnSync(process.execPath, ["--import", probe, join(root, "bin/ccsim.mjs"), ...args], { encoding: "utf8", timeout: 120_000 })
  expect(r.status, r.stderr).toBe(0)
  return JSON.parse(readFileSync(list, "utf8")) as string[]
}

describe("the CLI's platform layer", () => {
  it("a `ccsim validate`, a `ccsim --version` and a `ccsim run` load none of node:child_process, node:readline and node:crypto", () => {
    const short = join(tmp, "short.yaml")
    writeFileSync(short, "name: short\nhorizon: { hours: 1 }\ncalendar: always-open\narrivals: { poisson: { perHour: 60 } }\nhandleTime: { exponential: { meanSeconds: 300 } }\nagents: 5\n")
    for (const args of [["validate", join(root, "scenarios/erlang-a-textbook.yaml")], ["--version"], ["run", short, "--json"]]) {
      const loaded = builtinsLoadedBy(args)
      expect(loaded).toContain("NativeModule fs") // the list names modules this way
      expect(loaded.filter((m) => /^NativeModule (child_process|readline|crypto)$/.test(m)), args.join(" ")).toEqual([])
    }
  })
})
