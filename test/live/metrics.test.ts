/**
 * Measurement: latencies from the intended instant (the scheduler says how late it ran each
 * action), histograms merged across generators rather than percentiles averaged, windows that
 * add up to the total.
 */
import { describe, expect, it } from "vitest"
import { MergedMetrics, Metrics } from "../../sim/live/metrics.js"
import { Scheduler } from "../../sim/live/scheduler.js"

describe("metrics", () => {
  it("merge two generators' histograms into the distribution of all their values (p99 of the union, not the mean of p99s)", () => {
    const a = new Metrics()
    const b = new Metrics()
    // Generator a: 990 fast offers (1 ms); generator b: 10 slow ones (500 ms).
    for (let i = 0; i < 990; i++) a.record("offer_latency", 1)
    for (let i = 0; i < 10; i++) b.record("offer_latency", 500)
    const merged = new MergedMetrics().add(a.totals()).add(b.totals())
    const s = merged.stats("offer_latency")!
    expect(s.count).toBe(1000)
    // Of the union the 99th percentile is still 1 ms and the 99.9th is 500 ms; averaging the two
    // generators' p99s would say 250.5 ms.
    expect(s.p99Ms).toBeCloseTo(1, 2)
    expect(s.p999Ms).toBeCloseTo(500, 0)
    expect(s.maxMs).toBeCloseTo(500, 0)
  })

  it("keeps windows that add up to the total, and counters by name (errors by code)", () => {
    const m = new Metrics()
    m.record("command_ack", 2)
    m.error("INVALID_STATE")
    const w1 = m.takeWindow()
    m.record("command_ack", 4)
    m.record("command_ack", 8)
    m.error("INVALID_STATE")
    m.error("UNKNOWN_CALL")
    const w2 = m.takeWindow()
    const windows = new MergedMetrics().add(w1).add(w2)
    const total = new MergedMetrics().add(m.totals())
    expect(windows.stats("command_ack")).toEqual(total.stats("command_ack"))
    expect(total.countersUnder("errors.")).toEqual({ INVALID_STATE: 2, UNKNOWN_CALL: 1 })
    expect(new MergedMetrics().add(w2).stats("command_ack")!.count).toBe(2)
  })
})

describe("scheduler", () => {
  it("runs actions in (instant, scheduling order), never before their instant, and tells each how late it runs", () => {
    let now = 1000
    const late: number[] = []
    const s = new Scheduler(() => now, (l) => late.push(l))
    const ran: string[] = []
    s.at(1010, () => ran.push("b"))
    s.at(1005, () => ran.push("a"))
    s.at(1010, () => ran.push("c"))
    const cancelled = s.at(1007, () => ran.push("never"))
    cancelled.cancel()
    // The clock jumps past every instant (a busy event loop): all run, in order, each told its lateness.
    now = 1030
    ;(s as unknown as { run(): void }).run()
    expect(ran).toEqual(["a", "b", "c"])
    expect(late).toEqual([25, 20, 20])
    s.stop()
    expect(s.size).toBe(0)
  })

  it("on the real clock: an action due in 20 ms runs no earlier than that", async () => {
    const s = new Scheduler()
    const t0 = performance.timeOrigin + performance.now()
    const at = await new Promise<{ intended: number; ranAt: number }>((resolve) =>
      s.at(t0 + 20, (intended) => resolve({ intended, ranAt: performance.timeOrigin + performance.now() }))
    )
    expect(at.intended).toBe(t0 + 20)
    expect(at.ranAt).toBeGreaterThanOrEqual(t0 + 19.75)
    s.stop()
  })
})
