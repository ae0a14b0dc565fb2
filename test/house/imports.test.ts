/**
 * The floors' import rules (.dependency-cruiser.cjs) hold on the tree, and they bite: a tree
 * with an import planted in each wrong direction fails with the rule that forbids it.
 */
import { spawnSync } from "node:child_process"
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { root } from "../cli/run-cli.js"

const depcruise = join(root, "node_modules", ".bin", "depcruise")
const FOLDERS = ["sim", "scenarios", "mock-odigo", "mock-psn1", "reports", "bench", "test", "bin", "build.mjs"]

const cruise = (cwd: string, folders: ReadonlyArray<string>) =>
  spawnSync(depcruise, ["--config", join(cwd, ".dependency-cruiser.cjs"), "--output-type", "err", ...folders], { cwd, encoding: "utf8", timeout: 120_000 })

const scratch = mkdtempSync(join(tmpdir(), "ccsim-imports-"))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe("import rules", () => {
  it("hold on the whole tree: no floor imports upwards, nothing imports sim/cli or bin/, no cycle", () => {
    const r = cruise(root, FOLDERS.filter((f) => existsSync(join(root, f))))
    expect(r.status, r.stdout + r.stderr).toBe(0)
  })

  it("fail on an import planted in a wrong direction, naming the rule", () => {
    const files: Record<string, string> = {
      "sim/domain/a.ts": 'import { k } from "../kpi/k.js"\nexport const a = k\n',
      "sim/kpi/k.ts": 'import { m } from "../model/m.js"\nexport const k = m\n',
      "sim/model/m.ts": "export const m = 1\n",
      "mock-odigo/x.ts": 'import { c } from "../sim/cli/c.js"\nimport { m } from "../sim/model/m.js"\nexport const x = c + m\n',
      "sim/cli/c.ts": "export const c = 1\n",
      "sim/contract/j.ts": 'import { s } from "../../scenarios/s.js"\nexport const j = s\n',
      "scenarios/s.ts": "export const s = 1\n",
      "sim/engine/e1.ts": 'import { e2 } from "./e2.js"\nexport const e1 = () => e2\n',
      "sim/engine/e2.ts": 'import { e1 } from "./e1.js"\nexport const e2 = () => e1\n'
    }
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(scratch, path)), { recursive: true })
      writeFileSync(join(scratch, path), text)
    }
    copyFileSync(join(root, ".dependency-cruiser.cjs"), join(scratch, ".dependency-cruiser.cjs"))
    writeFileSync(join(scratch, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true } }))
    const r = cruise(scratch, ["sim", "scenarios", "mock-odigo"])
    expect(r.status).not.toBe(0)
    const out = r.stdout + r.stderr
    expect(out).toContain("domain-imports-only-below: sim/domain/a.ts → sim/kpi/k.ts")
    expect(out).toContain("kpi-imports-only-below: sim/kpi/k.ts → sim/model/m.ts")
    expect(out).toContain("nothing-imports-cli: mock-odigo/x.ts → sim/cli/c.ts")
    expect(out).toContain("mock-odigo-imports-only-below: mock-odigo/x.ts → sim/model/m.ts")
    expect(out).toContain("contract-imports-scenario-types-only: sim/contract/j.ts → scenarios/s.ts")
    expect(out).toMatch(/no-cycle: sim\/engine\/e[12]\.ts/)
  })
})
