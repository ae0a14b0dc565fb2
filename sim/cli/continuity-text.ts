/**
 * The readable business-continuity report: the verdict first (`ccsim run` prints it before the
 * KPI report of a scenario with a continuity block) — per incident, whether the 48-hour
 * obligation held and in how many replications, the hours interrupted, the restore times; then
 * the paired deltas of the incident's day, week and month and of the money; then the costs.
 * Also the ranked table of `ccsim continuity compare`. Plain text; intervals are 95%.
 */
import type { Estimate } from "../engine/stats.js"
import type { CompareRow } from "../continuity/compare.js"
import type { ReachedEstimate } from "../continuity/section.js"
import type { ContinuitySection } from "../continuity/section.js"
import type { PeriodDelta } from "../continuity/paired.js"

const fixed = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : "n/a")
const signed = (x: number, d: number) => (Number.isFinite(x) ? `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(d)}` : "n/a")
const euros = (x: number) => {
  if (!Number.isFinite(x)) return "n/a"
  const r = Math.round(x)
  return `${r < 0 ? "−" : r > 0 ? "+" : ""}€${Math.abs(r).toLocaleString("en-US")}`
}
const plainEuros = (x: number | null) => (x !== null && Number.isFinite(x) ? `€${Math.round(x).toLocaleString("en-US")}` : "—")
const ci = (e: Estimate, f: (x: number) => string) => (Number.isFinite(e.ci95[0]) ? ` [${f(e.ci95[0])}, ${f(e.ci95[1])}]` : "")
const hoursOf = (e: ReachedEstimate, reps: number) =>
  e.reached === 0 ? "not within the horizon" : `${fixed(e.mean, 1)} h${ci(e, (x) => fixed(x, 1))}${e.reached < 1 ? ` (reached in ${Math.round(e.reached * reps)}/${reps})` : ""}`

const periodLine = (name: string, d: PeriodDelta): string => {
  const k = d.kpi
  return (
    `    ${name.padEnd(22)} answer rate ${signed(k.answerRate.mean * 100, 2)} pts${ci(k.answerRate, (x) => signed(x * 100, 2))}` +
    `, mean wait ${signed(k.meanWaitSeconds.mean, 1)} s, abandoned ${signed(d.calls.abandoned.mean, 0)}, answered ${signed(d.calls.answered.mean, 0)}` +
    (Math.abs(k.accessibility.mean) > 1e-12 ? `, accessibility ${signed(k.accessibility.mean * 100, 2)} pts` : "")
  )
}

/** The verdict block of a continuity run. */
export const formatContinuity = (s: ContinuitySection, replications: number): string => {
  const r = s.readings
  const plan = s.plans.find((p) => p.applied)
  const lines = [
    `Business continuity — plan ${s.plan === null ? "none" : `${s.plan}${plan?.description ? ` (${plan.description})` : ""}`}; ` +
      `interrupted while ${r.threshold === 0 ? "nobody can answer" : `at most ${Math.round(r.threshold * 100)}% of the planned advisors can answer`}, ` +
      `${r.obligationHours} h counted in ${r.clock === "calendar" ? "calendar hours" : "opening hours"} (CCTP 3.3.2)`
  ]
  s.byIncident.forEach((v, k) => {
    const inc = s.incidents[k]!
    const start = typeof v.start === "string" ? v.start : `random, ${v.start.first} … ${v.start.last}`
    const decided = replications - v.censored
    const p = v.pObligationHeld
    lines.push(
      `  ${v.label} (${inc.kind}${inc.sites.length > 0 ? ` ${inc.sites.join(", ")}` : ""}, ${start}): 48-hour obligation ${v.obligationHeld ? "HELD" : "NOT HELD"}` +
        (p === null ? " (undecided: still interrupted at the horizon)" : ` — P(held) ${fixed(p * 100, 0)}% (${Math.round(p * decided)}/${decided} replications${v.censored > 0 ? `, ${v.censored} undecided` : ""})`),
      `    interrupted ${fixed(v.interruptedHours.calendar.mean, 2)} h in calendar time${ci(v.interruptedHours.calendar, (x) => fixed(x, 2))}, ${fixed(v.interruptedHours.openHours.mean, 2)} opening hours`,
      `    restore: first answered call after ${hoursOf(v.hoursToFirstAnswer, replications)}; 50% of planned capacity after ${hoursOf(v.hoursTo50, replications)}`,
      `             80% after ${hoursOf(v.hoursTo80, replications)}; 100% after ${hoursOf(v.hoursToFull, replications)}`,
      `    calls cut: ${fixed(v.cutCalls.mean, 1)} per replication`
    )
  })
  const d = s.deltaVsBaseline
  lines.push(`  vs the same replications without the incident (paired, 95% intervals):`)
  lines.push(periodLine(`day ${d.day.period ?? "(varies)"}`, d.day))
  lines.push(periodLine(`week ${d.week.period ?? "(varies)"}`, d.week))
  lines.push(periodLine(`month ${d.month.period ?? "(varies)"}`, d.month))
  if (d.money !== null) {
    const m = d.money
    lines.push(
      `    money: month penalties ${euros(m.monthPenalties.mean)}${ci(m.monthPenalties, euros)}, month invoice ${euros(m.monthInvoice.mean)}${ci(m.monthInvoice, euros)}; ` +
        `horizon penalties ${euros(m.horizonPenalties.mean)}, invoice ${euros(m.horizonInvoice.mean)}`
    )
  }
  const c = s.costs
  lines.push(
    `  costs: plan ${plainEuros(c.planPerYear)} a year; overtime ${fixed(c.overtimeHours.mean, 0)} h; an incident costs ` +
      (c.expectedIncidentCost === null ? "n/a (no contract pricing)" : `${plainEuros(c.expectedIncidentCost.mean)}${ci(c.expectedIncidentCost, plainEuros)} (activation + overtime + extra penalties + invoice lost)`)
  )
  return lines.join("\n")
}

const cell = (x: number | null, d: number, unit = "") => (x === null || !Number.isFinite(x) ? "—" : `${x.toFixed(d)}${unit}`)

/** The ranked table of `ccsim continuity compare`. */
export const formatCompare = (rows: ReadonlyArray<CompareRow>, incidentsPerYear: number): string => {
  const header = ["rank", "scenario / plan", "verdict", "P(held)", "interr. h", "to 50%", "to 80%", "to 100%", "Δ answer (month)", "Δ penalties", "Δ invoice", "plan €/year", "incident €", "€/year expected"]
  const body = rows.map((r) => [
    String(r.rank),
    `${r.scenario} / ${r.plan ?? "(no plan)"}`,
    r.obligationHeld ? "held" : "NOT held",
    r.pObligationHeld === null ? "—" : `${(r.pObligationHeld * 100).toFixed(0)}%`,
    cell(r.interruptedHours, 1),
    cell(r.hoursTo50, 1),
    cell(r.hoursTo80, 1),
    cell(r.hoursToFull, 1),
    `${signed(r.monthAnswerRate, 2)} pts`,
    r.monthPenalties === null ? "—" : euros(r.monthPenalties),
    r.monthInvoice === null ? "—" : euros(r.monthInvoice),
    plainEuros(r.planPerYear),
    plainEuros(r.incidentCost),
    plainEuros(r.expectedPerYear)
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)))
  const line = (cells: ReadonlyArray<string>) => "  " + cells.map((c, i) => (i === 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ")
  return [
    `Recovery plans, ranked by P(48-hour obligation held), then by expected cost per year (plan + ${incidentsPerYear} incident${incidentsPerYear === 1 ? "" : "s"} a year)`,
    line(header),
    ...body.map(line),
    "  hours: the worst incident's mean (— when not reached in every replication); deltas: paired with the same replications without the incident"
  ].join("\n")
}
