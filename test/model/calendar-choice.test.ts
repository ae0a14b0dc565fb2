// The simulation's event calendar (the calendar queue, sim/engine/calendar.ts) and the binary heap
// it replaced (sim/engine/heap-calendar.ts) give the same run, table for table: the order of events
// is a total order, whatever structure keeps it. Checked on two weeks with redials, forms, closures,
// a telecom incident, IVR dissuasion and shifts, and on an overloaded textbook queue.
import { describe, expect, it } from "vitest"
import { GROUP_COLUMNS, INTERVAL_COLUMNS } from "../../sim/kpi/intervals.js"
import { modelOf, simulate } from "../helpers.js"

const month = modelOf({
  name: "calendar-choice",
  horizon: { from: "2026-03-02", to: "2026-03-15" },
  calendar: { closures: [{ from: "2026-03-10T14:00", to: "2026-03-10T16:00", kind: "exceptional" }] },
  arrivals: { forecast: { dayBusynessCv: 0.1 } },
  events: [{ telecomIncident: { from: "2026-03-12T09:00", to: "2026-03-12T10:00", share: 0.5 } }, { ivrDissuasion: { share: 0.3 } }],
  staffing: { shifts: [{ name: "day", start: "08:30", end: "17:30", advisors: 60 }, { name: "forms", start: "09:00", end: "17:00", advisors: 4, skills: "forms" }] }
})
const overloaded = modelOf({
  name: "overloaded",
  horizon: { hours: 200 },
  calendar: "always-open",
  arrivals: { poisson: { perHour: 1200 } },
  handleTime: { exponential: { meanSeconds: 300 } },
  patience: { exponential: { meanSeconds: 120 } },
  agents: 90
})

describe("the event calendar's structure does not change a run", () => {
  it.each([
    ["two weeks with redials, forms and incidents", month],
    ["an overloaded textbook queue", overloaded]
  ])("%s: calendar queue and binary heap give identical totals and tables", (_, model) => {
    const queue = simulate(model, 3, 1, { calendar: "queue" })
    const heap = simulate(model, 3, 1, { calendar: "heap" })
    expect(queue.totals.events).toBeGreaterThan(10_000)
    expect(queue.totals).toEqual(heap.totals)
    for (const c of INTERVAL_COLUMNS) expect(Array.from(queue.table[c]), c).toEqual(Array.from(heap.table[c]))
    for (const c of GROUP_COLUMNS) expect(Array.from(queue.sim.groups[c]), c).toEqual(Array.from(heap.sim.groups[c]))
  })
})
