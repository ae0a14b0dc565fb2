import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { EventCalendar } from "../../sim/engine/calendar.js"

const drain = (cal: EventCalendar) => {
  const out: Array<[number, number, number]> = []
  while (cal.pop()) out.push([cal.time, cal.kind, cal.id])
  return out
}

describe("EventCalendar", () => {
  it("pops by time, then by the rank of the kind, then first scheduled first", () => {
    const cal = new EventCalendar([2, 0, 1]) // kind 0 ranks 2, kind 1 ranks 0, kind 2 ranks 1
    cal.schedule(5, 0, 10)
    cal.schedule(5, 2, 11)
    cal.schedule(1, 0, 12)
    cal.schedule(5, 1, 13)
    cal.schedule(5, 0, 14)
    cal.schedule(5, 1, 15)
    expect(drain(cal)).toEqual([
      [1, 0, 12],
      [5, 1, 13],
      [5, 1, 15],
      [5, 2, 11],
      [5, 0, 10],
      [5, 0, 14]
    ])
  })

  it("reports the next time and rank without removing, and Infinity when empty", () => {
    const cal = new EventCalendar([3, 1])
    expect(cal.peekTime()).toBe(Infinity)
    expect(cal.peekRank()).toBe(Infinity)
    cal.schedule(2, 0, 0)
    cal.schedule(2, 1, 0)
    expect(cal.peekTime()).toBe(2)
    expect(cal.peekRank()).toBe(1)
    expect(cal.size).toBe(2)
    expect(cal.pop()).toBe(true)
    expect(cal.kind).toBe(1)
    expect(cal.pop()).toBe(true)
    expect(cal.pop()).toBe(false)
  })

  it("refuses to schedule before the current time or at NaN", () => {
    const cal = new EventCalendar([0])
    cal.schedule(10, 0, 0)
    cal.pop()
    expect(() => cal.schedule(9.5, 0, 0)).toThrow(RangeError)
    expect(() => cal.schedule(NaN, 0, 0)).toThrow(RangeError)
    expect(() => cal.schedule(10, 0, 0)).not.toThrow()
  })

  it("refuses ranks that do not fit the packed key", () => {
    expect(() => new EventCalendar([4096])).toThrow(RangeError)
    expect(() => new EventCalendar([1.5])).toThrow(RangeError)
  })

  it("orders any interleaving of schedules and pops exactly like a sorted reference (property)", () => {
    const op = fc.oneof(
      fc.record({ t: fc.constant("s" as const), dt: fc.integer({ min: 0, max: 5 }), kind: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ t: fc.constant("p" as const) })
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const ranks = [3, 1, 2, 0]
        const cal = new EventCalendar(ranks, 2) // tiny, so growth is exercised
        const ref: Array<{ time: number; rank: number; seq: number; kind: number; id: number }> = []
        let seq = 0
        let now = 0
        const popped: number[][] = []
        const expected: number[][] = []
        const popRef = () => {
          ref.sort((a, b) => a.time - b.time || a.rank - b.rank || a.seq - b.seq)
          const e = ref.shift()!
          expected.push([e.time, e.kind, e.id])
          now = e.time
        }
        for (const o of ops) {
          if (o.t === "s") {
            cal.schedule(now + o.dt, o.kind, seq)
            ref.push({ time: now + o.dt, rank: ranks[o.kind]!, seq, kind: o.kind, id: seq })
            seq++
          } else if (ref.length > 0) {
            cal.pop()
            popped.push([cal.time, cal.kind, cal.id])
            popRef()
          }
        }
        while (ref.length > 0) {
          cal.pop()
          popped.push([cal.time, cal.kind, cal.id])
          popRef()
        }
        expect(popped).toEqual(expected)
        expect(cal.size).toBe(0)
      }),
      { numRuns: 300, seed: 42 }
    )
  })
})
