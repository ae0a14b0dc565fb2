/**
 * Continuity inside a replication (sim/model/incidents.ts, sim/model/simulation.ts): capacity
 * follows a backup site's ramp exactly; a lost site's calls are cut at once (trace); a VPN loss
 * takes advisors off calls but leaves forms going; calls during a zero-capacity closure count as
 * the reading says (exceptional, or technical one key away); the per-site headcounts add up to
 * the plain run's; a dated plan names each column's site.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import type { ScenarioEncoded } from "../../scenarios/schema/scenario.js"
import { parseDate } from "../../sim/domain/dates.js"
import { RandomStreams, ScriptedStreams } from "../../sim/engine/random.js"
import { accessibility, answerRate } from "../../sim/kpi/cctp.js"
import { sumIntervals } from "../../sim/kpi/periods.js"
import { CLOSED_EXCEPTIONAL, CLOSED_TECHNICAL, OPEN } from "../../sim/model/calendar.js"
import { replicationContinuity, replicationSiteStaff } from "../../sim/model/incidents.js"
import { replicationStaff } from "../../sim/model/inputs.js"
import { loadModel } from "../../sim/model/load.js"
import { GROUP_BLENDED, GROUP_FORMS, GROUP_PHONE, type Model } from "../../sim/model/model.js"
import { parsePlanCsv } from "../../sim/model/plancsv.js"
import { Simulation } from "../../sim/model/simulation.js"
import { modelOf } from "../helpers.js"

const ALL_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const

/** One always-open day, two sites staffed around the clock, phone only, nobody absent. */
const twoSites = (a: number, b: number, continuity: NonNullable<ScenarioEncoded["continuity"]>, arrivals: ScenarioEncoded["arrivals"] = { poisson: { perHour: 0 } }): ScenarioEncoded => ({
  name: "continuity-micro",
  horizon: { from: "2026-03-02", to: "2026-03-02" },
  calendar: "always-open",
  arrivals,
  staffing: {
    absence: { rate: 0 },
    sites: [{ name: "a" }, { name: "b" }],
    plan: [
      { days: [...ALL_DAYS], from: "00:00", to: "24:00", phone: a, site: "a" },
      { days: [...ALL_DAYS], from: "00:00", to: "24:00", phone: b, site: "b" }
    ]
  },
  continuity
})

describe("a backup site's ramp", () => {
  // Site a (97 advisors) burns at 02:00; the backup site is activated 1 h later and takes back
  // 30% of them 2 h after activation, 100% after 4 h, linearly in between (from 0 at activation).
  const model = modelOf(
    twoSites(97, 20, {
      incidents: [{ siteLoss: { site: "a", start: "2026-03-02T02:00" } }],
      plans: [{ name: "backup", backupSite: { activationDelayHours: 1, ramp: [{ afterHours: 2, share: 0.3 }, { afterHours: 4, share: 1 }] } }]
    })
  )

  it("logs in exactly 20 + round(ramp × 97) advisors in each 15-minute interval", () => {
    const sim = new Simulation(model, { streams: new RandomStreams(1, 0), trace: true })
    sim.run()
    const loggedIn = Array.from(sim.table.phoneStaffedSeconds.subarray(0, 32), (s) => s / 900)
    // 02:00–03:00 (before activation) and 03:00 (0% at activation): site b alone; then every
    // quarter hour 20 + round(97 × ramp): 0.0375 → 4, 0.075 → 7, 0.1125 → 11, 0.15 → 15, …,
    // 0.3 at 05:00 → 29, 0.3875 → 38, …, 1 at 07:00 → 97.
    expect(loggedIn).toEqual([
      117, 117, 117, 117, 117, 117, 117, 117,
      20, 20, 20, 20, 20, 24, 27, 31,
      35, 38, 42, 45, 49, 58, 66, 75,
      83, 92, 100, 109, 117, 117, 117, 117
    ])
  })

  it("takes site a's 97 advisors off at 02:00 at once, then logs the backup site's in at the boundaries", () => {
    const sim = new Simulation(model, { streams: new RandomStreams(1, 0), trace: true })
    sim.run()
    const at = (t: number, what: string) => sim.trace.filter((e) => e[0] === t && e[1] === what).length
    expect(at(7200, "cut")).toBe(97)
    expect(at(7200, "logout")).toBe(0)
    expect(at(3 * 3600 + 900, "login")).toBe(4)
    expect(at(3 * 3600 + 1800, "login")).toBe(3)
    expect(sim.trace.filter((e) => e[1] === "login").length).toBe(117 + 97)
  })

  it("computes the same headcounts in the replication's continuity inputs, with the planned ones beside them", () => {
    const rc = replicationContinuity(model, new RandomStreams(1, 0))!
    expect(Array.from(rc.staff[GROUP_PHONE]!.subarray(8, 29))).toEqual([20, 20, 20, 20, 20, 24, 27, 31, 35, 38, 42, 45, 49, 58, 66, 75, 83, 92, 100, 109, 117])
    expect(rc.planned[GROUP_PHONE]!.every((x) => x === 117)).toBe(true)
    expect(rc.cuts).toEqual([{ interval: 8, incident: 0, perGroup: [97, 0, 0], keepForms: false }])
  })
})

describe("a site's calls cut at once", () => {
  // Sites a and b have one advisor each. Callers 0 and 1 are on the phone with advisors 0 and 1
  // (1,000 s calls) when site a burns at 02:00; the cut stream picks advisor 0 (0.3 × 2 < 1).
  // Caller 2 arrives at 02:01:40 and waits for advisor 1: advisor 0's call would have ended at
  // 02:13:20, but that advisor is gone.
  const base = modelOf(twoSites(1, 1, { incidents: [{ siteLoss: { site: "a", start: "2026-03-02T02:00" } }], cutCallers: "lost" }, { replay: { seconds: [7000, 7100, 7300] } }))
  const model: Model = {
    ...base,
    talk: base.talk.map(() => ({ kind: "deterministic", seconds: 1000 }) as const),
    wrapUp: null,
    patience: null,
    redial: null,
    transferShare: new Float64Array(base.reasons.length),
    ticketShare: new Float64Array(base.reasons.length)
  }

  it("cuts the call of the lost site's advisor, counts it, and drops that advisor's call end", () => {
    const sim = new Simulation(model, { streams: new ScriptedStreams({ reason: [0.1, 0.2, 0.3], "continuity:cut": [0.3] }), trace: true })
    const totals = sim.run()
    expect(sim.trace).toEqual([
      [0, "login", 0],
      [0, "login", 1],
      [7000, "arrive", 0],
      [7000, "answer", 0, 0],
      [7100, "arrive", 1],
      [7100, "answer", 1, 1],
      [7200, "cut", 0],
      [7200, "callCut", 0],
      [7300, "arrive", 2],
      [7300, "queue", 2],
      [8100, "release", 1, 1],
      [8100, "answer", 2, 1],
      [9100, "release", 1, 2]
    ])
    expect(totals).toMatchObject({ offered: 3, answered: 3, abandoned: 0, inSystemAtEnd: 0, cutCalls: [1], cancelledEvents: 1 })
    // The cut call's last 800 s are not booked as busy time; advisor 0 is not logged in after 02:00.
    expect(sim.table.busySeconds[7]).toBe(200 + 100)
    expect(sim.table.busySeconds[8]).toBe(900)
    expect(sim.table.phoneStaffedSeconds[8]).toBe(900)
  })

  it("lets a cut caller call back by the redial law (cutCallers: redial, the default)", () => {
    const redialing: Model = {
      ...model,
      continuity: { ...model.continuity!, cutCallersRedial: true },
      redial: { probability: 1, delay: { kind: "deterministic", seconds: 600 }, maxAttempts: 3 }
    }
    const sim = new Simulation(redialing, { streams: new ScriptedStreams({ reason: [0.1, 0.2, 0.3], "continuity:cut": [0.3], "continuity:redial": [0.5] }), trace: true })
    const totals = sim.run()
    expect(sim.trace.filter((e) => e[1] === "redial")).toEqual([[7800, "redial", -1]])
    expect(totals).toMatchObject({ offered: 4, answered: 4, cutCalls: [1] })
  })
})

describe("a VPN loss", () => {
  // Monday 2 March 2026, the CCTP volumes: site a has 10 phone advisors, site b 3 blended ones;
  // site b's VPN is down 10:00–12:00. Calls are not offered to b's advisors; they work forms.
  const model = modelOf({
    name: "vpn",
    horizon: { from: "2026-03-02", to: "2026-03-02" },
    calendar: {},
    arrivals: { forecast: {} },
    staffing: {
      absence: { rate: 0 },
      sites: [{ name: "a", vpn: "vpn-a" }, { name: "b", vpn: "vpn-b" }],
      shifts: [
        { name: "phone", site: "a", start: "08:30", end: "17:30", advisors: 10 },
        { name: "blended", site: "b", start: "08:30", end: "17:30", advisors: 3, skills: "both" }
      ]
    },
    continuity: { incidents: [{ vpnLoss: { site: "b", start: "2026-03-02T10:00", end: "2026-03-02T12:00" } }] }
  })
  const outage = [40, 48] as const

  it("moves the site's blended advisors to forms for the outage, and back", () => {
    const rc = replicationContinuity(model, new RandomStreams(1, 0))!
    for (let i = 34; i < 70; i++) {
      const down = i >= outage[0] && i < outage[1]
      expect([rc.staff[GROUP_PHONE]![i], rc.staff[GROUP_BLENDED]![i], rc.staff[GROUP_FORMS]![i]], `interval ${i}`).toEqual(down ? [10, 0, 3] : [10, 3, 0])
    }
    expect(rc.cuts[0]).toMatchObject({ interval: 40, perGroup: [0, 0, 3], keepForms: true })
  })

  it("answers no call with site b while its VPN is down, and keeps its forms going", () => {
    const sim = new Simulation(model, { streams: new RandomStreams(3, 0) })
    sim.run()
    const t = sim.table
    for (let i = outage[0]; i < outage[1]; i++) expect(t.phoneStaffedSeconds[i], `interval ${i}`).toBe(10 * 900)
    const formsIn = (from: number, to: number) => sumIntervals(t, from, to).formsHandled
    // Before the outage the blended advisors are on the phone (calls wait all day: a handful of
    // forms at opening); during it, on forms: 3 advisors × 2 h / 280 s a form ≈ 77.
    expect(formsIn(34, 40)).toBeLessThan(10)
    expect(formsIn(outage[0], outage[1])).toBeGreaterThan(60)
  })
})

describe("calls during a closure while nobody can answer", () => {
  // One site (the implicit `main`): 30 advisors 08:30–17:30 lose their building at 10:00; the
  // backup site is activated at 13:00 and takes them back over an hour. The plan plays a closure
  // message while nobody can answer: 10:00–13:15 (13:00 is the activation, at 0%).
  const doc = (closureKind?: "exceptional" | "technical", closureMessage = true): ScenarioEncoded => ({
    name: "closure",
    horizon: { from: "2026-03-02", to: "2026-03-02" },
    calendar: {},
    arrivals: { forecast: {} },
    staffing: { absence: { rate: 0 }, shifts: [{ name: "day", start: "08:30", end: "17:30", advisors: 30 }] },
    continuity: {
      incidents: [{ siteLoss: { site: "main", start: "2026-03-02T10:00" } }],
      plans: [{ name: "p", closureMessage, backupSite: { activationDelayHours: 3, ramp: [{ afterHours: 1, share: 1 }] } }],
      ...(closureKind === undefined ? {} : { closureKind })
    }
  })
  const run = (d: ScenarioEncoded) => {
    const model = modelOf(d)
    const sim = new Simulation(model, { streams: new RandomStreams(2, 0) })
    sim.run()
    return { model, rc: replicationContinuity(model, new RandomStreams(2, 0))!, t: sim.table }
  }
  const closed = (i: number) => i >= 40 && i <= 52

  it("reads them as an exceptional closure by default: against accessibility, out of the answer rate", () => {
    const { model, rc, t } = run(doc())
    for (let i = 34; i < 70; i++) expect(rc.status[i], `interval ${i}`).toBe(closed(i) ? CLOSED_EXCEPTIONAL : OPEN)
    expect(model.status[45]).toBe(OPEN) // the calendar itself is untouched
    const during = sumIntervals(t, 40, 53)
    expect(during.offered).toBeGreaterThan(500)
    expect(during.dissuadedExceptional).toBe(during.offered)
    expect(during.dissuadedTechnical).toBe(0)
    expect(during.answered).toBe(0)
    const day = sumIntervals(t, 0, 96)
    expect(accessibility(day)).toBeCloseTo(1 - during.offered / day.offered, 12)
    expect(answerRate(day)).toBeCloseTo(day.answered / (day.offered - day.dissuadedClosure - day.dissuadedTelecom - day.dissuadedIvr), 12)
  })

  it("reads them as a technical closure with closureKind: technical (excluded from accessibility)", () => {
    const { rc, t } = run(doc("technical"))
    for (let i = 34; i < 70; i++) expect(rc.status[i]).toBe(closed(i) ? CLOSED_TECHNICAL : OPEN)
    const during = sumIntervals(t, 40, 53)
    expect(during.dissuadedTechnical).toBe(during.offered)
    expect(accessibility(sumIntervals(t, 0, 96))).toBe(1)
  })

  it("lets calls queue and abandon when the plan plays no closure message", () => {
    const { rc, t } = run(doc(undefined, false))
    expect(Array.from(rc.status).includes(CLOSED_EXCEPTIONAL)).toBe(false)
    // Callers of 10:00–12:00 cannot wait until 13:15 (patience: 4 min on average).
    const during = sumIntervals(t, 40, 48)
    expect(during.dissuadedClosure).toBe(0)
    expect(during.answered).toBe(0)
    expect(during.abandoned).toBeGreaterThan(400)
  })
})

describe("headcounts per site", () => {
  it("add up to the headcounts of a run without sites, absence drawn alike", () => {
    const doc: ScenarioEncoded = {
      name: "sites",
      horizon: { from: "2026-03-02", to: "2026-03-15" },
      calendar: {},
      arrivals: { forecast: {} },
      staffing: {
        absence: { rate: 0.08 },
        sites: [{ name: "a" }, { name: "b" }],
        shifts: [
          { name: "early", site: "a", start: "08:30", end: "16:30", breaks: [{ start: "12:00", minutes: 60 }], advisors: 30 },
          { name: "late", site: "b", start: "09:30", end: "17:30", advisors: 20 },
          { name: "both", site: "b", start: "09:00", end: "17:00", advisors: 4, skills: "both" }
        ]
      }
    }
    const model = modelOf(doc)
    const bySite = replicationSiteStaff(model, 2, new RandomStreams(5, 3))
    const plain = replicationStaff(model, new RandomStreams(5, 3))
    for (let g = 0; g < 3; g++) {
      expect(Array.from(bySite[0]![g]!, (x, i) => x + bySite[1]![g]![i]!)).toEqual(Array.from(plain[g]!))
    }
    expect(bySite[0]![GROUP_BLENDED]!.every((x) => x === 0)).toBe(true)
    expect(bySite[1]![GROUP_BLENDED]!.some((x) => x > 0)).toBe(true)
  })
})

describe("a dated plan naming sites (staffing.planCsv with phone@site columns)", () => {
  const ctx = { firstDay: parseDate("2026-03-02")!, dayCount: 1, intervalMinutes: 15, sites: ["Lyon", "nantes"] }

  it("reads each (skill, site) column and sums them per skill", () => {
    const r = parsePlanCsv("start;Phone@lyon;phone@Nantes;both@lyon\n2026-03-02T09:00;10;4;2\n", "p.csv", ctx)
    expect(r.problems).toEqual([])
    expect([r.plan[GROUP_PHONE]![36], r.plan[GROUP_BLENDED]![36]]).toEqual([14, 2])
    expect(r.bySite!.map((c) => [c.group, c.site, c.column[36]])).toEqual([[GROUP_PHONE, 0, 10], [GROUP_PHONE, 1, 4], [GROUP_BLENDED, 0, 2]])
  })

  it("wants every column to name a listed site, and no site without staffing.sites", () => {
    expect(parsePlanCsv("start,phone,forms@paris\n", "p.csv", ctx).problems).toEqual([
      { path: "p.csv:1", message: "phone: with staffing.sites, name the site of each column (phone@lyon)" },
      { path: "p.csv:1", message: 'forms@paris: unknown site "paris"; expected one of lyon, nantes' }
    ])
    expect(parsePlanCsv("start,phone@lyon\n", "p.csv", { ...ctx, sites: undefined }).problems).toEqual([{ path: "p.csv:1", message: "phone@lyon: staffing.sites lists no site" }])
  })

  it("loses only the burnt site's column", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ccsim-sites-"))
    try {
      const rows = ["start,phone@a,phone@b"]
      for (let q = 34; q < 70; q++) rows.push(`2026-03-02T${String(Math.floor(q / 4)).padStart(2, "0")}:${String((q % 4) * 15).padStart(2, "0")},30,12`)
      writeFileSync(join(dir, "plan.csv"), rows.join("\n") + "\n")
      writeFileSync(
        join(dir, "s.yaml"),
        [
          "name: plan-sites",
          "horizon: { from: 2026-03-02, to: 2026-03-02 }",
          "calendar: {}",
          "arrivals: { forecast: {} }",
          "staffing: { planCsv: plan.csv, absence: { rate: 0.1 }, sites: [{ name: a }, { name: b }] }",
          'continuity: { incidents: [{ siteLoss: { site: a, start: "2026-03-02T11:00" } }] }'
        ].join("\n")
      )
      const { model } = await Effect.runPromise(loadModel(join(dir, "s.yaml")))
      const rc = replicationContinuity(model, new RandomStreams(1, 0))!
      const sites = replicationSiteStaff(model, 2, new RandomStreams(1, 0))
      expect(Array.from(rc.staff[GROUP_PHONE]!.subarray(44, 70))).toEqual(Array.from(sites[1]![GROUP_PHONE]!.subarray(44, 70)))
      expect(Array.from(rc.planned[GROUP_PHONE]!.subarray(34, 70), (x, k) => x - sites[0]![GROUP_PHONE]![34 + k]!)).toEqual(Array.from(sites[1]![GROUP_PHONE]!.subarray(34, 70)))
      expect(sites[0]![GROUP_PHONE]![40]).toBeLessThanOrEqual(30)
      expect(sites[1]![GROUP_PHONE]![40]).toBeLessThanOrEqual(12)
      expect(rc.cuts[0]!.perGroup[GROUP_PHONE]).toBe(sites[0]![GROUP_PHONE]![43])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
