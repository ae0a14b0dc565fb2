/**
 * Golden runs of the shipped scenarios: the summary (performance aside) of a fixed seed must not
 * change unless on purpose — regenerate with `UPDATE_GOLDEN=1 npx vitest run test/scenarios`
 * and say why in the commit. Also: every shipped scenario validates, and the committed JSON
 * Schema is the one the code generates.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Ajv2020 } from "ajv/dist/2020.js"
import { describe, expect, it } from "vitest"
import * as YAML from "yaml"
import { scenarioJsonSchemaText, SCHEMA_FILE } from "../../scenarios/schema/json-schema.js"
import { ccsim, root } from "../cli/run-cli.js"

const cases: Array<[string, number]> = [
  ["erlang-c-textbook", 2],
  ["baseline-2026", 2],
  ["media-campaign-sep-2026", 2],
  ["notification-replay-2027", 2],
  ["annexe1-2026", 2],
  ["contract-2025-2029", 1],
  ["continuity-site-fire", 2]
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

  it("the JSON Schema editors use accepts every shipped scenario file as written, and catches a typo", () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false })
    const validate = ajv.compile(JSON.parse(readFileSync(join(root, SCHEMA_FILE), "utf8")))
    const files = readdirSync(join(root, "scenarios")).filter((f) => f.endsWith(".yaml"))
    for (const f of files) {
      const doc = YAML.parse(readFileSync(join(root, "scenarios", f), "utf8"))
      expect(validate(doc), `${f}: ${JSON.stringify(validate.errors)}`).toBe(true)
    }
    expect(validate({ name: "x", horizon: { hours: 1 }, calendar: "always-open", arrivals: { poisson: { perHour: 1 } }, handleTime: { exponential: { meanSeconds: 1 } }, agent: 3 })).toBe(false)
    expect(validate({ extends: "baseline-2026.yaml", name: "y" })).toBe(true)
    expect(validate({ name: "z" })).toBe(false) // no extends: horizon, calendar, arrivals are required
  })
})
