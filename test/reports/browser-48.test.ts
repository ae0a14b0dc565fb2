/**
 * The 48-month contract's report (`scenarios/contract-2025-2029.yaml --replications 1`) stays
 * small and whole: under 5 MB on disk, every chart drawn in chromium from disk, with no console
 * error and no request but the file. How long it takes to render, and what writing it adds to
 * `ccsim run`, are measured by `npm run bench:report` (targets < 2 s and < 0.5 s), never here.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { afterAll, describe, expect, it } from "vitest"
import { ccsim, root } from "../cli/run-cli.js"
import { visit, type PageVisit } from "./browser.js"

const tmp = mkdtempSync(join(tmpdir(), "ccsim-reports-48-"))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe("the 48-month report", () => {
  it("is under 5 MB and draws every chart in chromium, from disk, offline", async () => {
    const out = join(tmp, "contract")
    const r = ccsim(["run", "scenarios/contract-2025-2029.yaml", "--replications", "1", "--out", out])
    expect(r.code, r.stderr).toBe(0)
    const file = join(out, "report.html")
    expect(statSync(file).size).toBeLessThan(5_000_000)
    mkdirSync(join(root, "test-results"), { recursive: true })
    const visits: PageVisit[] = [await visit(file, join(root, "test-results", "report-contract-2025-2029.png"))]
    for (const v of visits) {
      expect(v.requests).toEqual([pathToFileURL(file).href])
      expect(v.consoleErrors).toEqual([])
      expect(v.consoleWarnings).toEqual([])
      expect(v.pageErrors).toEqual([])
      expect(v.report).toMatchObject({ charts: 12, rendered: 12, failed: 0 })
      expect(v.chartsWithGraphics).toBe(v.chartContainers)
      for (const [id, n] of Object.entries(v.scenegraphMarks)) expect(n, id).toBeGreaterThan(0)
    }
  }, 300_000)
})
