/**
 * Callers: flows, reason mixes, talk and wrap-up, patience, redials, transfers and tickets, from
 * the scenario's `callers` block or the defaults (CCTP figures, named assumptions).
 *
 * Talk calibration: with overall reason shares s_r (flows × mixes) and relative factors f_r, the
 * talk mean of reason r is f_r × b, with b chosen so that Σ s_r f_r b + wrap-up = meanSeconds
 * (CCTP 2.1.7: 4.16 min of talk + qualification in 2024).
 *
 * Reason surges: a day whose reasons are multiplied by m_r is the superposition of per-(flow,
 * reason) Poisson streams of rate λ p_f x_fr m_r, so its volume is × Σ_f p_f Σ_r x_fr m_r, its
 * flow shares ∝ p_f Σ_r x_fr m_r and its mixes ∝ x_fr m_r.
 */
import type { DistributionSpec } from "../engine/distributions.js"
import {
  HORS_OPPOSITION_FLOW_MIX, MEAN_HANDLE_SECONDS, OPPOSITION_FLOW_MIX, PATIENCE_MEAN_SECONDS, REDIALS, RELATIVE_TALK, TALK_CV,
  TICKET_SHARE_BY_REASON, TICKET_SHARE_DEFAULT, TRANSFER_SHARE_BY_REASON, TRANSFER_SHARE_DEFAULT, WRAP_UP_CV, WRAP_UP_SECONDS
} from "../domain/assumptions.js"
import { makeSampler } from "../engine/distributions.js"
import { OPPOSITION_SHARE } from "../domain/cctp.js"
import { FLOW_CODES, REASON_CODES, type ReasonCode } from "../domain/vocabulary.js"
import type { Scenario } from "../../scenarios/schema/scenario.js"

type Callers = NonNullable<Scenario["callers"]>

export interface Mix {
  readonly flows: ReadonlyArray<number>
  readonly reasons: ReadonlyArray<ReadonlyArray<number>>
}

export interface CompiledCallers {
  readonly baseMix: Mix
  /** Overall share of each reason under the base mix. */
  readonly overall: ReadonlyArray<number>
  readonly talk: ReadonlyArray<DistributionSpec>
  readonly wrapUp: DistributionSpec | null
  readonly patience: DistributionSpec
  readonly redial: { probability: number; delay: DistributionSpec; maxAttempts: number } | null
  readonly transferShare: Float64Array
  readonly ticketShare: Float64Array
}

const mixVector = (m: Readonly<Partial<Record<string, number>>>): number[] => REASON_CODES.map((r) => m[r] ?? 0)

/** A lognormal of given mean and coefficient of variation (deterministic when cv = 0). */
export const lognormalOrFixed = (meanSeconds: number, cv: number): DistributionSpec =>
  cv > 0 ? { kind: "lognormal", meanSeconds, sdSeconds: cv * meanSeconds } : { kind: "deterministic", seconds: meanSeconds }

export const compileCallers = (c: Callers | undefined): CompiledCallers => {
  const flowShares = c?.flows ?? { opposition: OPPOSITION_SHARE, horsOpposition: 1 - OPPOSITION_SHARE }
  const flows = FLOW_CODES.map((f) => flowShares[f])
  const mixes = FLOW_CODES.map((f) =>
    mixVector(c?.reasons?.[f] ?? (f === "opposition" ? OPPOSITION_FLOW_MIX : HORS_OPPOSITION_FLOW_MIX))
  )
  const overall = REASON_CODES.map((_, r) => flows.reduce((a, p, f) => a + p * mixes[f]![r]!, 0))
  const h = c?.handleTime
  // A wrap-up law given in the scenario takes part in the calibration with its own mean.
  const wrapMean = c?.wrapUp ? makeSampler(c.wrapUp).mean : (h?.wrapUpSeconds ?? WRAP_UP_SECONDS)
  const relative = REASON_CODES.map((r) => h?.relative?.[r] ?? RELATIVE_TALK[r as ReasonCode])
  const cv = h?.cv ?? TALK_CV
  const meanHandle = h?.meanSeconds ?? MEAN_HANDLE_SECONDS
  const weighted = overall.reduce((a, s, r) => a + s * relative[r]!, 0)
  const base = weighted > 0 ? (meanHandle - wrapMean) / weighted : meanHandle - wrapMean
  const talk = REASON_CODES.map((r, i) => c?.talk?.[r] ?? lognormalOrFixed(Math.max(relative[i]! * base, 1e-3), cv))
  const wrapUp = c?.wrapUp ?? (wrapMean > 0 ? lognormalOrFixed(wrapMean, h?.wrapUpCv ?? WRAP_UP_CV) : null)
  const patience = c?.patience ?? { kind: "exponential" as const, meanSeconds: PATIENCE_MEAN_SECONDS }
  const r = c?.redials
  const redial = r
    ? r.maxAttempts > 1 && r.probability > 0
      ? { probability: r.probability, delay: r.delay, maxAttempts: r.maxAttempts }
      : null
    : { probability: REDIALS.probability, delay: { kind: "exponential" as const, meanSeconds: REDIALS.delayMeanSeconds }, maxAttempts: REDIALS.maxAttempts }
  const shares = (s: { default?: number; byReason?: Readonly<Record<string, number>> } | undefined, def: number, by: Readonly<Partial<Record<string, number>>>) =>
    Float64Array.from(REASON_CODES, (code) => s?.byReason?.[code] ?? (s?.default !== undefined ? s.default : (by[code] ?? def)))
  return {
    baseMix: { flows, reasons: mixes },
    overall,
    talk,
    wrapUp,
    patience,
    redial,
    transferShare: shares(c?.transfers, TRANSFER_SHARE_DEFAULT, TRANSFER_SHARE_BY_REASON),
    ticketShare: shares(c?.tickets, TICKET_SHARE_DEFAULT, TICKET_SHARE_BY_REASON)
  }
}

/** The mix and volume factor of a day whose reasons are multiplied by `multipliers`. */
export const surgedMix = (base: Mix, multipliers: ReadonlyArray<number>): { mix: Mix; volumeFactor: number } => {
  const flowMass = base.flows.map((p, f) => p * base.reasons[f]!.reduce((a, x, r) => a + x * multipliers[r]!, 0))
  const total = flowMass.reduce((a, b) => a + b, 0)
  const reasons = base.reasons.map((xs) => {
    const w = xs.map((x, r) => x * multipliers[r]!)
    const s = w.reduce((a, b) => a + b, 0)
    return s > 0 ? w.map((x) => x / s) : xs
  })
  return { mix: { flows: flowMass.map((m) => (total > 0 ? m / total : 0)), reasons }, volumeFactor: total }
}

/**
 * The mix of an interval whose calls are given per IVR flow: flows by the counts, reasons within
 * a flow by the base mix.
 */
export const mixOfFlowCounts = (base: Mix, counts: ReadonlyArray<number>): Mix => {
  const total = counts.reduce((a, b) => a + b, 0)
  return { flows: counts.map((c) => c / total), reasons: base.reasons }
}

/**
 * The mix of an interval whose calls are given per reason: reasons by the counts, each reason's
 * calls split over flows as in the base mix (P(flow | reason)).
 */
export const mixOfReasonCounts = (base: Mix, counts: ReadonlyArray<number>): Mix => {
  const total = counts.reduce((a, b) => a + b, 0)
  const joint = base.flows.map((pf, f) => base.reasons[f]!.map((pr) => pf * pr))
  const byReason = counts.map((_, r) => joint.reduce((a, row) => a + row[r]!, 0))
  const cell = joint.map((row) => row.map((x, r) => (byReason[r]! > 0 ? (x / byReason[r]!) * (counts[r]! / total) : 0)))
  // A reason no flow of the base mix carries goes to the first flow.
  counts.forEach((c, r) => {
    if (c > 0 && byReason[r] === 0) cell[0]![r]! += c / total
  })
  const flows = cell.map((row) => row.reduce((a, b) => a + b, 0))
  return { flows, reasons: cell.map((row, f) => row.map((x) => (flows[f]! > 0 ? x / flows[f]! : 0))) }
}
