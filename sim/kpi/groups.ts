/**
 * KPIs per IVR flow and per call reason (CCTP 3.3.1: "overall and per flow / reason"), from the
 * per-day group table. Same formulas as ./cctp.ts, restricted to what a group's calls carry.
 */
import { ratio } from "./cctp.js"
import type { GroupSums } from "./periods.js"

export const GROUP_KPI_NAMES = [
  "answerRate",
  "abandonRate",
  "meanWaitSeconds",
  "serviceLevel",
  "meanTalkSeconds",
  "meanHandleSeconds",
  "transferRate"
] as const

export type GroupKpiName = (typeof GROUP_KPI_NAMES)[number]

export const groupKpis = (s: GroupSums): { readonly [K in GroupKpiName]: number } => {
  const queued = s.offered - s.dissuadedClosure - s.dissuadedTelecom - s.dissuadedIvr
  return {
    answerRate: ratio(s.answered, queued),
    abandonRate: ratio(s.abandoned, queued),
    meanWaitSeconds: ratio(s.waitSeconds, queued),
    serviceLevel: ratio(s.answeredWithinSl, queued),
    meanTalkSeconds: ratio(s.talkSeconds, s.answered),
    meanHandleSeconds: ratio(s.talkSeconds + s.wrapSeconds, s.answered),
    transferRate: ratio(s.transferred, s.offered)
  }
}
