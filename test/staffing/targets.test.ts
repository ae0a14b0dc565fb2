/** The target language of `ccsim staff`: every form parses, every mistake is named. */
import { describe, expect, it } from "vitest"
import { meets, parseTargets } from "../../sim/staffing/targets.js"

describe("staffing targets", () => {
  it("parse the documented forms", () => {
    const { targets, problems } = parseTargets("answerRate>=0.90@0.95, meanWait<=120@0.9,penalty<=0.5%@0.9")
    expect(problems).toEqual([])
    expect(targets.map(({ metric, op, value, probability }) => ({ metric, op, value, probability }))).toEqual([
      { metric: "answerRate", op: ">=", value: 0.9, probability: 0.95 },
      { metric: "meanWait", op: "<=", value: 120, probability: 0.9 },
      { metric: "penalty", op: "<=", value: 0.005, probability: 0.9 }
    ])
    expect(parseTargets("answerRate>=90%").targets[0]).toMatchObject({ value: 0.9, probability: 0.5 })
  })

  it("name every mistake with its position", () => {
    const cases: Array<[string, string]> = [
      ["answerRat>=0.9@0.95", 'unknown metric "answerRat"'],
      ["answerRate>=0.9@1", "the probability must be strictly between 0 and 1, got 1"],
      ["answerRate>=0.9@0", "the probability must be strictly between 0 and 1"],
      ["answerRate>=1.5@0.9", "answerRate is a share: give a value between 0 and 1"],
      ["answerRate<=0.9@0.9", "answerRate is a floor: write answerRate>=value"],
      ["meanWait<=abc@0.9", 'the value "abc" is not a number'],
      ["answer rate at least 90", "cannot read"],
      ["", "give at least one target"]
    ]
    for (const [text, message] of cases) {
      const r = parseTargets(text)
      expect(r.targets, text).toEqual([])
      expect(r.problems.map((p) => p.message).join("; "), text).toContain(message)
    }
    expect(parseTargets("answerRate>=0.9@0.95,meanWait<=x").problems.map((p) => p.path)).toEqual(["--target[1]"])
  })

  it("judge a month's value, an unmeasured month never failing", () => {
    const [t] = parseTargets("answerRate>=0.9@0.95").targets
    expect(meets(t!, 0.9)).toBe(true)
    expect(meets(t!, 0.8999)).toBe(false)
    expect(meets(t!, NaN)).toBe(true)
  })
})
