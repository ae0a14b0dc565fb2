/**
 * The live harness against the real mocks (in this process, on 127.0.0.1): the scenario's
 * callers and advisors through Odigo and PSN1, then the two views and the simulation side by
 * side. Bounded: each run lasts its window (tens of seconds at most) and stops by itself.
 */
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { loadModel } from "../../sim/model/load.js"
import { simulateWindow } from "../../sim/live/compare.js"
import { parseFault, type Fault } from "../../sim/live/faults.js"
import { buildDayPlan } from "../../sim/live/plan.js"
import { buildSummary } from "../../sim/live/summary.js"
import { liveRun } from "./servers.js"

const stationary = await Effect.runPromise(loadModel("test/fixtures/live/stationary.yaml"))
const morning = await Effect.runPromise(loadModel("test/fixtures/live/morning.yaml"))

describe("live harness", () => {
  it("on a stationary queue, measures through the mocks the answer rate and mean wait the pure simulation gives for the same callers", async () => {
    const speed = 300
    const plan = buildDayPlan(stationary.model, { seed: 1, speed })
    const { run } = await liveRun(stationary.model, plan, { generators: 2 })
    const sim = await simulateWindow(stationary.model, plan, 20, 1)
    const s = buildSummary({ run, servers: { odigo: "", psn1: "", embedded: true }, generators: 2, productiveHoursPerDay: 7, simulation: sim, thresholds: [], embeddedServers: {} })
    expect(s.failure).toBeNull()
    // Every injected call is accounted for alike by the harness and the mock (the service closes at 09:30: none left waiting).
    expect(s.census.mock).toEqual(s.census.harness)
    expect(s.census.harness.injected).toBe(plan.callers.time.length)
    expect(s.census.harness.waiting).toBe(0)
    expect(s.tickets.equal).toBe(true)
    expect(s.tickets.harness).toBeGreaterThan(5)
    const mock = s.kpis.mock!
    const r0 = sim.replication0
    // Within where one replication of the simulation falls (95%)…
    for (const k of ["answerRate", "meanWaitSeconds"] as const) {
      expect(mock[k]!).toBeGreaterThanOrEqual(sim.oneRun[k][0])
      expect(mock[k]!).toBeLessThanOrEqual(sim.oneRun[k][1])
    }
    // …and close to replication 0, whose callers these are: the answer rate within 2 points, the
    // wait within 15% plus what the platform itself adds to each call (a few ms of offer and
    // answer round trips, × the speed).
    expect(Math.abs(mock.answerRate! - r0.answerRate!)).toBeLessThanOrEqual(0.02)
    expect(Math.abs(mock.meanWaitSeconds! - r0.meanWaitSeconds!)).toBeLessThanOrEqual(0.15 * r0.meanWaitSeconds! + speed * 0.005)
    expect(Math.abs(s.kpis.harness.answerRate! - r0.answerRate!)).toBeLessThanOrEqual(0.02)
    // Talk and handling held for the sampled times (scaled): the mock's DMC within 5% of the simulation's.
    expect(Math.abs(mock.meanTalkSeconds! / r0.meanTalkSeconds! - 1)).toBeLessThan(0.05)
  }, 120_000)

  it("accounts for every call, ticket and form on both sides, through pauses, forms, blended advisors, a VPN cut and added latency", async () => {
    const plan = buildDayPlan(morning.model, { seed: 1, speed: 600, day: "2026-03-02" })
    const faults = ["3s vpn-cut 30%", "7s latency 80ms±20 for 2s"].map((f) => parseFault(f) as Fault)
    const { run } = await liveRun(morning.model, plan, { generators: 2, faults })
    const s = buildSummary({ run, servers: { odigo: "", psn1: "", embedded: true }, generators: 2, productiveHoursPerDay: 7, simulation: null, thresholds: [], embeddedServers: {} })
    expect(s.failure).toBeNull()
    expect(s.window.label).toBe("2026-03-02 08:00–10:00")
    expect(s.people).toEqual({ phone: 14, forms: 1, blended: 2 })
    expect(s.census.mock).toEqual(s.census.harness)
    expect(s.census.harness.injected).toBe(plan.callers.time.length + s.calls.redials)
    expect(s.tickets.equal).toBe(true)
    expect(s.forms.equal).toBe(true)
    expect(s.forms.injected).toBe(plan.forms.time.length)
    expect(s.forms.answered).toBeGreaterThan(0)
    // The cut: some agents dropped, reconnected, and their sessions were restored.
    const cut = s.faults.find((f) => f.fault === "3s vpn-cut 30%")!
    expect(cut.applied).toBe(true)
    expect(cut.note).toMatch(/^[1-9][0-9]* of [0-9]+ connected agents cut$/)
    expect(s.reconnects).toBeGreaterThan(0)
    expect(s.latencies.reconnect?.count).toBe(s.reconnects)
    const slow = s.faults.find((f) => f.fault.startsWith("7s latency"))!
    expect(slow.offerP99DuringMs!).toBeGreaterThan(60)
    // Pauses and blended advisors on forms: not-ready time on the cold statistics.
    const notReady = run.stats!.rows.reduce((a, r) => a + (r["notReadyMs"] as number), 0)
    expect(notReady).toBeGreaterThan(0)
    // The advisors never send a command the platform refuses (only the network may fail a busy machine).
    const refused = Object.keys(s.errors).filter((code) => !["WS_ERROR", "ECONNRESET", "TIMEOUT"].includes(code))
    expect(refused, s.errorSamples.join("\n")).toEqual([])
  }, 120_000)
})
