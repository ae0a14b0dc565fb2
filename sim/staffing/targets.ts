/**
 * Staffing targets, as a small language a planner types on the command line:
 *
 *   answerRate>=0.90@0.95        in every month, P(the month's answer rate >= 90%) >= 95%
 *   meanWait<=120@0.95           in every month, P(the month's mean wait <= 120 s) >= 95%
 *   penalty<=0.5%@0.9            in every month, P(the month's penalties <= 0.5% of its invoice) >= 90%
 *   answerRate>=0.9@0.95,meanWait<=120@0.9     several at once (all must hold)
 *
 * A target is a chance constraint on a *monthly* KPI (the contract's penalties are monthly,
 * CCTP 9): `metric op value @ probability`. Metrics: answerRate, abandonRate, meanWait (seconds),
 * serviceLevel, accessibility, penalty (share of the month's invoice; `%` allowed). The
 * probability is in (0, 1); `@p` may be left out for p = 0.5 (the median month meets it).
 * Parsing never throws: every problem is returned with the target's position.
 */
import { quote, type Problem } from "../domain/problem.js"

export type TargetMetric = "answerRate" | "abandonRate" | "meanWait" | "serviceLevel" | "accessibility" | "penalty"

export interface Target {
  readonly metric: TargetMetric
  readonly op: ">=" | "<="
  /** The threshold, in the metric's unit (shares for rates and penalty, seconds for meanWait). */
  readonly value: number
  /** The share of replications whose month must meet the threshold, in every month. */
  readonly probability: number
  /** The text as typed, for messages. */
  readonly text: string
}

const METRICS: Readonly<Record<TargetMetric, { readonly share: boolean; readonly better: ">=" | "<=" }>> = {
  answerRate: { share: true, better: ">=" },
  abandonRate: { share: true, better: "<=" },
  meanWait: { share: false, better: "<=" },
  serviceLevel: { share: true, better: ">=" },
  accessibility: { share: true, better: ">=" },
  penalty: { share: true, better: "<=" }
}

const number = (s: string): number | undefined => {
  const t = s.trim()
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?%?$/i.test(t)) return undefined
  const pct = t.endsWith("%")
  const x = Number(pct ? t.slice(0, -1) : t)
  return Number.isFinite(x) ? (pct ? x / 100 : x) : undefined
}

/** Parses `a>=0.9@0.95,b<=120@0.9`; `path` names where the text came from (e.g. `--target`). */
export const parseTargets = (text: string, path = "--target"): { targets: Target[]; problems: Problem[] } => {
  const targets: Target[] = []
  const problems: Problem[] = []
  const parts = text.split(",").map((p) => p.trim())
  if (text.trim() === "") return { targets, problems: [{ path, message: "give at least one target, e.g. answerRate>=0.90@0.95" }] }
  parts.forEach((part, i) => {
    const at = parts.length > 1 ? `${path}[${i}]` : path
    const m = /^([A-Za-z]+)\s*(>=|<=|=>|=<|>|<)\s*([^@]+?)\s*(?:@\s*(.+))?$/.exec(part)
    if (!m) {
      problems.push({ path: at, message: `cannot read ${quote(part)}: expected metric>=value@probability, e.g. answerRate>=0.90@0.95` })
      return
    }
    const metric = m[1]! as TargetMetric
    const spec = METRICS[metric]
    if (spec === undefined) {
      problems.push({ path: at, message: `unknown metric ${quote(m[1]!)}; expected one of ${Object.keys(METRICS).join(", ")}` })
      return
    }
    const op = m[2]!.startsWith(">") || m[2]!.endsWith(">") ? ">=" : "<="
    if (op !== spec.better) problems.push({ path: at, message: `${metric} is a ${spec.better === ">=" ? "floor" : "ceiling"}: write ${metric}${spec.better}value` })
    const value = number(m[3]!)
    if (value === undefined) problems.push({ path: at, message: `the value ${quote(m[3]!)} is not a number` })
    else if (spec.share && (value < 0 || value > 1)) problems.push({ path: at, message: `${metric} is a share: give a value between 0 and 1 (or a percentage), got ${m[3]}` })
    else if (!spec.share && value < 0) problems.push({ path: at, message: `${metric} must be >= 0 seconds, got ${m[3]}` })
    const probability = m[4] === undefined ? 0.5 : number(m[4])
    if (probability === undefined) problems.push({ path: at, message: `the probability ${quote(m[4]!)} is not a number` })
    else if (!(probability > 0 && probability < 1)) problems.push({ path: at, message: `the probability must be strictly between 0 and 1, got ${m[4]}` })
    if (value !== undefined && probability !== undefined && problems.every((p) => p.path !== at)) targets.push({ metric, op, value, probability, text: part })
  })
  return { targets, problems }
}

/** Does a month's KPI value meet a target's threshold? (An unmeasured month — NaN — does not count against it.) */
export const meets = (t: Target, value: number): boolean => !Number.isFinite(value) || (t.op === ">=" ? value >= t.value : value <= t.value)
