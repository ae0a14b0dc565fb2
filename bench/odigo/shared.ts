/**
 * What the mock-odigo load bench's processes tell each other (over Node IPC), and the
 * synthetic accounts they use. The bench runs three processes on loopback: the orchestrator
 * (bench/odigo.ts), the server (server.ts) and the virtual agents + call injector (agents.ts),
 * so the server has a core to itself on a 2-core machine.
 */
import type { NewAccount } from "../../mock-odigo/protocol/rest.js"
import { letterSuffix } from "../../sim/domain/accounts.js"

/** Server child -> orchestrator. */
export type ServerMessage =
  | { readonly kind: "listening"; readonly url: string }
  | {
      readonly kind: "sample"
      /** The `seq` of the request this answers (several may be in flight). */
      readonly seq: number
      readonly rssBytes: number
      readonly heapUsedBytes: number
      readonly loopDelayP99Ms: number
      readonly cpuMs: number
      /** How long the requested full GC blocked the server, ms (0 without one). */
      readonly gcMs: number
      /** Ended calls the mock keeps for `GET /calls/:callRef` (bounded by retainEndedCalls). */
      readonly endedCallsRetained: number
    }

/** Orchestrator -> server child. */
export type ServerCommand = { readonly kind: "sample"; readonly seq: number; readonly gc: boolean } | { readonly kind: "stop" }

export interface AgentsConfig {
  readonly url: string
  readonly agents: number
  readonly ratePerSec: number
  readonly durationS: number
  readonly talkMinMs: number
  readonly talkMaxMs: number
}

/** Agents child -> orchestrator. */
export type AgentsMessage =
  | { readonly kind: "ready"; readonly loggedIn: number; readonly connectMs: number; readonly accountsMs: number }
  | { readonly kind: "progress"; readonly second: number; readonly injected: number; readonly offered: number; readonly p99Ms: number }
  | { readonly kind: "done"; readonly result: AgentsResult }

/** Orchestrator -> agents child. */
export type AgentsCommand = { readonly kind: "start" }

export interface AgentsResult {
  readonly injected: number
  readonly injectErrors: number
  readonly offered: number
  readonly answered: number
  readonly completed: number
  /** Error frames received, plus frames that broke the protocol (see `protocolViolations`). */
  readonly errorFrames: number
  /** The first server frames the mock's event schemas refused, with why. */
  readonly protocolViolations: ReadonlyArray<string>
  readonly closedConnections: number
  /** From the start of injection to the tick that sent the last call (a little over `durationS`), s. */
  readonly injectSeconds: number
  /** Largest delay between a call's scheduled instant (call i at (i + 1) / rate s) and its sending, ms. */
  readonly maxLagMs: number
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly p999: number; readonly max: number; readonly mean: number }
  readonly cpuMs: number
  readonly rssBytes: number
}

const FIRST = ["Aline", "Basile", "Capucine", "Dorian", "Elsa", "Fabien", "Gaelle", "Hugo", "Ines", "Jules"]

/** The i-th synthetic (fictional) bench account: nominative in form, no personal data; typed by the mock's own body schema. */
export const benchAccount = (i: number): NewAccount & { readonly login: string; readonly password: string } => {
  const firstName = FIRST[i % FIRST.length]!
  const lastName = `Charge${letterSuffix(i)}`
  const login = `${firstName}.${lastName}`.toLowerCase()
  return { login, password: "bench-password-1", firstName, lastName, email: `${login}@bench.example.test`, role: "agent" }
}
