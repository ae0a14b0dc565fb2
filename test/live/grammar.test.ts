/**
 * The two small languages of `ccsim load`: k6-style thresholds and the fault schedule. Each
 * parses into one exact meaning or is refused with a message saying what was expected.
 */
import { describe, expect, it } from "vitest"
import { faultOffsetMs, parseDuration, parseFault } from "../../sim/live/faults.js"
import { judge, parseThreshold, type Threshold } from "../../sim/live/thresholds.js"

const ok = (s: string): Threshold => {
  const t = parseThreshold(s)
  if (typeof t === "string") throw new Error(t)
  return t
}

describe("thresholds", () => {
  it("parse the k6 forms of the issue, with units", () => {
    expect(ok("offer_latency p(99)<50ms")).toEqual({ source: "offer_latency p(99)<50ms", metric: "offer_latency", aggregate: { kind: "p", percentile: 99 }, op: "<", value: 50 })
    expect(ok("error_rate<0.1%")).toEqual({ source: "error_rate<0.1%", metric: "error_rate", aggregate: null, op: "<", value: 0.001 })
    expect(ok(" command_ack avg <= 2s ")).toMatchObject({ metric: "command_ack", aggregate: { kind: "avg" }, op: "<=", value: 2000 })
    expect(ok("psn1_login p(99.9)<800us")).toMatchObject({ aggregate: { kind: "p", percentile: 99.9 }, value: 0.8 })
    expect(ok("answer_rate>=90%")).toMatchObject({ metric: "answer_rate", op: ">=", value: 0.9 })
    expect(ok("lost_calls==0")).toMatchObject({ metric: "lost_calls", op: "==", value: 0 })
    expect(ok("offer_latency count>100")).toMatchObject({ aggregate: { kind: "count" }, value: 100 })
  })

  it("refuse what does not parse, saying what was expected", () => {
    expect(parseThreshold("offer_latency p99 < 50ms")).toBe("expected METRIC [avg|min|med|max|count|p(N)] OP VALUE[ms|s|us|%], e.g. 'offer_latency p(99)<50ms' or 'error_rate<0.1%'")
    expect(parseThreshold("offer_latncy p(99)<50ms")).toMatch(/^unknown metric "offer_latncy"; expected one of connect, login, /)
    expect(parseThreshold("offer_latency<50ms")).toBe("offer_latency is a latency: give an aggregate (avg, min, med, max, count or p(N)), e.g. 'offer_latency p(99)<50ms'")
    expect(parseThreshold("offer_latency p(0)<50ms")).toBe("p(0): the percentile must be in (0, 100]")
    expect(parseThreshold("offer_latency p(99)<5%")).toBe("offer_latency is a latency: use ms, s or us, not %")
    expect(parseThreshold("errors<1%")).toBe("errors is not a fraction: % does not apply")
    expect(parseThreshold("error_rate avg<1%")).toBe("error_rate is a single figure: no aggregate")
  })

  it("judge: a comparison per threshold, and nothing measured is a failure", () => {
    const ts = [ok("offer_latency p(99)<50ms"), ok("error_rate<0.1%"), ok("reconnects==0")]
    const values: Record<string, number | null> = { offer_latency: 12.5, error_rate: 0.002, reconnects: null }
    expect(judge(ts, (t) => values[t.metric] ?? null)).toEqual([
      { threshold: "offer_latency p(99)<50ms", actual: 12.5, ok: true },
      { threshold: "error_rate<0.1%", actual: 0.002, ok: false },
      { threshold: "reconnects==0", actual: null, ok: false }
    ])
  })
})

describe("fault schedule", () => {
  it("parses durations", () => {
    expect([parseDuration("90s"), parseDuration("10m"), parseDuration("1h30m"), parseDuration("500ms"), parseDuration("2.5s"), parseDuration("1m30s")]).toEqual([90_000, 600_000, 5_400_000, 500, 2500, 90_000])
    expect([parseDuration(""), parseDuration("10"), parseDuration("ten minutes")]).toEqual([undefined, undefined, undefined])
  })

  it("parses the issue's three examples and the other kinds", () => {
    expect(parseFault("10m latency 300ms±100")).toEqual({ source: "10m latency 300ms±100", when: { kind: "offset", ms: 600_000 }, kind: "latency", latencyMs: 300, jitterMs: 100, share: 0, forMs: null })
    expect(parseFault("30m vpn-cut 25%")).toMatchObject({ when: { kind: "offset", ms: 1_800_000 }, kind: "vpn-cut", share: 0.25 })
    expect(parseFault("45m server-closing")).toMatchObject({ kind: "server-closing", forMs: null })
    expect(parseFault("5s latency 200+-50 for 10s")).toMatchObject({ latencyMs: 200, jitterMs: 50, forMs: 10_000 })
    expect(parseFault("@10:30 drop 5% for 2m")).toMatchObject({ when: { kind: "timeOfDay", seconds: 37_800 }, kind: "drop", share: 0.05, forMs: 120_000 })
    expect(parseFault("1m refuse-connections for 20s")).toMatchObject({ kind: "refuse-connections", forMs: 20_000 })
  })

  it("refuses what it cannot do, naming the part at fault", () => {
    expect(parseFault("soon latency 300ms")).toBe('when "soon": expected an offset from the start (90s, 10m, 1h30m) or @HH:MM')
    expect(parseFault("10m earthquake")).toBe('unknown fault "earthquake"; expected latency, drop, vpn-cut, refuse-connections, server-closing or clear')
    expect(parseFault("10m vpn-cut 125%")).toBe("vpn-cut: the share must be in (0%, 100%]")
    expect(parseFault("10m vpn-cut 25% for 1m")).toBe("vpn-cut is a one-off cut: no 'for'")
    expect(parseFault("10m latency fast")).toBe("latency: expected MS[±JITTER], e.g. 300ms±100")
    expect(parseFault("10m server-closing now")).toBe("server-closing takes no argument")
  })

  it("places @HH:MM on the scenario's clock of a day run, and refuses it elsewhere or before the run", () => {
    const f = parseFault("@09:00 server-closing") as Exclude<ReturnType<typeof parseFault>, string>
    // A day whose run starts at 08:30 (seconds from the model's t = 0) at ×600: 30 simulated minutes = 3 s.
    const day = 86_400
    expect(faultOffsetMs(f, { startSeconds: day + 8.5 * 3600, dayStartSeconds: day }, 600)).toBe(3000)
    expect(faultOffsetMs(f, { startSeconds: 0, dayStartSeconds: null }, 600)).toBe("@09:00 server-closing: @HH:MM needs a day run of a dated scenario; give an offset such as 10m")
    expect(faultOffsetMs(f, { startSeconds: day + 9.5 * 3600, dayStartSeconds: day }, 600)).toBe("@09:00 server-closing: @09:00 is before the run starts")
  })
})
