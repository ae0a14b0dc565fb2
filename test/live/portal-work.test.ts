/**
 * PSN1 work of a generator, against a scripted client (no server): a ticket whose first answer
 * was lost and whose retry PSN1 answers with its idempotent replay is one ticket created (the
 * census compares created tickets with PSN1's); two logins of one account at once — one loses
 * its code to the other — end in a session after a pause, counted as a race, not an error.
 */
import { describe, expect, it } from "vitest"
import type { Reply } from "../../sim/live/http.js"
import { Metrics } from "../../sim/live/metrics.js"
import { PortalWork } from "../../sim/live/portal-work.js"
import { Scheduler } from "../../sim/live/scheduler.js"

const reply = (status: number, body: unknown = {}, headers: Record<string, string> = {}, error?: string): Reply => ({ status, body, headers, ...(error === undefined ? {} : { error }) })

const portal = () => {
  const metrics = new Metrics()
  const fatal: string[] = []
  const p = new PortalWork(
    "http://127.0.0.1:9",
    { scheduler: new Scheduler(), metrics, runTag: "ccsim-test", insuredIds: ["I0000001"], templates: null, fatal: (code) => void fatal.push(code) },
    () => {}
  )
  return { p, metrics, fatal }
}

describe("PSN1 work", () => {
  it("counts a ticket PSN1 replays on a retry as created, and one replayed at once as not this run's", async () => {
    const { p, fatal } = portal()
    const client = p.client as unknown as Record<string, unknown>
    client["login"] = async () => ({ ok: true, token: "T", requests: 3 })
    const script: Array<{ reply: Reply; id: string | undefined; replayed: boolean }> = [
      { reply: reply(0, undefined, {}, "ECONNRESET"), id: undefined, replayed: false },
      { reply: reply(201, { id: "TCK-1" }, { "idempotent-replayed": "true" }), id: "TCK-1", replayed: true },
      { reply: reply(201, { id: "TCK-9" }, { "idempotent-replayed": "true" }), id: "TCK-9", replayed: true }
    ]
    const keys: string[] = []
    client["createTicket"] = async (_t: string, _b: unknown, key: string) => {
      keys.push(key)
      return script.shift()!
    }
    await p.ticket("a@example.test", "pw", { callRef: "C-1", reason: "enrolmentHelp", flow: "horsOpposition", index: 0 }, Date.now())
    expect(keys).toEqual(["ccsim-test-C-1", "ccsim-test-C-1"])
    expect(p.tickets).toMatchObject({ created: 1, replayed: 1, failed: 0, ids: ["TCK-1"] })
    await p.ticket("a@example.test", "pw", { callRef: "C-2", reason: "enrolmentHelp", flow: "horsOpposition", index: 1 }, Date.now())
    expect(p.tickets).toMatchObject({ created: 1, replayed: 2, failed: 0, ids: ["TCK-1"] })
    expect(fatal).toEqual([])
  })

  it("logs in again after losing its code to another login of the same account: a race, not an error", async () => {
    const { p, metrics, fatal } = portal()
    const client = p.client as unknown as Record<string, unknown>
    let calls = 0
    client["login"] = async () =>
      ++calls === 1 ? { ok: false, step: "otp", reply: reply(401, { code: "OTP_INVALID", message: "wrong code" }), requests: 3 } : { ok: true, token: "T2", requests: 3 }
    const token = await p.token("writer@example.test", "pw", Date.now())
    expect(token).toBe("T2")
    expect(calls).toBe(2)
    expect(metrics.counter("races.otpCrossedLogin")).toBe(1)
    expect(metrics.errorCount()).toBe(0)
    expect(fatal).toEqual([])
  })

  it("gives up after three lost codes: the error counted, no session, the run not stopped", async () => {
    const { p, metrics, fatal } = portal()
    const client = p.client as unknown as Record<string, unknown>
    let calls = 0
    client["login"] = async () => (calls++, { ok: false, step: "otp", reply: reply(401, { code: "OTP_INVALID" }), requests: 3 })
    expect(await p.token("writer@example.test", "pw", Date.now())).toBeUndefined()
    expect(calls).toBe(3)
    expect(metrics.errorCount()).toBe(1)
    expect(fatal).toEqual([])
  }, 20_000)
})
