import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { EventCalendar, type Calendar } from "../../sim/engine/calendar.js"
import { HeapCalendar } from "../../sim/engine/heap-calendar.js"

const drain = (cal: Calendar) => {
  const out: Array<[number, number, number]> = []
  while (cal.pop()) out.push([cal.time, cal.kind, cal.id])
  return out
}

// The calendar queue the simulation uses, and the binary heap it replaced (kept as the reference):
// every property holds for both.
describe.each([
  ["EventCalendar (calendar queue)", EventCalendar],
  ["HeapCalendar (binary heap)", HeapCalendar]
] as const)("%s", (_, Cal) => {
  it("pops by time, then by the rank of the kind, then first scheduled first", () => {
    const cal = new Cal([2, 0, 1]) // kind 0 ranks 2, kind 1 ranks 0, kind 2 ranks 1
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
    const cal = new Cal([3, 1])
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

  it("refuses to schedule before the current time, at NaN or at +Infinity", () => {
    const cal = new Cal([0])
    cal.schedule(10, 0, 0)
    cal.pop()
    expect(() => cal.schedule(9.5, 0, 0)).toThrow(RangeError)
    expect(() => cal.schedule(NaN, 0, 0)).toThrow(RangeError)
    expect(() => cal.schedule(Infinity, 0, 0)).toThrow(RangeError)
    expect(cal.size).toBe(0)
    expect(() => cal.schedule(10, 0, 0)).not.toThrow()
  })

  it("refuses ranks that do not fit the packed key", () => {
    expect(() => new Cal([4096])).toThrow(RangeError)
    expect(() => new Cal([1.5])).toThrow(RangeError)
  })

  it("orders any interleaving of schedules and pops exactly like a sorted reference (property)", () => {
    const op = fc.oneof(
      fc.record({ t: fc.constant("s" as const), dt: fc.integer({ min: 0, max: 5 }), kind: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ t: fc.constant("p" as const) })
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const ranks = [3, 1, 2, 0]
        const cal = new Cal(ranks, 2) // tiny, so growth is exercised
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

  it("keeps that order through bursts, long quiet spells, ties and thousands of pending events, as its buckets resize and retune (property)", () => {
    // Thousands of operations per run: the ring doubles and halves and the bucket width follows the
    // gaps between events (every 1,024 pops), so each run crosses several rebuilds.
    const phase = fc.record({
      ops: fc.integer({ min: 200, max: 3000 }),
      scale: fc.constantFrom(1e-3, 0.5, 3, 300, 86_400),
      popShare: fc.double({ min: 0.2, max: 0.8, noNaN: true }),
      tieShare: fc.constantFrom(0, 0.3)
    })
    fc.assert(
      fc.property(fc.array(phase, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (phases, seed) => {
        let x = seed // Lehmer's generator (MINSTD): x in [1, 2^31 − 2], exact in doubles
        const uniform = () => (x = (x * 48271) % 2147483647) / 2147483647
        const ranks = [0, 1, 1, 2, 3]
        const cal = new Cal(ranks, 4)
        const ref: Array<[number, number, number, number]> = [] // time, rank, seq, kind
        let seq = 0
        let now = 0
        const popped: number[] = []
        const expected: number[] = []
        const popRef = () => {
          let best = 0
          for (let i = 1; i < ref.length; i++) {
            const a = ref[i]!
            const b = ref[best]!
            if (a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] < b[2])))) best = i
          }
          const e = ref[best]!
          ref[best] = ref[ref.length - 1]!
          ref.pop()
          expected.push(e[2])
          now = e[0]
        }
        /** What the reference's next event is: [time, rank]. */
        const head = () => {
          let best = ref[0]!
          for (const e of ref) if (e[0] < best[0] || (e[0] === best[0] && (e[1] < best[1] || (e[1] === best[1] && e[2] < best[2])))) best = e
          return [best[0], best[1]]
        }
        const pop = () => {
          cal.pop()
          popped.push(cal.id)
          popRef()
        }
        for (const p of phases) {
          for (let i = 0; i < p.ops; i++) {
            if (ref.length > 0 && uniform() < p.popShare) pop()
            else {
              const kind = Math.floor(uniform() * ranks.length)
              const time = uniform() < p.tieShare ? now : now - p.scale * Math.log(1 - uniform())
              cal.schedule(time, kind, seq)
              ref.push([time, ranks[kind]!, seq, kind])
              seq++
              // A look at the head now and then, between schedules too (the calendar keeps what it found).
              if (uniform() < 0.3) expect([cal.peekTime(), cal.peekRank()]).toEqual(head())
            }
          }
        }
        while (ref.length > 0) pop()
        expect(popped).toEqual(expected)
        expect(cal.size).toBe(0)
        expect(cal.peekTime()).toBe(Infinity)
      }),
      { numRuns: 60, seed: 7 }
    )
  })
})
