/**
 * `ccsim bid FILE --price-per-hour P --cost-per-hour C [--margin M] [--replications R] [--seed N] [--out DIR] [--json]`
 *
 * The offer's numbers over the scenario's months (sim/staffing/bid.ts) — for the scenario's plan,
 * or with `--target T` for the plan the staffing search finds first: per month the plan's FTE
 * and paid hours, productive hours, invoice, expected penalties and P90, hires, cost and margin;
 * a sensitivity table (paired runs, common random numbers); the break-even price and the price
 * for the target margin. Writes DIR/bid.csv, sensitivity.csv, hires.csv and bid.json.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import { contractTerms } from "../contract/terms.js"
import { parseDate } from "../domain/dates.js"
import { BadInput } from "../domain/problem.js"
import { toCsv } from "../kpi/csv.js"
import { compile } from "../model/compile.js"
import type { Model } from "../model/model.js"
import { createRunner, defaultWorkers } from "../run/simulate.js"
import { bid, type BidResult } from "../staffing/bid.js"
import { modelWithPlan, type StaffPlan } from "../staffing/plan.js"
import { shiftRules } from "../staffing/rules.js"
import { searchStaffing } from "../staffing/search.js"
import { parseTargets } from "../staffing/targets.js"
import { prepareOutputDir } from "./run.js"
import { loadRun, requireFlag } from "./scenario.js"

const num = (x: number) => Math.round(x).toLocaleString("en-US")
const eur = (x: number) => `€${Math.round(x).toLocaleString("en-US")}`
const pct = (x: number) => `${(x * 100).toFixed(1)}%`
const ci = (e: { mean: number; ci95: readonly [number, number] }, f: (x: number) => string) => `${f(e.mean)} [${f(e.ci95[0])}, ${f(e.ci95[1])}]`

const report = (r: BidResult, price: number, margin: number): string => {
  const lines = ["  month      FTE   paid h   prod. h     invoice   E[penalty]  P90 pen.   hires       cost      margin"]
  for (const m of r.months) {
    lines.push(
      `  ${m.month}  ${m.fte.toFixed(1).padStart(6)}  ${num(m.paidHours).padStart(7)}  ${num(m.productiveHours).padStart(8)}  ${eur(m.invoice).padStart(10)}  ${eur(m.expectedPenalties).padStart(10)}` +
        `  ${eur(m.penaltiesP90).padStart(8)}  ${String(m.hires).padStart(5)}  ${eur(m.cost).padStart(9)}  ${eur(m.margin).padStart(10)}`
    )
  }
  const t = r.total
  lines.push(
    "",
    `  total: ${num(t.paidHours)} paid hours, ${num(t.productiveHours)} productive; invoice ${ci(t.invoice, eur)}; penalties ${ci(t.penalties, eur)} (P90 ${eur(t.penaltiesP90)})`,
    `  cost ${eur(t.cost)}; margin ${ci(t.margin, eur)} = ${pct(t.marginShare)} of revenue at €${price.toFixed(2)} per productive hour`,
    `  break-even price: €${r.breakEvenPricePerHour.toFixed(2)} per hour; for a ${pct(margin)} margin: €${r.pricePerHourForMargin.toFixed(2)} per hour`,
    "",
    "  sensitivity (paired with the base, same seeds)   Δ margin                         Δ penalties                    Δ answer rate"
  )
  for (const s of r.sensitivity) lines.push(`  ${s.name.padEnd(46)}  ${ci(s.margin, eur).padEnd(32)}  ${ci(s.penalties, eur).padEnd(30)}  ${ci(s.answerRate, (x) => `${(x * 100).toFixed(2)} pt`)}`)
  return lines.join("\n")
}

export const bidCommand = Command.make(
  "bid",
  {
    scenario: Argument.String("scenario").pipe(Argument.withDescription("Dated scenario with the plan to price (e.g. scenarios/contract-2025-2029.yaml)")),
    pricePerHour: Flag.Finite("price-per-hour").pipe(Flag.withDescription("Price of a productive hour (UO1/UO3), euros")),
    costPerHour: Flag.Finite("cost-per-hour").pipe(Flag.withDescription("Cost of a paid advisor hour, euros (loaded wage and overheads)")),
    margin: Flag.Finite("margin").pipe(Flag.withDefault(0.08), Flag.withDescription("Target margin on revenue for the suggested price (default 0.08)")),
    replications: Flag.Int("replications").pipe(Flag.withDefault(4), Flag.withDescription("Replications per run (base and each sensitivity)")),
    seed: Flag.Int("seed").pipe(Flag.withDefault(1), Flag.withDescription("Seed shared by every run (paired comparisons)")),
    out: Flag.String("out").pipe(Flag.optional, Flag.withDescription("Output folder (default runs/<name>-bid-<timestamp>/)")),
    workers: Flag.Int("workers").pipe(Flag.withDefault(defaultWorkers()), Flag.withDescription(`Worker threads (default one per core: ${defaultWorkers()})`)),
    target: Flag.String("target").pipe(Flag.optional, Flag.withDescription("Price a searched plan instead of the scenario's: the staffing targets (as ccsim staff --target)")),
    json: Flag.Boolean("json").pipe(Flag.withDefault(false), Flag.withDescription("Print bid.json on stdout"))
  },
  (f) =>
    Effect.gen(function* () {
      yield* requireFlag(f.pricePerHour > 0, "--price-per-hour", `must be a price > 0 euros, got ${f.pricePerHour}`)
      yield* requireFlag(f.costPerHour >= 0, "--cost-per-hour", `must be >= 0 euros, got ${f.costPerHour}`)
      yield* requireFlag(f.margin >= 0 && f.margin < 1, "--margin", `must be a share in [0, 1), got ${f.margin}`)
      yield* requireFlag(f.replications >= 2, "--replications", `must be >= 2 (paired intervals need two), got ${f.replications}`)
      yield* requireFlag(f.workers >= 1, "--workers", `must be >= 1 (omit it for one per core), got ${f.workers}`)
      const parsed = Option.isSome(f.target) ? parseTargets(f.target.value) : undefined
      if (parsed !== undefined && parsed.problems.length > 0) return yield* Effect.fail(new BadInput({ source: "command line", problems: parsed.problems }))
      const { scenario, model: scenarioModel, terms } = yield* loadRun(f.scenario)
      if (scenarioModel.forecastBasisCalls === null || terms === null) {
        return yield* Effect.fail(new BadInput({ source: f.scenario, problems: [{ path: "horizon", message: "a bid needs a dated scenario (a calendar, a forecast)" }] }))
      }
      const base = dirname(f.scenario)
      const readFile = (file: string) => readFileSync(resolve(base, file), "utf8")
      const termsOf = (m: Model) => contractTerms(scenario.contract, { firstDay: parseDate(m.firstDate!)!, dayCount: m.dayCount, scheduledSeconds: m.scheduledSeconds, readFile })
      const dir = Option.getOrElse(f.out, () => join("runs", `${scenarioModel.name}-bid-${Date.now()}`))
      yield* prepareOutputDir(dir)
      const runner = createRunner(f.workers)
      const tty = process.stderr.isTTY === true
      const started = performance.now()
      const say = (line: string) => {
        if (tty) process.stderr.write(`  [${((performance.now() - started) / 1000).toFixed(0)} s] ${line}\n`)
      }
      // With --target, the plan to price is searched first (the scenario's shifts give way to it).
      let plan: StaffPlan | undefined
      if (parsed !== undefined) {
        const { rules, problems } = shiftRules(scenario, scenarioModel.intervalSeconds / 60)
        if (problems.length > 0) return yield* Effect.fail(new BadInput({ source: f.scenario, problems }))
        const found = yield* Effect.promise(() => searchStaffing({ model: scenarioModel, terms, targets: parsed.targets, rules, runner }, { seed: f.seed, onProgress: say }))
        if ("problem" in found) return yield* Effect.fail(new BadInput({ source: f.scenario, problems: [{ path: "staffing.rules", message: found.problem }] }))
        plan = found.found.plan
        say(`priced plan: ${Math.round(found.found.paidHours).toLocaleString("en-US")} paid hours (${found.met ? "meets" : "falls short of"} ${f.target.pipe(Option.getOrElse(() => ""))})`)
      }
      const withPlan = (m: Model): Model => (plan === undefined ? m : modelWithPlan(m, plan))
      const model = withPlan(scenarioModel)
      const result = yield* Effect.acquireUseRelease(
        Effect.succeed(runner),
        (r) =>
          Effect.promise(() =>
            bid({
              scenario,
              model,
              compile: (s) => withPlan(compile(s, { readFile })),
              termsOf,
              pricePerHour: f.pricePerHour,
              costPerHour: f.costPerHour,
              margin: f.margin,
              seed: f.seed,
              replications: f.replications,
              runner: r,
              onProgress: say
            })
          ),
        (r) => Effect.promise(() => r.close())
      )
      const json = JSON.stringify({ scenario: model.name, pricePerHour: f.pricePerHour, costPerHour: f.costPerHour, targetMargin: f.margin, seed: f.seed, replications: f.replications, wallSeconds: (performance.now() - started) / 1000, ...result }, null, 2) + "\n"
      const files: Record<string, string> = {
        "bid.csv": toCsv(
          ["month", "fte", "paidHours", "productiveHours", "invoice", "expectedPenalties", "penaltiesP90", "pAnyPenalty", "answerRate", "hires", "trainingHours", "cost", "margin"],
          result.months.map((m) => [m.month, m.fte, m.paidHours, m.productiveHours, m.invoice, m.expectedPenalties, m.penaltiesP90, m.pAnyPenalty, m.answerRate, m.hires, m.trainingHours, m.cost, m.margin])
        ),
        "sensitivity.csv": toCsv(
          ["variant", "marginDelta", "marginDeltaLow", "marginDeltaHigh", "penaltiesDelta", "penaltiesDeltaLow", "penaltiesDeltaHigh", "answerRateDelta", "answerRateDeltaLow", "answerRateDeltaHigh"],
          result.sensitivity.map((s) => [s.name, s.margin.mean, s.margin.ci95[0], s.margin.ci95[1], s.penalties.mean, s.penalties.ci95[0], s.penalties.ci95[1], s.answerRate.mean, s.answerRate.ci95[0], s.answerRate.ci95[1]])
        ),
        "hires.csv": toCsv(["month", "requiredFte", "headcount", "leavers", "hires", "productiveFte", "trainingHours"], result.workforce.map((w) => [w.month, w.requiredFte, w.headcount, w.leavers, w.hires, w.productiveFte, w.trainingHours])),
        "bid.json": json
      }
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
      if (f.json) process.stdout.write(json)
      else process.stdout.write(`${model.name}: bid at €${f.pricePerHour.toFixed(2)} per productive hour, cost €${f.costPerHour.toFixed(2)} per paid hour, ${f.replications} replications\n${report(result, f.pricePerHour, f.margin)}\n  written to ${dir}/: ${Object.keys(files).join(", ")}\n`)
    })
).pipe(Command.withDescription("Price the offer over the contract: invoice, penalties with P90, hires, margin, sensitivity, break-even price"))
