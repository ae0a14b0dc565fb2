/**
 * The report files of a run, as texts: run.json and replicas.json (compact JSON; unmeasured
 * values are null) and report.html. Written by `ccsim run` (sim/cli/report-io.ts) and by
 * bench/report.ts, which times exactly this.
 */
import { renderPage, type Runtimes } from "./html.js"
import type { ReportInput } from "./run-data.js"
import type { Locale } from "./format.js"
import { runReportPage } from "./sections.js"

export const reportFiles = (input: ReportInput, locale: Locale, runtimes: Runtimes): Array<{ readonly name: string; readonly text: string }> => [
  { name: "run.json", text: JSON.stringify(input.meta) + "\n" },
  { name: "replicas.json", text: JSON.stringify(input.replicas) + "\n" },
  { name: "report.html", text: renderPage(runReportPage(input, locale), runtimes) }
]
