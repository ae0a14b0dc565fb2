/**
 * The terms a run is judged by: a scenario's `contract` block (scenarios/schema/contract.ts)
 * resolved against the CCTP's figures and the named assumptions — the penalty table with its
 * overrides, the run-in, prices, quality laws, the 120% rule's basis, and each day's ordered
 * hours. Built once per run from plain data (the decoded block, the model's scheduled hours), so
 * the judge itself is a pure function.
 */
import type { Contract } from "../../scenarios/schema/contract.js"
import { QUALITY_SCORE, RUN_IN_MONTHS } from "../domain/assumptions.js"
import { CONTRACT_MONTHS, CONTRACT_START } from "../domain/cctp.js"
import { addMonths, formatDate, formatMonth, parseDate } from "../domain/dates.js"
import { PENALTY_KEYS, PENALTY_TABLE, type PenaltyKey, type PenaltyRow } from "../domain/penalties.js"
import { ProblemsError, type Problem } from "../domain/problem.js"
import { csvOrders, derivedOrders, parseOrdersCsv, type DailyOrders } from "./orders.js"

/** A price: euros per productive hour (UO1/UO3) or per act (UO2/UO4). */
export interface PriceTerm {
  readonly per: "hour" | "act"
  readonly euros: number
}

export interface ScoreLaw {
  readonly mean: number
  readonly sd: number
}

/** A penalty row as applied: the CCTP's row with the scenario's overrides. */
export interface AppliedRow extends PenaltyRow {
  readonly enabled: boolean
}

/** The terms that do not depend on the horizon: everything but the orders. */
export type ContractRules = Omit<ContractTerms, "orders" | "orderSource" | "orderFactor">

export interface ContractTerms {
  /** Contract start (day number; CCTP 2.1.6: 9 Nov 2025). The run-in and order blocks count from it. */
  readonly start: number
  /** Last day of the 48-month contract (day number). */
  readonly lastDay: number
  readonly runInMonths: number
  /** The first month ("YYYY-MM") whose SLA penalties apply: the first to start on or after start + runInMonths. */
  readonly firstPenalisedMonth: string
  /** Prices per activity; null: no pricing (no invoice, no euros). */
  readonly pricing: { readonly phone: PriceTerm | null; readonly forms: PriceTerm | null } | null
  readonly orderSource: "derived" | "csv"
  readonly orderFactor: number
  /** Ordered hours per day of the horizon. */
  readonly orders: DailyOrders
  readonly quality: { readonly calls: ScoreLaw; readonly tickets: ScoreLaw; readonly forms: ScoreLaw }
  /** What the 120% rule compares: received calls vs the order's call basis, or delivered vs ordered hours. */
  readonly volumeCapBasis: "calls" | "hours"
  readonly rules: Readonly<Record<PenaltyKey, AppliedRow>>
}

/** What the terms are resolved from besides the scenario's block. */
export interface TermsContext {
  /** The horizon: first day (day number) and number of days. */
  readonly firstDay: number
  readonly dayCount: number
  /** Advisor-seconds scheduled per group (phone, forms, blended) and day, before absence. */
  readonly scheduledSeconds: ReadonlyArray<ArrayLike<number>>
  /** Reads a file the block names (orders CSV), relative to the scenario file. */
  readonly readFile?: ((path: string) => string) | undefined
}

/** The first day of the first month that starts on or after `day`. */
const firstMonthStartingFrom = (day: number): string => {
  const month = formatMonth(day)
  return parseDate(`${month}-01`) === day ? month : formatMonth(addMonths(parseDate(`${month}-01`)!, 1))
}

/** Resolves the horizon-free part of a scenario's `contract` block (undefined: every default). */
export const contractRules = (block: Contract | undefined): ContractRules => {
  const c = block ?? {}
  const start = parseDate(c.start ?? CONTRACT_START)!
  const runInMonths = c.runInMonths ?? RUN_IN_MONTHS
  const rules = Object.fromEntries(
    PENALTY_KEYS.map((k) => {
      const o = c.penalties?.[k]
      const row = PENALTY_TABLE[k]
      return [k, { ...row, threshold: o?.threshold ?? row.threshold, rate: o?.rate ?? row.rate, base: o?.base ?? row.base, enabled: o?.enabled ?? true }]
    })
  ) as Record<PenaltyKey, AppliedRow>
  const price = (p: { perHour?: number; perAct?: number } | undefined): PriceTerm | null =>
    p === undefined ? null : p.perHour !== undefined ? { per: "hour", euros: p.perHour } : { per: "act", euros: p.perAct! }
  const law = (l: ScoreLaw | undefined): ScoreLaw => l ?? QUALITY_SCORE
  return {
    start,
    lastDay: addMonths(start, CONTRACT_MONTHS) - 1,
    runInMonths,
    firstPenalisedMonth: firstMonthStartingFrom(addMonths(start, runInMonths)),
    pricing: c.pricing === undefined ? null : { phone: price(c.pricing.phone), forms: price(c.pricing.forms) },
    quality: { calls: law(c.quality?.calls), tickets: law(c.quality?.tickets), forms: law(c.quality?.forms) },
    volumeCapBasis: c.volumeCapBasis ?? "calls",
    rules
  }
}

/** Resolves a scenario's `contract` block (undefined: every default) with the horizon's orders. Throws ProblemsError with paths on bad files. */
export const contractTerms = (block: Contract | undefined, ctx: TermsContext): ContractTerms => {
  const problems: Problem[] = []
  const base = contractRules(block)
  const o = block?.orders ?? "derived"
  let orders: DailyOrders
  let orderFactor = 1
  let orderSource: "derived" | "csv" = "derived"
  if (o === "derived" || "derived" in o) {
    orderFactor = o === "derived" ? 1 : (o.derived.orderFactor ?? 1)
    orders = derivedOrders(ctx.scheduledSeconds, ctx.dayCount, orderFactor)
  } else {
    orderSource = "csv"
    orders = { phoneHours: new Float64Array(ctx.dayCount), formsHours: new Float64Array(ctx.dayCount) }
    let text: string | undefined
    try {
      text = ctx.readFile?.(o.csv)
      if (text === undefined) problems.push({ path: "contract.orders.csv", message: `cannot read ${o.csv}` })
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      problems.push({ path: "contract.orders.csv", message: code === "ENOENT" ? `${o.csv}: no such file` : `${o.csv}: ${e instanceof Error ? e.message : String(e)}` })
    }
    if (text !== undefined) {
      const parsed = parseOrdersCsv(text, o.csv, base.lastDay)
      problems.push(...parsed.problems)
      if (parsed.problems.length === 0) {
        const daily = csvOrders(parsed.rows, ctx.firstDay, ctx.dayCount, "contract.orders.csv")
        problems.push(...daily.problems)
        orders = daily.orders
      }
    }
  }
  if (problems.length > 0) throw new ProblemsError(problems)
  return { ...base, orderSource, orderFactor, orders }
}

/** "2025-11-09" of a terms' start, for outputs. */
export const startDate = (t: ContractTerms): string => formatDate(t.start)
