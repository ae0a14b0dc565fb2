/**
 * The edge of the reports (reports/ is pure): reading the vega runtimes from node_modules,
 * writing a run's report files (`ccsim run`), reading a run's folder back (`ccsim report`).
 *
 * A run's report files: report.html (the page), run.json (the run's inputs as the report needs
 * them) and replicas.json (every replication's month and horizon KPIs and money — what paired
 * comparisons and the fans read). Formats: README "Outputs"; reports/run-data.ts.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { basename, dirname, join } from "node:path"
import * as Effect from "effect/Effect"
import { BadInput, RuntimeFailure, type Problem } from "../domain/problem.js"
import type { Model } from "../model/model.js"
import { requiredAdvisors } from "../staffing/required.js"
import { reportDayIndex, reportInputFromRun, type RunInMemory } from "../../reports/from-run.js"
import { reportInputFromFiles } from "../../reports/from-files.js"
import { parseLocale, type Locale } from "../../reports/format.js"
import { reportFiles } from "../../reports/files.js"
import { runtimeTexts, type Runtimes } from "../../reports/html.js"
import type { ReportInput, RunMeta } from "../../reports/run-data.js"

/** The three minified builds, read once per process from the installed packages. */
let runtimes: Runtimes | undefined
export const loadRuntimes = (): Runtimes => {
  if (runtimes !== undefined) return runtimes
  // Resolved from this module (the bundle in dist/ or the source): the project's node_modules.
  const req = createRequire(import.meta.url)
  runtimes = runtimeTexts((pkg) => dirname(req.resolve(pkg)), (path) => readFileSync(path, "utf8"))
  return runtimes
}

/** The report options of `ccsim run` / `ccsim report`, checked (bad input: exit 2). */
export const reportOptions = (
  grid: Pick<Model, "firstDate" | "dayCount">,
  reportDay: string | undefined,
  locale: string
): Effect.Effect<{ readonly reportDay: number | null; readonly locale: Locale }, BadInput> => {
  const problems: Problem[] = []
  const l = parseLocale(locale)
  if (l === undefined) problems.push({ path: "--locale", message: `expected en or fr, got ${JSON.stringify(locale)}` })
  const day = reportDay === undefined ? null : reportDayIndex(grid, reportDay)
  if (typeof day === "string") problems.push({ path: "--report-day", message: day })
  if (problems.length > 0) return Effect.fail(new BadInput({ source: "command line", problems }))
  return Effect.succeed({ reportDay: day as number | null, locale: l! })
}

/** Writes a text file (UTF-8). */
export const writeText = (path: string, text: string): void => writeFileSync(path, text)

/**
 * Writes report.html, run.json and replicas.json of a run still in memory into `dir`; returns
 * the names written. What `ccsim run` calls after its tables (bench/report.ts times the same steps).
 */
export const writeRunReport = (dir: string, run: Omit<RunInMemory, "reportDay" | "required">, options: { readonly reportDay: number | null; readonly locale: Locale }) =>
  Effect.try({
    try: () => {
      const files = reportFiles(reportInputFromRun({ ...run, reportDay: options.reportDay, required: requiredAdvisors }), options.locale, loadRuntimes())
      for (const f of files) writeText(join(dir, f.name), f.text)
      return files.map((f) => f.name)
    },
    catch: (e) => new RuntimeFailure({ message: `cannot write the report to ${dir}: ${e instanceof Error ? e.message : String(e)}` })
  })

/** A folder `ccsim run` wrote, as read back: the texts a report needs (intervals.csv read on demand). */
export interface RunFolder {
  readonly dir: string
  /** The folder's name, how pages name the run. */
  readonly label: string
  readonly meta: RunMeta
  readonly text: (file: string) => string | null
}

const notARun = (dir: string, message: string) => new BadInput({ source: dir, problems: [{ path: "", message }] })

/**
 * Opens a run folder: it must be a folder holding summary.json, run.json and replicas.json
 * (a run made before reports lacks the last two: run it again). Bad input otherwise.
 */
export const openRunFolder = (dir: string): Effect.Effect<RunFolder, BadInput> =>
  Effect.gen(function* () {
    const isDir = (() => {
      try {
        return statSync(dir).isDirectory()
      } catch {
        return false
      }
    })()
    if (!isDir) return yield* Effect.fail(notARun(dir, existsSync(dir) ? "not a folder: give the folder `ccsim run` wrote" : "no such folder"))
    if (!existsSync(join(dir, "summary.json"))) return yield* Effect.fail(notARun(dir, "not a ccsim run folder (no summary.json)"))
    const missing = ["run.json", "replicas.json", "intervals.csv"].filter((f) => !existsSync(join(dir, f)))
    if (missing.length > 0) return yield* Effect.fail(notARun(dir, `a run folder without ${missing.join(", ")} (written by a ccsim before reports?): run the scenario again`))
    const text = (file: string) => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), "utf8") : null)
    const meta = yield* Effect.try({
      try: () => JSON.parse(text("run.json")!) as RunMeta,
      catch: (e) => notARun(dir, `run.json is not valid JSON (${e instanceof Error ? e.message : String(e)})`)
    })
    if (meta?.schemaVersion !== 1 || typeof meta.intervalCount !== "number") return yield* Effect.fail(notARun(dir, "run.json is not a ccsim run.json (schemaVersion 1)"))
    return { dir, label: basename(dir.replace(/[\\/]+$/, "")) || dir, meta, text }
  })

/** The report input of an opened run folder (bad input when its files do not parse). */
export const readReportInput = (folder: RunFolder, reportDay: number | null): Effect.Effect<ReportInput, BadInput> => {
  const { input, problems } = reportInputFromFiles(
    { run: folder.text("run.json")!, summary: folder.text("summary.json")!, replicas: folder.text("replicas.json")!, days: folder.text("days.csv"), months: folder.text("months.csv"), intervals: folder.text("intervals.csv")! },
    reportDay,
    requiredAdvisors
  )
  return input === undefined ? Effect.fail(new BadInput({ source: folder.dir, problems })) : Effect.succeed(input)
}

