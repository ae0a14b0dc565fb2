/** A call carries its run's tag: a call another run left on the server has no owner in this one. */
import { describe, expect, it } from "vitest"
import { parseCallInfo } from "../../sim/live/agent.js"

describe("a call's attached data", () => {
  const data = { run: "ccsim-abc", g: "1", i: "42", talk: "1500.0", wrap: "300.0", k: "1", reason: "enrolmentHelp", t: "1000.000" }
  it("names its injector and index when the run's tag is this run's", () => {
    expect(parseCallInfo("C-1", data, "horsOpposition", "ccsim-abc")).toMatchObject({ owner: 1, index: 42, talkMs: 1500, wrapMs: 300, ticket: true, transfer: false })
  })
  it("has no owner (-1) when another run, or no run, injected it", () => {
    expect(parseCallInfo("C-1", data, "horsOpposition", "ccsim-xyz").owner).toBe(-1)
    const { run: _run, ...untagged } = data
    expect(parseCallInfo("C-1", untagged, "horsOpposition", "ccsim-abc").owner).toBe(-1)
  })
})
