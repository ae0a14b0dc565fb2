import seedrandom from "seedrandom"
import { describe, expect, it } from "vitest"
import { AleaStream, RandomStreams, ScriptedStream, ScriptedStreams, streamSeed } from "../../sim/engine/random.js"

const draws = (s: { nextDouble(): number }, n: number) => Array.from({ length: n }, () => s.nextDouble())

describe("random streams", () => {
  it("gives the same draws for the same (seed, replication, source)", () => {
    expect(draws(new RandomStreams(7, 3).stream("arrivals"), 5)).toEqual(draws(new RandomStreams(7, 3).stream("arrivals"), 5))
  })

  it("gives different draws for another seed, replication or source", () => {
    const ref = draws(new RandomStreams(7, 3).stream("arrivals"), 5)
    expect(draws(new RandomStreams(8, 3).stream("arrivals"), 5)).not.toEqual(ref)
    expect(draws(new RandomStreams(7, 4).stream("arrivals"), 5)).not.toEqual(ref)
    expect(draws(new RandomStreams(7, 3).stream("handle"), 5)).not.toEqual(ref)
  })

  it("does not shift one source's draws when another source is created or used", () => {
    const alone = draws(new RandomStreams(1, 0).stream("patience"), 10)
    const streams = new RandomStreams(1, 0)
    const other = streams.stream("newSource")
    draws(other, 1000)
    expect(draws(streams.stream("patience"), 10)).toEqual(alone)
  })

  it("draws exactly what seedrandom's Alea draws for the same seed", () => {
    const ours = new AleaStream("ccsim:7:0:arrivals")
    const theirs = seedrandom.alea("ccsim:7:0:arrivals")
    for (let i = 0; i < 10_000; i++) expect(ours.nextDouble()).toBe(theirs())
  })

  it("draws uniformly in [0, 1)", () => {
    const xs = draws(new AleaStream(streamSeed(1, 0, "u")), 100_000)
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...xs)).toBeLessThan(1)
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / xs.length))
  })

  it("scripted streams return their values in order and fail loudly when exhausted", () => {
    const s = new ScriptedStream([0.25, 0.5], "handle")
    expect([s.nextDouble(), s.nextDouble()]).toEqual([0.25, 0.5])
    expect(() => s.nextDouble()).toThrow('scripted stream "handle" exhausted after 2 draws')
    expect(() => new ScriptedStream([1])).toThrow(RangeError)
    expect(() => new ScriptedStreams({}).stream("x").nextDouble()).toThrow("exhausted")
  })
})
