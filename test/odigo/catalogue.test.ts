import { readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { ACCEPTED_IN } from "../../mock-odigo/acd/states.js"
import { CLOSE_CODES, ERROR_CODES, ERRORS, REST_ERROR_CODES, WS_ERROR_CODES, isErrorCode, type ErrorCode } from "../../mock-odigo/errors.js"
import { AGENT_COUNTERS, CALL_COUNTERS, COLUMN_DOCS } from "../../mock-odigo/stats.js"

const dir = fileURLToPath(new URL("../../mock-odigo/", import.meta.url))
const readme = readFileSync(join(dir, "README.md"), "utf8")

/** Rows `| a | b | … |` of the README's markdown tables whose first cell matches. */
const rows = (first: RegExp): Array<Array<string>> =>
  readme
    .split("\n")
    .filter((l) => l.startsWith("|"))
    .map((l) => l.split("|").slice(1, -1).map((c) => c.trim()))
    .filter((cells) => first.test(cells[0] ?? ""))

const sources = (d: string): Array<string> =>
  readdirSync(d).flatMap((f) => {
    const p = join(d, f)
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : []
  })

describe("mock-odigo error catalogue", () => {
  it("documents every code in one line", () => {
    for (const c of ERROR_CODES) {
      expect(ERRORS[c].doc, c).toMatch(/^[A-Z].*\.$/)
      expect(ERRORS[c].doc.includes("\n"), c).toBe(false)
      expect(c).toMatch(/^[A-Z][A-Z_]+$/)
    }
    expect(isErrorCode("INVALID_STATE")).toBe(true)
    expect(isErrorCode("toString")).toBe(false)
    expect([...WS_ERROR_CODES, ...REST_ERROR_CODES].every((c) => ERROR_CODES.includes(c))).toBe(true)
  })

  it("matches the README's error table row for row (code, HTTP status, where, meaning)", () => {
    const table = rows(/^`[A-Z_]+`$/).filter((r) => r.length === 4)
    expect(table.map((r) => r[0]!.replaceAll("`", ""))).toEqual([...ERROR_CODES])
    for (const [code, status, where, doc] of table) {
      const c = code!.replaceAll("`", "") as ErrorCode
      const spec = ERRORS[c]
      expect(status, c).toBe(spec.channel === "ws" ? "—" : String(spec.status))
      expect(where, c).toBe({ ws: "ws", rest: "HTTP", both: "ws, HTTP" }[spec.channel])
      expect(doc, c).toBe(spec.doc)
    }
  })

  it("matches the README's close-code table", () => {
    const table = rows(/^\d{4}$/).filter((r) => r.length === 2)
    expect(Object.fromEntries(table.map(([code, doc]) => [code, doc]))).toEqual(Object.fromEntries(Object.entries(CLOSE_CODES)))
  })

  it("uses every code somewhere in the mock (no dead catalogue entry)", () => {
    const code = sources(dir)
      .filter((p) => !p.endsWith("errors.ts"))
      .map((p) => readFileSync(p, "utf8"))
      .join("\n")
    for (const c of ERROR_CODES) expect(code.includes(`"${c}"`), c).toBe(true)
  })

  it("matches the README's state table and statistics columns", () => {
    const states = rows(/^`(setState \w+|answer|hangup|transfer|qualify|endWrapUp|logout|ping)`$/).filter((r) => r.length === 2)
    expect(Object.fromEntries(states.map(([k, v]) => [k!.replaceAll("`", ""), v!.split(", ")]))).toEqual(ACCEPTED_IN)
    const columns = rows(/^`[a-z][A-Za-z]+`$/).filter((r) => r.length === 2 && (r[0]!.replaceAll("`", "") as string) in COLUMN_DOCS)
    expect(columns.map((r) => r[0]!.replaceAll("`", ""))).toEqual([...CALL_COUNTERS, ...AGENT_COUNTERS])
    for (const [k, v] of columns) expect(v).toBe(COLUMN_DOCS[k!.replaceAll("`", "") as keyof typeof COLUMN_DOCS])
  })
})
