/**
 * KPIs per IVR flow and per call reason (CCTP 3.3.1: "overall and per flow / reason"), from the
 * per-day group table, by the formulas of ./cctp.ts (restricted to what a group's calls carry).
 */
import { abandonRate, answerRate, meanHandleSeconds, meanTalkSeconds, meanWaitSeconds, serviceLevel, transferRate } from "./cctp.js"
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

export type GroupKpis = { readonly [K in GroupKpiName]: number }

export const groupKpis = (s: GroupSums): GroupKpis => ({
  answerRate: answerRate(s),
  abandonRate: abandonRate(s),
  meanWaitSeconds: meanWaitSeconds(s),
  serviceLevel: serviceLevel(s),
  meanTalkSeconds: meanTalkSeconds(s),
  meanHandleSeconds: meanHandleSeconds(s),
  transferRate: transferRate(s)
})
