/**
 * Messages never repeat a user's value whole (issue 16 item 9): `quote` shows at most 80
 * characters of it, schema messages are shortened the same way, and the one formatter prints at
 * most 50 problems.
 */
import * as Schema from "effect/Schema"
import * as Exit from "effect/Exit"
import * as Cause from "effect/Cause"
import { describe, expect, it } from "vitest"
import { clipMessage, formatPath, formatProblems, issueProblems, quote } from "../../sim/domain/problem.js"
import { Scenario } from "../../scenarios/schema/scenario.js"

const schemaProblems = (schema: Schema.Top & { readonly DecodingServices: never }, value: unknown) => {
  const exit = Schema.decodeUnknownExit(schema)(value, { errors: "all", onExcessProperty: "error", reportInput: true })
  if (Exit.isSuccess(exit)) throw new Error("expected a schema error")
  const error = Cause.squash(exit.cause)
  if (!Schema.isSchemaError(error)) throw error
  return issueProblems(error.issue)
}

describe("quote", () => {
  it("quotes short values whole, as JSON", () => {
    expect(quote("12k")).toBe('"12k"')
    expect(quote('say "hi"\n')).toBe('"say \\"hi\\"\\n"')
    expect(quote(-3)).toBe("-3")
    expect(quote([1, 2])).toBe("[1,2]")
  })

  it("keeps 79 characters of a long value, then '…' and its length", () => {
    const q = quote("x".repeat(20_000_000))
    expect(q).toBe(`"${"x".repeat(79)}…" (20,000,000 characters)`)
    expect(quote({ a: "y".repeat(500) })).toBe(`{"a":"${"y".repeat(74)}… (508 characters)`)
  })

  it("never cuts a character in two", () => {
    expect(quote("é".repeat(79) + "😀".repeat(10))).toBe(`"${"é".repeat(79)}…" (99 characters)`)
    expect(quote("😀".repeat(100))).toBe(`"${"😀".repeat(40)}…" (200 characters)`)
  })

  it("is what clipMessage makes of a long literal, and quoting twice changes nothing", () => {
    const once = clipMessage(`Expected a name, got ${JSON.stringify("z".repeat(5000))}`)
    expect(once).toBe(`Expected a name, got "${"z".repeat(79)}…" (5,000 characters)`)
    expect(clipMessage(once)).toBe(once)
  })
})

describe("schema messages", () => {
  it("a 20 MB name gives a line of less than 300 characters", () => {
    const problems = schemaProblems(Scenario, { name: "n".repeat(20_000_000), horizon: { hours: 1 }, calendar: "always-open", arrivals: { poisson: { perHour: 1 } }, handleTime: { exponential: { meanSeconds: 1 } }, agents: 1 })
    expect(problems).toHaveLength(1)
    expect(problems[0]!.path).toBe("name")
    expect(problems[0]!.message).toMatch(/^Expected a name of letters, digits.*, got "n{79}…" \(20,000,000 characters\)$/)
    expect(problems[0]!.message.length).toBeLessThan(300)
  })

  it("an unknown field with a 1 MB name is shown by its first 80 characters", () => {
    const key = "k".repeat(1_000_000)
    const problems = schemaProblems(Schema.Struct({ a: Schema.Number }), { a: 1, [key]: 1 })
    expect(problems).toEqual([{ path: `${"k".repeat(80)}… (1,000,000 characters)`, message: "unknown field (check its spelling and indentation)" }])
    expect(formatPath([key, 3])).toBe(`${"k".repeat(80)}… (1,000,000 characters)[3]`)
  })

  it("a huge list given for a string is cut", () => {
    const [problem] = schemaProblems(Schema.Struct({ name: Schema.String }), { name: Array.from({ length: 100_000 }, (_, i) => i) })
    expect(problem!.message.length).toBeLessThan(450)
    expect(problem!.message).toMatch(/^Expected string, got \[0,1,2,3,.*… \([\d,]+ characters\)$/)
  })
})

describe("formatProblems", () => {
  it("prints 50 problems and counts the others", () => {
    const problems = Array.from({ length: 10_000 }, (_, i) => ({ path: `rows[${i}]`, message: "bad" }))
    const lines = formatProblems("f.csv", problems).split("\n")
    expect(lines[0]).toBe("f.csv: 10,000 problems")
    expect(lines).toHaveLength(1 + 50 + 1)
    expect(lines[50]).toBe("  rows[49]: bad")
    expect(lines[51]).toBe("  … and 9,950 more problems")
  })
})
