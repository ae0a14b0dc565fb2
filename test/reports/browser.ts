/**
 * Opens a report page from disk in Debian's chromium (driven by playwright-core, which never
 * downloads a browser) and records what a reader's browser would do: every request the page
 * makes, every console error, how long the charts took, and what was drawn. No chromium is a
 * failure, never a skip: CI installs it (.ci/run).
 *
 * The browser is fresh (its own profile) but already started, as a reader's usually is: a blank
 * page from disk is opened first, so the report's render time does not include the browser
 * starting its first page process and loading its fonts (~0.5 s on our VM). Requests are
 * recorded from the report's navigation on.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { chromium } from "playwright-core"

export const CHROMIUM = "/usr/bin/chromium"

export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync"
]

export interface PageVisit {
  /** Every URL the page requested (the file itself included). */
  readonly requests: string[]
  readonly consoleErrors: string[]
  /** Console warnings (vega-lite warns about specs it had to correct). */
  readonly consoleWarnings: string[]
  readonly pageErrors: string[]
  /** window.ccsimReport once every chart settled. */
  readonly report: { charts: number; rendered: number; failed: number; renderMs: number }
  /** Per chart container: SVG elements of data marks drawn inside it (axes and legends left out). */
  readonly marksPerChart: Record<string, number>
  /** Per chart container: data mark items in the chart's vega scenegraph. */
  readonly scenegraphMarks: Record<string, number>
  /** Chart containers holding an <svg> or <canvas>. */
  readonly chartsWithGraphics: number
  readonly chartContainers: number
}

/** Visits `file` (a path) with a fresh profile; saves a full-page screenshot to `screenshot`. */
export const visit = async (file: string, screenshot: string): Promise<PageVisit> => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`)
  const profile = mkdtempSync(join(tmpdir(), "ccsim-chromium-"))
  // A fresh --user-data-dir per visit: playwright passes the profile folder as that flag.
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1280, height: 900 } })
  try {
    const page = await context.newPage()
    const blank = join(profile, "blank.html")
    writeFileSync(blank, "<!doctype html><title>blank</title>")
    await page.goto(pathToFileURL(blank).href)
    const requests: string[] = []
    const consoleErrors: string[] = []
    const consoleWarnings: string[] = []
    const pageErrors: string[] = []
    context.on("request", (r) => requests.push(r.url()))
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text())
      if (m.type() === "warning") consoleWarnings.push(m.text())
    })
    page.on("pageerror", (e) => pageErrors.push(e.message))
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" })
    // Browser-side code as strings: the project's TypeScript has no DOM types.
    await page.waitForFunction("window.ccsimReport !== undefined", undefined, { timeout: 60_000 })
    const report = (await page.evaluate("window.ccsimReport")) as PageVisit["report"]
    const counts = (await page.evaluate(`(() => {
      const containers = Array.from(document.querySelectorAll('[id^="chart-"]'))
      const marks = {}
      let withGraphics = 0
      for (const c of containers) {
        const svg = c.querySelector("svg")
        if (svg !== null || c.querySelector("canvas") !== null) withGraphics++
        // Data marks only (axes and legends are role-axis / role-legend groups, left out).
        marks[c.id] = svg === null ? 0 : Array.from(svg.querySelectorAll("g.mark-rect > path, g.mark-line > path, g.mark-area > path, g.mark-symbol > path, g.mark-rule > line"))
          .filter((m) => !m.closest(".role-axis, .role-legend")).length
      }
      // Data marks by vega's own scenegraph (renderer-independent): items of every non-group mark
      // that is not part of an axis, legend or title.
      const items = (mark) => {
        let n = mark.marktype !== "group" && mark.role === "mark" ? mark.items.length : 0
        if (mark.marktype === "group") for (const g of mark.items) for (const child of g.items || []) n += items(child)
        return n
      }
      const scene = {}
      for (const [id, view] of Object.entries(window.ccsimViews || {})) scene["chart-" + id] = items(view.scenegraph().root)
      return { marks, scene, withGraphics, containers: containers.length }
    })()`)) as { marks: Record<string, number>; scene: Record<string, number>; withGraphics: number; containers: number }
    await page.screenshot({ path: screenshot, fullPage: true })
    return { requests, consoleErrors, consoleWarnings, pageErrors, report, marksPerChart: counts.marks, scenegraphMarks: counts.scene, chartsWithGraphics: counts.withGraphics, chartContainers: counts.containers }
  } finally {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
  }
}
