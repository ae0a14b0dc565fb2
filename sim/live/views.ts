/**
 * The two views side by side, plus the model: the KPIs of the run's window as
 * - the harness saw them (its callers' fates and its advisors' handling times),
 * - mock-odigo's cold statistics give them (`GET /stats/intervals` over the run's real time),
 * - the pure simulation gives them for the same scenario, seed and window (replication 0 — the
 *   very callers the run injected — and the mean and 95% interval over the replications).
 *
 * Each view is turned into the simulator's column sums (sim/kpi/intervals.ts) and every KPI is
 * computed by the one set of CCTP formulas (sim/kpi/cctp.ts): the views differ by what they
 * measure, never by how a KPI is computed. Real milliseconds become simulated seconds by the
 * run's speed. What a view cannot see is NaN (printed null): the harness does not see advisors'
 * idle time, the cold statistics do not see the service level.
 *
 * Readings (documented in README "Live harness"): the mock's availability is ready time over
 * logged-in time less not-ready time (breaks and lunches are not phone time, as in the
 * simulation, where an advisor on a break is not logged in); waits in the cold statistics leave
 * out callers still waiting at the end.
 */
import { estimate, studentTQuantile, type Estimate } from "../engine/stats.js"
import { kpis, KPI_BOUNDS, KPI_NAMES, type Kpis, type KpiName, type Sums } from "../kpi/cctp.js"
import { columnSum, INTERVAL_COLUMNS, type IntervalTable } from "../kpi/intervals.js"
import type { FinalReport } from "./messages.js"
import type { StatsView } from "./odigo-rest.js"
import type { Plan } from "./plan.js"

const blank = (): Record<string, number> => Object.fromEntries(INTERVAL_COLUMNS.map((c) => [c, NaN]))

/** KPIs shown side by side (the others need advisors' time the harness cannot see, or forms per day). */
export const VIEW_KPIS: ReadonlyArray<KpiName> = ["answerRate", "abandonRate", "meanWaitSeconds", "serviceLevel", "meanTalkSeconds", "meanHandleSeconds", "transferRate", "availabilityRate", "formsHandledRate"]

/** The harness's view from its generators' final reports. */
export const harnessSums = (plan: Plan, reports: ReadonlyArray<FinalReport>): Sums => {
  const s = blank()
  const add = (k: string, v: number): void => void (s[k] = (Number.isNaN(s[k]!) ? 0 : s[k]!) + v)
  const toSim = (ms: number): number => (ms / 1000) * plan.speed
  const d = plan.dissuaded
  for (const k of ["offered", "redials", "dissuadedClosure", "dissuadedExceptional", "dissuadedTechnical", "dissuadedTelecom", "dissuadedIvr", "answered", "answeredWithinSl", "abandoned", "cutOffAtClosing", "inSystemAtEnd", "transferred", "tickets", "waitSeconds", "talkSeconds", "wrapSeconds", "formsReceived", "formsHandled"]) add(k, 0)
  add("dissuadedClosure", d.closure)
  add("dissuadedExceptional", d.exceptional)
  add("dissuadedTelecom", d.telecom)
  add("dissuadedIvr", d.ivr)
  add("offered", d.closure + d.telecom + d.ivr)
  for (const r of reports) {
    const c = r.census
    add("offered", c.injected)
    add("redials", c.redials)
    add("answered", c.answered)
    add("answeredWithinSl", c.answeredWithinSl)
    add("abandoned", c.abandoned)
    add("cutOffAtClosing", c.cutOff)
    add("inSystemAtEnd", c.queued + c.ringing)
    add("waitSeconds", toSim(c.waitAnsweredMs + c.waitAbandonedMs + c.waitQueuedMs))
    add("transferred", r.handled.transferred)
    add("tickets", r.tickets.created)
    add("talkSeconds", toSim(r.handled.talkMs))
    add("wrapSeconds", toSim(r.handled.wrapMs))
    add("formsReceived", r.forms.injected)
    add("formsHandled", r.forms.answered)
  }
  return s as unknown as Sums
}

/** mock-odigo's cold statistics over the run, and the plan's dissuaded calls (never injected). */
export const mockSums = (plan: Plan, stats: StatsView, forms: { readonly received: number; readonly handled: number } | null): Sums => {
  const s = blank()
  const sum = (col: string): number => stats.rows.reduce((a, row) => a + (row[col] as number), 0)
  const toSim = (ms: number): number => (ms / 1000) * plan.speed
  const d = plan.dissuaded
  s["offered"] = sum("offered") + d.closure + d.telecom + d.ivr
  s["dissuadedClosure"] = d.closure
  s["dissuadedExceptional"] = d.exceptional
  s["dissuadedTechnical"] = 0
  s["dissuadedTelecom"] = d.telecom
  s["dissuadedIvr"] = d.ivr
  s["answered"] = sum("answered")
  s["abandoned"] = sum("abandoned")
  s["transferred"] = sum("transferred")
  s["waitSeconds"] = toSim(sum("waitAnsweredMs") + sum("waitAbandonedMs"))
  // The mock's talk is over conversations ended, its handling over wrap-ups ended: per answered call once all ended.
  s["talkSeconds"] = toSim(sum("talkMs"))
  s["wrapSeconds"] = toSim(sum("wrapUpMs"))
  const phone = sum("loggedInMs") - sum("notReadyMs")
  s["staffedSeconds"] = toSim(sum("loggedInMs"))
  s["phoneStaffedSeconds"] = toSim(phone)
  s["busySeconds"] = toSim(sum("busyMs") + sum("wrapUpAgentMs"))
  s["idleSeconds"] = toSim(sum("readyMs"))
  if (forms !== null) {
    s["formsReceived"] = forms.received
    s["formsHandled"] = forms.handled
  }
  return s as unknown as Sums
}

/** A replication's sums over the plan's window (whole intervals). */
export const simulationSums = (plan: Plan, table: IntervalTable): Sums => {
  const s: Record<string, number> = {}
  for (const c of INTERVAL_COLUMNS) s[c] = columnSum(table, c, plan.window.firstInterval, plan.window.endInterval)
  return s as unknown as Sums
}

export type KpiRow = Readonly<Record<KpiName, number | null>>

const clean = (k: Kpis): KpiRow => Object.fromEntries(KPI_NAMES.map((n) => [n, Number.isFinite(k[n]) ? k[n] : null])) as KpiRow

export const kpiRow = (s: Sums, productiveHoursPerDay: number): KpiRow => clean(kpis(s, productiveHoursPerDay))

/**
 * Where one replication falls with 95% probability: mean ± t(0.975, n − 1) · sd · √(1 + 1/n) (a
 * prediction interval), clipped to the KPI's range. A single run — the harness's — is compared
 * with this, not with the interval of the mean, which shrinks as replications are added.
 */
export const predictionInterval = (values: ReadonlyArray<number>, bounds: { readonly min?: number; readonly max?: number } = {}): readonly [number, number] => {
  const xs = values.filter(Number.isFinite)
  const n = xs.length
  if (n < 2) return [NaN, NaN]
  const mean = xs.reduce((a, b) => a + b, 0) / n
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1))
  const half = studentTQuantile(0.975, n - 1) * sd * Math.sqrt(1 + 1 / n)
  return [Math.max(mean - half, bounds.min ?? -Infinity), Math.min(mean + half, bounds.max ?? Infinity)]
}

/** Mean and 95% interval of each KPI over replications, one replication's 95% range, and replication 0's own value. */
export const simulationKpis = (
  perReplication: ReadonlyArray<KpiRow>
): { readonly replication0: KpiRow; readonly mean: Readonly<Record<KpiName, Estimate>>; readonly oneRun: Readonly<Record<KpiName, readonly [number, number]>> } => ({
  replication0: perReplication[0]!,
  mean: Object.fromEntries(KPI_NAMES.map((n) => [n, estimate(perReplication.map((r) => r[n] ?? NaN), 0.95, KPI_BOUNDS[n] ?? {})])) as Record<KpiName, Estimate>,
  oneRun: Object.fromEntries(KPI_NAMES.map((n) => [n, predictionInterval(perReplication.map((r) => r[n] ?? NaN), KPI_BOUNDS[n] ?? {})])) as Record<KpiName, readonly [number, number]>
})
