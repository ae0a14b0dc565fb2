/**
 * `ccsim run <scenario> [--seed N] [--replications R] [--out DIR] [--json] [--workers W]`
 *
 * With --json: prints exactly the summary JSON on stdout and nothing else (files are written only
 * if --out is given too). Without: writes DIR/summary.json and DIR/intervals.csv (default DIR:
 * runs/<name>-<timestamp>/) and prints a readable table. Progress goes to stderr, on a TTY only.
 */
import { mkdir, writeFile } from "node:fs/promises"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import { summarize, type Summary } from "../kpi/summary.js"
import { intervalsCsv } from "../kpi/tables.js"
import { defaultWorkers, ReplicationRunner } from "../run/pool.js"
import { RuntimeFailure } from "./errors.js"
import { progressBar } from "./progress.js"
import { loadModel, requireFlag } from "./scenario.js"

const pad = (n: number) => String(n).padStart(2, "0")
const timestamp = (d: Date) =>
  `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(3)}%` : "n/a")
const secs = (x: number) => (Number.isFinite(x) ? `${x.toFixed(3)} s` : "n/a")
const num = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "n/a")

/** The readable table printed by `ccsim run` without --json. */
export const formatSummary = (s: Summary): string => {
  const k = s.kpi
  const row = (name: string, e: { mean: number; ci95: readonly [number, number] }, f: (x: number) => string) =>
    `  ${name.padEnd(18)} ${f(e.mean).padStart(12)}   [${f(e.ci95[0])}, ${f(e.ci95[1])}]`
  return [
    `${s.scenario} — seed ${s.seed}, ${s.replications} replication${s.replications === 1 ? "" : "s"}`,
    `  calls per replication: offered ${num(s.calls.offered)}, answered ${num(s.calls.answered)}, ` +
      `abandoned ${num(s.calls.abandoned)}, waiting at the end ${num(s.calls.inSystemAtEnd)}`,
    `  ${"KPI".padEnd(18)} ${"mean".padStart(12)}   95% confidence interval`,
    row("answer rate", k.answerRate, pct),
    row("abandon rate", k.abandonRate, pct),
    row("mean wait", k.meanWaitSeconds, secs),
    row("service level", k.serviceLevel, pct),
    row("occupancy", k.occupancy, pct),
    `  ${num(s.performance.events)} events in ${s.performance.wallSeconds.toFixed(2)} s ` +
      `(${(s.performance.eventsPerSecond / 1e6).toFixed(2)} M events/s, ${(s.performance.callsPerSecond / 1e6).toFixed(2)} M calls/s)`
  ].join("\n")
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
    seed: Flag.Int("seed").pipe(Flag.withDefault(1), Flag.withDescription("Run seed (same scenario + seed = same results)")),
    replications: Flag.Int("replications").pipe(Flag.withDefault(10), Flag.withDescription("Independent replications")),
    out: Flag.String("out").pipe(Flag.optional, Flag.withDescription("Output folder (default runs/<name>-<timestamp>/)")),
    json: Flag.Boolean("json").pipe(Flag.withDefault(false), Flag.withDescription("Print only the summary JSON on stdout")),
    workers: Flag.Int("workers").pipe(Flag.withDefault(0), Flag.withDescription("Worker threads (default: one per core)"))
  },
  (flags) =>
    Effect.gen(function* () {
      yield* requireFlag(flags.replications >= 1, "--replications", `must be >= 1, got ${flags.replications}`)
      yield* requireFlag(flags.seed >= 0 && flags.seed <= 2 ** 31, "--seed", `must be between 0 and 2^31, got ${flags.seed}`)
      yield* requireFlag(flags.workers >= 0, "--workers", `must be >= 0, got ${flags.workers}`)
      const { model } = yield* loadModel(flags.scenario)
      const workers = flags.workers === 0 ? defaultWorkers() : flags.workers
      const bar = progressBar(model.name)
      const started = performance.now()
      const results = yield* Effect.gen(function* () {
        const runner = yield* ReplicationRunner
        return yield* runner.run(model, { seed: flags.seed, replications: flags.replications, onProgress: (f) => bar.update(f) })
      }).pipe(Effect.provide(ReplicationRunner.layer(workers)))
      bar.done()
      const wallSeconds = (performance.now() - started) / 1000
      const summary = summarize(model.name, flags.seed, results, wallSeconds, model.warmupIntervals)
      const summaryJson = JSON.stringify(summary, null, 2) + "\n"
      const files = { "summary.json": summaryJson, "intervals.csv": intervalsCsv(results.map((r) => r.table)) }
      if (flags.json) {
        if (Option.isSome(flags.out)) yield* writeFiles(flags.out.value, files)
        process.stdout.write(summaryJson)
        return
      }
      const dir = Option.getOrElse(flags.out, () => join("runs", `${model.name}-${timestamp(new Date())}`))
      yield* writeFiles(dir, files)
      process.stdout.write(formatSummary(summary) + "\n")
      process.stdout.write(`  written: ${join(dir, "summary.json")}, ${join(dir, "intervals.csv")}\n`)
    })
).pipe(Command.withDescription("Simulate a scenario: replications in parallel, summary with 95% confidence intervals"))
