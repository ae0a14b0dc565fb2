/**
 * A small judged run for report tests, simulated in this thread: ten weeks across three months
 * (mid-August to mid-October 2026) at a fifth of the CCTP volume, with prices, so every section
 * of a report has data — days, months, money, reasons — in about a second.
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import { judgeRun, type SummaryWithMoney } from "../../sim/contract/outputs.js"
import type { Judgement } from "../../sim/contract/judge.js"
import { summarize, type Summary } from "../../sim/kpi/summary.js"
import type { Model } from "../../sim/model/model.js"
import { replicationStream } from "../../sim/run/replicate.js"
import { simulate, type ReplicationResult } from "../../sim/run/simulate.js"
import { contractTerms } from "../../sim/contract/terms.js"
import { parseDate } from "../../sim/domain/dates.js"
import { loadModel } from "../../sim/model/load.js"
import { requiredAdvisors } from "../../sim/staffing/required.js"
import { reportInputFromRun } from "../../reports/from-run.js"
import type { ReportInput } from "../../reports/run-data.js"
import type { Scenario } from "../../scenarios/schema/scenario.js"

export const SMALL_RUN = `
name: small-run
horizon: { from: 2026-08-17, to: 2026-10-25 }
calendar: {}
arrivals: { forecast: { scale: 0.2 } }
staffing:
  absence: { rate: 0.08 }
  shifts:
    - { name: early, start: "08:30", end: "16:30", breaks: [{ start: "11:45", minutes: 60 }], advisors: 6 }
    - { name: late, start: "09:30", end: "17:30", breaks: [{ start: "13:45", minutes: 60 }], advisors: 6 }
    - { name: blended, start: "09:00", end: "17:00", breaks: [{ start: "12:15", minutes: 60 }], advisors: 2, skills: both }
contract:
  start: 2026-08-01
  runInMonths: 0
  pricing: { phone: { perHour: 32.5 }, forms: { perHour: 30 } }
`

export interface SmallRun {
  readonly file: string
  readonly scenario: Scenario
  readonly model: Model
  readonly results: ReadonlyArray<ReplicationResult>
  readonly summary: Summary | SummaryWithMoney
  readonly judgement: Judgement | null
  readonly seed: number
}

/** Simulates `yaml` (default SMALL_RUN) in this thread and judges it, as `ccsim run` does. */
export const smallRun = async (yaml = SMALL_RUN, replications = 3, seed = 1): Promise<SmallRun> => {
  const file = join(mkdtempSync(join(tmpdir(), "ccsim-report-fixture-")), "scenario.yaml")
  writeFileSync(file, yaml)
  const { scenario, model } = await Effect.runPromise(loadModel(file))
  const terms = model.firstDate === null ? null : contractTerms(scenario.contract, { firstDay: parseDate(model.firstDate)!, dayCount: model.dayCount, scheduledSeconds: model.scheduledSeconds })
  const results = await simulate(model, { seed, replications, workers: 1 })
  const plain = summarize(model, seed, results, 0)
  if (terms === null || model.forecastBasisCalls === null) return { file, scenario, model, results, summary: plain, judgement: null, seed }
  const { summary, judgement } = judgeRun(
    { grid: model, terms, forecastBasisCalls: model.forecastBasisCalls, qualityStream: replicationStream(seed, "quality"), replications: results.map((r) => r.replication) },
    plain,
    results
  )
  return { file, scenario, model, results, summary, judgement, seed }
}

/** The report input of a small run, as `ccsim run` builds it. */
export const inputOf = (run: SmallRun, reportDay: number | null = null): ReportInput =>
  reportInputFromRun({
    model: run.model,
    scenario: run.scenario,
    facts: { scenarioFile: run.file, seed: run.seed, replications: run.results.length },
    summary: run.summary,
    outcomes: run.results,
    judgement: run.judgement,
    reportDay,
    required: requiredAdvisors
  })
