/**
 * What the KPI floor needs to know of a run, and no more: its time grid (intervals, days, the
 * first date), the warm-up it leaves out, its groups (IVR flows, call reasons) and the forms
 * productivity day. The compiled Model (sim/model) satisfies it structurally, but kpi never
 * imports model: KPIs, periods and summaries are functions of tables on a grid.
 */

export interface IntervalGrid {
  /** First simulated day as "YYYY-MM-DD", or null for undated (textbook) runs. */
  readonly firstDate: string | null
  /** Length of an accounting interval (seconds). */
  readonly intervalSeconds: number
  readonly intervalCount: number
  /** Intervals in a day (86,400 / intervalSeconds). */
  readonly intervalsPerDay: number
  readonly dayCount: number
  /** Intervals at the start excluded from every statistic (warm-up). */
  readonly warmupIntervals: number
}

/** A run's grid and what its summaries name and divide by. */
export interface RunGrid extends IntervalGrid {
  /** The scenario's name. */
  readonly name: string
  /** IVR flow codes (group rows reasons.length …) and call reason codes (group rows 0 …). */
  readonly flows: ReadonlyArray<string>
  readonly reasons: ReadonlyArray<string>
  /** A "full day" of an advisor for forms productivity (hours). */
  readonly productiveHoursPerDay: number
}
