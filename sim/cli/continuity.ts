/**
 * `ccsim continuity compare A.yaml [B.yaml …] [--seed N] [--replications R] [--workers W]
 * [--incidents-per-year X] [--json]`: recovery plans side by side. Every plan of every file
 * (`continuity.plans`; a file without plans is one row, "no plan") runs with the file's incidents
 * and is compared with the file's paired baseline (run once per file: the baseline has no
 * incidents, so no plan acts); the table ranks them (sim/continuity/compare.ts). With --json, the
 * rows and each plan's continuity section, and nothing else, on stdout.
 */
import * as Effect from "effect/Effect"
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import { CONTINUITY_INCIDENTS_PER_YEAR } from "../domain/assumptions.js"
import { BadInput } from "../domain/problem.js"
import { compareRows } from "../continuity/compare.js"
import { continuitySection, type ContinuitySection } from "../continuity/section.js"
import { baselineOf, withPlan } from "../model/continuity.js"
import { SimulationRunner } from "../run/runner.js"
import { defaultWorkers } from "../run/simulate.js"
import { formatCompare } from "./continuity-text.js"
import { progressBar } from "./progress.js"
import { loadRun, requireFlag, type LoadedRun } from "./scenario.js"

const compareCommand = Command.make(
  "compare",
  {
    scenarios: Argument.String("scenario").pipe(Argument.variadic({ min: 1 }), Argument.withDescription("Scenario files with a continuity block")),
    seed: Flag.Int("seed").pipe(Flag.withDefault(1), Flag.withDescription("Run seed (every plan sees the same callers)")),
    replications: Flag.Int("replications").pipe(Flag.withDefault(10), Flag.withDescription("Independent replications")),
    workers: Flag.Int("workers").pipe(Flag.withDefault(0), Flag.withDescription("Worker threads (default: one per core)")),
    incidentsPerYear: Flag.Finite("incidents-per-year").pipe(
      Flag.withDefault(CONTINUITY_INCIDENTS_PER_YEAR),
      Flag.withDescription("Incidents a year, to weigh an incident's cost against a plan's standing cost (assumption: 1)")
    ),
    json: Flag.Boolean("json").pipe(Flag.withDefault(false), Flag.withDescription("Print only the comparison JSON on stdout"))
  },
  (flags) =>
    Effect.gen(function* () {
      yield* requireFlag(flags.replications >= 1, "--replications", `must be >= 1, got ${flags.replications}`)
      yield* requireFlag(flags.seed >= 0 && flags.seed <= 2 ** 31, "--seed", `must be between 0 and 2^31, got ${flags.seed}`)
      yield* requireFlag(flags.workers >= 0, "--workers", `must be >= 0, got ${flags.workers}`)
      yield* requireFlag(Number.isFinite(flags.incidentsPerYear) && flags.incidentsPerYear >= 0, "--incidents-per-year", `must be a number >= 0, got ${flags.incidentsPerYear}`)
      const loaded: Array<LoadedRun & { readonly file: string }> = []
      for (const file of flags.scenarios) {
        const run = yield* loadRun(file)
        if (run.model.continuity === undefined) {
          return yield* Effect.fail(new BadInput({ source: file, problems: [{ path: "continuity", message: "missing field: the scenario has no continuity block to compare" }] }))
        }
        loaded.push({ file, ...run })
      }
      const workers = flags.workers === 0 ? defaultWorkers() : flags.workers
      const entries: Array<{ scenario: string; section: ContinuitySection }> = []
      yield* Effect.gen(function* () {
        const runner = yield* SimulationRunner
        const runs = loaded.reduce((n, l) => n + 1 + Math.max(1, l.model.continuity!.plans.length), 0)
        const bar = progressBar("compare")
        let done = 0
        const options = { seed: flags.seed, replications: flags.replications, onProgress: (f: number) => bar.update((done + f) / runs) }
        for (const { model, terms } of loaded) {
          const baseline = yield* runner.run(baselineOf(model), options)
          done++
          const plans = model.continuity!.plans.length === 0 ? [-1] : model.continuity!.plans.map((_, i) => i)
          for (const p of plans) {
            const planned = withPlan(model, p)
            const results = yield* runner.run(planned, options)
            done++
            entries.push({ scenario: model.name, section: continuitySection({ model: planned, terms, seed: flags.seed }, results, baseline) })
          }
        }
        bar.done()
      }).pipe(Effect.provide(SimulationRunner.layer(workers)))
      const rows = compareRows(entries, flags.incidentsPerYear)
      if (flags.json) {
        const out = { seed: flags.seed, replications: flags.replications, incidentsPerYear: flags.incidentsPerYear, rows, sections: entries }
        process.stdout.write(JSON.stringify(out, null, 2) + "\n")
        return
      }
      process.stdout.write(formatCompare(rows, flags.incidentsPerYear) + "\n")
    })
).pipe(Command.withDescription("Rank recovery plans: verdict, P(held), KPI and penalty deltas, plan cost per year, expected cost of an incident"))

export const continuityCommand = Command.make("continuity").pipe(
  Command.withDescription("Business continuity: compare recovery plans (ccsim run gives one plan's verdict)"),
  Command.withSubcommands([compareCommand])
)
