/**
 * `ccsim run <scenario> [--seed N] [--replications R] [--out DIR] [--json] [--workers W] [--max-calls N]`
 *
 * With --json: prints exactly the summary JSON on stdout and nothing else (files are written only
 * if --out is given too). Without: writes DIR/summary.json and the CSV tables (intervals, and for
 * dated scenarios days, weeks, months, months by flow and by reason; default DIR:
 * runs/<name>-<timestamp>/) and prints a readable report with a month-by-month table.
 * Progress goes to stderr, on a TTY only.
 */
import { mkdir, writeFile } from "node:fs/promises"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import { summarize, type Summary } from "../kpi/summary.js"
import { runTables } from "../kpi/tables.js"
import { SimulationRunner } from "../run/runner.js"
import { defaultWorkers } from "../run/simulate.js"
import { RuntimeFailure } from "../domain/problem.js"
import { progressBar } from "./progress.js"
import { defaultLimits } from "../model/budget.js"
import { loadModel, maxCallsFlag, requireFlag } from "./scenario.js"

const pad = (n: number) => String(n).padStart(2, "0")
const timestamp = (d: Date) =>
  `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`

const pct = (x: number, d = 3) => (Number.isFinite(x) ? `${(x * 100).toFixed(d)}%` : "n/a")
const secs = (x: number, d = 3) => (Number.isFinite(x) ? `${x.toFixed(d)} s` : "n/a")
const num = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "n/a")
const fixed = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : "n/a")

type E = { mean: number; ci95: readonly [number, number] }
const kpiRow = (name: string, e: E | undefined, f: (x: number) => string) =>
  e === undefined ? [] : [`  ${name.padEnd(20)} ${f(e.mean).padStart(12)}   [${f(e.ci95[0])}, ${f(e.ci95[1])}]`]

/** The readable report printed by `ccsim run` without --json. */
export const formatSummary = (s: Summary): string => {
  const k = s.kpi
  const c = s.calls
  const lines = [
    `${s.scenario} — seed ${s.seed}, ${s.replications} replication${s.replications === 1 ? "" : "s"}${s.from ? `, ${s.from} to ${s.to}` : ""}`,
    `  calls per replication: offered ${num(c.offered!)}, answered ${num(c.answered!)}, abandoned ${num(c.abandoned!)}` +
      (c.dissuadedClosure !== undefined ? `, dissuaded ${num(c.dissuadedClosure + c.dissuadedTelecom! + c.dissuadedIvr!)}, redials ${num(c.redials!)}` : "") +
      `, waiting at the end ${num(c.inSystemAtEnd!)}`,
    `  ${"KPI".padEnd(20)} ${"mean".padStart(12)}   95% confidence interval`,
    ...kpiRow("answer rate", k.answerRate, (x) => pct(x)),
    ...kpiRow("abandon rate", k.abandonRate, (x) => pct(x)),
    ...kpiRow("mean wait", k.meanWaitSeconds, (x) => secs(x)),
    ...kpiRow("service level", k.serviceLevel, (x) => pct(x)),
    ...kpiRow("occupancy", k.occupancy, (x) => pct(x)),
    ...kpiRow("accessibility", k.accessibility, (x) => pct(x)),
    ...kpiRow("mean talk (DMC)", k.meanTalkSeconds, (x) => secs(x, 1)),
    ...kpiRow("mean handling (DMT)", k.meanHandleSeconds, (x) => secs(x, 1)),
    ...kpiRow("availability rate", k.availabilityRate, (x) => pct(x)),
    ...kpiRow("transfer rate", k.transferRate, (x) => pct(x)),
    ...kpiRow("forms handled", k.formsHandledRate, (x) => pct(x)),
    ...kpiRow("forms/advisor-day", k.formsPerAdvisorDay, (x) => fixed(x, 1)),
    ...kpiRow("productive hours", k.productiveHours, (x) => num(x))
  ]
  if (s.periods && s.periods.length > 0) {
    lines.push(
      "",
      "  month    offered   answered  answer rate  mean wait    DMT  availab.  access.  forms hdl  prod. hours",
      ...s.periods.map((p) => {
        const q = p.kpi
        return (
          `  ${p.period}  ${num(p.calls.offered).padStart(8)}  ${num(p.calls.answered).padStart(9)}` +
          `  ${pct(q.answerRate.mean, 2).padStart(11)}  ${secs(q.meanWaitSeconds.mean, 1).padStart(9)}` +
          `  ${fixed(q.meanHandleSeconds.mean, 0).padStart(5)}  ${pct(q.availabilityRate.mean, 1).padStart(8)}` +
          `  ${pct(q.accessibility.mean, 1).padStart(7)}  ${pct(q.formsHandledRate.mean, 1).padStart(9)}` +
          `  ${num(q.productiveHours.mean).padStart(11)}`
        )
      })
    )
  }
  const wall = s.performance.wallSeconds
  const calls = (c.offered ?? 0) * s.replications
  lines.push(
    `  ${num(s.performance.events)} events in ${wall.toFixed(2)} s ` +
      `(${(s.performance.events / wall / 1e6).toFixed(2)} M events/s, ${(calls / wall / 1e6).toFixed(2)} M calls/s)`
  )
  return lines.join("\n")
}

const writeFiles = (dir: string, files: Record<string, string>) =>
  Effect.tryPromise({
    try: async () => {
      await mkdir(dir, { recursive: true })
      for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content)
    },
    catch: (e) => new RuntimeFailure({ message: `cannot write to ${dir}: ${e instanceof Error ? e.message : String(e)}` })
  })

export const runCommand = Command.make(
  "run",
  {
    scenario: Argument.String("scenario").pipe(Argument.withDescription("Scenario file (YAML or JSON)")),
    seed: Flag.Int("seed").pipe(Flag.withDefault(1), Flag.withDescription("Run seed (same scenario + seed = same results; default 1)")),
    replications: Flag.Int("replications").pipe(Flag.withDefault(10), Flag.withDescription("Independent replications (default 10)")),
    out: Flag.String("out").pipe(Flag.optional, Flag.withDescription("Output folder (default runs/<name>-<timestamp>/)")),
    json: Flag.Boolean("json").pipe(Flag.withDefault(false), Flag.withDescription("Print only the summary JSON on stdout (default off)")),
    workers: Flag.Int("workers").pipe(Flag.withDefault(defaultWorkers()), Flag.withDescription(`Worker threads (default one per core: ${defaultWorkers()})`)),
    maxCalls: maxCallsFlag
  },
  (flags) =>
    Effect.gen(function* () {
      yield* requireFlag(flags.replications >= 1, "--replications", `must be >= 1, got ${flags.replications}`)
      yield* requireFlag(flags.seed >= 0 && flags.seed <= 2 ** 31, "--seed", `must be between 0 and 2^31, got ${flags.seed}`)
      yield* requireFlag(flags.workers >= 1, "--workers", `must be >= 1 (omit it for one per core), got ${flags.workers}`)
      yield* requireFlag(flags.maxCalls >= 1, "--max-calls", `must be >= 1, got ${flags.maxCalls}`)
      const workers = flags.workers
      const limits = defaultLimits({ maxCalls: flags.maxCalls, replications: flags.replications, concurrent: workers })
      const { model, results, wallSeconds } = yield* Effect.gen(function* () {
        const runner = yield* SimulationRunner
        const { model } = yield* loadModel(flags.scenario, { limits })
        const bar = progressBar(model.name)
        const started = performance.now()
        const results = yield* runner.run(model, { seed: flags.seed, replications: flags.replications, onProgress: (f) => bar.update(f) })
        bar.done()
        return { model, results, wallSeconds: (performance.now() - started) / 1000 }
      }).pipe(Effect.provide(SimulationRunner.layer(workers)))
      const summary = summarize(model, flags.seed, results, wallSeconds)
      const summaryJson = JSON.stringify(summary, null, 2) + "\n"
      // CSV tables cost real time on long horizons: build them only when files are written.
      const files = (): Record<string, string> => ({ "summary.json": summaryJson, ...runTables(model, results) })
      if (flags.json) {
        if (Option.isSome(flags.out)) yield* writeFiles(flags.out.value, files())
        process.stdout.write(summaryJson)
        return
      }
      const dir = Option.getOrElse(flags.out, () => join("runs", `${model.name}-${timestamp(new Date())}`))
      const written = files()
      yield* writeFiles(dir, written)
      process.stdout.write(formatSummary(summary) + "\n")
      process.stdout.write(`  written to ${dir}/: ${Object.keys(written).join(", ")}\n`)
    })
).pipe(Command.withDescription("Simulate a scenario: replications in parallel, summary with 95% confidence intervals"))
