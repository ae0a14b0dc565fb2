// sim/cli/platform.ts: the services effect/cli asks for work as NodeServices' do, and a start
// leaves Node's child_process and readline unloaded until something uses them.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Terminal from "effect/Terminal"
import * as ChildProcess from "effect/process/ChildProcess"
import { ChildProcessSpawner } from "effect/process/ChildProcessSpawner"
import { afterAll, describe, expect, it } from "vitest"
import { platformLayer } from "../../sim/cli/platform.js"
import { root } from "./run-cli.js"

const tmp = mkdtempSync(join(tmpdir(), "ccsim-platform-"))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const run = <A, E>(effect: Effect.Effect<A, E, FileSystem.FileSystem | Terminal.Terminal | ChildProcessSpawner>) =>
  Effect.runPromise(Effect.scoped(effect).pipe(Effect.provide(platformLayer)))

describe("the CLI's platform layer", () => {
  it("spawns a process on first use (the spawner is the platform's, loaded then)", async () => {
    const out = await run(
      Effect.gen(function* () {
        const spawner = yield* ChildProcessSpawner
        const text = yield* spawner.string(ChildProcess.make(process.execPath, ["-e", "process.stdout.write('spawned ' + (6 * 7))"]))
        const code = yield* spawner.exitCode(ChildProcess.make(process.execPath, ["-e", "process.exit(3)"]))
        return { text, code }
      })
    )
    expect(out).toEqual({ text: "spawned 42", code: 3 })
  })

  it("gives a terminal whose operations run (built on first use) and the platform's file system", async () => {
    const file = join(tmp, "x.txt")
    writeFileSync(file, "contents")
    const out = await run(
      Effect.gen(function* () {
        const terminal = yield* Terminal.Terminal
        const columns = yield* terminal.columns
        const fs = yield* FileSystem.FileSystem
        return { columns, text: yield* fs.readFileString(file), missing: yield* fs.exists(join(tmp, "nothing")) }
      })
    )
    expect(out.columns).toBeGreaterThanOrEqual(0)
    expect(out).toMatchObject({ text: "contents", missing: false })
  })

  it("a `ccsim validate` start loads neither node:child_process nor node:readline", () => {
    const probe = join(tmp, "modules.mjs")
    const list = join(tmp, "modules.json")
    // An ES module preload: it imports node:fs itself (the list is taken at exit).
    writeFileSync(probe, `import { writeFileSync } from "node:fs"\nprocess.on("exit", () => writeFileSync(${JSON.stringify(list)}, JSON.stringify(process.moduleLoadList)))\n`)
    const r = spawnSync(process.execPath, ["--import", probe, join(root, "bin/ccsim.mjs"), "validate", join(root, "scenarios/erlang-a-textbook.yaml")], { encoding: "utf8", timeout: 120_000 })
    expect(r.status, r.stderr).toBe(0)
    const loaded: string[] = JSON.parse(readFileSync(list, "utf8"))
    expect(loaded).toContain("NativeModule fs") // Node's own list, as it names modules
    expect(loaded.filter((m) => /^NativeModule (child_process|readline)$/.test(m))).toEqual([])
  })
})
