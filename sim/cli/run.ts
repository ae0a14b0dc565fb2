/**
 * `ccsim run <scenario> [--seed N] [--replications R] [--out DIR] [--json] [--workers W] [--max-calls N] [--report-day YYYY-MM-DD] [--locale en|fr]`
 *
 * With --json: prints exactly the summary JSON on stdout and nothing else (files are written only
 * if --out is given too). Without: writes DIR/summary.json and the CSV tables (intervals, and for
 * dated scenarios days, weeks, months, by flow and by reason, orders and penalties; default DIR:
 * runs/<name>-<timestamp>/), report.html with run.json and replicas.json (reports/, via ./report-io.ts),
 * and prints a readable report with a month-by-month table.
 * Progress goes to stderr, on a TTY only. A scenario with a `continuity` block also runs its paired
 * baseline (same seed, no incidents: ./continuity-run.ts), adds `continuity` to summary.json,
 * writes timeline.csv and prints the verdict first.
 *
 * The output folder is checked (and created) before anything is simulated: a file in its place or
 * a folder that cannot be written is bad input (exit 2), so no run's results are lost at the end.
 */
import { closeSync, mkdirSync, openSync, statSync, accessSync, constants } from "node:fs"
import { dirname, join, resolve } from "node:path"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import type { ContractTerms } from "../contract/terms.js"
import { BadInput, RuntimeFailure } from "../domain/problem.js"
import { fileSink, type TextSink } from "../kpi/csv.js"
import { summarize, type ReplicationOutcome, type Summary } from "../kpi/summary.js"
import type { TableFile } from "../kpi/tables.js"
import type { Model } from "../model/model.js"
import { replicationStream } from "../run/replicate.js"
import { SimulationRunner } from "../run/runner.js"
import { defaultWorkers } from "../run/simulate.js"
import { progressBar } from "./progress.js"
import { defaultLimits } from "../model/budget.js"
import { loadRun, maxCallsFlag, requireFlag } from "./scenario.js"
import { monotonicMs } from "../domain/clock.js"

/**
 * What only some runs need, loaded when they do (a dynamic import each, its own chunk): the judge
 * and its CSV files (dated runs), the continuity comparison, the KPI tables and the report (runs
 * that write a folder), the text summary (runs without --json). A `--json` run of a textbook
 * scenario loads none of them: ~14 ms less per start on the project's VM (interleaved A/B of the
 * textbook run, 20 trials).
 */
const loading = <A>(what: string, start: () => Promise<A>) => {
  let started: Promise<A> | undefined
  /** Starts the import (once); its Effect waits for it. */
  const begin = () => (started ??= start())
  return {
    begin,
    get: Effect.tryPromise({ try: begin, catch: (e) => new RuntimeFailure({ message: `cannot load ${what}: ${e instanceof Error ? e.message : String(e)}` }) })
  }
}
const load = () => ({
  contract: loading("the contract's judge", () => import("../contract/outputs.js")),
  continuity: loading("the continuity comparison", () => import("./continuity-run.js")),
  tables: loading("the KPI tables", () => import("../kpi/tables.js")),
  report: loading("the report", () => import("./report-io.js")),
  text: loading("the text summary", () => import("./report-text.js"))
})

const pad = (n: number) => String(n).padStart(2, "0")
const timestamp = (d: Date) =>
  `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`

/**
 * Creates the output folder (and missing parents, one level at a time) and checks it can be
 * written; bad input otherwise. Not `mkdirSync(…, { recursive: true })`: on a pseudo-filesystem
 * such as /proc, Node 20's recursive mkdir retries forever on the ENOENT it gets.
 */
export const prepareOutputDir = (dir: string): Effect.Effect<void, BadInput> =>
  Effect.try({
    try: () => {
      const missing: string[] = []
      let at = resolve(dir)
      for (;;) {
        try {
          if (!statSync(at).isDirectory()) throw Object.assign(new Error("exists and is not a folder"), { code: "ENOTDIR" })
          break
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e
          missing.push(at)
          const parent = dirname(at)
          if (parent === at) break
          at = parent
        }
      }
      for (const d of missing.reverse()) mkdirSync(d)
      accessSync(dir, constants.W_OK)
    },
    catch: (e) => {
      const code = (e as NodeJS.ErrnoException).code
      const why =
        code === "ENOTDIR" ? "a file is in the way: give a folder" : code === "EACCES" || code === "EPERM" || code === "EROFS" ? "cannot write there (permission denied)" : `cannot create it (${code ?? String(e)})`
      return new BadInput({ source: "command line", problems: [{ path: "--out", message: `${dir}: ${why}` }] })
    }
  })

/** Writes one file through a sink, synchronously in chunks (a table is never one big string). */
const writeFileStreamed = (path: string, write: (sink: TextSink) => void): void => {
  const fd = openSync(path, "w")
  try {
    write(fileSink(fd))
  } finally {
    closeSync(fd)
  }
}

/** The files of a run: summary.json, the KPI tables and, for dated runs, orders and penalties. */
const runFiles = (
  tables: typeof import("../kpi/tables.js"),
  summaryJson: string,
  model: Model,
  results: ReadonlyArray<ReplicationOutcome>,
  money: { orders: string; penalties: string } | null
): TableFile[] => [
  { name: "summary.json", write: (s) => s.write(summaryJson) },
  ...tables.runTableFiles(model, results),
  ...(money === null ? [] : [
    { name: "orders.csv", write: (s: TextSink) => s.write(money.orders) },
    { name: "penalties.csv", write: (s: TextSink) => s.write(money.penalties) }
  ])
]

const writeFiles = (dir: string, files: ReadonlyArray<TableFile>) =>
  Effect.try({
    try: () => {
      for (const f of files) writeFileStreamed(join(dir, f.name), f.write)
    },
    catch: (e) => new RuntimeFailure({ message: `cannot write to ${dir}: ${e instanceof Error ? e.message : String(e)}` })
  })

/** The summary of a run, judged by the contract when the run is dated (`contract`: its module, loaded for dated runs). */
const judgedSummary = (
  contract: typeof import("../contract/outputs.js") | null,
  model: Model,
  terms: ContractTerms | null,
  seed: number,
  results: ReadonlyArray<ReplicationOutcome & { readonly replication: number }>,
  wallSeconds: number
) => {
  const plain = summarize(model, seed, results, wallSeconds)
  const sources = model.forecastSources
  // Say which days an interval forecast gave (the rest came from the monthly forecast and profiles).
  const summary: Summary =
    sources === null || sources.intervalsCsv === null ? plain : (({ performance, ...rest }) => ({ ...rest, forecast: sources, performance }))(plain)
  if (contract === null || terms === null || model.forecastBasisCalls === null) return { summary, judgement: null }
  return contract.judgeRun(
    { grid: model, terms, forecastBasisCalls: model.forecastBasisCalls, qualityStream: replicationStream(seed, "quality"), replications: results.map((r) => r.replication) },
    summary,
    results
  )
}

const runFlags = {
  scenario: Argument.String("scenario").pipe(Argument.withDescription("Scenario file (YAML or JSON)")),
  seed: Flag.Int("seed").pipe(Flag.withDefault(1), Flag.withDescription("Run seed (same scenario + seed = same results; default 1)")),
  replications: Flag.Int("replications").pipe(Flag.withDefault(10), Flag.withDescription("Independent replications (default 10)")),
  out: Flag.String("out").pipe(Flag.optional, Flag.withDescription("Output folder (default runs/<name>-<timestamp>/)")),
  json: Flag.Boolean("json").pipe(Flag.withDefault(false), Flag.withDescription("Print only the summary JSON on stdout (default off)")),
  workers: Flag.Int("workers").pipe(Flag.withDefault(defaultWorkers()), Flag.withDescription(`Worker threads (default one per core: ${defaultWorkers()})`)),
  maxCalls: maxCallsFlag,
  // report.html (sim/cli/report-io.ts): the day it zooms on and its number format.
  reportDay: Flag.String("report-day").pipe(Flag.optional, Flag.withDescription("Day report.html zooms on, YYYY-MM-DD (default: the busiest)")),
  locale: Flag.String("locale").pipe(Flag.withDefault("en"), Flag.withDescription("Number format of report.html: en or fr (default en)"))
}
type RunFlags = Command.Command.Config.Infer<typeof runFlags>

export const runCommand = Command.make(
  "run",
  runFlags,
  (flags) =>
    Effect.gen(function* () {
      yield* requireFlag(flags.replications >= 1, "--replications", `must be >= 1, got ${flags.replications}`)
      yield* requireFlag(flags.seed >= 0 && flags.seed <= 2 ** 31, "--seed", `must be between 0 and 2^31, got ${flags.seed}`)
      yield* requireFlag(flags.workers >= 1, "--workers", `must be >= 1 (omit it for one per core), got ${flags.workers}`)
      yield* requireFlag(flags.maxCalls >= 1, "--max-calls", `must be >= 1, got ${flags.maxCalls}`)
      // The runner (its threads) lives from here to the end of the command.
      return yield* runChecked(flags).pipe(Effect.provide(SimulationRunner.layer(flags.workers)))
    })
).pipe(Command.withDescription("Simulate a scenario: replications in parallel, summary with 95% confidence intervals"))

/**
 * Whether this process has simulated (a `run` that got as far as its results). `ccsim run`'s
 * loader writes V8's code cache only when such a run ends well (build.mjs, runCached): a help
 * request or bad input compiles a fraction of the code, and later runs would start from that.
 */
let simulated = false
export const hasSimulated = (): boolean => simulated

/** `ccsim run` once its flags are checked. */
const runChecked = (flags: RunFlags) =>
  Effect.gen(function* () {
    const workers = flags.workers
    const runner = yield* SimulationRunner
    // The threads start now and boot while the scenario is read and compiled.
    yield* runner.prepare(flags.replications)
    const limits = defaultLimits({ maxCalls: flags.maxCalls, replications: flags.replications, concurrent: workers })
    const { scenario, model, terms } = yield* loadRun(flags.scenario, { limits })
    const dir = flags.json ? Option.getOrUndefined(flags.out) : Option.getOrElse(flags.out, () => join("runs", `${model.name}-${timestamp(new Date())}`))
    // The report's flags are checked whenever they are given (the default ones are valid).
    const modules = load()
    const reportIo = dir !== undefined || Option.isSome(flags.reportDay) || flags.locale !== "en" ? yield* modules.report.get : null
    const report = reportIo === null ? null : yield* reportIo.reportOptions(model, Option.getOrUndefined(flags.reportDay), flags.locale)
    if (dir !== undefined) yield* prepareOutputDir(dir)
    const continuityRun = model.continuity === undefined ? null : yield* modules.continuity.get
    const contract = terms === null || model.forecastBasisCalls === null ? null : yield* modules.contract.get
    // What is needed after the simulation is loading meanwhile (awaited then): nothing is left to
    // load once the results exist.
    if (dir !== undefined) modules.tables.begin().catch(() => {})
    if (!flags.json) modules.text.begin().catch(() => {})
    const { results, baseline, wallSeconds } = yield* Effect.gen(function* () {
      const bar = progressBar(model.name)
      const started = monotonicMs()
      // A continuity run is two runs (with the incidents, then its paired baseline): half the bar each.
      const part = model.continuity === undefined ? 1 : 0.5
      const results = yield* runner.run(model, { seed: flags.seed, replications: flags.replications, onProgress: (f) => bar.update(f * part) })
      const baseline = continuityRun === null ? null : yield* continuityRun.runBaseline(runner, model, flags.seed, flags.replications, (f) => bar.update(0.5 + f * part))
      bar.done()
      return { results, baseline, wallSeconds: (monotonicMs() - started) / 1000 }
    })
    simulated = true
    const judged = judgedSummary(contract, model, terms, flags.seed, results, wallSeconds)
    const { judgement } = judged
    const continuity = continuityRun === null || baseline === null ? null : continuityRun.continuityOutputs({ model, terms, seed: flags.seed }, results, baseline, judgement)
    const summary = continuity === null ? judged.summary : continuity.addTo(judged.summary)
    const summaryJson = JSON.stringify(summary, null, 2) + "\n"
    if (dir === undefined) {
      // --json without --out: the summary is the whole output.
      process.stdout.write(summaryJson)
      return
    }
    const money = judgement === null || contract === null ? null : { orders: contract.ordersCsv(judgement), penalties: contract.penaltiesCsv(judgement) }
    const files = [...runFiles(yield* modules.tables.get, summaryJson, model, results, money), ...(continuity === null ? [] : [continuity.timeline])]
    yield* writeFiles(dir, files)
    const reportFiles = yield* reportIo!.writeRunReport(dir, { model, scenario, facts: { scenarioFile: flags.scenario, seed: flags.seed, replications: flags.replications }, summary, outcomes: results, judgement }, report!)
    if (flags.json) {
      process.stdout.write(summaryJson)
      return
    }
    if (continuity !== null) process.stdout.write(continuity.text + "\n\n")
    process.stdout.write((yield* modules.text.get).formatSummary(summary, terms?.rules) + "\n")
    process.stdout.write(`  written to ${dir}/: ${[...files.map((f) => f.name), ...reportFiles].join(", ")}\n`)
  })
