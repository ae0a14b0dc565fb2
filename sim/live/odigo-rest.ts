/**
 * mock-odigo's REST surface from a client's side: accounts, call injection and caller hang-up,
 * health, configuration, the audit census, cold statistics, agents and faults. Bodies sent are
 * values of the protocol's request types (`mock-odigo/protocol/rest.ts`); answers are read with
 * the server's response schemas (`mock-odigo/protocol/responses.ts`). Shared by the live
 * harness and the load bench, so neither keeps a hand-written copy.
 *
 * Invariant: methods never throw on a refused request — they return the `Reply` (status and
 * catalogue code) for the caller to count; they throw `OutOfContract` only when a success
 * answer breaks the documented shape.
 */
import * as Schema from "effect/Schema"
import type { InjectBody, NewAccount } from "../../mock-odigo/protocol/rest.js"
import { AgentsView, AuditView, CallView, ConfigView, FaultRequest, FaultsView, Health, StatsResponse } from "../../mock-odigo/protocol/responses.js"
import { reader } from "./contract.js"
import { JsonClient, type JsonClientOptions, type Reply } from "./http.js"

/** The fields of a call's view a caller needs after injecting or hanging up. */
const CallStatus = Schema.Struct({ callRef: CallView.fields.callRef, status: CallView.fields.status })
const readInjected = reader(CallStatus, "POST /calls")
const readHungUp = reader(CallStatus, "DELETE /calls/:callRef")
const readHealth = reader(Health, "GET /health")
const readConfig = reader(ConfigView, "GET /config")
const readAudit = reader(AuditView, "GET /admin/audit")
const readStats = reader(StatsResponse, "GET /stats/intervals")
const readFaults = reader(FaultsView, "POST /admin/faults")
const readAgents = reader(AgentsView, "GET /agents")

export type CallStatusView = typeof CallStatus.Type
export type HealthView = typeof Health.Type
export type OdigoConfig = typeof ConfigView.Type
export type AuditCensus = typeof AuditView.Type
export type StatsView = typeof StatsResponse.Type
export type FaultChange = typeof FaultRequest.Type

/** A REST answer and, when it is the expected success, its decoded value. */
export interface Answer<T> {
  readonly reply: Reply
  readonly value: T | undefined
}

const answer = <T>(reply: Reply, expected: number, read: (u: unknown) => T): Answer<T> => ({
  reply,
  value: reply.status === expected ? read(reply.body) : undefined
})

export class OdigoRest {
  readonly http: JsonClient

  constructor(baseUrl: string, options: JsonClientOptions = {}) {
    this.http = new JsonClient(baseUrl, options)
  }

  async health(): Promise<Answer<HealthView>> {
    return answer(await this.http.send("GET", "/health"), 200, readHealth)
  }

  async config(): Promise<Answer<OdigoConfig>> {
    return answer(await this.http.send("GET", "/config"), 200, readConfig)
  }

  /** 201 created, or 409 ACCOUNT_EXISTS (the caller decides whether that is fine). */
  createAccount(account: NewAccount): Promise<Reply> {
    return this.http.send("POST", "/admin/accounts", undefined, account)
  }

  async inject(body: InjectBody): Promise<Answer<CallStatusView>> {
    return answer(await this.http.send("POST", "/calls", undefined, body), 201, readInjected)
  }

  /** The caller hangs up: 200 with the call's status (abandoned, or answered if it was connected), 409 CALL_ENDED. */
  async hangup(callRef: string): Promise<Answer<CallStatusView>> {
    return answer(await this.http.send("DELETE", `/calls/${encodeURIComponent(callRef)}`), 200, readHungUp)
  }

  async audit(): Promise<Answer<AuditCensus>> {
    return answer(await this.http.send("GET", "/admin/audit"), 200, readAudit)
  }

  /** Cold statistics per 15-minute interval over [from, to) (ISO instants; at most 31 days). */
  async stats(fromIso: string, toIso: string): Promise<Answer<StatsView>> {
    const q = `from=${encodeURIComponent(fromIso)}&to=${encodeURIComponent(toIso)}&format=json`
    return answer(await this.http.send("GET", `/stats/intervals?${q}`), 200, readStats)
  }

  async agents(): Promise<Answer<typeof AgentsView.Type>> {
    return answer(await this.http.send("GET", "/agents"), 200, readAgents)
  }

  async faults(change: FaultChange): Promise<Answer<typeof FaultsView.Type>> {
    return answer(await this.http.send("POST", "/admin/faults", undefined, change), 200, readFaults)
  }

  async clearFaults(): Promise<Answer<typeof FaultsView.Type>> {
    return answer(await this.http.send("DELETE", "/admin/faults"), 200, readFaults)
  }

  close(): Promise<void> {
    return this.http.close()
  }
}
