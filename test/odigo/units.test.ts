import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Agent, Call } from "../../mock-odigo/acd/model.js"
import { CallQueue } from "../../mock-odigo/acd/queue.js"
import { ReadyPool } from "../../mock-odigo/acd/ready-pool.js"
import { ManualClock } from "../../mock-odigo/clock.js"
import { Faults } from "../../mock-odigo/faults.js"
import { Conn, onClientCommands, type TransportLimits } from "../../mock-odigo/transport.js"
import { until } from "./harness.js"

/** A stand-in for a ws WebSocket whose backlog the test controls. */
class FakeSocket {
  readyState = 1
  bufferedAmount = 0
  isPaused = false
  readonly sent: Array<string> = []
  readonly calls: Array<string> = []
  send(text: string): void {
    this.sent.push(text)
  }
  pause(): void {
    this.isPaused = true
    this.calls.push("pause")
  }
  resume(): void {
    this.isPaused = false
    this.calls.push("resume")
  }
  close(code: number, reason: string): void {
    this.readyState = 2
    this.calls.push(`close ${code} ${reason}`)
  }
  terminate(): void {
    this.readyState = 3
    this.calls.push("terminate")
  }
}

/** A FakeSocket that also delivers events to listeners, as ws does (`on` / `emit`). */
class WiredSocket extends FakeSocket {
  private readonly listeners = new Map<string, Array<(...args: Array<unknown>) => void>>()
  on(event: string, fn: (...args: Array<unknown>) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn])
    return this
  }
  emit(event: string, ...args: Array<unknown>): void {
    for (const fn of this.listeners.get(event) ?? []) fn(...args)
  }
}

const LIMITS: TransportLimits = { ratePerSec: 10, burst: 3, floodCloseAfter: 2, highWaterBytes: 1000, hardLimitBytes: 5000 }

const connOf = (ws: FakeSocket, clock = new ManualClock(0), faults = new Faults()) => {
  const counters = { heldFrames: 0 }
  const conn = new Conn(ws as never, "agent", LIMITS, { clock, faults, tap: undefined, counters })
  return { conn, counters, clock, faults }
}

describe("mock-odigo transport: a connection that does not read", () => {
  it("stops reading a client whose backlog passes the high-water mark and resumes once it drains below half", async () => {
    const ws = new FakeSocket()
    const { conn } = connOf(ws)
    conn.send({ type: "ack", id: "1" })
    expect(ws.calls).toEqual([])
    ws.bufferedAmount = 1500
    conn.send({ type: "ack", id: "2" })
    expect(ws.calls).toEqual(["pause"])
    ws.bufferedAmount = 400
    await until("the connection resumes", () => !ws.isPaused)
    expect(ws.calls).toEqual(["pause", "resume"])
    conn.dispose()
  })

  it("closes a client whose backlog passes the hard limit with 4002 and sends it nothing more", () => {
    const ws = new FakeSocket()
    const { conn } = connOf(ws)
    ws.bufferedAmount = 6000
    conn.send({ type: "ack", id: "1" })
    expect(ws.calls).toEqual(["close 4002 slow consumer"])
    conn.send({ type: "ack", id: "2" })
    expect(ws.sent).toEqual(['{"type":"ack","id":"1"}'])
    conn.dispose()
  })

  it("admits `burst` frames, then refuses, then asks to close after `floodCloseAfter` refusals in a row; time refills", () => {
    const { conn, clock } = connOf(new FakeSocket())
    expect([conn.admit(), conn.admit(), conn.admit(), conn.admit(), conn.admit(), conn.admit()]).toEqual(["ok", "ok", "ok", "limited", "limited", "close"])
    clock.advance(100)
    expect(conn.admit()).toBe("ok")
    expect(conn.admit()).toBe("limited")
  })

  it("charges each client frame to the budget before decoding it: frames over budget are refused unread", () => {
    const ws = new WiredSocket()
    const { conn } = connOf(ws)
    const decoded: Array<string> = []
    const decode = (text: string) => {
      decoded.push(text)
      return { ok: true as const, id: (JSON.parse(text) as { id: string }).id, command: "ping" }
    }
    onClientCommands(conn, decode, (_command, id) => conn.sendAck(id), () => {}, "bug")
    for (let i = 0; i < 6; i++) ws.emit("message", Buffer.from(JSON.stringify({ type: "ping", id: `f${i}` })), false)
    expect(decoded).toHaveLength(3)
    expect(ws.sent.map((t) => JSON.parse(t))).toEqual([
      { type: "ack", id: "f0" },
      { type: "ack", id: "f1" },
      { type: "ack", id: "f2" },
      { type: "error", id: "f3", code: "RATE_LIMITED", message: "Too many frames; this one was ignored" },
      { type: "error", id: "f4", code: "RATE_LIMITED", message: "Too many frames; this one was ignored" }
    ])
    expect(ws.calls).toEqual(["close 1008 flood"])
    conn.dispose()
  })

  it("writes the frames held by injected latency before its close frame, in order", () => {
    const ws = new FakeSocket()
    const { conn, counters, faults, clock } = connOf(ws)
    faults.update({ latencyMs: 100 })
    conn.send({ type: "ack", id: "1" })
    conn.send({ type: "server.closing", payload: { reason: "bye" } })
    expect([counters.heldFrames, conn.bufferedAmount]).toEqual([2, 75])
    conn.close(1001, "bye")
    expect(counters.heldFrames).toBe(0)
    expect(ws.sent).toEqual(['{"type":"ack","id":"1"}', '{"type":"server.closing","payload":{"reason":"bye"}}'])
    expect(ws.calls).toEqual(["close 1001 bye"])
    clock.advance(1000)
    expect(ws.sent).toHaveLength(2)
  })

  it("forgets the frames held by injected latency when the connection is cut or closed as a slow consumer", () => {
    for (const end of ["terminate", "close 4002"] as const) {
      const ws = new FakeSocket()
      const { conn, counters, faults, clock } = connOf(ws)
      faults.update({ latencyMs: 100 })
      conn.send({ type: "ack", id: "1" })
      expect(counters.heldFrames).toBe(1)
      if (end === "terminate") conn.terminate()
      else conn.close(4002, "slow consumer")
      expect(counters.heldFrames).toBe(0)
      clock.advance(1000)
      expect(ws.sent, end).toEqual([])
    }
  })
})

const call = (seq: number, arrivedAtMs: number): Call =>
  ({ ref: `c${seq}`, seq, arrivedAtMs, queue: undefined, prev: undefined, next: undefined }) as unknown as Call

describe("mock-odigo call queue", () => {
  it("behaves like an array under any sequence of push, push-front, pop and remove (property)", () => {
    type Op = { op: "push" } | { op: "pop" } | { op: "remove"; at: number } | { op: "popPushFront" }
    const opArb = fc.oneof(
      fc.constant<Op>({ op: "push" }),
      fc.constant<Op>({ op: "pop" }),
      fc.nat(50).map<Op>((at) => ({ op: "remove", at })),
      fc.constant<Op>({ op: "popPushFront" })
    )
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 200 }), (ops) => {
        const q = new CallQueue("opposition", "g")
        const model: Array<Call> = []
        let seq = 0
        for (const o of ops) {
          if (o.op === "push") {
            const c = call(++seq, seq)
            q.pushBack(c)
            model.push(c)
          } else if (o.op === "pop") expect(q.popFront()).toBe(model.shift())
          else if (o.op === "popPushFront") {
            const c = q.popFront()
            expect(c).toBe(model.shift())
            if (c !== undefined) {
              q.pushFront(c)
              model.unshift(c)
            }
          } else if (model.length > 0) {
            const c = model.splice(o.at % model.length, 1)[0]!
            q.remove(c)
            expect(c.queue).toBeUndefined()
          }
          expect([...q]).toEqual(model)
          expect(q.size).toBe(model.length)
        }
      })
    )
  })

  it("refuses to queue a call twice or to remove a call it does not hold", () => {
    const q = new CallQueue("opposition", "g")
    const other = new CallQueue("horsOpposition", "h")
    const c = call(1, 0)
    q.pushBack(c)
    expect(() => q.pushBack(c)).toThrow("call c1 is already queued")
    expect(() => other.remove(c)).toThrow("call c1 is not in queue horsOpposition")
  })
})

describe("mock-odigo ready pool", () => {
  it("always offers the agent with the smallest readySeq, whatever the order of adds and deletes (property)", () => {
    const agent = (i: number, readySeq: number): Agent => ({ account: { login: `a${i}` }, readySeq }) as unknown as Agent
    const opArb = fc.oneof(
      fc.record({ op: fc.constant("add" as const), who: fc.nat(20), readySeq: fc.nat(1000) }),
      fc.record({ op: fc.constant("delete" as const), who: fc.nat(20) })
    )
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300 }), (ops) => {
        const pool = new ReadyPool()
        const model = new Map<string, number>()
        for (const o of ops) {
          const login = `a${o.who}`
          if (o.op === "add") {
            pool.add(agent(o.who, o.readySeq))
            if (!model.has(login)) model.set(login, o.readySeq)
          } else {
            pool.delete(login)
            model.delete(login)
          }
          expect(pool.size).toBe(model.size)
          expect([...pool.keys()].sort()).toEqual([...model.keys()].sort())
          const min = Math.min(...model.values())
          expect(pool.first()?.readySeq).toBe(model.size === 0 ? undefined : min)
        }
      })
    )
  })
})

describe("mock-odigo manual clock", () => {
  it("fires timers in (due time, creation order), including timers scheduled while advancing", () => {
    const clock = new ManualClock(1000)
    const fired: Array<string> = []
    clock.setTimer(20, () => fired.push(`b@${clock.nowMs()}`))
    clock.setTimer(10, () => {
      fired.push(`a@${clock.nowMs()}`)
      clock.setTimer(5, () => fired.push(`c@${clock.nowMs()}`))
    })
    clock.setTimer(20, () => fired.push(`d@${clock.nowMs()}`))
    const cancelled = clock.setTimer(15, () => fired.push("never"))
    clock.clearTimer(cancelled)
    clock.advance(19)
    expect(fired).toEqual(["a@1010", "c@1015"])
    clock.advance(1)
    expect(fired).toEqual(["a@1010", "c@1015", "b@1020", "d@1020"])
    expect([clock.nowMs(), clock.pending]).toEqual([1020, 0])
    expect(() => clock.advance(-1)).toThrow("expected a non-negative number of ms")
  })
})
