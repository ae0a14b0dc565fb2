/**
 * The CSV tables a run writes, against an oracle written the plain way (one string per cell,
 * rows joined): the streamed writer — interval starts as bytes, the KPIs of empty intervals
 * computed once, one replication's mean table taken as is, rows written cell by cell — must
 * give the very same bytes, with one replication and with several.
 */
import { describe, expect, it } from "vitest"
import type { ScenarioEncoded } from "../../scenarios/schema/scenario.js"
import { formatDate, parseDate } from "../../sim/domain/dates.js"
import { KPI_NAMES, kpis, type Sums } from "../../sim/kpi/cctp.js"
import { csvCell, type Cell } from "../../sim/kpi/csv.js"
import { GROUP_KPI_NAMES } from "../../sim/kpi/groups.js"
import { INTERVAL_COLUMNS } from "../../sim/kpi/intervals.js"
import { groupReplicaTable, kpiEstimates, meanCounts, replicaTable } from "../../sim/kpi/replicas.js"
import { GROUP_CALLS, groupPeriodSummary, PERIOD_CALLS } from "../../sim/kpi/summary.js"
import { runTables } from "../../sim/kpi/tables.js"
import { simulate } from "../../sim/run/simulate.js"
import { modelOf } from "../helpers.js"

const scenario: ScenarioEncoded = {
  name: "tables",
  horizon: { from: "2026-03-02", to: "2026-03-15" },
  calendar: {},
  arrivals: { forecast: {} },
  staffing: {
    absence: { rate: 0.08 },
    shifts: [
      { name: "early", start: "08:30", end: "16:30", breaks: [{ start: "12:00", minutes: 60 }], advisors: 60 },
      { name: "late", start: "09:30", end: "17:30", breaks: [{ start: "13:00", minutes: 60 }], advisors: 30 },
      { name: "forms", start: "09:00", end: "17:00", advisors: 1, skills: "forms" }
    ]
  }
}

const csv = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<Cell>>): string =>
  [header, ...rows].map((r) => r.map(csvCell).join(",") + "\r\n").join("")
const kpiHeader = (names: ReadonlyArray<string>) => names.flatMap((k) => [k, `${k}Low`, `${k}High`])
const kpiCells = (e: Record<string, { mean: number; ci95: readonly [number, number] }>, names: ReadonlyArray<string>) =>
  names.flatMap((k) => [e[k]!.mean, e[k]!.ci95[0], e[k]!.ci95[1]])
const PERIOD_CSV_CALLS = [...PERIOD_CALLS, "dissuadedIvr", "tickets", "formsReceived", "formsHandled"] as const

describe("CSV tables", () => {
  for (const replications of [1, 3]) {
    it(`are the oracle's bytes with ${replications} replication(s): intervals, days, days by reason`, async () => {
      const model = modelOf(scenario)
      const results = await simulate(model, { seed: 5, replications, workers: 1 })
      const tables = runTables(model, results)

      const first = parseDate(model.firstDate!)!
      const perDay = model.intervalsPerDay
      const rows: Cell[][] = []
      const n = results[0]!.table.rows
      let empty = 0
      for (let i = 0; i < n; i++) {
        const sums: Record<string, number> = {}
        for (const c of INTERVAL_COLUMNS) sums[c] = results.reduce((a, r) => a + r.table[c][i]!, 0) / results.length
        if (INTERVAL_COLUMNS.every((c) => sums[c] === 0)) empty++
        const minutes = ((i % perDay) * model.intervalSeconds) / 60
        const start = `${formatDate(first + Math.floor(i / perDay))}T${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`
        const k = kpis(sums as Sums, model.productiveHoursPerDay)
        rows.push([i, start, ...INTERVAL_COLUMNS.map((c) => sums[c]!), ...KPI_NAMES.map((name) => k[name])])
      }
      expect(empty, "intervals where nothing happened (the shortcut is exercised)").toBeGreaterThan(50)
      expect(tables["intervals.csv"]).toBe(csv(["interval", "start", ...INTERVAL_COLUMNS, ...KPI_NAMES], rows))

      const days = replicaTable(model, results, "day")
      expect(tables["days.csv"]).toBe(
        csv(
          ["day", ...PERIOD_CSV_CALLS, ...kpiHeader(KPI_NAMES)],
          days.periods.map((p, i) => {
            const counts = meanCounts(PERIOD_CSV_CALLS, days.sums[i]!)
            return [p.label, ...PERIOD_CSV_CALLS.map((c) => counts[c]), ...kpiCells(kpiEstimates(KPI_NAMES, days.kpis[i]!), KPI_NAMES)]
          })
        )
      )

      const byReason = model.reasons.map((_, g) => groupReplicaTable(model, results, g, "day"))
      const reasonRows: Cell[][] = []
      byReason[0]!.periods.forEach((p, pi) =>
        model.reasons.forEach((code, g) => {
          const s = groupPeriodSummary(byReason[g]!.sums[pi]!, byReason[g]!.kpis[pi]!)
          reasonRows.push([p.label, code, ...GROUP_CALLS.map((c) => s.calls[c]), ...kpiCells(s.kpi, GROUP_KPI_NAMES)])
        })
      )
      expect(tables["days-by-reason.csv"]).toBe(csv(["day", "reason", ...GROUP_CALLS, ...kpiHeader(GROUP_KPI_NAMES)], reasonRows))
    })
  }
})
