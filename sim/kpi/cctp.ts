/**
 * The KPIs of CCTP 3.3.2, each by its exact formula, as pure functions of column sums over any
 * set of intervals (an interval, a day, a week, a month, the horizon). No KPI is ever averaged
 * from sub-period KPIs: sums first, ratio last.
 *
 * "received" = calls received (first attempts and redials; CCTP: incoming + transferred-in +
 * overflow-in — the simulated centre has no inbound transfer or overflow).
 *
 * | KPI                 | formula (CCTP 3.3.2)                                                        |
 * |---------------------|-----------------------------------------------------------------------------|
 * | answerRate          | answered / (received − dissuaded telecom − dissuaded closure − dissuaded IVR)|
 * | meanWaitSeconds     | queue wait of all queued calls / (received − dissuaded closure − telecom − IVR)|
 * | accessibility       | 1 − calls in exceptional closures / (received − calls in technical closures) |
 * | meanTalkSeconds     | talk / answered (DMC)                                                        |
 * | meanHandleSeconds   | (talk + wrap-up) / answered (DMT)                                            |
 * | availabilityRate    | idle-available advisor time / logged-in phone time                           |
 * | transferRate        | calls transferred to level 1+ / received                                     |
 * | formsHandledRate    | forms answered / forms received                                              |
 * | formsPerAdvisorDay  | forms answered / (advisor time on forms / a full day)                        |
 * | productiveHours     | advisor time logged in (hours)                                               |
 * Readings taken (CCTP-FACTS.md): the accessibility formula is garbled in the OCR; callers who hang
 * up on the IVR dissuasion message never reach the queue and leave the denominators like the other
 * dissuaded calls (the CCTP list ends with "…"). Textbook extras: abandonRate and serviceLevel over
 * the answer-rate denominator, occupancy = busy / logged-in phone time.
 */
import type { Bounds } from "../engine/stats.js"
import type { IntervalColumn } from "./intervals.js"

/** Column sums over a set of intervals. */
export type Sums = { readonly [K in IntervalColumn]: number }

export const KPI_NAMES = [
  "answerRate",
  "abandonRate",
  "meanWaitSeconds",
  "serviceLevel",
  "occupancy",
  "accessibility",
  "meanTalkSeconds",
  "meanHandleSeconds",
  "availabilityRate",
  "transferRate",
  "formsHandledRate",
  "formsPerAdvisorDay",
  "productiveHours"
] as const

export type KpiName = (typeof KPI_NAMES)[number]

/** The range of each KPI (confidence intervals are clipped to it). Forms handled can exceed 100% (backlog). */
export const KPI_BOUNDS: Readonly<Record<string, Bounds>> = {
  answerRate: { min: 0, max: 1 },
  abandonRate: { min: 0, max: 1 },
  serviceLevel: { min: 0, max: 1 },
  occupancy: { min: 0, max: 1 },
  accessibility: { min: 0, max: 1 },
  availabilityRate: { min: 0, max: 1 },
  transferRate: { min: 0, max: 1 },
  formsHandledRate: { min: 0 },
  meanWaitSeconds: { min: 0 },
  meanTalkSeconds: { min: 0 },
  meanHandleSeconds: { min: 0 },
  formsPerAdvisorDay: { min: 0 },
  productiveHours: { min: 0 }
}
export type Kpis = { readonly [K in KpiName]: number }

/** a / b, or NaN when b is 0 (no calls: the KPI is undefined, printed as null). */
export const ratio = (a: number, b: number): number => (b > 0 ? a / b : NaN)

/** The columns a formula reads (so the per-flow / per-reason group table can use the same formulas). */
type Cols<K extends IntervalColumn> = Pick<Sums, K>
type Queued = Cols<"offered" | "dissuadedClosure" | "dissuadedTelecom" | "dissuadedIvr">

/** Calls that reached the queue: received minus every kind of dissuaded call. */
export const queuedDenominator = (s: Queued): number => s.offered - s.dissuadedClosure - s.dissuadedTelecom - s.dissuadedIvr

export const answerRate = (s: Queued & Cols<"answered">): number => ratio(s.answered, queuedDenominator(s))
export const abandonRate = (s: Queued & Cols<"abandoned">): number => ratio(s.abandoned, queuedDenominator(s))
export const meanWaitSeconds = (s: Queued & Cols<"waitSeconds">): number => ratio(s.waitSeconds, queuedDenominator(s))
export const serviceLevel = (s: Queued & Cols<"answeredWithinSl">): number => ratio(s.answeredWithinSl, queuedDenominator(s))
export const occupancy = (s: Sums): number => ratio(s.busySeconds, s.phoneStaffedSeconds)
export const accessibility = (s: Sums): number => {
  const presented = s.offered - s.dissuadedTechnical
  return presented > 0 ? 1 - s.dissuadedExceptional / presented : NaN
}
export const meanTalkSeconds = (s: Cols<"talkSeconds" | "answered">): number => ratio(s.talkSeconds, s.answered)
export const meanHandleSeconds = (s: Cols<"talkSeconds" | "wrapSeconds" | "answered">): number => ratio(s.talkSeconds + s.wrapSeconds, s.answered)
export const availabilityRate = (s: Sums): number => ratio(s.idleSeconds, s.phoneStaffedSeconds)
export const transferRate = (s: Cols<"transferred" | "offered">): number => ratio(s.transferred, s.offered)
export const formsHandledRate = (s: Sums): number => ratio(s.formsHandled, s.formsReceived)
export const formsPerAdvisorDay = (s: Sums, productiveHoursPerDay: number): number =>
  ratio(s.formsHandled, s.formsActivitySeconds / (productiveHoursPerDay * 3600))
export const productiveHours = (s: Sums): number => s.staffedSeconds / 3600

/** Every KPI of one set of intervals. */
export const kpis = (s: Sums, productiveHoursPerDay: number): Kpis => ({
  answerRate: answerRate(s),
  abandonRate: abandonRate(s),
  meanWaitSeconds: meanWaitSeconds(s),
  serviceLevel: serviceLevel(s),
  occupancy: occupancy(s),
  accessibility: accessibility(s),
  meanTalkSeconds: meanTalkSeconds(s),
  meanHandleSeconds: meanHandleSeconds(s),
  availabilityRate: availabilityRate(s),
  transferRate: transferRate(s),
  formsHandledRate: formsHandledRate(s),
  formsPerAdvisorDay: formsPerAdvisorDay(s, productiveHoursPerDay),
  productiveHours: productiveHours(s)
})
