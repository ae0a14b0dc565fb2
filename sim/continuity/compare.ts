/**
 * Recovery plans side by side (`ccsim continuity compare`): one row per (scenario, plan), each
 * from a continuity section (./section.ts), ranked — first by P(obligation held) of the worst
 * incident (highest first: the 48 hours are an obligation of result), then by the expected cost
 * per year: the plan's standing cost + incidents per year × the expected cost of an incident
 * (lowest first; a row without pricing ranks after those with).
 *
 * `incidentsPerYear` weighs a rare incident against a cost paid every month: an assumption
 * (CONTINUITY_INCIDENTS_PER_YEAR, overridable by the command's flag).
 */
import type { ContinuitySection } from "./section.js"

export interface CompareRow {
  readonly rank: number
  readonly scenario: string
  readonly plan: string | null
  /** The worst incident's P(held) (null: undecided in every replication). */
  readonly pObligationHeld: number | null
  readonly obligationHeld: boolean
  /** The worst incident's interruption (hours of the reading's clock, mean) and hours to 50%, 80%, 100% (mean; null when never reached). */
  readonly interruptedHours: number
  readonly hoursTo50: number | null
  readonly hoursTo80: number | null
  readonly hoursToFull: number | null
  /** Paired deltas of the first incident's month: answer rate (points of %), penalties and invoice (€). */
  readonly monthAnswerRate: number
  readonly monthPenalties: number | null
  readonly monthInvoice: number | null
  readonly planPerYear: number
  readonly incidentCost: number | null
  readonly expectedPerYear: number | null
}

const reachedMean = (e: { mean: number; reached: number }): number | null => (e.reached === 1 ? e.mean : null)

/** One row per entry, ranked. */
export const compareRows = (entries: ReadonlyArray<{ readonly scenario: string; readonly section: ContinuitySection }>, incidentsPerYear: number): CompareRow[] => {
  const rows = entries.map(({ scenario, section }) => {
    const verdicts = section.byIncident
    const worst = verdicts.reduce((a, b) => ((b.pObligationHeld ?? 2) < (a.pObligationHeld ?? 2) ? b : a), verdicts[0]!)
    const clock = section.readings.clock === "calendar" ? "calendar" : "openHours"
    const cost = section.costs.expectedIncidentCost?.mean ?? null
    const money = section.deltaVsBaseline.money
    return {
      scenario,
      plan: section.plan,
      pObligationHeld: worst.pObligationHeld,
      obligationHeld: verdicts.every((v) => v.obligationHeld),
      interruptedHours: worst.interruptedHours[clock].mean,
      hoursTo50: reachedMean(worst.hoursTo50),
      hoursTo80: reachedMean(worst.hoursTo80),
      hoursToFull: reachedMean(worst.hoursToFull),
      monthAnswerRate: section.deltaVsBaseline.month.kpi.answerRate.mean * 100,
      monthPenalties: money?.monthPenalties.mean ?? null,
      monthInvoice: money?.monthInvoice.mean ?? null,
      planPerYear: section.costs.planPerYear,
      incidentCost: cost,
      expectedPerYear: cost === null ? null : section.costs.planPerYear + incidentsPerYear * cost
    }
  })
  const key = (r: (typeof rows)[number]) => [-(r.pObligationHeld ?? -1), r.expectedPerYear ?? Infinity] as const
  const sorted = [...rows].sort((a, b) => {
    const [a0, a1] = key(a)
    const [b0, b1] = key(b)
    return a0 !== b0 ? a0 - b0 : a1 === b1 ? 0 : a1 - b1
  })
  return sorted.map((r, i) => ({ rank: i + 1, ...r }))
}
