/**
 * `ccsim staff FILE --target T [--out DIR] [--seed N] [--replications R] [--confirm N] [--workers W] [--json]`
 *
 * Searches the smallest phone plan whose monthly risk meets the targets (sim/staffing/search.ts),
 * confirms it on fresh seeds and sizes the classic way beside it. Writes DIR/plan.csv (a
 * `staffing.planCsv` file), shifts.yaml (a `staffing.shifts` block), fte.csv (paid hours and FTE
 * per month), orders.csv (hours to order per 10-working-day block), hires.csv (the workforce
 * plan) and staff.json; prints the comparison. Exit 0 when the targets are met on the fresh
 * seeds, 3 when no plan within the rules meets them (the best plan is written, with its
 * shortfall), 2 for bad input.
 */
import { join, relative, resolve } from "node:path"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import { orderBlocks } from "../contract/orders.js"
import { formatDate, parseDate } from "../domain/dates.js"
import { BadInput } from "../domain/problem.js"
import { createRunner, defaultWorkers } from "../run/simulate.js"
import { monthHours, planCsvText, shiftsYaml, staffedScenarioYaml } from "../staffing/plan.js"
import { shiftRules } from "../staffing/rules.js"
import { searchStaffing, type Assessment, type SearchResult } from "../staffing/search.js"
import { parseTargets } from "../staffing/targets.js"
import { hiringPlan } from "../staffing/workforce.js"
import { toCsv } from "../kpi/csv.js"
import { clopperPearsonLower } from "../engine/stats.js"
import { TargetNotMet } from "./failures.js"
import { prepareOutputDir } from "./run.js"
import { loadRun, requireFlag } from "./scenario.js"
import { writeFileSync } from "node:fs"
import type { Model } from "../model/model.js"

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : "n/a")
const num = (x: number) => Math.round(x).toLocaleString("en-US")
const eur = (x: number | null) => (x === null ? "—" : `€${Math.round(x).toLocaleString("en-US")}`)

/** Hours to order per 10-working-day block: the plan's scheduled hours net of absence (what it should deliver). */
const ordersCsvOf = (model: Model, contractStart: number): string => {
  const first = parseDate(model.firstDate!)!
  const [phone, forms, blended] = model.scheduledSeconds
  const keep = 1 - model.absenceRate
  const rows = orderBlocks(contractStart, first, first + model.dayCount - 1).map((b) => {
    let p = 0
    let f = 0
    for (let day = Math.max(b.fromDay, first); day <= Math.min(b.toDay, first + model.dayCount - 1); day++) {
      const d = day - first
      p += ((phone?.[d] ?? 0) + (blended?.[d] ?? 0)) / 3600
      f += (forms?.[d] ?? 0) / 3600
    }
    return [b.index, formatDate(Math.max(b.fromDay, first)), formatDate(Math.min(b.toDay, first + model.dayCount - 1)), p * keep, f * keep, (p + f) * keep]
  })
  return toCsv(["block", "from", "to", "phoneHours", "formsHours", "productiveHours"], rows)
}

const assessmentJson = (a: Assessment) => ({
  replications: a.replications,
  ok: a.ok,
  answerRate: a.answerRate,
  expectedPenaltyEuros: a.expectedPenaltyEuros,
  months: a.months.map((m) => ({ month: m.month, ok: m.ok, answerRate: m.answerRate, targets: m.targets, expectedPenaltyEuros: m.expectedPenaltyEuros, pAnyPenalty: m.pAnyPenalty, penalisedBy: m.penalisedBy }))
})

/**
 * What the confirmation proves: in its weakest month, k of n fresh replications met the target;
 * the exact one-sided 95% Clopper–Pearson lower bound of that month's P(meets).
 */
const confirmationStrength = (r: SearchResult): string => {
  const n = r.confirmedOn.replications
  const k = Math.round(Math.min(...r.confirmation.months.flatMap((m) => m.targets.map((t) => t.share))) * n)
  const lower = clopperPearsonLower(k, n, 0.95)
  return `weakest month ${k}/${n} fresh replications: P(meets) >= ${pct(lower)} with 95% confidence, Clopper–Pearson`
}

const report = (r: SearchResult, targets: string): string => {
  const lines = [`staffing search for ${targets}`, "", "  month    paid hours    FTE   answer rate  P(meets)   E[penalty]"]
  const hours = monthHours(r.found.model)
  r.confirmation.months.forEach((m, i) => {
    const h = hours[i]!
    lines.push(`  ${m.month}  ${num(h.paidHours).padStart(10)}  ${h.fte.toFixed(1).padStart(5)}  ${pct(m.answerRate).padStart(11)}  ${m.targets.map((t) => pct(t.share)).join("/").padStart(8)}  ${eur(m.expectedPenaltyEuros).padStart(11)}${m.ok ? "" : "  short"}`)
  })
  const c = r.classic
  const saved = 1 - r.found.paidHours / c.paidHours
  const meetsMonths = (a: Assessment) => a.months.filter((m) => m.ok).length
  lines.push(
    "",
    "                       paid hours      FTE   answer rate  months meeting  E[penalties]",
    `  searched plan      ${num(r.found.paidHours).padStart(11)}  ${(r.found.paidHours / (7 * hours.reduce((a, h) => a + h.workingDays, 0))).toFixed(1).padStart(7)}  ${pct(r.confirmation.answerRate).padStart(11)}  ${`${meetsMonths(r.confirmation)}/${r.confirmation.months.length}`.padStart(14)}  ${eur(r.confirmation.expectedPenaltyEuros).padStart(12)}`,
    `  classic sizing     ${num(c.paidHours).padStart(11)}  ${(c.paidHours / (7 * hours.reduce((a, h) => a + h.workingDays, 0))).toFixed(1).padStart(7)}  ${pct(c.assessment.answerRate).padStart(11)}  ${`${meetsMonths(c.assessment)}/${c.assessment.months.length}`.padStart(14)}  ${eur(c.assessment.expectedPenaltyEuros).padStart(12)}`,
    `  the searched plan pays ${pct(saved)} fewer hours than classic sizing (Erlang C 80/20 per interval + 30% shrinkage, same shifts)`,
    `  confirmed on ${r.confirmedOn.replications} fresh replications (#${r.confirmedOn.from}…): ` +
      (r.met ? `every month met every target (${confirmationStrength(r)})` : "some months fall short (see above)"),
    `  staffing algorithm: ${r.isa.iterations} iteration${r.isa.iterations === 1 ? "" : "s"}${r.isa.converged ? " (fixed point)" : ""}; chance constraint: ${r.chanceRounds} round${r.chanceRounds === 1 ? "" : "s"}`
  )
  return lines.join("\n")
}

export const staffCommand = Command.make(
  "staff",
  {
    scenario: Argument.String("scenario").pipe(Argument.withDescription("Dated scenario to staff (its forecast, callers, calendar, forms and blended teams)")),
    target: Flag.String("target").pipe(Flag.withDescription("Targets, e.g. answerRate>=0.90@0.95 or answerRate>=0.9@0.95,meanWait<=120@0.9 (README: Staffing search)")),
    out: Flag.String("out").pipe(Flag.optional, Flag.withDescription("Output folder (default runs/<name>-staff-<timestamp>/)")),
    seed: Flag.Int("seed").pipe(Flag.withDefault(1), Flag.withDescription("Seed of the search (the confirmation uses fresh replications)")),
    replications: Flag.Int("replications").pipe(Flag.withDefault(10), Flag.withDescription("Replications per round of the chance constraint (default 10)")),
    confirm: Flag.Int("confirm").pipe(Flag.withDefault(20), Flag.withDescription("Fresh replications confirming the plan (default 20)")),
    maxRounds: Flag.Int("max-rounds").pipe(Flag.withDefault(12), Flag.withDescription("Rounds of the chance constraint before giving up, exit 3 (default 12)")),
    workers: Flag.Int("workers").pipe(Flag.withDefault(defaultWorkers()), Flag.withDescription(`Worker threads (default one per core: ${defaultWorkers()})`)),
    json: Flag.Boolean("json").pipe(Flag.withDefault(false), Flag.withDescription("Print staff.json on stdout"))
  },
  (f) =>
    Effect.gen(function* () {
      yield* requireFlag(f.replications >= 2, "--replications", `must be >= 2, got ${f.replications}`)
      yield* requireFlag(f.confirm >= 1, "--confirm", `must be >= 1, got ${f.confirm}`)
      yield* requireFlag(f.maxRounds >= 0, "--max-rounds", `must be >= 0, got ${f.maxRounds}`)
      yield* requireFlag(f.workers >= 1, "--workers", `must be >= 1 (omit it for one per core), got ${f.workers}`)
      const parsed = parseTargets(f.target)
      if (parsed.problems.length > 0) return yield* Effect.fail(new BadInput({ source: "command line", problems: parsed.problems }))
      const { scenario, model, terms } = yield* loadRun(f.scenario)
      if (terms === null || model.forecastBasisCalls === null) {
        return yield* Effect.fail(new BadInput({ source: f.scenario, problems: [{ path: "horizon", message: "the staffing search needs a dated scenario (a calendar, a forecast)" }] }))
      }
      if (model.continuity !== undefined) {
        return yield* Effect.fail(new BadInput({ source: f.scenario, problems: [{ path: "continuity", message: "the staffing search plans one site without incidents: staff the scenario without its continuity block" }] }))
      }
      if (parsed.targets.some((t) => t.metric === "penalty") && terms.pricing === null) {
        return yield* Effect.fail(new BadInput({ source: f.scenario, problems: [{ path: "contract.pricing", message: "a penalty target needs prices (contract.pricing) to weigh penalties against the invoice" }] }))
      }
      const { rules, problems } = shiftRules(scenario, model.intervalSeconds / 60)
      if (problems.length > 0) return yield* Effect.fail(new BadInput({ source: f.scenario, problems }))
      const dir = Option.getOrElse(f.out, () => join("runs", `${model.name}-staff-${Date.now()}`))
      yield* prepareOutputDir(dir)
      const tty = process.stderr.isTTY === true
      const runner = createRunner(f.workers)
      const started = performance.now()
      const result = yield* Effect.acquireUseRelease(
        Effect.succeed(runner),
        (r) =>
          Effect.promise(() =>
            searchStaffing(
              { model, terms, targets: parsed.targets, rules, runner: r },
              {
                seed: f.seed,
                chanceReplications: f.replications,
                confirmReplications: f.confirm,
                maxChanceRounds: f.maxRounds,
                onProgress: (line) => {
                  if (tty) process.stderr.write(`  [${((performance.now() - started) / 1000).toFixed(0)} s] ${line}\n`)
                }
              }
            )
          ),
        (r) => Effect.promise(() => r.close())
      )
      if ("problem" in result) return yield* Effect.fail(new BadInput({ source: f.scenario, problems: [{ path: "staffing.rules", message: result.problem }] }))
      const hours = monthHours(result.found.model)
      const workforce = hiringPlan(hours.map((h) => ({ month: h.month, requiredFte: h.fte })))
      const summary = {
        scenario: model.name,
        targets: parsed.targets.map((t) => t.text),
        seed: f.seed,
        met: result.met,
        wallSeconds: (performance.now() - started) / 1000,
        searched: { paidHours: result.found.paidHours, confirmation: assessmentJson(result.confirmation), confirmedOn: result.confirmedOn },
        classic: { paidHours: result.classic.paidHours, assessment: assessmentJson(result.classic.assessment) },
        paidHoursSaved: 1 - result.found.paidHours / result.classic.paidHours,
        isa: result.isa,
        chanceRounds: result.chanceRounds,
        months: hours,
        workforce
      }
      const kept = (scenario.staffing?.shifts ?? []).filter((x) => x.skills === "forms" || x.skills === "both")
      const shifts = shiftsYaml(result.found.plan, kept)
      const files: Record<string, string> = {
        "plan.csv": planCsvText(result.found.model),
        "shifts.yaml": shifts,
        [`${model.name}-staffed.yaml`]: staffedScenarioYaml(relative(resolve(dir), resolve(f.scenario)), `${model.name}-staffed`, shifts, ["plan", "planCsv"].filter((k) => k in (scenario.staffing ?? {}))),
        "fte.csv": toCsv(["month", "paidHours", "phoneHours", "workingDays", "fte"], hours.map((h) => [h.month, h.paidHours, h.phoneHours, h.workingDays, h.fte])),
        "orders.csv": ordersCsvOf(result.found.model, terms.start),
        "hires.csv": toCsv(["month", "requiredFte", "headcount", "leavers", "hires", "productiveFte", "trainingHours"], workforce.map((w) => [w.month, w.requiredFte, w.headcount, w.leavers, w.hires, w.productiveFte, w.trainingHours])),
        "staff.json": JSON.stringify(summary, null, 2) + "\n"
      }
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
      if (f.json) process.stdout.write(files["staff.json"]!)
      else process.stdout.write(report(result, f.target) + `\n  written to ${dir}/: ${Object.keys(files).join(", ")}\n`)
      if (!result.met) {
        const short = result.confirmation.months.filter((m) => !m.ok)
        return yield* Effect.fail(
          new TargetNotMet({
            message:
              `no plan within the rules met the targets in every month after ${result.chanceRounds} rounds; the best plan is in ${dir}/. Short: ` +
              short.map((m) => `${m.month} (${m.targets.map((t, i) => `${parsed.targets[i]!.text}: ${pct(t.share)} of replications`).join(", ")})`).join("; ")
          })
        )
      }
    })
).pipe(Command.withDescription("Search the smallest staffing plan meeting monthly risk targets; compare with classic Erlang C sizing"))
