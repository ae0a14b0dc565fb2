/**
 * Scripted micro-models: arrivals replayed at exact times, deterministic or scripted handle
 * times and patience, so every event time is known and whole traces can be asserted —
 * including events at the same instant, whose order is the documented tie-break:
 * boundary, then service end, then arrival, then abandonment.
 */
import { describe, expect, it } from "vitest"
import { ScriptedStreams } from "../../sim/engine/random.js"
import { Simulation } from "../../sim/model/simulation.js"
import type { ScenarioEncoded } from "../../scenarios/schema/scenario.js"
import { modelOf, withPhoneStaff } from "../helpers.js"

const base = (over: Partial<ScenarioEncoded>): ScenarioEncoded => ({
  name: "micro",
  horizon: { hours: 1 },
  calendar: "always-open",
  arrivals: { replay: { seconds: [] } },
  handleTime: { deterministic: { seconds: 30 } },
  agents: 1,
  serviceLevelSeconds: 20,
  ...over
})

const run = (doc: ScenarioEncoded, scripts: Record<string, number[]> = {}) => {
  const sim = new Simulation(modelOf(doc), { streams: new ScriptedStreams(scripts), trace: true })
  const totals = sim.run()
  return { trace: sim.trace, totals, table: sim.table }
}

describe("scripted micro-models", () => {
  it("serves three simultaneous callers on two agents in arrival order, the third when an agent frees", () => {
    const { trace, totals } = run(base({ agents: 2, arrivals: { replay: { seconds: [0, 0, 0] } } }))
    expect(trace).toEqual([
      [0, "login", 0],
      [0, "login", 1],
      [0, "arrive", 0],
      [0, "answer", 0, 0],
      [0, "arrive", 1],
      [0, "answer", 1, 1],
      [0, "arrive", 2],
      [0, "queue", 2],
      [30, "release", 0, 0],
      [30, "answer", 2, 0],
      [30, "release", 1, 1],
      [60, "release", 0, 2]
    ])
    expect(totals).toMatchObject({ offered: 3, answered: 3, abandoned: 0, inSystemAtEnd: 0, inServiceAtEnd: 0 })
  })

  it("at one instant, frees the agent before the arrival: the queued caller is served first, the newcomer queues", () => {
    const { trace } = run(base({ arrivals: { replay: { seconds: [0, 10, 30] } } }))
    expect(trace).toEqual([
      [0, "login", 0],
      [0, "arrive", 0],
      [0, "answer", 0, 0],
      [10, "arrive", 1],
      [10, "queue", 1],
      [30, "release", 0, 0],
      [30, "answer", 1, 0],
      [30, "arrive", 2],
      [30, "queue", 2],
      [60, "release", 0, 1],
      [60, "answer", 2, 0],
      [90, "release", 0, 2]
    ])
  })

  it("serves a caller whose patience ends exactly when an agent frees (abandonment ranks last)", () => {
    // Caller 1 arrives at 10 with patience 20: both the agent's release and the patience end are at 30.
    const { trace, totals, table } = run(
      base({ arrivals: { replay: { seconds: [0, 10] } }, patience: { deterministic: { seconds: 20 } } })
    )
    expect(trace).toEqual([
      [0, "login", 0],
      [0, "arrive", 0],
      [0, "answer", 0, 0],
      [10, "arrive", 1],
      [10, "queue", 1],
      [30, "release", 0, 0],
      [30, "answer", 1, 0],
      [60, "release", 0, 1]
    ])
    expect(totals).toMatchObject({ answered: 2, abandoned: 0, cancelledEvents: 1 })
    expect(table.waitSeconds[0]).toBe(20)
    expect(table.answeredWithinSl[0]).toBe(2) // a wait of exactly 20 s is within 20 s
  })

  it("abandons a caller whose patience expires before an agent frees, and skips them in the queue", () => {
    // Caller 1 (patience 5) gives up at 15; caller 2 (patience 100) is next in line at 30.
    const { trace, totals, table } = run(
      base({
        arrivals: { replay: { seconds: [0, 10, 12] } },
        patience: { empirical: { points: [{ seconds: 5, weight: 1 }, { seconds: 100, weight: 1 }] } }
      }),
      { patience: [0.9, 0.1, 0.9] } // caller 0: 100 s, caller 1: 5 s, caller 2: 100 s
    )
    expect(trace).toEqual([
      [0, "login", 0],
      [0, "arrive", 0],
      [0, "answer", 0, 0],
      [10, "arrive", 1],
      [10, "queue", 1],
      [12, "arrive", 2],
      [12, "queue", 2],
      [15, "abandon", 1],
      [30, "release", 0, 0],
      [30, "answer", 2, 0],
      [60, "release", 0, 2]
    ])
    expect(totals).toMatchObject({ offered: 3, answered: 2, abandoned: 1, inSystemAtEnd: 0, cancelledEvents: 1 })
    expect(table.waitSeconds[0]).toBe(0 + 5 + 18)
  })

  it("draws each caller's handle time at arrival, from its own stream, in arrival order", () => {
    const { trace } = run(
      base({
        agents: 2,
        arrivals: { replay: { seconds: [0, 1] } },
        handleTime: { empirical: { points: [{ seconds: 40, weight: 1 }, { seconds: 7, weight: 1 }] } }
      }),
      { talk: [0.2, 0.7] }
    )
    expect(trace.filter((e) => e[1] === "release")).toEqual([
      [8, "release", 1, 1],
      [40, "release", 0, 0]
    ])
  })

  it("applies a staffing change at an interval boundary before an arrival at the same instant", () => {
    // 15-minute intervals. One agent busy 0..1800 with a long call; two callers arrive at 900,
    // exactly when the plan raises staff to 3: the new agents are in before the callers arrive.
    const doc = base({
      horizon: { hours: 1 },
      arrivals: { replay: { seconds: [0, 900, 900] } },
      handleTime: { empirical: { points: [{ seconds: 1800, weight: 1 }, { seconds: 60, weight: 1 }] } },
      agents: 1
    })
    const model = modelOf(doc)
    // Raise the plan to 3 agents from the second interval (t = 900).
    const sim = new Simulation(withPhoneStaff(model, [1, 3, 3, 1]), { streams: new ScriptedStreams({ talk: [0.1, 0.9, 0.9] }), trace: true })
    sim.run()
    expect(sim.trace).toEqual([
      [0, "login", 0],
      [0, "arrive", 0],
      [0, "answer", 0, 0],
      [900, "login", 1],
      [900, "login", 2],
      [900, "arrive", 1],
      [900, "answer", 1, 1],
      [900, "arrive", 2],
      [900, "answer", 2, 2],
      [960, "release", 1, 1],
      [960, "release", 2, 2],
      [1800, "release", 0, 0],
      // t = 2700: the plan drops to 1; the most recently idle leave first (0, then 2) and the
      // longest idle (1) stays.
      [2700, "logout", 0],
      [2700, "logout", 2]
    ])
  })

  it("lets a busy agent finish the call before logging out when staff is cut", () => {
    const doc = base({ horizon: { hours: 1 }, arrivals: { replay: { seconds: [850, 860] } }, handleTime: { deterministic: { seconds: 100 } }, agents: 2 })
    const model = modelOf(doc)
    const sim = new Simulation({ ...withPhoneStaff(model, [2, 0, 0, 0]), shiftEnd: "firstFree" }, { streams: new ScriptedStreams({}), trace: true })
    const totals = sim.run()
    expect(sim.trace).toEqual([
      [0, "login", 0],
      [0, "login", 1],
      [850, "arrive", 0],
      [850, "answer", 0, 0],
      [860, "arrive", 1],
      [860, "answer", 1, 1],
      [950, "release", 0, 0],
      [950, "logout", 0],
      [960, "release", 1, 1],
      [960, "logout", 1]
    ])
    expect(totals).toMatchObject({ offered: 2, answered: 2 })
    // Staffed agent-seconds: 2 agents for 900 s, then 50 s + 60 s of the two finishing calls.
    expect(sim.table.staffedSeconds[0]).toBe(1800)
    expect(sim.table.staffedSeconds[1]).toBe(110)
    expect(sim.table.busySeconds[0]).toBe(50 + 40)
    expect(sim.table.busySeconds[1]).toBe(110)
  })

  it("counts callers still waiting at the horizon as in system, with their wait so far", () => {
    const { totals, table } = run(base({ horizon: { hours: 1 }, arrivals: { replay: { seconds: [0, 3500, 3590] } }, handleTime: { deterministic: { seconds: 4000 } } }))
    expect(totals).toMatchObject({ offered: 3, answered: 1, abandoned: 0, inSystemAtEnd: 2, inServiceAtEnd: 1 })
    expect(table.inSystemAtEnd[3]).toBe(2)
    expect(table.waitSeconds[3]).toBe(100 + 10)
  })

  describe("who leaves at a shift end (staffing.shiftEnd)", () => {
    // Two agents until 900 s, then one. Agent 0 logged in first and takes a 300 s call at 850;
    // agent 1 takes a 100 s call at 860; a third caller arrives at 910 and waits.
    const doc = base({ arrivals: { replay: { seconds: [850, 860, 910] } }, handleTime: { uniform: { minSeconds: 0, maxSeconds: 1000 } }, agents: 2 })
    const traceOf = (shiftEnd: "ownCall" | "firstFree") => {
      const model = { ...withPhoneStaff(modelOf(doc), [2, 1, 1, 1]), shiftEnd }
      const sim = new Simulation(model, { streams: new ScriptedStreams({ talk: [0.3, 0.1, 0.2] }), trace: true })
      sim.run()
      return sim.trace
    }
    const start = [
      [0, "login", 0],
      [0, "login", 1],
      [850, "arrive", 0],
      [850, "answer", 0, 0],
      [860, "arrive", 1],
      [860, "answer", 1, 1]
    ]

    it("firstFree: whoever finishes first leaves — agent 1 at 960, and the waiting caller waits for agent 0", () => {
      expect(traceOf("firstFree")).toEqual([
        ...start,
        [910, "arrive", 2],
        [910, "queue", 2],
        [960, "release", 1, 1],
        [960, "logout", 1],
        [1150, "release", 0, 0],
        [1150, "answer", 2, 0],
        [1350, "release", 0, 2]
      ])
    })

    it("ownCall: agent 0, whose shift ends, is named at 900 and leaves after their own call; agent 1 keeps working", () => {
      expect(traceOf("ownCall")).toEqual([
        ...start,
        [900, "leaving", 0],
        [910, "arrive", 2],
        [910, "queue", 2],
        [960, "release", 1, 1],
        [960, "answer", 2, 1],
        [1150, "release", 0, 0],
        [1150, "logout", 0],
        [1160, "release", 1, 2]
      ])
    })
  })
})
