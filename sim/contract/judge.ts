/**
 * The judge: every replication's every month weighed against the contract — hours ordered and
 * delivered, plan conformity, the invoice, the 120% rule, quality scores, and the penalties
 * (./penalties.ts). A pure function of the run's interval tables, the terms (./terms.ts), the
 * forecast basis and a quality stream per replication; it never looks at mean KPIs: every
 * penalty comes from one replication's month (the risk is then estimated across replications,
 * ./risk.ts).
 *
 * Hours: delivered phone hours = advisor time logged in on the phone activity (phone-only and
 * blended advisors), delivered forms hours = forms-only advisors' logged-in time (their sum is
 * the productive-hours KPI). Per 10-working-day block and activity, hours beyond 120% of the
 * order are not invoiced under it (CCTP 9: "au-delà, les parties conviennent des modalités"):
 * they are `hoursAbove120`, taken from the block's days in proportion to what each delivered.
 */
import type { RandomStream } from "../engine/random.js"
import { normalQuantile } from "../engine/distributions.js"
import { parseDate } from "../domain/dates.js"
import { ORDER_VOLUME_CAP, type PenaltyKey } from "../domain/penalties.js"
import type { RunGrid } from "../kpi/grid.js"
import { periodRanges } from "../kpi/periods.js"
import { replicaTable, type ReplicationTables } from "../kpi/replicas.js"
import { orderBlocks } from "./orders.js"
import { monthPenalties, type Indicators, type InvoiceCents, type MonthPenalty } from "./penalties.js"
import type { ContractTerms, ScoreLaw } from "./terms.js"

export interface JudgeContext {
  readonly grid: RunGrid
  readonly terms: ContractTerms
  /** First-attempt calls per day the orders were based on (the 120% rule's basis). */
  readonly forecastBasisCalls: ArrayLike<number>
  /** The quality-score stream of a replication (seeded from the run's seed and that replication). */
  readonly qualityStream: (replication: number) => RandomStream
  /** The replication number of each outcome (default 0, 1, 2, …). */
  readonly replications?: ReadonlyArray<number> | undefined
}

/** Hours of one activity pair. */
export interface Hours {
  readonly phone: number
  readonly forms: number
}

export interface MonthRecord {
  readonly month: string
  readonly replication: number
  readonly ordered: Hours
  readonly delivered: Hours
  /** Delivered hours invoiced under the orders (beyond 120% of a block's order: not). */
  readonly invoiced: Hours
  readonly hoursAbove120: number
  /** First-attempt calls received (offered − redials) and the forecast they are compared with. */
  readonly firstAttempts: number
  readonly basisCalls: number
  readonly answered: number
  readonly formsHandled: number
  readonly indicators: Indicators
  readonly afterRunIn: boolean
  readonly suspended: boolean
  readonly invoice: InvoiceCents | null
  readonly penalty: MonthPenalty
}

export interface BlockRecord {
  readonly index: number
  /** Days of the block inside the horizon (day numbers, inclusive). */
  readonly fromDay: number
  readonly toDay: number
  readonly replication: number
  readonly ordered: Hours
  readonly delivered: Hours
  readonly hoursAbove120: number
}

export interface Judgement {
  /** records[month][replication] */
  readonly months: ReadonlyArray<ReadonlyArray<MonthRecord>>
  /** records[block][replication] */
  readonly blocks: ReadonlyArray<ReadonlyArray<BlockRecord>>
}

/** A score drawn from its law, clipped to [0, 100]. */
const score = (law: ScoreLaw, rng: RandomStream): number => {
  const u = Math.min(Math.max(rng.nextDouble(), 1e-12), 1 - 1e-12)
  return Math.min(100, Math.max(0, law.mean + law.sd * normalQuantile(u)))
}

const sumRange = (xs: ArrayLike<number>, from: number, to: number): number => {
  let s = 0
  for (let i = from; i < to; i++) s += xs[i]!
  return s
}

/** Delivered seconds per day (phone activity, forms-only advisors), warm-up left out. */
const deliveredByDay = (grid: RunGrid, o: ReplicationTables) => {
  const phone = new Float64Array(grid.dayCount)
  const forms = new Float64Array(grid.dayCount)
  for (const p of periodRanges(grid, "day")) {
    const staffed = sumRange(o.table.staffedSeconds, p.from, p.to)
    const onPhone = sumRange(o.table.phoneStaffedSeconds, p.from, p.to)
    phone[p.fromDay] = onPhone / 3600
    forms[p.fromDay] = (staffed - onPhone) / 3600
  }
  return { phone, forms }
}

/** Judges every month and block of every replication. */
export const judge = (ctx: JudgeContext, outcomes: ReadonlyArray<ReplicationTables>): Judgement => {
  const { grid, terms } = ctx
  if (grid.firstDate === null) throw new Error("judge: the contract applies to dated runs only")
  const firstDay = parseDate(grid.firstDate)!
  const months = replicaTable(grid, outcomes, "month")
  const blocks = orderBlocks(terms.start, firstDay, firstDay + grid.dayCount - 1).map((b) => ({
    ...b,
    fromDay: Math.max(b.fromDay, firstDay),
    toDay: Math.min(b.toDay, firstDay + grid.dayCount - 1)
  }))
  const { phoneHours: orderedPhone, formsHours: orderedForms } = terms.orders
  const monthRecords: MonthRecord[][] = months.periods.map(() => [])
  const blockRecords: BlockRecord[][] = blocks.map(() => [])
  outcomes.forEach((o, r) => {
    const replication = ctx.replications?.[r] ?? r
    const delivered = deliveredByDay(grid, o)
    // Invoiced share of each day's hours, per activity: 1, or (120% of the block's order) / delivered.
    const invoicedPhone = Float64Array.from(delivered.phone)
    const invoicedForms = Float64Array.from(delivered.forms)
    const above = new Float64Array(grid.dayCount)
    blocks.forEach((b, k) => {
      const from = b.fromDay - firstDay
      const to = b.toDay - firstDay + 1
      const ordered = { phone: sumRange(orderedPhone, from, to), forms: sumRange(orderedForms, from, to) }
      const got = { phone: sumRange(delivered.phone, from, to), forms: sumRange(delivered.forms, from, to) }
      const factor = (o: number, d: number) => (d > ORDER_VOLUME_CAP * o ? (ORDER_VOLUME_CAP * o) / d : 1)
      const fp = factor(ordered.phone, got.phone)
      const ff = factor(ordered.forms, got.forms)
      for (let d = from; d < to; d++) {
        if (fp === 1 && ff === 1) break
        above[d] = delivered.phone[d]! * (1 - fp) + delivered.forms[d]! * (1 - ff)
        invoicedPhone[d]! *= fp
        invoicedForms[d]! *= ff
      }
      blockRecords[k]!.push({
        index: b.index,
        fromDay: b.fromDay,
        toDay: b.toDay,
        replication,
        ordered,
        delivered: got,
        hoursAbove120: got.phone * (1 - fp) + got.forms * (1 - ff)
      })
    })
    const rng = ctx.qualityStream(replication)
    months.periods.forEach((p, m) => {
      const sums = months.sums[m]![r]!
      const kpi = months.kpis[m]![r]!
      const ordered = { phone: sumRange(orderedPhone, p.fromDay, p.toDay), forms: sumRange(orderedForms, p.fromDay, p.toDay) }
      const got = { phone: sumRange(delivered.phone, p.fromDay, p.toDay), forms: sumRange(delivered.forms, p.fromDay, p.toDay) }
      const invoiced = { phone: sumRange(invoicedPhone, p.fromDay, p.toDay), forms: sumRange(invoicedForms, p.fromDay, p.toDay) }
      const orderedTotal = ordered.phone + ordered.forms
      const deliveredTotal = got.phone + got.forms
      const firstAttempts = sums.offered - sums.redials
      const basisCalls = sumRange(ctx.forecastBasisCalls, p.fromDay, p.toDay)
      const suspended =
        terms.volumeCapBasis === "calls"
          ? basisCalls > 0 && firstAttempts > ORDER_VOLUME_CAP * basisCalls
          : orderedTotal > 0 && deliveredTotal > ORDER_VOLUME_CAP * orderedTotal
      // Drawn every month, penalised or not, so a month's scores do not depend on other rules.
      const quality = { calls: score(terms.quality.calls, rng), tickets: score(terms.quality.tickets, rng), forms: score(terms.quality.forms, rng) }
      const indicators: Record<PenaltyKey, number> = {
        planConformity: orderedTotal > 0 ? deliveredTotal / orderedTotal : NaN,
        accessibility: kpi.accessibility,
        answerRate: kpi.answerRate,
        meanWait: kpi.meanWaitSeconds,
        handlingTime: kpi.meanHandleSeconds,
        qualityCalls: quality.calls,
        qualityTickets: quality.tickets,
        formsHandled: kpi.formsHandledRate,
        formsPerAdvisorDay: kpi.formsPerAdvisorDay,
        qualityForms: quality.forms
      }
      const pricing = terms.pricing
      const invoice: InvoiceCents | null =
        pricing === null
          ? null
          : {
              phone: Math.round(100 * (pricing.phone === null ? 0 : pricing.phone.euros * (pricing.phone.per === "hour" ? invoiced.phone : sums.answered))),
              forms: Math.round(100 * (pricing.forms === null ? 0 : pricing.forms.euros * (pricing.forms.per === "hour" ? invoiced.forms : sums.formsHandled)))
            }
      const afterRunIn = p.label >= terms.firstPenalisedMonth
      monthRecords[m]!.push({
        month: p.label,
        replication,
        ordered,
        delivered: got,
        invoiced,
        hoursAbove120: sumRange(above, p.fromDay, p.toDay),
        firstAttempts,
        basisCalls,
        answered: sums.answered,
        formsHandled: sums.formsHandled,
        indicators,
        afterRunIn,
        suspended,
        invoice,
        penalty: monthPenalties(terms.rules, { indicators, invoice, afterRunIn, suspended })
      })
    })
  })
  return { months: monthRecords, blocks: blockRecords }
}

