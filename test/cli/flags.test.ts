/**
 * Command-line flags (issue 16 item 12): `--workers` means one per core when omitted and
 * refuses 0 and negatives; every command's help shows the defaults of its flags.
 */
import { describe, expect, it } from "vitest"
import { availableParallelism } from "node:os"
import { ccsim } from "./run-cli.js"

describe("--workers", () => {
  it("refuses 0 and negatives with exit 2 (0 used to mean 'one per core', silently)", () => {
    for (const w of ["0", "-2"]) {
      const r = ccsim(["run", "scenarios/erlang-a-textbook.yaml", "--workers", w, "--json"])
      expect(r.code).toBe(2)
      expect(r.stdout).toBe("")
      expect(r.stderr).toBe(`ccsim: command line: 1 problem\n  --workers: must be >= 1 (omit it for one per core), got ${w}\n`)
    }
  })
})

describe("--help", () => {
  it("shows the default of each flag of run", () => {
    const help = ccsim(["run", "--help"]).stdout
    expect(help).toMatch(/--seed integer\s+.*\(.*default 1\)/)
    expect(help).toMatch(/--replications integer\s+.*\(default 10\)/)
    expect(help).toMatch(/--out string\s+.*\(default runs\/<name>-<timestamp>\/\)/)
    expect(help).toMatch(/--json\s+.*\(default off\)/)
    expect(help).toMatch(new RegExp(`--workers integer\\s+.*\\(default one per core: ${availableParallelism()}\\)`))
    expect(help).toMatch(/--max-calls number\s+.*\(default 5e8\)/)
  })

  it("shows the defaults of validate and erlang", () => {
    expect(ccsim(["validate", "--help"]).stdout).toMatch(/--max-calls number\s+.*\(default 5e8\)/)
    const erlang = ccsim(["erlang", "--help"]).stdout
    expect(erlang).toMatch(/--sl-seconds number\s+.*default: the scenario's, else 20\)/)
    expect(erlang).toMatch(/--patience-seconds number\s+.*default: the scenario's, else none: Erlang C\)/)
    expect(erlang).toMatch(/--json\s+.*\(default off\)/)
  })
})
