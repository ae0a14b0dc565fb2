/**
 * The edge of the reports (reports/ is pure): reading the vega runtimes from node_modules,
 * writing a run's report files (`ccsim run`), reading a run's folder back (`ccsim report`).
 *
 * A run's report files: report.html (the page), run.json (the run's inputs as the report needs
 * them) and replicas.json (every replication's month and horizon KPIs and money — what paired
 * comparisons and the fans read). Formats: README "Outputs"; reports/run-data.ts.
 */
import { closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from "node:fs"
import { createRequire } from "node:module"
import { basename, dirname, join } from "node:path"
import * as Effect from "effect/Effect"
import { KPI_TARGETS } from "../domain/cctp.js"
import { BadInput, RuntimeFailure } from "../domain/problem.js"
import type { Model } from "../model/model.js"
import { erlangAStationary, erlangCWaitProbability } from "../staffing/erlang.js"
import type { RequiredAdvisors } from "../../reports/days.js"
import { reportDayIndex, reportInputFromRun, type RunInMemory } from "../../reports/from-run.js"
import { reportInputFromFiles } from "../../reports/from-files.js"
import { parseLocale, type Locale } from "../../reports/format.js"
import { renderPage, type Runtimes } from "../../reports/html.js"
import type { ReportInput, RunMeta } from "../../reports/run-data.js"
import { runReportPage } from "../../reports/sections.js"

/** The three minified builds, read once per process from the installed packages. */
let runtimes: Runtimes | undefined
export const loadRuntimes = (): Runtimes => {
  if (runtimes !== undefined) return runtimes
  // Resolved from this module (the bundle in dist/ or the source): the project's node_modules.
  // The packages' exports maps hide build/*.min.js, so go through their main entry's folder.
  const req = createRequire(import.meta.url)
  const read = (pkg: string, file: string) => readFileSync(join(dirname(req.resolve(pkg)), file), "utf8")
  runtimes = { vega: read("vega", "vega.min.js"), vegaLite: read("vega-lite", "vega-lite.min.js"), vegaEmbed: read("vega-embed", "vega-embed.min.js") }
  return runtimes
}

/**
 * Answer rate and mean wait (over all offered calls) of the Erlang A queue M/M/c+M, from the
 * same stationary chain as sim/staffing/erlang.ts (answered = 1 − θ·Lq/λ, wait = Lq/λ) — only
 * these two figures: queueMetrics also computes the answered callers' mean wait, quadratic in
 * the chain's length, which made a 48-month report's Erlang A cost ~0.5 s.
 */
const erlangAFigures = (lambda: number, mu: number, theta: number, c: number) => {
  const pi = erlangAStationary(lambda, mu, theta, c)
  let lq = 0
  for (let n = c + 1; n < pi.length; n++) lq += (n - c) * pi[n]!
  return { answerRate: 1 - (theta * lq) / lambda, meanWaitSeconds: lq / lambda }
}

/**
 * Advisors an interval needs by exact Erlang A (Erlang C without patience): the fewest whose
 * steady state answers ≥ 90% of calls (CCTP answer-rate target) with a mean wait ≤ 2 min (mean-wait
 * target); NaN when the handle time is unknown. Both figures improve with every advisor added,
 * so the fewest is found by doubling then bisection: ~15 chains of a few hundred states.
 */
export const erlangRequired: RequiredAdvisors = (arrivalsPerHour, meanHandleSeconds, meanPatienceSeconds) => {
  if (!(arrivalsPerHour > 0)) return 0
  if (!(meanHandleSeconds > 0)) return NaN
  const lambda = arrivalsPerHour / 3600
  const mu = 1 / meanHandleSeconds
  const load = lambda / mu
  const meets = (c: number): boolean => {
    if (meanPatienceSeconds === null) {
      if (c <= load) return false
      return erlangCWaitProbability(c, load) / (c * mu - lambda) <= KPI_TARGETS.meanWaitSeconds
    }
    const f = erlangAFigures(lambda, mu, 1 / meanPatienceSeconds, c)
    return f.answerRate >= KPI_TARGETS.answerRate && f.meanWaitSeconds <= KPI_TARGETS.meanWaitSeconds
  }
  let lo = meanPatienceSeconds === null ? Math.floor(load) : -1 // known to fail (or below any answer)
  let hi = Math.max(1, Math.ceil(load))
  while (!meets(hi)) {
    lo = hi
    hi *= 2
    if (hi > 1_000_000) return NaN
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (meets(mid)) hi = mid
    else lo = mid
  }
  return hi
}

/** The report options of `ccsim run` / `ccsim report`, checked (bad input: exit 2). */
export const reportOptions = (
  grid: Pick<Model, "firstDate" | "dayCount">,
  reportDay: string | undefined,
  locale: string
): Effect.Effect<{ readonly reportDay: number | null; readonly locale: Locale }, BadInput> => {
  const problems = []
  const l = parseLocale(locale)
  if (l === undefined) problems.push({ path: "--locale", message: `expected en or fr, got ${JSON.stringify(locale)}` })
  const day = reportDay === undefined ? null : reportDayIndex(grid, reportDay)
  if (typeof day === "string") problems.push({ path: "--report-day", message: day })
  if (problems.length > 0) return Effect.fail(new BadInput({ source: "command line", problems }))
  return Effect.succeed({ reportDay: day as number | null, locale: l! })
}

const writeText = (path: string, text: string) => {
  const fd = openSync(path, "w")
  try {
    writeSync(fd, text)
  } finally {
    closeSync(fd)
  }
}

/** The report's JSON files and page of a run's input. */
export const reportFiles = (input: ReportInput, locale: Locale): Array<{ name: string; text: string }> => [
  { name: "run.json", text: JSON.stringify(input.meta) + "\n" },
  { name: "replicas.json", text: JSON.stringify(input.replicas) + "\n" },
  { name: "report.html", text: renderPage(runReportPage(input, locale), loadRuntimes()) }
]

/**
 * Writes report.html, run.json and replicas.json of a run still in memory into `dir`; returns
 * the names written. What `ccsim run` calls after its tables (bench/report.ts times it).
 */
export const writeRunReport = (dir: string, run: Omit<RunInMemory, "reportDay" | "required">, options: { readonly reportDay: number | null; readonly locale: Locale }) =>
  Effect.try({
    try: () => {
      const files = reportFiles(reportInputFromRun({ ...run, reportDay: options.reportDay, required: erlangRequired }), options.locale)
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
    erlangRequired
  )
  return input === undefined ? Effect.fail(new BadInput({ source: folder.dir, problems })) : Effect.succeed(input)
}

export { writeText }
