/**
 * The sections of a run's report, each a pure function `ReportInput → Section | null` (null: the
 * run has nothing for it, e.g. money for an unjudged run, days for a textbook run). The report is
 * `RUN_SECTIONS` in order; a later capability (continuity timeline, live-harness latencies,
 * staffing search) adds its builder to the list without touching the others.
 */
import type { AppliedRow } from "../sim/contract/terms.js"
import { KPI_TARGETS } from "../sim/domain/cctp.js"
import type { PenaltyKey } from "../sim/domain/penalties.js"
import { FORMAT } from "./charts/common.js"
import { dailyDistributionChart, dailyKpiChart, monthlyKpisChart, type KpiLines } from "./charts/daily.js"
import { offeredVsStaffedChart, requiredVsPlannedChart } from "./charts/day.js"
import { fanChart, fanRows } from "./charts/fan.js"
import { hoursChart, invoiceChart, penaltiesChart } from "./charts/money.js"
import { formatter, type Formatter, type Locale } from "./format.js"
import { esc, type Page, type Section } from "./html.js"
import { moneyOf, type PeriodKpi, type ReportInput } from "./run-data.js"
import { standings, thresholdOf, TARGETED_KPIS, type KpiStanding, type Standing } from "./status.js"

export interface SectionContext {
  readonly fmt: Formatter
}

export type SectionBuilder = (input: ReportInput, ctx: SectionContext) => Section | null

/** An HTML table; `text` columns are left-aligned. Cells are escaped here. */
export const htmlTable = (headers: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>, text: ReadonlyArray<number> = [0], rawCells = false): string =>
  `<table><thead><tr>${headers.map((h, i) => `<th${text.includes(i) ? ' class="text"' : ""}>${esc(h)}</th>`).join("")}</tr></thead><tbody>` +
  rows.map((r) => `<tr>${r.map((c, i) => `<td${text.includes(i) ? ' class="text"' : ""}>${rawCells ? c : esc(c)}</td>`).join("")}</tr>`).join("") +
  `</tbody></table>`

export const STANDING_TEXT: Readonly<Record<Standing, string>> = { met: "met", atRisk: "at risk", missed: "missed", none: "—" }

/** A value in a KPI's unit. */
export const formatKpi = (fmt: Formatter, unit: "share" | "seconds" | "count", x: number | null | undefined, decimals = 1): string =>
  unit === "share" ? fmt.pct(x, decimals) : unit === "seconds" ? fmt.secs(x, decimals) : fmt.num(x, decimals)

/** "target > 90%", "penalty < 89%" … in the page's locale. */
const targetText = (fmt: Formatter, s: { unit: "share" | "seconds" | "count"; higherIsBetter: boolean }, value: number, kind: "target" | "penalty") =>
  `${kind} ${s.higherIsBetter ? (kind === "target" ? "≥" : "<") : kind === "target" ? "≤" : ">"} ${formatKpi(fmt, s.unit, value, s.unit === "seconds" ? 0 : s.unit === "share" ? 0 : 0)}`

/** The lines of a KPI for charts: CCTP target and the run's penalty threshold. */
export const kpiLines = <K extends PeriodKpi & keyof typeof KPI_TARGETS>(input: ReportInput, fmt: Formatter, kpi: K): KpiLines & { readonly kpi: K; readonly higherIsBetter: boolean } => {
  const t = TARGETED_KPIS.find((x) => x.kpi === kpi)!
  const rules = moneyOf(input.summary)?.contract.rules as unknown as Readonly<Record<PenaltyKey, AppliedRow>> | undefined
  const threshold = thresholdOf(t.row, rules)
  const format = t.unit === "share" ? FORMAT.share : t.unit === "seconds" ? FORMAT.seconds : FORMAT.decimal
  return {
    kpi,
    label: t.label + (t.unit === "seconds" ? " (s)" : ""),
    format,
    higherIsBetter: t.higherIsBetter,
    // The penalty line lies on the worse side of the target: each label goes on its outer side.
    target: { value: KPI_TARGETS[kpi], label: targetText(fmt, t, KPI_TARGETS[kpi], "target"), below: !t.higherIsBetter },
    penalty: threshold === null ? null : { value: threshold, label: targetText(fmt, t, threshold, "penalty"), below: t.higherIsBetter }
  }
}

const card = (fmt: Formatter, s: KpiStanding) =>
  `<div class="card ${s.standing}"><div class="name">${esc(s.label)} <span class="badge ${s.standing}">${STANDING_TEXT[s.standing]}</span></div>` +
  `<div class="value">${formatKpi(fmt, s.unit, s.horizon.mean, s.unit === "count" ? 1 : s.unit === "seconds" ? 1 : 2)}</div>` +
  `<div class="ci">95%: ${Number.isFinite(s.horizon.ci95[0]) ? `${formatKpi(fmt, s.unit, s.horizon.ci95[0], 2)} – ${formatKpi(fmt, s.unit, s.horizon.ci95[1], 2)}` : "one replication, no interval"}</div>` +
  `<div class="why">${esc(targetText(fmt, s, s.target, "target"))}${s.threshold === null ? "" : ` · ${esc(targetText(fmt, s, s.threshold, "penalty"))}`}` +
  `${s.months > 0 ? ` · months missing: ${s.monthsMissed}/${s.months}${s.monthsPenalised > 0 ? `, past the penalty line: ${s.monthsPenalised}` : ""}` : ""}<br>${esc(s.why)}</div></div>`

/** The KPIs of a run without a CCTP target, as the headline names them. */
const OTHER_KPIS: Readonly<Record<string, { label: string; unit: "share" | "seconds" | "count"; decimals: number }>> = {
  abandonRate: { label: "Abandon rate", unit: "share", decimals: 2 },
  serviceLevel: { label: "Service level (answered within the threshold)", unit: "share", decimals: 2 },
  occupancy: { label: "Occupancy", unit: "share", decimals: 2 },
  meanTalkSeconds: { label: "Mean talk time (DMC)", unit: "seconds", decimals: 1 },
  transferRate: { label: "Transfer rate (level 1+)", unit: "share", decimals: 2 },
  productiveHours: { label: "Productive hours", unit: "count", decimals: 0 }
}

/** Headline: the KPIs against the CCTP targets (met / at risk / missed), the run's volumes. */
export const headlineSection: SectionBuilder = (input, { fmt }) => {
  const s = input.summary
  const c = s.calls
  const list = standings(input)
  const money = moneyOf(s)
  const volumes = [
    `${fmt.int(c["offered"])} calls received per replication`,
    `${fmt.int(c["answered"])} answered`,
    `${fmt.int(c["abandoned"])} abandoned`,
    ...(c["dissuadedClosure"] !== undefined ? [`${fmt.int((c["dissuadedClosure"] ?? 0) + (c["dissuadedTelecom"] ?? 0) + (c["dissuadedIvr"] ?? 0))} dissuaded`] : []),
    ...(c["formsReceived"] !== undefined ? [`${fmt.int(c["formsReceived"])} forms received, ${fmt.int(c["formsHandled"])} handled`] : [])
  ]
  const moneyLine =
    money?.contract.total.invoice !== undefined
      ? `<p>Over the run: invoice ${fmt.eur(money.contract.total.invoice.total.mean)}, expected penalties ${fmt.eur(money.contract.total.penalties?.total.mean)} ` +
        `(P90 ${fmt.eur(money.contract.total.risk.penaltyP90)}), P(at least one penalty) ${fmt.pct(money.contract.total.risk.pAnyPenalty, 0)}, net revenue ${fmt.eur(money.contract.total.netRevenue?.mean)}.</p>`
      : ""
  const otherKpis = Object.entries(s.kpi)
    .filter(([k]) => !list.some((x) => x.kpi === k))
    .map(([k, e]) => {
      const o = OTHER_KPIS[k] ?? { label: k, unit: "count" as const, decimals: 2 }
      const f = (x: number) => formatKpi(fmt, o.unit, x, o.decimals)
      return [o.label, f(e.mean), Number.isFinite(e.ci95[0]) ? `${f(e.ci95[0])} – ${f(e.ci95[1])}` : "—"]
    })
  return {
    id: "headline",
    title: "Headline: the KPIs against the CCTP targets",
    html:
      `<p>${volumes.map(esc).join(" · ")}.</p>${moneyLine}` +
      `<div class="cards">${list.map((x) => card(fmt, x)).join("")}</div>` +
      `<p class="note">Met: the whole run and every month meet the target, with their 95% intervals. At risk: the means meet it, but an interval or some replications' months reach past it. ` +
      `Missed: the run's mean or a month's mean misses it (CCTP 3.3.2 targets; penalty thresholds CCTP 9, as the scenario applies them).</p>` +
      (otherKpis.length > 0 ? `<h3>Other KPIs of the whole run</h3>${htmlTable(["KPI", "mean", "95% interval"], otherKpis)}` : ""),
    charts: []
  }
}

/** The busiest day and the day asked for, interval by interval. */
export const reportDaysSection: SectionBuilder = (input, { fmt }) => {
  if (input.reportDays.length === 0) return null
  return {
    id: "days-zoom",
    title: "Intervals of the busiest day" + (input.reportDays.some((d) => d.why.includes("chosen")) ? " and of the day asked for" : ""),
    html:
      `<p>${input.reportDays.map((d) => `${esc(d.date)}: ${fmt.int(d.offered)} calls received (${d.why.join(" and ")})`).join("; ")}. ` +
      `Means over ${input.meta.replications} replication${input.meta.replications === 1 ? "" : "s"}; required advisors by exact Erlang A per interval (patience ${input.meta.patienceMeanSeconds === null ? "none" : fmt.secs(input.meta.patienceMeanSeconds, 0)}).</p>`,
    charts: input.reportDays.flatMap((d) => [offeredVsStaffedChart(d, fmt), requiredVsPlannedChart(d)])
  }
}

/** Answer rate and mean wait per day with their 95% bands and the CCTP lines. */
export const dailySection: SectionBuilder = (input, { fmt }) =>
  input.days.length === 0
    ? null
    : {
        id: "daily",
        title: "Day by day",
        html: `<p class="note">Penalties are judged on whole months; a day below the line is not penalised by itself, but it pulls its month down.</p>`,
        charts: [dailyKpiChart(input.days, kpiLines(input, fmt, "answerRate")), dailyKpiChart(input.days, kpiLines(input, fmt, "meanWaitSeconds"))]
      }

/** How the daily mean wait and answer rate are spread (the run's tables hold daily values). */
export const distributionSection: SectionBuilder = (input, { fmt }) =>
  input.days.length === 0
    ? null
    : {
        id: "distribution",
        title: "Wait-time distribution",
        html: `<p class="note">The run keeps waits as sums per interval, not per call: these are the distributions of the daily mean wait and the daily answer rate over open days (means across replications).</p>`,
        charts: [dailyDistributionChart(input.days, kpiLines(input, fmt, "meanWaitSeconds")), dailyDistributionChart(input.days, kpiLines(input, fmt, "answerRate"))]
      }

const MONTH_KPIS = ["answerRate", "meanWaitSeconds", "accessibility", "meanHandleSeconds", "availabilityRate", "formsHandledRate", "formsPerAdvisorDay"] as const

/** The months: every targeted KPI with its interval, and a table. */
export const monthlySection: SectionBuilder = (input, { fmt }) => {
  if (input.months.length === 0) return null
  const kpis = MONTH_KPIS.filter((k) => input.months.some((m) => Number.isFinite(m[k]))).map((k) => kpiLines(input, fmt, k))
  const unit = (k: string) => TARGETED_KPIS.find((t) => t.kpi === k)!.unit
  const rows = input.months.map((m) => [m.period, fmt.int(m.offered), ...MONTH_KPIS.map((k) => formatKpi(fmt, unit(k), m[k], unit(k) === "share" ? 1 : 0))])
  return {
    id: "months",
    title: "Monthly KPIs",
    html: htmlTable(["month", "calls received", ...MONTH_KPIS.map((k) => TARGETED_KPIS.find((t) => t.kpi === k)!.label)], rows),
    charts: [monthlyKpisChart(input.months, kpis)]
  }
}

/** The contract month: P10–P90 across replications against the 90% / 89% and 2 / 4 min lines. */
export const contractMonthSection: SectionBuilder = (input, { fmt }) => {
  if (input.months.length === 0) return null
  const ar = kpiLines(input, fmt, "answerRate")
  const mw = kpiLines(input, fmt, "meanWaitSeconds")
  const reps = input.replicas.replications.length
  return {
    id: "contract-month",
    title: "The contract month across replications",
    html: `<p>Penalties are decided month by month on one realisation of the month. The band holds 80% of the ${reps} replication${reps === 1 ? "" : "s"}' months${reps < 10 ? " (few replications: the band is rough)" : ""}.</p>`,
    charts: [
      fanChart(fanRows(input.replicas, "answerRate", ar.penalty && { value: ar.penalty.value, higherIsBetter: true }), { ...ar, column: "answerRate" }, reps),
      fanChart(fanRows(input.replicas, "meanWaitSeconds", mw.penalty && { value: mw.penalty.value, higherIsBetter: false }), { ...mw, column: "meanWaitSeconds" }, reps)
    ]
  }
}

/** The money: penalties and their probability, invoice, hours ordered vs delivered; years. */
export const moneySection: SectionBuilder = (input, { fmt }) => {
  const money = moneyOf(input.summary)
  if (money === null) return null
  const priced = money.contract.pricing !== null
  const years = [...money.years, money.contract.total].map((y) => [
    y.period,
    fmt.int(y.orders.orderedHours),
    fmt.int(y.orders.deliveredHours.mean),
    fmt.pct(y.orders.planConformity.mean, 1),
    fmt.eur(y.invoice?.total.mean),
    fmt.eur(y.penalties?.total.mean),
    fmt.eur(y.risk.penaltyP90),
    fmt.pct(y.risk.pAnyPenalty, 0),
    fmt.eur(y.netRevenue?.mean)
  ])
  return {
    id: "money",
    title: "The money: orders, invoice, penalties",
    html:
      `<p>SLA penalties from ${esc(money.contract.firstPenalisedMonth)} (run-in of ${money.contract.runInMonths} months from ${esc(money.contract.start)}); orders ${esc(money.contract.orders)}` +
      `${money.contract.orders === "derived" && money.contract.orderFactor !== 1 ? ` × ${fmt.num(money.contract.orderFactor, 2)}` : ""}.` +
      `${priced ? "" : " The scenario has no prices: no invoice, no euros (penalty rows still trigger)."}</p>` +
      htmlTable(["period", "ordered h", "delivered h", "plan conformity", "invoice", "E[penalties]", "P90 penalties", "P(any penalty)", "net revenue"], years),
    charts: [...(priced ? [penaltiesChart(money.periods), invoiceChart(money.periods)] : []), hoursChart(money.periods)]
  }
}

/** Calls and KPIs per call reason and per IVR flow over the whole run. */
export const groupsSection: SectionBuilder = (input, { fmt }) => {
  const { byReason, byFlow } = input.summary
  if (byReason === undefined || byFlow === undefined) return null
  const table = (groups: NonNullable<typeof byReason>, what: string) => {
    const total = Object.values(groups).reduce((a, g) => a + g.calls.offered, 0)
    const rows = Object.entries(groups)
      .sort((a, b) => b[1].calls.offered - a[1].calls.offered)
      .map(([code, g]) => [
        code,
        fmt.int(g.calls.offered),
        fmt.pct(total > 0 ? g.calls.offered / total : NaN, 1),
        fmt.int(g.calls.answered),
        fmt.pct(g.kpi.answerRate.mean, 1),
        fmt.secs(g.kpi.meanWaitSeconds.mean, 0),
        fmt.pct(g.kpi.serviceLevel.mean, 1),
        fmt.secs(g.kpi.meanHandleSeconds.mean, 0),
        fmt.pct(g.kpi.transferRate.mean, 1),
        fmt.int(g.calls.tickets)
      ])
    return htmlTable([what, "calls received", "share", "answered", "answer rate", "mean wait", "service level", "DMT", "transfer rate", "tickets"], rows)
  }
  return {
    id: "groups",
    title: "Per call reason and IVR flow",
    html: `<h3>IVR flows</h3>${table(byFlow, "flow")}<h3>Call reasons (CCTP 2.1.7)</h3>${table(byReason, "reason")}<p class="note">One queue serves every reason: waits differ by reason only through the hours their calls come in.</p>`,
    charts: []
  }
}

/** The scenario's assumptions and inputs: resolved model inputs, contract terms, the scenario as decoded. */
export const assumptionsSection: SectionBuilder = (input, { fmt }) => {
  const m = input.meta
  const money = moneyOf(input.summary)
  const rules = money
    ? htmlTable(
        ["penalty row", "when", "threshold", "rate", "invoice base", "applies"],
        Object.entries(money.contract.rules).map(([k, r]) => [k, r.when, fmt.num(r.threshold, r.threshold < 2 ? 2 : 0), fmt.pct(r.rate, 1), r.base, r.enabled ? "yes" : "no"])
      )
    : ""
  return {
    id: "assumptions",
    title: "Scenario, assumptions and inputs",
    html:
      `<p>Scenario <b>${esc(m.scenario)}</b> (${esc(m.scenarioFile)}), seed ${m.seed}, ${m.replications} replication${m.replications === 1 ? "" : "s"}` +
      `${m.from !== null ? `, ${esc(m.from)} to ${esc(m.to ?? "")}` : `, ${fmt.int(m.intervalCount)} intervals of ${m.intervalSeconds / 60} min`}.</p>` +
      `<h3>Model inputs in effect (defaults are named assumptions, README "Assumptions")</h3>${htmlTable(["input", "value"], m.inputs.map((i) => [i.name, i.value]), [0, 1])}` +
      (money ? `<h3>Contract terms applied (CCTP 9, with the scenario's overrides)</h3>${rules}` : "") +
      `<h3>The scenario as decoded</h3><pre>${esc(JSON.stringify(m.decoded, null, 2))}</pre>`,
    charts: []
  }
}

/** The report's sections, in order. */
export const RUN_SECTIONS: ReadonlyArray<SectionBuilder> = [
  headlineSection,
  reportDaysSection,
  dailySection,
  monthlySection,
  contractMonthSection,
  distributionSection,
  moneySection,
  groupsSection,
  assumptionsSection
]

/** The page of a run's report. */
export const runReportPage = (input: ReportInput, locale: Locale, builders: ReadonlyArray<SectionBuilder> = RUN_SECTIONS): Page => {
  const fmt = formatter(locale)
  const m = input.meta
  const sections = builders.map((b) => b(input, { fmt })).filter((s): s is Section => s !== null)
  return {
    title: `${m.scenario} — simulation report`,
    subtitle: esc(
      `${m.from !== null ? `${m.from} to ${m.to}` : "textbook queue"} · seed ${m.seed} · ${m.replications} replication${m.replications === 1 ? "" : "s"} · 95% intervals across replications (Student t)`
    ),
    locale,
    sections,
    footer: esc(`ccsim report of ${m.scenarioFile}. Data: summary.json, days.csv, months.csv, intervals.csv, replicas.json, run.json beside this file.`)
  }
}
