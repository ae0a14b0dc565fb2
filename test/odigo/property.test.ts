import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Accounts, type Account } from "../../mock-odigo/accounts.js"
import { audit, census } from "../../mock-odigo/acd/audit.js"
import type { AgentSink } from "../../mock-odigo/acd/model.js"
import { Platform } from "../../mock-odigo/acd/platform.js"
import { agentView } from "../../mock-odigo/acd/views.js"
import { ManualClock } from "../../mock-odigo/clock.js"
import { OdigoError } from "../../mock-odigo/errors.js"
import { DEFAULT_GATE_IDS, DEFAULT_TRANSFER_TARGETS } from "../../mock-odigo/options.js"
import type { AgentCommand } from "../../mock-odigo/protocol/commands.js"
import type { AgentEvent } from "../../mock-odigo/protocol/events.js"
import { validateFrame } from "./frame-validator.js"
import { person, T0 } from "./harness.js"

class Sink implements AgentSink {
  readonly frames: Array<AgentEvent> = []
  send(frame: AgentEvent): void {
    this.frames.push(JSON.parse(JSON.stringify(frame)) as AgentEvent)
  }
}

type Op =
  | { op: "inject"; flow: 0 | 1; patienceMs: number | undefined }
  | { op: "callerHangup"; pick: number }
  | { op: "login"; agent: number }
  | { op: "drop"; agent: number }
  | { op: "remove"; agent: number }
  | { op: "command"; agent: number; kind: number; rightCall: boolean }
  | { op: "advance"; ms: number }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("inject" as const), flow: fc.constantFrom(0 as const, 1 as const), patienceMs: fc.option(fc.constantFrom(0, 3000, 20_000), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("callerHangup" as const), pick: fc.nat(100) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("login" as const), agent: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("drop" as const), agent: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("remove" as const), agent: fc.nat(2) }) },
  {
    weight: 10,
    arbitrary: fc.record({
      op: fc.constant("command" as const),
      agent: fc.nat(2),
      // setState ready and answer often, so calls reach agents; everything else too.
      kind: fc.oneof({ weight: 2, arbitrary: fc.constantFrom(0, 2) }, { weight: 3, arbitrary: fc.nat(9) }),
      rightCall: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) })
    })
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("advance" as const), ms: fc.constantFrom(0, 500, 3000, 15_000, 60_000) }) }
)

const commandOf = (kind: number, callRef: string): AgentCommand => {
  const id = "p"
  switch (kind) {
    case 0:
      return { type: "setState", id, payload: { state: "ready" } }
    case 1:
      return { type: "setState", id, payload: { state: "notReady", reason: "break" } }
    case 2:
      return { type: "answer", id, payload: { callRef } }
    case 3:
      return { type: "hangup", id, payload: { callRef } }
    case 4:
      return { type: "transfer", id, payload: { callRef, target: "cpam-1" } }
    case 5:
      return { type: "qualify", id, payload: { callRef, reason: "generalInfo" } }
    case 6:
      return { type: "endWrapUp", id }
    case 7:
      return { type: "logout", id }
    case 8:
      return { type: "transfer", id, payload: { callRef, target: "nowhere" } }
    default:
      return { type: "ping", id }
  }
}

describe("mock-odigo ACD under random operations (property)", () => {
  it("never loses or duplicates a call, keeps agents and calls consistent, and emits only valid frames", () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 120 }), fc.boolean(), (ops, requireQualification) => {
        const clock = new ManualClock(T0)
        const p = new Platform(
          { ronaMs: 15_000, graceMs: 30_000, transferTargets: DEFAULT_TRANSFER_TARGETS, gateIds: DEFAULT_GATE_IDS, requireQualification, maxQueuedCalls: 1000, retainEndedCalls: 10_000 },
          clock,
          { agentChanged: () => undefined, agentRemoved: () => undefined }
        )
        const store = new Accounts()
        const accounts: Array<Account> = [0, 1, 2].map((i) => store.create({ ...person(i), password: "correct horse battery", role: "agent" }, T0))
        const sinks: Array<Sink> = []
        const refs: Array<string> = []
        for (const o of ops) {
          switch (o.op) {
            case "inject":
              refs.push(p.inject({ flow: o.flow === 0 ? "opposition" : "horsOpposition", ...(o.patienceMs === undefined ? {} : { patienceMs: o.patienceMs }) }).ref)
              break
            case "callerHangup": {
              if (refs.length === 0) break
              try {
                p.callerHangup(refs[o.pick % refs.length]!)
              } catch (e) {
                expect(e).toBeInstanceOf(OdigoError)
                expect((e as OdigoError).code).toBe("CALL_ENDED")
              }
              break
            }
            case "login": {
              const sink = new Sink()
              sinks.push(sink)
              let accepted = 0
              p.login(accounts[o.agent]!, sink, () => accepted++)
              expect(accepted).toBe(1)
              break
            }
            case "drop": {
              const a = p.sessions.get(accounts[o.agent]!.login)
              if (a?.sink !== undefined) p.connectionLost(a, a.sink)
              break
            }
            case "remove": {
              const a = p.sessions.get(accounts[o.agent]!.login)
              if (a !== undefined) p.endSession(a)
              break
            }
            case "command": {
              const a = p.sessions.get(accounts[o.agent]!.login)
              if (a === undefined) break
              const before = JSON.stringify([agentView(a), census(p)])
              const sink = a.sink as Sink | undefined
              const framesBefore = sink?.frames.length ?? 0
              let acked = 0
              const refusal = p.command(a, commandOf(o.kind, o.rightCall ? (a.call?.ref ?? "none") : "oc-wrong-1"), () => acked++)
              if (refusal !== undefined) {
                // A refused command changes nothing and sends nothing.
                expect(acked).toBe(0)
                expect(JSON.stringify([p.sessions.has(a.account.login) ? agentView(a) : null, census(p)])).toBe(before)
                expect(sink?.frames.length ?? 0).toBe(framesBefore)
              } else expect(acked).toBe(1)
              break
            }
            case "advance":
              clock.advance(o.ms)
              break
          }
          expect(audit(p)).toEqual([])
        }
        const c = census(p)
        expect(c.injected).toBe(refs.length)
        // Each call's own status, tallied, gives the census (whose `answered` includes connected calls).
        const byStatus: Record<string, number> = { answered: 0, abandoned: 0, queued: 0, ringing: 0, connected: 0 }
        for (const ref of refs) byStatus[p.getCall(ref)!.status]!++
        expect({ ...byStatus, answered: byStatus["answered"]! + byStatus["connected"]! }).toEqual({
          answered: c.answered,
          abandoned: c.abandoned,
          queued: c.queued,
          ringing: c.ringing,
          connected: c.connected
        })
        for (const s of sinks) for (const f of s.frames) expect(validateFrame("agent", f)).toEqual([])
        // Every call ends at most once for the agents: one terminal call.ended per offer at most.
        const ended = new Map<string, number>()
        const offered = new Map<string, number>()
        for (const s of sinks) {
          for (const f of s.frames) {
            if (f.type === "call.ended") ended.set(f.payload.callRef, (ended.get(f.payload.callRef) ?? 0) + 1)
            if (f.type === "call.offered") offered.set(f.payload.callRef, (offered.get(f.payload.callRef) ?? 0) + 1)
          }
        }
        for (const [ref, n] of ended) expect(n).toBeLessThanOrEqual(offered.get(ref) ?? 0)
        p.close()
      }),
      { numRuns: 400 }
    )
  })
})
