/**
 * A searched staffing plan and the ways it leaves the search: day types (a month's Mondays, …),
 * the phone advisors each shift type gets on each day type, and from it a model to simulate
 * (the scenario's forms and blended teams kept as they are), a `staffing.planCsv` file, a
 * `staffing.shifts` block, and the hours and FTE per month.
 *
 * Invariant: a plan's scheduled hours are exactly what its model schedules (same blocks).
 */
import { FTE_HOURS_PER_DAY, WEEKDAYS } from "../domain/assumptions.js"
import { formatDate, formatMonth, parseDate, weekday } from "../domain/dates.js"
import { isWorkingDay } from "../domain/holidays.js"
import { OPEN } from "../model/calendar.js"
import { GROUP_BLENDED, GROUP_FORMS, GROUP_PHONE, type Model, type StaffBlock } from "../model/model.js"
import { scheduledSecondsByDay } from "../model/schedule.js"
import { shiftTimes, type ShiftType } from "./shifts.js"

/** Days that share a requirement curve: one month's open days of one weekday. */
export interface DayType {
  readonly key: string
  readonly month: string
  /** 0 = Monday … 6 = Sunday. */
  readonly weekday: number
  /** Day indices (0-based from the model's first day). */
  readonly days: ReadonlyArray<number>
  /** Intervals of the day (0..intervalsPerDay) open on these days. */
  readonly intervals: ReadonlyArray<number>
}

/** The day types of a dated model: each (month, weekday) with open days. */
export const dayTypes = (model: Model): DayType[] => {
  const first = parseDate(model.firstDate!)!
  const perDay = model.intervalsPerDay
  const byKey = new Map<string, { month: string; weekday: number; days: number[]; open: Set<number> }>()
  for (let d = 0; d < model.dayCount; d++) {
    let any = false
    const open: number[] = []
    for (let k = 0; k < perDay; k++) {
      if (model.status[d * perDay + k] === OPEN) {
        any = true
        open.push(k)
      }
    }
    if (!any) continue
    const month = formatMonth(first + d)
    const w = weekday(first + d)
    const key = `${month}-${WEEKDAYS[w]}`
    let t = byKey.get(key)
    if (t === undefined) {
      t = { month, weekday: w, days: [], open: new Set() }
      byKey.set(key, t)
    }
    t.days.push(d)
    for (const k of open) t.open.add(k)
  }
  return [...byKey.entries()].map(([key, t]) => ({ key, month: t.month, weekday: t.weekday, days: t.days, intervals: [...t.open].sort((a, b) => a - b) }))
}

export interface StaffPlan {
  readonly catalogue: ReadonlyArray<ShiftType>
  readonly types: ReadonlyArray<DayType>
  /** counts[type][shift]: phone advisors scheduled (before absence). */
  readonly counts: ReadonlyArray<Int32Array>
}

/** The pieces of the day a shift works, as [fromInterval, toInterval). */
const pieces = (s: ShiftType, intervalMinutes: number): Array<readonly [number, number]> => {
  const at = (m: number) => m / intervalMinutes
  return s.lunchStart < 0
    ? [[at(s.start), at(s.end)]]
    : [[at(s.start), at(s.lunchStart)], [at(s.lunchStart + s.lunchMinutes), at(s.end)]]
}

/** The scenario's staff blocks other than phone-only (forms-only and blended teams). */
const keptBlocks = (model: Model): StaffBlock[] => model.staffBlocks.filter((b) => b.group === GROUP_FORMS || b.group === GROUP_BLENDED)

/** A model whose phone advisors are the plan's (forms and blended teams kept). */
export const modelWithPlan = (model: Model, plan: StaffPlan): Model => {
  const intervalMinutes = model.intervalSeconds / 60
  const blocks: StaffBlock[] = plan.catalogue.flatMap((s, j) => {
    const advisorsByDay = new Int32Array(model.dayCount)
    let any = false
    plan.types.forEach((t, i) => {
      const n = plan.counts[i]![j]!
      if (n === 0) return
      any = true
      for (const d of t.days) advisorsByDay[d] = n
    })
    return any ? [{ group: GROUP_PHONE, advisorsByDay, pieces: pieces(s, intervalMinutes) }] : []
  })
  const staffBlocks = [...blocks, ...keptBlocks(model)]
  const m = { ...model, staffBlocks, staffPlan: null, scheduledPlan: null, constantStaff: [0, 0, 0] }
  return { ...m, scheduledSeconds: scheduledSecondsByDay(m) }
}

/**
 * A model whose phone advisors *present* are exactly `present[type][k]` in each open interval of
 * each day type (no absence, no shifts: the iterative staffing algorithm's model); forms-only and
 * blended teams at their expected presence (scheduled × (1 − absence), rounded).
 */
export const modelWithPresent = (model: Model, types: ReadonlyArray<DayType>, present: ReadonlyArray<Int32Array>): Model => {
  const perDay = model.intervalsPerDay
  const phone = new Int32Array(model.intervalCount)
  types.forEach((t, i) => {
    const row = present[i]!
    for (const d of t.days) t.intervals.forEach((k, x) => (phone[d * perDay + k] = row[x]!))
  })
  const forms = new Float64Array(model.intervalCount)
  const blended = new Float64Array(model.intervalCount)
  const keep = 1 - model.absenceRate
  for (const b of keptBlocks(model)) {
    const column = b.group === GROUP_FORMS ? forms : blended
    for (let d = 0; d < model.dayCount; d++) {
      const n = b.advisorsByDay[d]!
      if (n === 0) continue
      for (const [from, to] of b.pieces) for (let k = from; k < to; k++) if (d * perDay + k < model.intervalCount) column[d * perDay + k]! += n * keep
    }
  }
  const round = (c: Float64Array) => Int32Array.from(c, (x) => Math.round(x))
  const staffPlan = [phone, round(forms), round(blended)]
  return { ...model, staffPlan, scheduledSeconds: scheduledSecondsByDay({ ...model, staffPlan }) }
}

export interface MonthHours {
  readonly month: string
  /** Paid hours scheduled (phone advisors of the plan; forms and blended teams of the scenario). */
  readonly paidHours: number
  readonly phoneHours: number
  readonly workingDays: number
  /** paidHours / (7 h × working days) (README "FTE"). */
  readonly fte: number
}

/** Scheduled hours and FTE per month of a model (before absence). */
export const monthHours = (model: Model): MonthHours[] => {
  const first = parseDate(model.firstDate!)!
  const out = new Map<string, { paid: number; phone: number; working: number }>()
  const [phone, forms, blended] = model.scheduledSeconds
  for (let d = 0; d < model.dayCount; d++) {
    const month = formatMonth(first + d)
    const m = out.get(month) ?? { paid: 0, phone: 0, working: 0 }
    m.phone += (phone?.[d] ?? 0) / 3600
    m.paid += ((phone?.[d] ?? 0) + (forms?.[d] ?? 0) + (blended?.[d] ?? 0)) / 3600
    if (isWorkingDay(first + d)) m.working++
    out.set(month, m)
  }
  return [...out.entries()].map(([month, m]) => ({
    month,
    paidHours: m.paid,
    phoneHours: m.phone,
    workingDays: m.working,
    fte: m.working > 0 ? m.paid / (FTE_HOURS_PER_DAY * m.working) : 0
  }))
}

/** The plan as a `staffing.planCsv` file: scheduled headcount per interval and skill (forms and blended teams included). */
export const planCsvText = (model: Model): string => {
  const first = parseDate(model.firstDate!)!
  const perDay = model.intervalsPerDay
  const minutes = model.intervalSeconds / 60
  const columns = [new Int32Array(model.intervalCount), new Int32Array(model.intervalCount), new Int32Array(model.intervalCount)]
  for (const b of model.staffBlocks) {
    for (let d = 0; d < model.dayCount; d++) {
      const n = b.advisorsByDay[d]!
      if (n === 0) continue
      for (const [from, to] of b.pieces) for (let k = from; k < to; k++) columns[b.group]![d * perDay + k]! += n
    }
  }
  const lines = ["start,phone,forms,both"]
  for (let i = 0; i < model.intervalCount; i++) {
    const [p, f, bl] = columns.map((c) => c[i]!) as [number, number, number]
    if (p + f + bl === 0) continue
    const d = Math.floor(i / perDay)
    const m = (i % perDay) * minutes
    lines.push(`${formatDate(first + d)}T${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")},${p},${f},${bl}`)
  }
  return lines.join("\n") + "\n"
}

/**
 * The plan as a `staffing.shifts` block (YAML): one shift per shift type used, its advisors per
 * month and weekday (`advisorsByMonth: { "2026-03": { mon: 30, … } }`), the scenario's forms and
 * blended teams to be added as they were.
 */
export const shiftsYaml = (plan: StaffPlan, kept: ReadonlyArray<unknown> = []): string => {
  const lines = ["# Phone shifts found by `ccsim staff`, then the scenario's forms and blended shifts as they were.", "shifts:"]
  plan.catalogue.forEach((s, j) => {
    const byMonth = new Map<string, Map<number, number>>()
    plan.types.forEach((t, i) => {
      const n = plan.counts[i]![j]!
      if (n === 0) return
      const m = byMonth.get(t.month) ?? new Map<number, number>()
      m.set(t.weekday, n)
      byMonth.set(t.month, m)
    })
    if (byMonth.size === 0) return
    const t = shiftTimes(s)
    const months = [...byMonth.entries()]
      .map(([month, days]) => `"${month}": { ${[...days.entries()].sort((a, b) => a[0] - b[0]).map(([w, n]) => `${WEEKDAYS[w]}: ${n}`).join(", ")} }`)
      .join(", ")
    const days = [...new Set([...byMonth.values()].flatMap((m) => [...m.keys()]))].sort((a, b) => a - b).map((w) => WEEKDAYS[w])
    lines.push(
      `  - { name: "${t.start}-${t.end}${t.lunch ? `-l${t.lunch}` : ""}", days: [${days.join(", ")}], start: "${t.start}", end: "${t.end}"` +
        (t.lunch ? `, breaks: [{ start: "${t.lunch}", minutes: ${s.lunchMinutes} }]` : "") +
        `, advisors: 0, advisorsByMonth: { ${months} } }`
    )
  })
  // JSON is YAML's flow style: the kept shifts go back exactly as decoded.
  for (const k of kept) lines.push(`  - ${JSON.stringify(k)}`)
  return lines.join("\n") + "\n"
}

/**
 * A scenario that runs the plan: it extends the staffed scenario and replaces its shifts (a plan
 * or plan CSV it had is removed: `null` in an `extends` child drops the parent's key).
 */
export const staffedScenarioYaml = (parentRelativePath: string, name: string, shifts: string, dropped: ReadonlyArray<string>): string =>
  [
    "# yaml-language-server: $schema=./scenario.schema.json",
    "# Written by `ccsim staff`: the staffed scenario with the searched shifts. Run it with fresh seeds:",
    `#   ccsim run ${name}.yaml --seed 2 --replications 20`,
    `extends: ${JSON.stringify(parentRelativePath)}`,
    `name: ${name}`,
    "staffing:",
    ...dropped.map((k) => `  ${k}: null`),
    ...shifts.split("\n").filter((l) => l !== "" && !l.startsWith("#")).map((l) => `  ${l}`)
  ].join("\n") + "\n"
