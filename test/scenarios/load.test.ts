/**
 * Reading scenario files (issue 16 items 1, 2, 9, 12): input files are regular text files of a
 * bounded size; YAML that is hostile (an alias bomb, several documents, too deep) is bad input
 * with one plain message; a document that is not a scenario says so; `extends` lets a child
 * remove a parent's key with null.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { afterAll, describe, expect, it } from "vitest"
import { InputFileError, MAX_SCENARIO_BYTES, readInputFile } from "../../scenarios/schema/input-file.js"
import { decodeDocument, loadScenario, mergeDocuments, parseDocument, readDocument } from "../../scenarios/schema/load.js"
import { Scenario } from "../../scenarios/schema/scenario.js"
import { BadInput, type Problem } from "../../sim/domain/problem.js"
import { ccsim, root } from "../cli/run-cli.js"

const tmp = mkdtempSync(join(tmpdir(), "ccsim-load-"))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))
const write = (name: string, content: string | Buffer) => {
  const p = join(tmp, name)
  writeFileSync(p, content)
  return p
}

/** The problems of a failed effect (the test fails if it succeeded). */
const problemsOf = (effect: Effect.Effect<unknown, BadInput>): ReadonlyArray<Problem> => {
  const exit = Effect.runSyncExit(effect)
  if (Exit.isSuccess(exit)) throw new Error(`expected bad input, got ${JSON.stringify(exit.value)}`)
  const error = exit.cause.reasons.find((r) => r._tag === "Fail") as { error: BadInput } | undefined
  if (!error) throw new Error("expected a BadInput failure")
  return error.error.problems
}

const readFails = (path: string, kind: "scenario" | "csv" = "scenario"): string => {
  try {
    readInputFile(path, kind)
  } catch (e) {
    expect(e).toBeInstanceOf(InputFileError)
    return (e as Error).message
  }
  throw new Error(`${path} was read`)
}

describe("input files", () => {
  it("refuses devices, FIFOs and directories without reading them", () => {
    expect(readFails("/dev/zero")).toBe("not a regular file (a device, FIFO or socket): ccsim reads regular files only")
    const fifo = join(tmp, "fifo")
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0)
    expect(readFails(fifo, "csv")).toBe("not a regular file (a device, FIFO or socket): ccsim reads regular files only")
    expect(readFails(tmp)).toBe("is a directory, not a file")
    expect(readFails(join(tmp, "nowhere.yaml"))).toBe("no such file")
  })

  it("refuses files over the limit of their kind", () => {
    const big = write("big.yaml", "")
    truncateSync(big, MAX_SCENARIO_BYTES + 1)
    expect(readFails(big)).toBe("too large: 1 MB; the limit for a scenario file is 1 MB")
    truncateSync(big, 3 * 1024 * 1024)
    expect(readFails(big)).toBe("too large: 3 MB; the limit for a scenario file is 1 MB")
    // The same size is fine for a CSV (up to 50 MB).
    expect(readInputFile(write("big.csv", "month,calls,forms\n".repeat(200_000)), "csv").length).toBe(18 * 200_000)
  })

  it("says 'binary file' for NUL bytes, control bytes and a scenario that is not UTF-8", () => {
    expect(readFails(write("nul.yaml", Buffer.from([0x6e, 0x61, 0x00, 0x65])))).toBe("binary file, not text (a NUL byte at byte 2)")
    expect(readFails(write("ctl.csv", Buffer.from("month\x02calls\n")), "csv")).toBe("binary file, not text (the control byte 0x02 at byte 5)")
    expect(readFails(write("latin1.yaml", Buffer.from("name: caf\xe9\n", "latin1")))).toBe("binary file, or text not in UTF-8: a scenario file is UTF-8 text")
  })

  it("reads a CSV exported by French Excel (Windows-1252) as text", () => {
    const p = write("annexe.csv", Buffer.from("mois;appels reçus;formulaires\n2026-01;1 000;10\n", "latin1"))
    expect(readInputFile(p, "csv")).toBe("mois;appels reçus;formulaires\n2026-01;1 000;10\n")
    expect(readInputFile(write("utf8.csv", "mois;appels reçus\n"), "csv")).toBe("mois;appels reçus\n")
  })
})

describe("hostile YAML", () => {
  it("an alias bomb is 'too many aliases', not a crash", () => {
    const bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n'
    expect(problemsOf(parseDocument(bomb, "bomb.yaml"))).toEqual([
      { path: "", message: 'too many aliases: YAML aliases (*name) would be expanded more than 100 times (a "billion laughs" document)' }
    ])
  })

  it("an alias bomb gives exit 2 and no trace from validate, run and erlang", () => {
    const bomb = join(root, "test/fixtures/hostile/alias-bomb.yaml")
    for (const args of [["validate", bomb], ["run", bomb, "--json"], ["erlang", bomb]]) {
      const r = ccsim(args)
      expect(r.code, args.join(" ")).toBe(2)
      expect(r.stderr).toContain("too many aliases")
      expect(r.stderr).not.toMatch(/\n {4}at /)
    }
  })

  it("several documents: one message in plain words", () => {
    expect(problemsOf(parseDocument("name: a\n---\nname: b\n---\nname: c\n", "multi.yaml"))).toEqual([
      { path: "", message: 'a scenario file holds one YAML document; found 3 (separated by "---")' }
    ])
  })

  it("a document nested too deeply", () => {
    expect(problemsOf(parseDocument(`name: ${"[".repeat(100)}${"]".repeat(100)}\n`, "deep.yaml"))).toEqual([
      { path: "", message: "nested too deeply: a scenario nests mappings and lists at most 64 levels" }
    ])
  })

  it("a repeated key, with its line", () => {
    expect(problemsOf(parseDocument("name: a\nagents: 1\nagents: 2\n", "dup.yaml"))).toEqual([
      { path: "dup.yaml:3:1", message: 'syntax error: the key "agents" appears twice in the same mapping' }
    ])
  })
})

describe("not a scenario", () => {
  it("a file of plain text, a list, or a mapping without a scenario field is 'not a scenario file'", () => {
    expect(problemsOf(readDocument("/etc/passwd"))).toEqual([
      { path: "", message: "not a scenario file: it holds plain text, not a YAML mapping of scenario fields (name, horizon, arrivals…)" }
    ])
    expect(problemsOf(readDocument(write("list.yaml", "- a\n- b\n")))[0]!.message).toMatch(/^not a scenario file: it holds a list/)
    expect(problemsOf(readDocument(write("other.yaml", "server: { port: 80 }\nusers: []\n")))).toEqual([
      { path: "", message: 'not a scenario file: none of its keys ("server", "users") is a scenario field (name, horizon, arrivals…)' }
    ])
  })

  it("`extends: /etc/passwd` names the parent as not a scenario, not a missing horizon", () => {
    const child = write("child-of-passwd.yaml", "extends: /etc/passwd\nname: x\n")
    const r = ccsim(["validate", child])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe("ccsim: /etc/passwd: 1 problem\n  not a scenario file: it holds plain text, not a YAML mapping of scenario fields (name, horizon, arrivals…)\n")
  })
})

describe("one message per problem", () => {
  it(".nan, .inf and 2.5 for a count each give one message", () => {
    const doc = (hours: unknown, agents: unknown) => ({
      name: "t", horizon: { hours }, calendar: "always-open", arrivals: { poisson: { perHour: 1 } },
      handleTime: { exponential: { meanSeconds: 1 } }, agents
    })
    expect(problemsOf(decodeDocument(Scenario, doc(Number.NaN, 1), "t"))).toEqual([{ path: "horizon.hours", message: "Expected a number, got NaN" }])
    expect(problemsOf(decodeDocument(Scenario, doc(Number.POSITIVE_INFINITY, 2.5), "t"))).toEqual([
      { path: "horizon.hours", message: "Expected a number, got Infinity" },
      { path: "agents", message: "Expected a whole number, got 2.5" }
    ])
    expect(problemsOf(decodeDocument(Scenario, doc(1, 3e9), "t"))).toEqual([{ path: "agents", message: "Expected a whole number below 2^31 (2,147,483,648), got 3000000000" }])
  })
})

describe("extends", () => {
  it("a child's null removes the parent's key, at any depth", () => {
    expect(mergeDocuments({ a: 1, s: { shifts: [1], absence: { rate: 0.1 } } }, { s: { shifts: null, planCsv: "p.csv" }, a: null })).toEqual({
      s: { absence: { rate: 0.1 }, planCsv: "p.csv" }
    })
    // A null for a key the parent lacks is no key either.
    expect(mergeDocuments({ a: 1 }, { b: null, c: { d: null, e: 2 } })).toEqual({ a: 1, c: { e: 2 } })
  })

  it("a child's `__proto__:` key stays a key (reported as an unknown field), not the merged object's prototype", () => {
    const merged = mergeDocuments({ name: "p" }, JSON.parse('{"__proto__": {"agents": 5}}')) as Record<string, unknown>
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype)
    expect(Object.keys(merged)).toEqual(["name", "__proto__"])
    const child = write("proto.yaml", `extends: ${join(root, "scenarios/erlang-a-textbook.yaml")}\n__proto__: { agents: 5 }\n`)
    expect(problemsOf(loadScenario(child))).toEqual([{ path: "__proto__", message: "unknown field (check its spelling and indentation)" }])
  })

  it("a child switches the parent's shifts to an interval plan with `shifts: null`", () => {
    write("plan.csv", "start;phone\n2026-01-05T09:00;3\n")
    const child = write("planned.yaml", `extends: ${join(root, "scenarios/baseline-2026.yaml")}\nname: planned\nstaffing:\n  shifts: null\n  planCsv: plan.csv\n`)
    const scenario = Effect.runSync(loadScenario(child))
    expect(scenario.staffing).toEqual({ absence: { rate: 0.08 }, planCsv: "plan.csv" })
    const r = ccsim(["validate", child])
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
  })
})
