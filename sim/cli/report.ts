/**
 * `ccsim report RUN [RUN…] [--out DIR] [--locale en|fr] [--report-day YYYY-MM-DD] [--xlsx] [--svg] [--csv-fr]`
 *
 * One run folder: redraws its report.html (another locale, another day; default DIR: the run
 * folder) and, on demand, its tables as one workbook (`run.xlsx`), its charts as SVG files
 * (`svg/<chart>.svg`, drawn by vega in Node) and its CSV tables for a French Excel
 * (`csv-fr/*.csv`). Several run folders: one comparison page, `compare.html` (default DIR:
 * runs/compare-<timestamp>/), with `--svg` its charts too.
 *
 * Bad input (exit 2): a folder that is not a run, runs of different horizons, a flag that does
 * not apply.
 */
import { existsSync, mkdirSync } from "node:fs"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import { BadInput, RuntimeFailure } from "../domain/problem.js"
import { comparisonPage, horizonProblem, type ComparedRun } from "../../reports/compare.js"
import { parseJsonWithNaN, parsePeriodCsv } from "../../reports/from-files.js"
import type { Locale } from "../../reports/format.js"
import { renderPage, type Page } from "../../reports/html.js"
import { PERIOD_COLUMNS, type Replicas } from "../../reports/run-data.js"
import { runReportPage } from "../../reports/sections.js"
import { frenchCsv, RUN_TABLES, sheetFromCsv } from "../../reports/spreadsheet.js"
import { loadRuntimes, openRunFolder, readReportInput, reportOptions, writeText, type RunFolder } from "./report-io.js"
import { prepareOutputDir } from "./run.js"

const pad = (n: number) => String(n).padStart(2, "0")
const timestamp = (d: Date) => `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`

const failure = (what: string) => (e: unknown) => new RuntimeFailure({ message: `${what}: ${e instanceof Error ? e.message : String(e)}` })

/** Every chart of a page as svg/<id>.svg in `dir`. */
const writeSvgs = (dir: string, page: Page, locale: Locale) =>
  Effect.tryPromise({
    try: async () => {
      const { evaluateRuntimes, renderSvg } = await import("../../reports/svg.js")
      const engines = evaluateRuntimes(loadRuntimes())
      mkdirSync(join(dir, "svg"), { recursive: true })
      const names: string[] = []
      for (const chart of page.sections.flatMap((s) => s.charts)) {
        writeText(join(dir, "svg", `${chart.id}.svg`), await renderSvg(chart, engines, locale))
        names.push(`svg/${chart.id}.svg`)
      }
      return names
    },
    catch: failure("cannot draw the SVG charts")
  })

/** The run's CSV tables as one workbook. */
const writeWorkbook = (folder: RunFolder, path: string) =>
  Effect.tryPromise({
    try: async () => {
      const { writeXlsx } = await import("./report-xlsx.js")
      const present = RUN_TABLES.filter((f) => existsSync(join(folder.dir, f)))
      // Sheets are made one at a time as the writer asks for them: one table in memory at once.
      await writeXlsx(path, (function* () {
        for (const f of present) yield sheetFromCsv(f, folder.text(f)!)
      })())
    },
    catch: failure("cannot write the workbook")
  })

/** The run's CSV tables for a French Excel, in csv-fr/. */
const writeFrenchCsvs = (folder: RunFolder, dir: string) =>
  Effect.try({
    try: () => {
      mkdirSync(join(dir, "csv-fr"), { recursive: true })
      const names: string[] = []
      for (const f of RUN_TABLES) {
        const text = folder.text(f)
        if (text === null) continue
        writeText(join(dir, "csv-fr", f), frenchCsv(text))
        names.push(`csv-fr/${f}`)
      }
      return names
    },
    catch: failure("cannot write the French CSV files")
  })

const badFlag = (flag: string, message: string) => new BadInput({ source: "command line", problems: [{ path: flag, message }] })

/** A run folder as a comparison reads it: summary, replicas and months. */
const comparedRun = (folder: RunFolder): Effect.Effect<ComparedRun, BadInput> =>
  Effect.try({
    try: () => {
      const problems: Array<{ path: string; message: string }> = []
      const months = folder.meta.from === null || folder.text("months.csv") === null ? [] : parsePeriodCsv(folder.text("months.csv")!, "months.csv", problems, PERIOD_COLUMNS)
      if (problems.length > 0) throw new BadInput({ source: folder.dir, problems })
      return {
        label: folder.label,
        input: {
          meta: folder.meta,
          summary: parseJsonWithNaN(folder.text("summary.json")!) as ComparedRun["input"]["summary"],
          replicas: parseJsonWithNaN(folder.text("replicas.json")!) as Replicas,
          months
        }
      }
    },
    catch: (e) => (e instanceof BadInput ? e : new BadInput({ source: folder.dir, problems: [{ path: "", message: `unreadable run files (${e instanceof Error ? e.message : String(e)})` }] }))
  })

export const reportCommand = Command.make(
  "report",
  {
    runs: Argument.String("run").pipe(Argument.variadic({ min: 1 }), Argument.withDescription("Run folders written by `ccsim run` (two or more: a comparison)")),
    out: Flag.String("out").pipe(Flag.optional, Flag.withDescription("Output folder (default: the run folder; for a comparison runs/compare-<timestamp>/)")),
    locale: Flag.String("locale").pipe(Flag.withDefault("en"), Flag.withDescription("Number format of the page and charts: en or fr")),
    reportDay: Flag.String("report-day").pipe(Flag.optional, Flag.withDescription("Day the report zooms on, YYYY-MM-DD (default: the busiest)")),
    xlsx: Flag.Boolean("xlsx").pipe(Flag.withDefault(false), Flag.withDescription("Also write run.xlsx: one sheet per table")),
    svg: Flag.Boolean("svg").pipe(Flag.withDefault(false), Flag.withDescription("Also write every chart as svg/<chart>.svg")),
    csvFr: Flag.Boolean("csv-fr").pipe(Flag.withDefault(false), Flag.withDescription("Also write the CSV tables for a French Excel in csv-fr/ (BOM, ';', decimal comma)"))
  },
  (flags) =>
    Effect.gen(function* () {
      const folders: RunFolder[] = []
      for (const dir of flags.runs) folders.push(yield* openRunFolder(dir))
      const written: string[] = []
      if (folders.length === 1) {
        const folder = folders[0]!
        const options = yield* reportOptions({ firstDate: folder.meta.from, dayCount: folder.meta.dayCount }, Option.getOrUndefined(flags.reportDay), flags.locale)
        const out = Option.getOrElse(flags.out, () => folder.dir)
        yield* prepareOutputDir(out)
        const input = yield* readReportInput(folder, options.reportDay)
        const page = runReportPage(input, options.locale)
        yield* Effect.try({ try: () => writeText(join(out, "report.html"), renderPage(page, loadRuntimes())), catch: failure(`cannot write to ${out}`) })
        written.push("report.html")
        if (flags.svg) written.push(...(yield* writeSvgs(out, page, options.locale)))
        if (flags.xlsx) {
          yield* writeWorkbook(folder, join(out, "run.xlsx"))
          written.push("run.xlsx")
        }
        if (flags.csvFr) written.push(...(yield* writeFrenchCsvs(folder, out)))
        process.stdout.write(`ccsim: report of ${folder.dir} written to ${out}/: ${written.join(", ")}\n`)
        return
      }
      if (Option.isSome(flags.reportDay)) return yield* Effect.fail(badFlag("--report-day", "applies to the report of one run, not to a comparison"))
      if (flags.xlsx) return yield* Effect.fail(badFlag("--xlsx", "applies to one run (give one run folder)"))
      if (flags.csvFr) return yield* Effect.fail(badFlag("--csv-fr", "applies to one run (give one run folder)"))
      const { locale } = yield* reportOptions({ firstDate: null, dayCount: 0 }, undefined, flags.locale)
      const runs: ComparedRun[] = []
      for (const f of folders) runs.push(yield* comparedRun(f))
      const problem = horizonProblem(runs)
      if (problem !== null) return yield* Effect.fail(new BadInput({ source: "command line", problems: [{ path: "runs", message: problem }] }))
      const out = Option.getOrElse(flags.out, () => join("runs", `compare-${timestamp(new Date())}`))
      yield* prepareOutputDir(out)
      const page = comparisonPage(runs, locale)
      yield* Effect.try({ try: () => writeText(join(out, "compare.html"), renderPage(page, loadRuntimes())), catch: failure(`cannot write to ${out}`) })
      written.push("compare.html")
      if (flags.svg) written.push(...(yield* writeSvgs(out, page, locale)))
      process.stdout.write(`ccsim: comparison of ${folders.map((f) => f.label).join(", ")} written to ${out}/: ${written.join(", ")}\n`)
    })
).pipe(Command.withDescription("A run's report again (HTML, xlsx, SVG, French CSV), or a comparison of several runs"))
