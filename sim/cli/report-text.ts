/**
 * The readable report `ccsim run` prints (without --json): the run's KPIs with their 95%
 * intervals, then for dated runs a month-by-month table where every KPI is flagged against its
 * CCTP target and its penalty threshold, the month's expected penalty and P(penalty), and the
 * year's money. Plain text, ASCII table rules; flags: ✓ met, ! target missed, ✗ penalty threshold
 * crossed (on the month's mean).
 */
import { kpiStatus, type KpiStatus, type SummaryWithMoney } from "../contract/outputs.js"
import type { AppliedRow } from "../contract/terms.js"
import type { PenaltyKey } from "../domain/penalties.js"
import type { Summary } from "../kpi/summary.js"

const pct = (x: number, d = 3) => (Number.isFinite(x) ? `${(x * 100).toFixed(d)}%` : "n/a")
const secs = (x: number, d = 3) => (Number.isFinite(x) ? `${x.toFixed(d)} s` : "n/a")
const num = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "n/a")
const fixed = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : "n/a")
const eur = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? `€${Math.round(x).toLocaleString("en-US")}` : "—")

type E = { mean: number; ci95: readonly [number, number] }
const kpiRow = (name: string, e: E | undefined, f: (x: number) => string) =>
  e === undefined ? [] : [`  ${name.padEnd(20)} ${f(e.mean).padStart(12)}   [${f(e.ci95[0])}, ${f(e.ci95[1])}]`]

const MARK: Record<KpiStatus, string> = { met: "✓", targetMissed: "!", penalised: "✗", none: " " }

/** The report of a run; `rules` (the applied penalty table) turns on the flags. */
export const formatSummary = (s: Summary | SummaryWithMoney, rules?: Readonly<Record<PenaltyKey, AppliedRow>>): string => {
  const k = s.kpi
  const c = s.calls
  const lines = [
    `${s.scenario} — seed ${s.seed}, ${s.replications} replication${s.replications === 1 ? "" : "s"}${s.from ? `, ${s.from} to ${s.to}` : ""}`,
    `  calls per replication: offered ${num(c.offered!)}, answered ${num(c.answered!)}, abandoned ${num(c.abandoned!)}` +
      (c.dissuadedClosure !== undefined ? `, dissuaded ${num(c.dissuadedClosure + c.dissuadedTelecom! + c.dissuadedIvr!)}, redials ${num(c.redials!)}` : "") +
      `, waiting at the end ${num(c.inSystemAtEnd!)}`,
    ...(s.forecast === undefined
      ? []
      : [`  forecast: ${s.forecast.intervalsCsv} for ${s.forecast.intervalDays} day${s.forecast.intervalDays === 1 ? "" : "s"}, the monthly forecast and profiles for ${s.forecast.profileDays} day${s.forecast.profileDays === 1 ? "" : "s"}`]),
    `  ${"KPI".padEnd(20)} ${"mean".padStart(12)}   95% confidence interval`,
    ...kpiRow("answer rate", k.answerRate, (x) => pct(x)),
    ...kpiRow("abandon rate", k.abandonRate, (x) => pct(x)),
    ...kpiRow("mean wait", k.meanWaitSeconds, (x) => secs(x)),
    ...kpiRow("service level", k.serviceLevel, (x) => pct(x)),
    ...kpiRow("occupancy", k.occupancy, (x) => pct(x)),
    ...kpiRow("accessibility", k.accessibility, (x) => pct(x)),
    ...kpiRow("mean talk (DMC)", k.meanTalkSeconds, (x) => secs(x, 1)),
    ...kpiRow("mean handling (DMT)", k.meanHandleSeconds, (x) => secs(x, 1)),
    ...kpiRow("availability rate", k.availabilityRate, (x) => pct(x)),
    ...kpiRow("transfer rate", k.transferRate, (x) => pct(x)),
    ...kpiRow("forms handled", k.formsHandledRate, (x) => pct(x)),
    ...kpiRow("forms/advisor-day", k.formsPerAdvisorDay, (x) => fixed(x, 1)),
    ...kpiRow("productive hours", k.productiveHours, (x) => num(x))
  ]
  if (s.periods && s.periods.length > 0) {
    const money = "years" in s
    const flag = (kpi: string, value: number) => (rules === undefined ? "" : MARK[kpiStatus(kpi, value, rules)])
    const cell = (text: string, width: number, kpi: string, value: number) => `${text.padStart(width)}${rules === undefined ? "" : flag(kpi, value)}`
    lines.push(
      "",
      "  month    offered  answer rate   mean wait    DMT  availab.  access.  forms hdl  prod. hours" +
        (money ? "  ordered h  plan conf.    invoice  E[penalty]  P(penalty)" : "")
    )
    for (const p of s.periods) {
      const q = p.kpi
      const m = money ? (p as SummaryWithMoney["periods"][number]) : undefined
      lines.push(
        `  ${p.period}  ${num(p.calls.offered).padStart(8)}` +
          `  ${cell(pct(q.answerRate.mean, 2), 10, "answerRate", q.answerRate.mean)}` +
          `  ${cell(secs(q.meanWaitSeconds.mean, 1), 9, "meanWaitSeconds", q.meanWaitSeconds.mean)}` +
          `  ${cell(fixed(q.meanHandleSeconds.mean, 0), 4, "meanHandleSeconds", q.meanHandleSeconds.mean)}` +
          `  ${cell(pct(q.availabilityRate.mean, 1), 7, "availabilityRate", q.availabilityRate.mean)}` +
          `  ${cell(pct(q.accessibility.mean, 1), 6, "accessibility", q.accessibility.mean)}` +
          `  ${cell(pct(q.formsHandledRate.mean, 1), 8, "formsHandledRate", q.formsHandledRate.mean)}` +
          `  ${num(q.productiveHours.mean).padStart(11)}` +
          (m ? `  ${num(m.orders.orderedHours).padStart(9)}  ${cell(pct(m.orders.planConformity.mean, 1), 9, "planConformity", m.orders.planConformity.mean)}` : "") +
          (m ? `  ${eur(m.invoice?.total.mean).padStart(9)}  ${eur(m.penalties?.total.mean).padStart(10)}  ${pct(m.risk.pAnyPenalty, 0).padStart(10)}${m.suspended > 0 ? `  (120% rule: ${pct(m.suspended, 0)})` : ""}` : "")
      )
    }
    if (s.byWeekday !== undefined) {
      lines.push("", "  weekday   offered  answer rate   mean wait  availab.")
      for (const [day, w] of Object.entries(s.byWeekday)) {
        if (!(w.calls.offered > 0) || !Number.isFinite(w.kpi.answerRate.mean)) continue
        lines.push(
          `  ${day.padEnd(7)} ${num(w.calls.offered).padStart(9)}  ${cell(pct(w.kpi.answerRate.mean, 2), 10, "answerRate", w.kpi.answerRate.mean)}` +
            `  ${cell(secs(w.kpi.meanWaitSeconds.mean, 1), 9, "meanWaitSeconds", w.kpi.meanWaitSeconds.mean)}  ${cell(pct(w.kpi.availabilityRate.mean, 1), 7, "availabilityRate", w.kpi.availabilityRate.mean)}`
        )
      }
    }
    if (rules !== undefined) lines.push("  flags: ✓ CCTP target met, ! target missed, ✗ penalty threshold crossed (month means); forms handled can pass 100% (last month's backlog)")
    if (money) {
      const w = s as SummaryWithMoney
      lines.push("", "  year      ordered h   delivered h   invoice      E[penalties]  P90 penalties  P(any penalty)  net revenue")
      for (const y of [...w.years, w.contract.total]) {
        lines.push(
          `  ${y.period.padEnd(8)}  ${num(y.orders.orderedHours).padStart(9)}  ${num(y.orders.deliveredHours.mean).padStart(12)}` +
            `  ${eur(y.invoice?.total.mean).padStart(11)}  ${eur(y.penalties?.total.mean).padStart(12)}  ${eur(y.risk.penaltyP90 ?? undefined).padStart(13)}` +
            `  ${pct(y.risk.pAnyPenalty, 0).padStart(14)}  ${eur(y.netRevenue?.mean).padStart(11)}`
        )
      }
      lines.push(
        `  SLA penalties from ${w.contract.firstPenalisedMonth} (run-in ${w.contract.runInMonths} months from ${w.contract.start}); orders: ${w.contract.orders}` +
          (w.contract.orders === "derived" && w.contract.orderFactor !== 1 ? ` × ${w.contract.orderFactor}` : "") +
          (w.contract.pricing === null ? "; no pricing in the scenario: no invoice, no euros" : "")
      )
    }
  }
  const wall = s.performance.wallSeconds
  const calls = (c.offered ?? 0) * s.replications
  lines.push(
    `  ${num(s.performance.events)} events in ${wall.toFixed(2)} s ` +
      `(${(s.performance.events / wall / 1e6).toFixed(2)} M events/s, ${(calls / wall / 1e6).toFixed(2)} M calls/s)`
  )
  return lines.join("\n")
}
