/**
 * Golden runs of the shipped scenarios: the summary (performance aside) of a fixed seed must not
 * change unless on purpose — regenerate with `UPDATE_GOLDEN=1 npx vitest run test/scenarios`
 * and say why in the commit. Also: every shipped scenario validates, and the committed JSON
 * Schema is the one the code generates.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { scenarioJsonSchemaText, SCHEMA_FILE } from "../../scenarios/schema/json-schema.js"
import { ccsim, root } from "../cli/run-cli.js"

const cases: Array<[string, number]> = [
  ["erlang-c-textbook", 2],
  ["baseline-2026", 2],
  ["media-campaign-sep-2026", 2],
  ["notification-replay-2027", 2],
  ["annexe1-2026", 2],
  ["contract-2025-2029", 1]
]

describe("shipped scenarios", () => {
  it.each(cases)("%s matches its golden summary (seed 1, %d replications)", (name, replications) => {
    const r = ccsim(["run", `scenarios/${name}.yaml`, "--seed", "1", "--replications", String(replications), "--json"])
    expect(r.code, r.stderr).toBe(0)
    const { performance: _p, ...summary } = JSON.parse(r.stdout) as Record<string, unknown>
    const golden = join(root, `test/golden/${name}.seed1.r${replications}.json`)
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(golden, JSON.stringify(summary, null, 2) + "\n")
    expect(existsSync(golden), `${golden} is missing; create it with UPDATE_GOLDEN=1`).toBe(true)
    expect(summary).toEqual(JSON.parse(readFileSync(golden, "utf8")))
  })

  it("every scenario in scenarios/ validates", () => {
    const files = readdirSync(join(root, "scenarios")).filter((f) => f.endsWith(".yaml") || f.endsWith(".json")).filter((f) => f !== "scenario.schema.json")
    expect(files.length).toBeGreaterThanOrEqual(7)
    for (const f of files) {
      const r = ccsim(["validate", `scenarios/${f}`])
      expect(r.code, `${f}: ${r.stderr}`).toBe(0)
    }
  })

  it("ships the JSON Schema the code generates (npm run schema)", () => {
    expect(readFileSync(join(root, SCHEMA_FILE), "utf8")).toBe(scenarioJsonSchemaText())
  })
})
