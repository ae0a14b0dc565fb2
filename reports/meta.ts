/**
 * run.json: the run's inputs as a report needs them, taken from the compiled model and the
 * decoded scenario — so `ccsim report` can redraw a run's report (another day, another locale)
 * and show its assumptions without the scenario file or a recompilation.
 *
 * The planned phone headcount per interval is the plan before absence (phone-only + blended
 * advisors: both answer calls), the same table sim/model/schedule.ts turns into scheduled
 * hours; run-length encoded (a day has a few dozen changes, a 48-month run ~10,000 runs).
 */
import { formatDate, parseDate } from "../sim/domain/dates.js"
import { makeSampler, type DistributionSpec } from "../sim/engine/distributions.js"
import { GROUP_BLENDED, GROUP_PHONE, type Model } from "../sim/model/model.js"
import type { Scenario } from "../scenarios/schema/scenario.js"
import type { RunMeta } from "./run-data.js"

/** Phone-capable advisors planned in each interval, before absence. */
export const plannedPhoneAdvisors = (m: Model): Float64Array => {
  const out = new Float64Array(m.intervalCount)
  const plan = m.staffPlan ?? m.scheduledPlan
  if (plan !== null) {
    for (const g of [GROUP_PHONE, GROUP_BLENDED]) {
      const column = plan[g]
      if (column !== undefined) for (let i = 0; i < m.intervalCount; i++) out[i]! += column[i]!
    }
    return out
  }
  const constant = (m.constantStaff[GROUP_PHONE] ?? 0) + (m.constantStaff[GROUP_BLENDED] ?? 0)
  if (constant > 0) out.fill(constant)
  for (const block of m.staffBlocks) {
    if (block.group !== GROUP_PHONE && block.group !== GROUP_BLENDED) continue
    for (let d = 0; d < m.dayCount; d++) {
      const advisors = block.advisorsByDay[d]!
      if (advisors === 0) continue
      for (const [from, to] of block.pieces) {
        for (let k = from; k < to; k++) {
          const i = d * m.intervalsPerDay + k
          if (i < m.intervalCount) out[i]! += advisors
        }
      }
    }
  }
  return out
}

/** [value, repeat] pairs. */
export const runLengthEncode = (xs: ArrayLike<number>): Array<[number, number]> => {
  const out: Array<[number, number]> = []
  for (let i = 0; i < xs.length; i++) {
    const last = out[out.length - 1]
    if (last !== undefined && last[0] === xs[i]) last[1]++
    else out.push([xs[i]!, 1])
  }
  return out
}

export const runLengthDecode = (pairs: ReadonlyArray<readonly [number, number]>): Float64Array => {
  const out = new Float64Array(pairs.reduce((a, p) => a + p[1], 0))
  let i = 0
  for (const [v, n] of pairs) {
    out.fill(v, i, i + n)
    i += n
  }
  return out
}

const describe = (spec: DistributionSpec | null): string => {
  if (spec === null) return "none"
  const s = makeSampler(spec)
  const cv = s.mean > 0 ? Math.sqrt(s.variance) / s.mean : 0
  return `${spec.kind}, mean ${round(s.mean)} s, CV ${round(cv)}`
}
const round = (x: number) => String(Math.round(x * 100) / 100)

/** The model inputs a reader checks first: laws, shares and rates in effect (defaults included). */
const modelInputs = (m: Model): RunMeta["inputs"] => {
  const talkMeans = m.talk.map((t) => makeSampler(t).mean)
  const inputs: Array<{ name: string; value: string }> = [
    { name: "interval", value: `${m.intervalSeconds / 60} min` },
    { name: "service level threshold", value: `${m.serviceLevelSeconds} s` },
    { name: "talk time", value: talkMeans.length === 1 ? describe(m.talk[0]!) : `by reason, means ${round(Math.min(...talkMeans))}–${round(Math.max(...talkMeans))} s` },
    { name: "wrap-up", value: describe(m.wrapUp) },
    { name: "patience", value: m.patience === null ? "callers never abandon" : describe(m.patience) },
    { name: "redials", value: m.redial === null ? "none" : `${round(100 * m.redial.probability)}% of abandoning callers, ${describe(m.redial.delay)}, at most ${m.redial.maxAttempts} attempts` },
    { name: "absence", value: `${round(100 * m.absenceRate)}% of scheduled advisors per day` },
    { name: "day busyness CV", value: round(m.dayBusynessCv) },
    { name: "monthly forecast error CV", value: round(m.monthErrorCv) }
  ]
  if (m.formHandle !== null) inputs.push({ name: "form handling", value: describe(m.formHandle) }, { name: "productive hours per advisor-day", value: `${m.productiveHoursPerDay} h` })
  if (m.firstDate !== null) inputs.push({ name: "call reasons / IVR flows", value: `${m.reasons.length} / ${m.flows.length}` })
  return inputs
}

export interface RunFacts {
  readonly scenarioFile: string
  readonly seed: number
  readonly replications: number
}

/** The run.json of a run. */
export const runMeta = (model: Model, scenario: Scenario, facts: RunFacts): RunMeta => {
  const last = model.firstDate === null ? null : formatDate(parseDate(model.firstDate)! + model.dayCount - 1)
  return {
    schemaVersion: 1,
    scenario: model.name,
    scenarioFile: facts.scenarioFile,
    seed: facts.seed,
    replications: facts.replications,
    from: model.firstDate,
    to: last,
    intervalSeconds: model.intervalSeconds,
    intervalsPerDay: model.intervalsPerDay,
    intervalCount: model.intervalCount,
    dayCount: model.dayCount,
    warmupIntervals: model.warmupIntervals,
    serviceLevelSeconds: model.serviceLevelSeconds,
    patienceMeanSeconds: model.patience === null ? null : makeSampler(model.patience).mean,
    inputs: modelInputs(model),
    plannedPhone: runLengthEncode(plannedPhoneAdvisors(model)),
    decoded: scenario
  }
}
