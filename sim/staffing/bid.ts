/**
 * `ccsim bid`: what the contract pays and costs over its months, at a price per productive hour
 * and a cost per paid hour — per month the plan's FTE and paid hours, the productive hours
 * delivered, the invoice, the expected penalties and their 90th percentile, the hiring and
 * training the plan implies (./workforce.ts) and the margin; a sensitivity table (volume ±20%,
 * handling time ±10%, absence ±5 points, patience ±30%, a media campaign on/off) computed as
 * paired runs with common random numbers (same seed and replications: differences come from the
 * change, not from the draws); the break-even price and the price for a target margin.
 *
 * Penalties are shares of the invoice (CCTP 9), so at a price P they scale with P: revenue(P) =
 * P/P₀ × (invoice − penalties at P₀) exactly, and the break-even price is cost × P₀ / revenue(P₀).
 */
import type { ContractTerms } from "../contract/terms.js"
import { judge } from "../contract/judge.js"
import { formatDate, parseDate } from "../domain/dates.js"
import { MEDIA_CAMPAIGN_MULTIPLIER } from "../domain/cctp.js"
import { estimate, type Estimate } from "../engine/stats.js"
import { scaleSpec } from "../engine/distributions.js"
import { replicaTable } from "../kpi/replicas.js"
import type { Model } from "../model/model.js"
import { replicationStream } from "../run/replicate.js"
import type { ReplicationResult, Runner } from "../run/simulate.js"
import type { Scenario } from "../../scenarios/schema/scenario.js"
import { monthHours } from "./plan.js"
import { defaultWorkforce, hiringPlan, type WorkforceAssumptions, type WorkforceMonth } from "./workforce.js"

export interface BidInput {
  readonly scenario: Scenario
  readonly model: Model
  /** Compiles a variant of the scenario (files it names read relative to it). */
  readonly compile: (s: Scenario) => Model
  /** The terms of a model (orders derived from its plan, or the scenario's CSV). */
  readonly termsOf: (m: Model) => ContractTerms
  readonly pricePerHour: number
  readonly costPerHour: number
  /** Target margin on revenue (invoice − penalties), e.g. 0.08. */
  readonly margin: number
  readonly seed: number
  readonly replications: number
  readonly runner: Runner
  readonly workforce?: WorkforceAssumptions
  readonly onProgress?: ((line: string) => void) | undefined
}

export interface BidMonth {
  readonly month: string
  readonly fte: number
  readonly paidHours: number
  readonly productiveHours: number
  readonly invoice: number
  readonly expectedPenalties: number
  readonly penaltiesP90: number
  readonly pAnyPenalty: number
  readonly answerRate: number
  readonly hires: number
  readonly trainingHours: number
  readonly cost: number
  readonly margin: number
}

export interface Sensitivity {
  readonly name: string
  /** Paired differences with the base over the horizon (variant − base), mean and 95% interval. */
  readonly margin: Estimate
  readonly penalties: Estimate
  readonly answerRate: Estimate
  readonly invoice: Estimate
}

export interface BidResult {
  readonly months: ReadonlyArray<BidMonth>
  readonly total: { readonly paidHours: number; readonly productiveHours: number; readonly invoice: Estimate; readonly penalties: Estimate; readonly penaltiesP90: number; readonly cost: number; readonly margin: Estimate; readonly marginShare: number }
  readonly breakEvenPricePerHour: number
  readonly pricePerHourForMargin: number
  readonly sensitivity: ReadonlyArray<Sensitivity>
  readonly workforce: ReadonlyArray<WorkforceMonth>
}

const withPrice = (t: ContractTerms, price: number): ContractTerms => ({ ...t, pricing: { phone: { per: "hour", euros: price }, forms: { per: "hour", euros: price } } })

/** One run judged at the bid's price: per replication and month, invoice and penalties (euros), answer rate. */
const judged = (input: BidInput, model: Model, results: ReadonlyArray<ReplicationResult>) => {
  const j = judge(
    { grid: model, terms: withPrice(input.termsOf(model), input.pricePerHour), forecastBasisCalls: model.forecastBasisCalls!, qualityStream: replicationStream(input.seed, "quality"), replications: results.map((r) => r.replication) },
    results
  )
  const months = replicaTable(model, results, "month")
  return j.months.map((reps, m) => ({
    month: reps[0]!.month,
    invoice: reps.map((x) => (x.invoice!.phone + x.invoice!.forms) / 100),
    penalties: reps.map((x) => x.penalty.totalCents! / 100),
    triggered: reps.map((x) => Object.values(x.penalty.triggered).some((v) => v)),
    productive: reps.map((x) => x.delivered.phone + x.delivered.forms),
    answered: months.sums[m]!.map((s) => s.answered),
    reached: months.sums[m]!.map((s) => s.offered - s.dissuadedClosure - s.dissuadedTelecom - s.dissuadedIvr)
  }))
}

const mean = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)
const p90 = (xs: ReadonlyArray<number>) => {
  const s = [...xs].sort((a, b) => a - b)
  const h = (s.length - 1) * 0.9
  const lo = Math.floor(h)
  return s.length === 0 ? NaN : s[lo]! + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]!) - s[lo]!)
}

/** The sensitivity variants: a name and a model built from the base (or from a scenario variant). */
const variants = (input: BidInput): Array<{ name: string; model: () => Model }> => {
  const m = input.model
  const scaleCalls = (f: number): Model => ({ ...m, callRate: m.callRate.map((x) => x * f), formRate: m.formRate.map((x) => x * f) })
  const scaleHandle = (f: number): Model => ({ ...m, talk: m.talk.map((t) => scaleSpec(t, f)), wrapUp: m.wrapUp === null ? null : scaleSpec(m.wrapUp, f) })
  const absence = (d: number): Model => ({ ...m, absenceRate: Math.min(0.95, Math.max(0, m.absenceRate + d)) })
  const patience = (f: number): Model => ({ ...m, patience: m.patience === null ? null : scaleSpec(m.patience, f) })
  const events = input.scenario.events ?? []
  const hasCampaign = events.some((e) => e.mediaCampaign !== undefined)
  const campaign = (): Model => {
    if (hasCampaign) return input.compile({ ...input.scenario, events: events.filter((e) => e.mediaCampaign === undefined) })
    // A September campaign (+40% on August, CCTP 2.1.3) in every year the horizon holds a whole September and its August.
    const first = parseDate(m.firstDate!)!
    const last = first + m.dayCount - 1
    const added = []
    for (let y = Number(m.firstDate!.slice(0, 4)); y <= Number(m.firstDate!.slice(0, 4)) + 5; y++) {
      if (parseDate(`${y}-08-01`)! >= first && parseDate(`${y}-09-30`)! <= last) added.push({ mediaCampaign: { from: `${y}-09-01`, to: `${y}-09-30`, multiplier: MEDIA_CAMPAIGN_MULTIPLIER } })
    }
    return input.compile({ ...input.scenario, events: [...events, ...added] })
  }
  return [
    { name: "volume +20%", model: () => scaleCalls(1.2) },
    { name: "volume -20%", model: () => scaleCalls(0.8) },
    { name: "handling time +10%", model: () => scaleHandle(1.1) },
    { name: "handling time -10%", model: () => scaleHandle(0.9) },
    { name: "absence +5 points", model: () => absence(0.05) },
    { name: "absence -5 points", model: () => absence(-0.05) },
    { name: "patience +30%", model: () => patience(1.3) },
    { name: "patience -30%", model: () => patience(0.7) },
    { name: hasCampaign ? "media campaign off" : "media campaign on (each September, +40%)", model: campaign }
  ]
}

export const bid = async (input: BidInput): Promise<BidResult> => {
  const say = input.onProgress ?? (() => {})
  const run = (m: Model) => input.runner.run(m, { seed: input.seed, replications: input.replications })
  say(`base: ${input.replications} replications`)
  const baseResults = await run(input.model)
  const base = judged(input, input.model, baseResults)
  const hours = monthHours(input.model)
  const launch = input.model.firstDate === formatDate(input.termsOf(input.model).start)
  const workforce = hiringPlan(hours.map((h) => ({ month: h.month, requiredFte: h.fte })), input.workforce ?? defaultWorkforce, hours[0]?.fte ?? 0, launch)
  const R = baseResults.length
  const months: BidMonth[] = base.map((b, i) => {
    const h = hours[i]!
    const w = workforce[i]!
    const cost = (h.paidHours + w.trainingHours) * input.costPerHour
    const invoice = mean(b.invoice)
    const penalties = mean(b.penalties)
    return {
      month: b.month,
      fte: h.fte,
      paidHours: h.paidHours,
      productiveHours: mean(b.productive),
      invoice,
      expectedPenalties: penalties,
      penaltiesP90: p90(b.penalties),
      pAnyPenalty: b.triggered.filter((x) => x).length / R,
      answerRate: b.answered.reduce((a, x) => a + x, 0) / Math.max(1, b.reached.reduce((a, x) => a + x, 0)),
      hires: w.hires,
      trainingHours: w.trainingHours,
      cost,
      margin: invoice - penalties - cost
    }
  })
  const cost = months.reduce((a, m) => a + m.cost, 0)
  const perRep = (rows: ReturnType<typeof judged>, pick: "invoice" | "penalties") => Array.from({ length: R }, (_, r) => rows.reduce((a, m) => a + m[pick][r]!, 0))
  const baseInvoice = perRep(base, "invoice")
  const basePenalties = perRep(base, "penalties")
  const baseMargin = baseInvoice.map((x, r) => x - basePenalties[r]! - cost)
  const answerOf = (rows: ReturnType<typeof judged>) =>
    Array.from({ length: R }, (_, r) => rows.reduce((a, m) => a + m.answered[r]!, 0) / Math.max(1, rows.reduce((a, m) => a + m.reached[r]!, 0)))
  const baseAnswer = answerOf(base)
  const revenue = mean(baseInvoice) - mean(basePenalties)
  const breakEven = revenue > 0 ? (cost * input.pricePerHour) / revenue : Infinity
  const sensitivity: Sensitivity[] = []
  for (const v of variants(input)) {
    say(`sensitivity: ${v.name}`)
    const model = v.model()
    const rows = judged(input, model, await run(model))
    const inv = perRep(rows, "invoice")
    const pen = perRep(rows, "penalties")
    const ans = answerOf(rows)
    const diff = (a: number[], b: number[]) => estimate(a.map((x, r) => x - b[r]!))
    sensitivity.push({
      name: v.name,
      margin: diff(inv.map((x, r) => x - pen[r]! - cost), baseMargin),
      penalties: diff(pen, basePenalties),
      answerRate: diff(ans, baseAnswer),
      invoice: diff(inv, baseInvoice)
    })
  }
  return {
    months,
    total: {
      paidHours: hours.reduce((a, h) => a + h.paidHours, 0),
      productiveHours: months.reduce((a, m) => a + m.productiveHours, 0),
      invoice: estimate(baseInvoice),
      penalties: estimate(basePenalties),
      penaltiesP90: p90(basePenalties),
      cost,
      margin: estimate(baseMargin),
      marginShare: revenue > 0 ? (revenue - cost) / revenue : NaN
    },
    breakEvenPricePerHour: breakEven,
    pricePerHourForMargin: breakEven / (1 - input.margin),
    sensitivity,
    workforce
  }
}
