/**
 * Reports end to end, as a user runs them: `ccsim run` writes report.html, run.json and
 * replicas.json; `ccsim report` compares baseline-2026 with media-campaign-sep-2026 (same seed:
 * September's difference comes paired, with its interval), writes the workbook (read back with
 * exceljs: the CSV's numbers, as numbers), French CSV and SVG charts, and refuses what is not a
 * run or runs of different horizons (exit 2). Then Debian's chromium opens the run's report and
 * the comparison from disk: every chart drawn, no console error, no request but the file itself;
 * screenshots go to test-results/.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import ExcelJS from "exceljs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { sheetFromCsv } from "../../reports/spreadsheet.js"
import { ccsim, root } from "../cli/run-cli.js"
import { visit } from "./browser.js"

const tmp = mkdtempSync(join(tmpdir(), "ccsim-reports-e2e-"))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))
const results = join(root, "test-results")
mkdirSync(results, { recursive: true })

const base = join(tmp, "baseline-2026")
const media = join(tmp, "media-campaign-sep-2026")
const textbook = join(tmp, "textbook")
let baseRun: ReturnType<typeof ccsim>

beforeAll(() => {
  baseRun = ccsim(["run", "scenarios/baseline-2026.yaml", "--replications", "3", "--seed", "1", "--out", base, "--report-day", "2026-09-15"])
  expect(baseRun.code, baseRun.stderr).toBe(0)
  const m = ccsim(["run", "scenarios/media-campaign-sep-2026.yaml", "--replications", "3", "--seed", "1", "--out", media])
  expect(m.code, m.stderr).toBe(0)
  const t = ccsim(["run", "scenarios/erlang-a-textbook.yaml", "--replications", "1", "--out", textbook])
  expect(t.code, t.stderr).toBe(0)
}, 600_000)

/** The JSON data block of a page. */
const pageData = (file: string) => JSON.parse(/<script type="application\/json" id="ccsim-data">(.*?)<\/script>/s.exec(readFileSync(file, "utf8"))![1]!)

describe("ccsim run", () => {
  it("writes report.html, run.json and replicas.json beside summary.json", () => {
    for (const f of ["report.html", "run.json", "replicas.json"]) expect(existsSync(join(base, f)), f).toBe(true)
    expect(baseRun.stdout).toMatch(/written to .*: summary\.json, .*, run\.json, replicas\.json, report\.html\n$/)
    const replicas = JSON.parse(readFileSync(join(base, "replicas.json"), "utf8"))
    expect(replicas).toMatchObject({ schemaVersion: 1, scenario: "baseline-2026", seed: 1, replications: [0, 1, 2] })
    expect(replicas.periods.map((p: { period: string }) => p.period)).toEqual([...Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, "0")}`), "horizon"])
    // The day asked for, and the busiest day, have their charts.
    const ids = pageData(join(base, "report.html")).charts.map((c: { id: string }) => c.id)
    expect(ids).toContain("offered-vs-staffed-2026-09-15")
    expect(ids.filter((id: string) => id.startsWith("offered-vs-staffed-")).length).toBe(2)
  })

  it("writes no file with --json unless --out is given, and the report with --json --out", () => {
    const cwd = mkdtempSync(join(tmp, "cwd-"))
    const plain = ccsim(["run", join(root, "scenarios/erlang-a-textbook.yaml"), "--replications", "1", "--json"], cwd)
    expect(plain.code, plain.stderr).toBe(0)
    expect(readdirSync(cwd)).toEqual([])
    const out = join(cwd, "out")
    expect(ccsim(["run", join(root, "scenarios/erlang-a-textbook.yaml"), "--replications", "1", "--json", "--out", out], cwd).code).toBe(0)
    expect(readdirSync(out)).toContain("report.html")
  })

  it("refuses a report day outside the run or an unknown locale before simulating (exit 2)", () => {
    const day = ccsim(["run", "scenarios/baseline-2026.yaml", "--report-day", "2027-01-04", "--out", join(tmp, "never")])
    expect(day.code).toBe(2)
    expect(day.stderr).toBe("ccsim: command line: 1 problem\n  --report-day: 2027-01-04 is outside the run (2026-01-01 to 2026-12-31)\n")
    const locale = ccsim(["run", "scenarios/erlang-a-textbook.yaml", "--locale", "de", "--json"])
    expect(locale.code).toBe(2)
    expect(locale.stderr).toContain('--locale: expected en or fr, got "de"')
    expect(existsSync(join(tmp, "never", "report.html"))).toBe(false)
  })
})

describe("ccsim report: comparison", () => {
  const out = join(tmp, "compare")
  beforeAll(() => {
    const r = ccsim(["report", base, media, "--out", out])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe(`ccsim: comparison of baseline-2026, media-campaign-sep-2026 written to ${out}/: compare.html\n`)
  }, 120_000)

  it("shows September's difference with its interval, paired (same seed)", () => {
    const data = pageData(join(out, "compare.html"))
    const rows = data.datasets["difference-answerRate"] as Array<Record<string, unknown>>
    const sep = rows.find((r) => r["period"] === "2026-09")!
    expect(sep).toMatchObject({ run: "media-campaign-sep-2026", method: "paired" })
    // +40% calls with the same staff: the answer rate drops, and the whole interval is below 0.
    expect(sep["diff"] as number).toBeLessThan(-0.02)
    expect(sep["diffLo"] as number).toBeLessThan(sep["diff"] as number)
    expect(sep["diffHi"] as number).toBeLessThan(0)
    // August is the same month in both scenarios, drawn from the same random numbers: no difference.
    expect(rows.find((r) => r["period"] === "2026-08")!["diff"]).toBe(0)
    const html = readFileSync(join(out, "compare.html"), "utf8")
    expect(html).toContain("paired with the reference (seed 1, replications 3)")
    expect(html).toMatch(/<tr><td class="text">2026-09<\/td><td>[\d.]+%<\/td><td>[\d.]+%<\/td><td>-[\d.]+ pts \[-[\d.]+ pts, -[\d.]+ pts\]<\/td><\/tr>/)
    expect(html).toContain("Which plan meets which target")
  })

  it("refuses a folder that is not a run, and runs of different horizons (exit 2)", () => {
    const missing = ccsim(["report", join(tmp, "nothing-here")])
    expect([missing.code, missing.stderr]).toEqual([2, `ccsim: ${join(tmp, "nothing-here")}: 1 problem\n  no such folder\n`])
    const empty = mkdtempSync(join(tmp, "empty-"))
    const notRun = ccsim(["report", empty])
    expect([notRun.code, notRun.stderr]).toEqual([2, `ccsim: ${empty}: 1 problem\n  not a ccsim run folder (no summary.json)\n`])
    const old = mkdtempSync(join(tmp, "old-"))
    writeFileSync(join(old, "summary.json"), readFileSync(join(base, "summary.json")))
    const before = ccsim(["report", old])
    expect(before.code).toBe(2)
    expect(before.stderr).toContain("a run folder without run.json, replicas.json, intervals.csv")
    const horizons = ccsim(["report", base, textbook, "--out", join(tmp, "never")])
    expect(horizons.code).toBe(2)
    expect(horizons.stderr).toContain(`runs of different horizons cannot be compared period by period: baseline-2026 covers 2026-01-01 to 2026-12-31; textbook covers 8000 intervals of 15 min (undated)`)
    const flag = ccsim(["report", base, media, "--xlsx"])
    expect([flag.code, flag.stderr]).toEqual([2, "ccsim: command line: 1 problem\n  --xlsx: applies to one run (give one run folder)\n"])
  })
})

describe("ccsim report: one run", () => {
  const out = join(tmp, "one")
  beforeAll(() => {
    const r = ccsim(["report", base, "--out", out, "--xlsx", "--csv-fr", "--svg", "--locale", "fr"])
    expect(r.code, r.stderr).toBe(0)
  }, 300_000)

  const csvRows = (text: string) => text.split("\r\n").filter((l) => l !== "").map((l) => l.split(","))

  it("writes a workbook with one sheet per table: the CSV's numbers as numbers, frozen header", async () => {
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(join(out, "run.xlsx"))
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      "months", "weeks", "days", "intervals", "months-by-reason", "weeks-by-reason", "days-by-reason", "months-by-flow", "weeks-by-flow", "days-by-flow", "penalties", "orders"
    ])
    for (const name of ["months", "days", "penalties", "orders", "months-by-reason"]) {
      const ws = wb.getWorksheet(name)!
      const csv = csvRows(readFileSync(join(base, `${name}.csv`), "utf8"))
      expect(ws.rowCount, name).toBe(csv.length)
      expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 })
      expect(ws.getRow(1).font).toMatchObject({ bold: true })
      csv.forEach((cells, r) =>
        cells.forEach((cell, c) => {
          const v = ws.getRow(r + 1).getCell(c + 1).value
          if (r > 0 && /^-?\d+(\.\d+)?$/.test(cell)) expect(v, `${name} ${r + 1}:${c + 1}`).toBe(Number(cell))
          else expect(v ?? "", `${name} ${r + 1}:${c + 1}`).toBe(cell)
        })
      )
      // Column widths as the sheet model sets them (exceljs reads the default width, 9, back as unset).
      const widths = sheetFromCsv(`${name}.csv`, readFileSync(join(base, `${name}.csv`), "utf8")).widths
      expect(widths.map((_, c) => ws.getColumn(c + 1).width ?? 9), name).toEqual(widths)
      expect(Math.max(...widths), name).toBeGreaterThan(9)
    }
    expect(wb.getWorksheet("intervals")!.rowCount).toBe(365 * 96 + 1)
  })

  it("writes the CSV tables for a French Excel: BOM, semicolons, decimal commas", () => {
    const fr = readFileSync(join(out, "csv-fr", "months.csv"), "utf8")
    const en = csvRows(readFileSync(join(base, "months.csv"), "utf8"))
    expect(fr.startsWith("\ufeffmonth;offered;answered;")).toBe(true)
    const rows = fr.slice(1).split("\r\n").filter((l) => l !== "").map((l) => l.split(";"))
    expect(rows.map((r) => r.map((c) => c.replace(",", ".")))).toEqual(en)
    expect(rows[1]![en[0]!.indexOf("answerRate")]).toMatch(/^0,\d+$/)
  })

  it("draws every chart as an SVG file, in French numbers", () => {
    const ids = pageData(join(out, "report.html")).charts.map((c: { id: string }) => c.id)
    expect(readdirSync(join(out, "svg")).sort()).toEqual(ids.map((id: string) => `${id}.svg`).sort())
    const svg = readFileSync(join(out, "svg", "daily-answerRate.svg"), "utf8")
    expect(svg).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg /)
    expect(svg).toContain('class="mark-line role-mark')
    expect(svg).toMatch(/>\d+,\d\u202f%</)
  })
})

describe("in the browser (Debian's chromium, from disk)", () => {
  it("draws every chart of the run's report, with no console error and no request but the file", async () => {
    const file = join(base, "report.html")
    const v = await visit(file, join(results, "report-baseline-2026.png"))
    expect(v.requests).toEqual([pathToFileURL(file).href])
    expect(v.consoleErrors).toEqual([])
    expect(v.consoleWarnings).toEqual([])
    expect(v.pageErrors).toEqual([])
    expect(v.report).toMatchObject({ charts: 14, rendered: 14, failed: 0 })
    expect(v.chartsWithGraphics).toBe(v.chartContainers)
    expect(Object.keys(v.scenegraphMarks).length).toBe(14)
    for (const [id, n] of Object.entries(v.scenegraphMarks)) expect(n, id).toBeGreaterThan(0)
    for (const [id, n] of Object.entries(v.marksPerChart)) expect(n, id).toBeGreaterThan(0)
  }, 120_000)

  it("draws every chart of the comparison, with no console error and no request but the file", async () => {
    const file = join(tmp, "compare", "compare.html")
    const v = await visit(file, join(results, "compare-baseline-vs-media-campaign.png"))
    expect(v.requests).toEqual([pathToFileURL(file).href])
    expect(v.consoleErrors).toEqual([])
    expect(v.consoleWarnings).toEqual([])
    expect(v.pageErrors).toEqual([])
    expect(v.report).toMatchObject({ charts: 6, rendered: 6, failed: 0 })
    expect(v.chartsWithGraphics).toBe(v.chartContainers)
    for (const [id, n] of Object.entries(v.scenegraphMarks)) expect(n, id).toBeGreaterThan(0)
  }, 120_000)
})
