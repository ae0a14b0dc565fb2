/**
 * `ccsim erlang` on hostile and contract-like questions (issue 16 item 3): documented range
 * limits (exit 2, the flag named, no trace), several targets at once, and abandonment and wait
 * printed beside every staffing answer, in text and in JSON.
 */
import { describe, expect, it } from "vitest"
import { ccsim } from "./run-cli.js"

const noTrace = (stderr: string) => expect(stderr).not.toMatch(/\n {4}at |Error:/)
const patience = ["--handle-seconds", "300", "--patience-seconds", "240"]

describe("ccsim erlang: limits", () => {
  it("refuses 1e308 calls per hour with exit 2 and the limit, not a RangeError", () => {
    const r = ccsim(["erlang", "--arrivals-per-hour", "1e308", ...patience, "--agents", "5"])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe("ccsim: ccsim erlang: 1 problem\n  --arrivals-per-hour: must be between 0 and 1,000,000 calls per hour, got 1e+308\n")
    noTrace(r.stderr)
  })

  it("refuses every out-of-range flag at once", () => {
    const r = ccsim(["erlang", "--arrivals-per-hour", "-1", "--handle-seconds", "1e6", "--patience-seconds", "0", "--sl-seconds", "1e9", "--agents", "200000"])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("5 problems")
    for (const flag of ["--arrivals-per-hour", "--handle-seconds", "--patience-seconds", "--sl-seconds", "--agents"]) expect(r.stderr).toContain(`  ${flag}: must be`)
    noTrace(r.stderr)
  })

  it("answers 300,000 calls per hour (ran past 120 s)", () => {
    const r = ccsim(["erlang", "--arrivals-per-hour", "300000", ...patience, "--target-sl", "0.8", "--json"])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).staffing.agents).toBe(23186)
  })
})

describe("ccsim erlang: targets", () => {
  it("meets the contract's pair (answer rate >= 90% and mean wait <= 120 s) and shows abandonment and wait beside the answer", () => {
    const r = ccsim(["erlang", "--arrivals-per-hour", "1000", ...patience, "--target-answer-rate", "0.9", "--target-wait-seconds", "120"])
    expect(r.code).toBe(0)
    expect(r.stdout.split("\n")[0]).toBe(
      "smallest staffing meeting every target (answer rate >= 90.0%, mean wait <= 120 s): 77 agents — answered 90.6%, abandoned 9.4%, mean wait 22.5 s"
    )
  })

  it("warns when a wait target is met because callers hang up", () => {
    const r = ccsim(["erlang", "--arrivals-per-hour", "1000", ...patience, "--target-wait-seconds", "120"])
    const [answer, note] = r.stdout.split("\n")
    expect(answer).toBe("smallest staffing meeting the target (mean wait <= 120 s): 42 agents — answered 50.4%, abandoned 49.6%, mean wait 119.0 s")
    expect(note).toBe("note: 49.6% of callers abandon at this staffing: the targets are met because callers hang up; add --target-answer-rate or --target-abandon-rate")
  })

  it("says an answer-rate target without patience only asks for stability, and prints the wait", () => {
    const r = ccsim(["erlang", "--arrivals-per-hour", "1000", "--handle-seconds", "300", "--target-answer-rate", "0.95"])
    const [answer, note] = r.stdout.split("\n")
    expect(answer).toBe("smallest staffing meeting the target (answer rate >= 95.0%): 84 agents — answered 100.0%, abandoned 0.0%, mean wait 411.3 s")
    expect(note).toMatch(/^note: without --patience-seconds callers never abandon \(Erlang C\)/)
  })

  it("puts the targets, abandonment, wait and notes in the JSON", () => {
    const r = ccsim(["erlang", "--arrivals-per-hour", "1000", ...patience, "--target-wait-seconds", "120", "--json"])
    const out = JSON.parse(r.stdout)
    expect(out.targets).toEqual([{ kind: "meanWait", atMostSeconds: 120 }])
    expect(out.staffing).toMatchObject({ agents: 42 })
    expect(out.staffing.abandonRate).toBeCloseTo(0.496, 3)
    expect(out.staffing.meanWaitSeconds).toBeCloseTo(119.04, 2)
    expect(out.staffing.metrics.abandonRate).toBe(out.staffing.abandonRate)
    expect(out.notes).toHaveLength(1)
  })
})
