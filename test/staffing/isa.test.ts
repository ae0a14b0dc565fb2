/**
 * The iterative staffing algorithm on a stationary queue (constant Poisson arrivals, exponential
 * talk and patience, always open, no redials): started far below, it converges to the exact
 * Erlang A staffing of the interval goal — the fixed point the theory gives.
 */
import * as Effect from "effect/Effect"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { REASON_CODES } from "../../sim/domain/vocabulary.js"
import { loadModel } from "../../sim/model/load.js"
import { createRunner } from "../../sim/run/simulate.js"
import { erlangAAnswer, agentsForAnswerRate } from "../../sim/staffing/erlang-a.js"
import { iterativeStaffing } from "../../sim/staffing/isa.js"
import { dayTypes } from "../../sim/staffing/plan.js"

const tmp = mkdtempSync(join(tmpdir(), "ccsim-isa-"))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe("iterative staffing algorithm", () => {
  it("converges on a stationary case to the exact Erlang A staffing", async () => {
    const talk = REASON_CODES.map((r) => `${r}: { exponential: { meanSeconds: 240 } }`).join(", ")
    const file = join(tmp, "stationary.yaml")
    writeFileSync(
      file,
      `name: stationary\nhorizon: { from: 2026-03-02, to: 2026-03-02 }\nintervalMinutes: 60\ncalendar: always-open\narrivals: { poisson: { perHour: 600 } }\n` +
        `callers:\n  talk: { ${talk} }\n  wrapUp: { deterministic: { seconds: 0 } }\n  patience: { exponential: { meanSeconds: 240 } }\n` +
        `  redials: { probability: 0, delay: { exponential: { meanSeconds: 60 } }, maxAttempts: 1 }\nagents: 1\n`
    )
    const { model } = await Effect.runPromise(loadModel(file))
    const lambda = 600 / 3600
    const mu = 1 / 240
    // A goal halfway between what 40 and 41 agents answer: the exact staffing is 41, clear of both edges.
    const goal = (erlangAAnswer(lambda, mu, mu, 40).answerRate + erlangAAnswer(lambda, mu, mu, 41).answerRate) / 2
    const exact = agentsForAnswerRate(lambda, mu, mu, goal)
    expect(exact).toBe(41)
    const types = dayTypes(model)
    expect(types.length).toBe(1)
    const n = types[0]!.intervals.length
    const start = { present: [new Int32Array(n).fill(30)], load: [new Float64Array(n).fill(lambda)] }
    const runner = createRunner(1)
    const changes: number[] = []
    const r = await iterativeStaffing(model, types, () => ({ answerRate: goal }), start, runner, {
      seed: 4,
      replications: 60,
      iterations: 8,
      onIteration: (_, changed) => changes.push(changed)
    })
    await runner.close()
    expect(changes[0]).toBeGreaterThan(n / 2) // it moved from 30 …
    const interior = Array.from(r.present[0]!).slice(1, n - 1) // the empty start and the horizon's end left out
    expect(r.converged).toBe(true)
    expect(interior).toEqual(interior.map(() => exact))
  })
})
