/**
 * Arrival laws in dated scenarios: Poisson rates (constant, or per slot of the day) on the
 * contract's calendar, and a replayed call log whose own flows, reasons, talk and patience are
 * used as given — the truest input a planner has.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import { afterAll, describe, expect, it } from "vitest"
import { REASON_CODES } from "../../sim/domain/vocabulary.js"
import { loadModel } from "../../sim/model/load.js"
import { Simulation } from "../../sim/model/simulation.js"
import { RandomStreams } from "../../sim/engine/random.js"
import { runReplication } from "../../sim/run/replicate.js"
import { ccsim } from "../cli/run-cli.js"

const tmp = mkdtempSync(join(tmpdir(), "ccsim-given-"))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const write = (name: string, text: string) => {
  const p = join(tmp, name)
  writeFileSync(p, text)
  return p
}
const load = async (name: string, yaml: string) => (await Effect.runPromise(loadModel(write(name, yaml)))).model

describe("Poisson arrivals in a dated scenario", () => {
  it("run day and night at a constant rate: closed hours dissuade their calls, open hours are served", async () => {
    const model = await load("constant.yaml", "name: c\nhorizon: { from: 2026-03-02, to: 2026-03-03 }\ncalendar: {}\narrivals: { poisson: { perHour: 120 } }\nagents: 20\n")
    const R = 40
    let offered = 0
    let dissuaded = 0
    for (let r = 0; r < R; r++) {
      const { totals, table } = runReplication(model, 2, r)
      offered += totals.offered
      dissuaded += totals.dissuaded
      for (let i = 0; i < model.intervalCount; i++) if (model.status[i] !== 0) expect(table.answered[i]).toBe(0)
    }
    // 48 h at 120/h; 18 of those hours are open (08:30–17:30 on two weekdays).
    expect(Math.abs(offered / R - 5760) / Math.sqrt(5760 / R)).toBeLessThan(4.5)
    expect(Math.abs(dissuaded / R - 3600) / Math.sqrt(3600 / R)).toBeLessThan(4.5)
    expect(Array.from(model.forecastBasisCalls!)).toEqual([2880, 2880].map((x) => expect.closeTo(x, 9)) as unknown as number[])
  })

  it("follow one rate per hour of the day", async () => {
    const rates = Array.from({ length: 24 }, (_, h) => (h === 10 ? 400 : h === 11 ? 100 : 0))
    const model = await load("slots.yaml", `name: s\nhorizon: { from: 2026-03-02, to: 2026-03-02 }\ncalendar: {}\narrivals: { poisson: { perHour: [${rates.join(", ")}] } }\nagents: 60\n`)
    expect(model.callRate[40]! * 3600).toBeCloseTo(400, 9)
    expect(model.callRate[44]! * 3600).toBeCloseTo(100, 9)
    expect(model.callRate[39]).toBe(0)
  })

  it("refuse volume events, which need a forecast", () => {
    const f = write("event.yaml", "name: e\nhorizon: { from: 2026-03-02, to: 2026-03-31 }\ncalendar: {}\narrivals: { poisson: { perHour: 100 } }\nagents: 20\nevents:\n  - mediaCampaign: { from: 2026-03-10, to: 2026-03-20 }\n")
    const r = ccsim(["validate", f])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("events[0].mediaCampaign: changes forecast volumes: it needs arrivals: { forecast }")
  })
})

describe("a replayed call log in a dated scenario", () => {
  const talk = REASON_CODES.map((r) => `${r}: { deterministic: { seconds: 60 } }`).join(", ")
  const yaml = (log: string) =>
    `name: log\nhorizon: { from: 2026-03-02, to: 2026-03-02 }\ncalendar: {}\narrivals: { replay: { csv: ${log} } }\n` +
    `callers:\n  talk: { ${talk} }\n  wrapUp: { deterministic: { seconds: 0 } }\n  patience: { deterministic: { seconds: 1000 } }\n  redials: { probability: 0, delay: { exponential: { meanSeconds: 60 } }, maxAttempts: 1 }\n` +
    "staffing: { plan: [{ from: \"08:30\", to: \"17:30\", phone: 1 }], absence: { rate: 0 } }\n"

  it("replays each call at its time with its own reason, talk and patience (French export, any order)", async () => {
    write(
      "calls.csv",
      "\ufefftime;flow;reason;talkSeconds;patienceSeconds\r\n" +
        "02/03/2026 09:00:10;horsOpposition;enrolmentHelp;100;\r\n" +
        "02/03/2026 09:00:00;opposition;oppositionClosure;;\r\n" +
        "02/03/2026 09:00:20;;outOfScope;;5,5\r\n" +
        "02/03/2026 07:00:00;;;;\r\n"
    )
    const model = await load("log.yaml", yaml("calls.csv"))
    const sim = new Simulation(model, { streams: new RandomStreams(1, 0), trace: true })
    const totals = sim.run()
    const t = (hms: number) => 9 * 3600 + hms
    expect(sim.trace.filter((e) => e[1] !== "login" && e[1] !== "logout")).toEqual([
      [7 * 3600, "arrive", 0],
      [7 * 3600, "dissuade:closure", 0],
      [t(0), "arrive", 1],
      [t(0), "answer", 1, 0],
      [t(10), "arrive", 2],
      [t(10), "queue", 2],
      [t(20), "arrive", 3],
      [t(20), "queue", 3],
      [t(25.5), "abandon", 3],
      [t(60), "release", 0, 1],
      [t(60), "answer", 2, 0],
      [t(160), "release", 0, 2]
    ])
    expect(totals).toMatchObject({ offered: 4, answered: 2, abandoned: 1, dissuaded: 1 })
    const g = sim.groups
    const row = (code: string) => REASON_CODES.indexOf(code as (typeof REASON_CODES)[number])
    expect(g.answered[row("enrolmentHelp")]).toBe(1)
    expect(g.answered[row("oppositionClosure")]).toBe(1)
    expect(g.abandoned[row("outOfScope")]).toBe(1)
  })

  it("names bad rows by file:line", () => {
    write("bad.csv", "time,reason,talkSeconds\n2026-03-02 09:00,nosuch,10\n2026-03-09 09:00,,\nyesterday,,-4\n")
    const r = ccsim(["validate", write("bad.yaml", yaml("bad.csv"))])
    expect(r.code).toBe(2)
    for (const m of [
      'bad.csv:2: reason: unknown code "nosuch"',
      "bad.csv:3: time: 2026-03-09 09:00 is outside the horizon",
      'bad.csv:4: time: expected YYYY-MM-DD HH:MM[:SS] (or DD/MM/YYYY HH:MM[:SS]), got "yesterday"',
      'bad.csv:4: talkSeconds: expected seconds >= 0, got "-4"'
    ]) expect(r.stderr).toContain(m)
  })
})
