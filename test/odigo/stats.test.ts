import { describe, expect, it } from "vitest"
import { AGENT_COUNTERS, CALL_COUNTERS, IntervalStats, parisDayStartMs } from "../../mock-odigo/stats.js"
import { iso, startMock, T0 } from "./harness.js"

const Q = 900_000

describe("mock-odigo cold statistics per 15-minute interval", () => {
  it("credits every counter of a call to the interval it arrived in, even when answered in the next", async () => {
    const h = await startMock()
    // T0 is 08:30 UTC; the call arrives at 08:44:50 and is answered at 08:45:10.
    h.clock.advance(Q - 10_000)
    const ref = await h.inject({ flow: "opposition" })
    h.clock.advance(20_000)
    const a = await h.agent()
    await a.take(2)
    await a.exchange("answer", { callRef: ref }, 3)
    h.clock.advance(200_000)
    await a.exchange("hangup", { callRef: ref }, 4)
    h.clock.advance(40_000)
    await a.exchange("qualify", { callRef: ref, reason: "generalInfo" })
    await a.exchange("endWrapUp", undefined, 2)
    const r = await h.http("GET", `/stats/intervals?from=${iso(T0)}&to=${iso(T0 + 2 * Q)}`)
    expect(r.status).toBe(200)
    const zero = Object.fromEntries([...CALL_COUNTERS, ...AGENT_COUNTERS].map((c) => [c, 0]))
    expect(r.body).toEqual({
      from: iso(T0),
      to: iso(T0 + 2 * Q),
      intervalMinutes: 15,
      flow: "all",
      rows: [
        { ...zero, intervalStart: "2025-11-10T08:30:00.000Z", intervalEnd: "2025-11-10T08:45:00.000Z", offered: 1, answered: 1, qualified: 1, talkEnded: 1, handled: 1, waitAnsweredMs: 20_000, maxWaitMs: 20_000, talkMs: 200_000, wrapUpMs: 40_000 },
        {
          ...zero,
          intervalStart: "2025-11-10T08:45:00.000Z",
          intervalEnd: "2025-11-10T09:00:00.000Z",
          loggedInMs: 240_000,
          busyMs: 200_000,
          wrapUpAgentMs: 40_000
        }
      ]
    })
    const opposition = await h.http("GET", `/stats/intervals?from=${iso(T0)}&to=${iso(T0 + Q)}&flow=opposition`)
    expect(opposition.body.rows[0].offered).toBe(1)
    const other = await h.http("GET", `/stats/intervals?from=${iso(T0)}&to=${iso(T0 + Q)}&flow=horsOpposition`)
    expect(other.body.rows[0].offered).toBe(0)
    await h.checkCalls()
  })

  it("splits advisors' time across interval boundaries and counts ready time (for the availability rate)", async () => {
    const h = await startMock()
    h.clock.advance(10 * 60_000) // 08:40
    const a = await h.agent()
    h.clock.advance(10 * 60_000) // 08:50
    await a.exchange("setState", { state: "notReady", reason: "break" }, 2)
    h.clock.advance(5 * 60_000) // 08:55
    const rows = (await h.http("GET", `/stats/intervals?from=${iso(T0)}&to=${iso(T0 + 2 * Q)}`)).body.rows
    expect(rows.map((r: Record<string, number>) => [r["loggedInMs"], r["readyMs"], r["notReadyMs"]])).toEqual([
      [300_000, 300_000, 0],
      [600_000, 300_000, 300_000]
    ])
    await h.checkCalls()
  })

  it("exports CSV with one header and one line per interval", async () => {
    const h = await startMock()
    await h.inject({ flow: "horsOpposition" })
    const r = await h.http("GET", `/stats/intervals?from=${iso(T0)}&to=${iso(T0 + 2 * Q)}&format=csv`)
    expect(r.status).toBe(200)
    expect(r.headers["content-type"]).toBe("text/csv; charset=utf-8")
    expect(r.headers["content-disposition"]).toBe('attachment; filename="odigo-intervals-2025-11-10.csv"')
    const header = ["intervalStart", "intervalEnd", ...CALL_COUNTERS, ...AGENT_COUNTERS].join(",")
    const zeros = (n: number) => Array(n).fill("0").join(",")
    expect(r.text).toBe(
      `${header}\r\n` +
        `2025-11-10T08:30:00.000Z,2025-11-10T08:45:00.000Z,1,${zeros(CALL_COUNTERS.length - 1)},${zeros(AGENT_COUNTERS.length)}\r\n` +
        `2025-11-10T08:45:00.000Z,2025-11-10T09:00:00.000Z,${zeros(CALL_COUNTERS.length + AGENT_COUNTERS.length)}\r\n`
    )
    await h.checkCalls()
  })

  it("defaults to today in Europe/Paris, and refuses bad or too large ranges", async () => {
    const h = await startMock()
    const today = await h.http("GET", "/stats/intervals")
    // Paris midnight of 10 Nov 2025 is 23:00 UTC the day before; now is 09:30 Paris: 38 past
    // intervals and the current one.
    expect(today.body.from).toBe("2025-11-09T23:00:00.000Z")
    expect(today.body.rows).toHaveLength(39)
    expect(await h.http("GET", "/stats/intervals?from=yesterday")).toMatchObject({
      status: 400,
      body: { code: "INVALID_BODY", message: 'query.from: expected an ISO 8601 date-time, got "yesterday"' }
    })
    expect(await h.http("GET", `/stats/intervals?from=${iso(T0)}&to=${iso(T0 - Q)}`)).toMatchObject({ status: 400, body: { code: "INVALID_BODY", message: "query.to: must be after from" } })
    expect(await h.http("GET", "/stats/intervals?format=xlsx")).toMatchObject({ status: 400, body: { code: "INVALID_BODY", message: 'query.format: Expected "json" | "csv"' } })
    expect(await h.http("GET", `/stats/intervals?from=2025-01-01T00:00:00Z&to=2025-03-01T00:00:00Z`)).toMatchObject({
      status: 400,
      body: { code: "RANGE_TOO_LARGE", message: "The range spans 5664 intervals; at most 2976 (31 days) per request" }
    })
    await h.checkCalls()
  })
})

describe("mock-odigo statistics helpers", () => {
  it("finds the Paris midnight in winter, in summer and on daylight-saving change days", () => {
    expect(iso(parisDayStartMs(Date.parse("2025-11-10T08:30:00Z")))).toBe("2025-11-09T23:00:00.000Z")
    expect(iso(parisDayStartMs(Date.parse("2025-07-14T21:59:59Z")))).toBe("2025-07-13T22:00:00.000Z")
    expect(iso(parisDayStartMs(Date.parse("2025-07-14T22:00:00Z")))).toBe("2025-07-14T22:00:00.000Z")
    expect(iso(parisDayStartMs(Date.parse("2026-03-29T12:00:00Z")))).toBe("2026-03-28T23:00:00.000Z")
    expect(iso(parisDayStartMs(Date.parse("2025-10-26T12:00:00Z")))).toBe("2025-10-25T22:00:00.000Z")
  })

  it("keeps the maximum wait as a maximum and everything else as sums", () => {
    const s = new IntervalStats()
    s.add(T0, "opposition", "maxWaitMs", 30)
    s.add(T0, "horsOpposition", "maxWaitMs", 50)
    s.add(T0, "opposition", "maxWaitMs", 10)
    s.add(T0, "opposition", "talkMs", 10)
    s.add(T0, "opposition", "talkMs", 10)
    expect(s.totals(T0, T0 + Q)).toMatchObject({ maxWaitMs: 50, talkMs: 20 })
    expect(s.intervals(T0, T0 + Q, "opposition")[0]).toMatchObject({ maxWaitMs: 30, talkMs: 20 })
  })
})
