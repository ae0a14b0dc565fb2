/**
 * What the coordinator and its generators tell each other — over Node IPC (structured clone, so
 * typed arrays travel as such) when generators are processes, by direct calls when one runs in
 * the coordinator's own process — and the shard of a run each generator plays.
 *
 * Invariant: messages on one channel are delivered in order. The end of a run relies on it: a
 * generator's relays all reach the coordinator before its `idle`, and the coordinator forwards
 * every relay before it asks for the reports, so no notice is lost from a census.
 */
import type { DistributionSpec } from "../engine/distributions.js"
import type { MetricsSnapshot, LatencyMetric } from "./metrics.js"
import type { CallerLaws, CallerTable } from "./plan.js"

/** A virtual person's accounts: Odigo (agents and blended advisors) and PSN1. */
export interface PersonAccounts {
  readonly id: number
  readonly group: number
  /** Worked pieces, simulated seconds from the model's t = 0. */
  readonly pieces: ReadonlyArray<readonly [number, number]>
  readonly odigo: { readonly login: string; readonly password: string } | null
  readonly psn1: { readonly email: string; readonly password: string }
}

/** Everything one generator needs to play its part of a run. */
export interface Shard {
  readonly index: number
  readonly count: number
  readonly runTag: string
  readonly odigoUrl: string
  readonly psn1Url: string
  readonly adminToken: string | undefined
  readonly seed: number
  readonly speed: number
  readonly mode: "day" | "profile"
  readonly windowStartSeconds: number
  readonly windowEndSeconds: number
  readonly closesAtEnd: boolean
  /** This generator's callers (every count-th of the plan's, from index). */
  readonly callers: CallerTable
  /** This generator's contact forms to inject: simulated arrival times. */
  readonly forms: Float64Array
  /** How long a form takes to handle (simulated seconds); null: the scenario has no forms. */
  readonly formHandle: DistributionSpec | null
  readonly people: ReadonlyArray<PersonAccounts>
  readonly laws: CallerLaws
  readonly transferTargets: ReadonlyArray<string>
  /** Answer template per reason (and a fallback for reasons without one). */
  readonly templates: { readonly byReason: Readonly<Record<string, string>>; readonly fallback: string } | null
  /** Insured people's ids tickets and forms are about. */
  readonly insuredIds: ReadonlyArray<string>
  /** A PSN1 account that injects this generator's forms (the portal, for the harness). */
  readonly formInjector: { readonly email: string; readonly password: string } | null
  /** Odigo supervisor that watches the supervision feed (generator 0 only). */
  readonly supervisor: { readonly login: string; readonly password: string } | null
  /** Real milliseconds the run waits after the window for calls in progress to end. */
  readonly drainMs: number
  /** Target answer time of the service level, simulated seconds. */
  readonly serviceLevelSeconds: number
}

/** What an agent tells the generator that injected a call (relayed by the coordinator). */
export interface Notice {
  /** The call's index in its owner's table. */
  readonly i: number
  readonly kind: "offered" | "connected" | "rona"
  /** When the agent received the frame, epoch ms. */
  readonly at: number
}

/** Per-second figures of one generator. */
export interface SecondReport {
  readonly second: number
  readonly injected: number
  readonly answered: number
  readonly abandoned: number
  readonly waiting: number
  readonly loggedIn: number
  readonly errors: number
  readonly reconnects: number
  /** CPU used by the process this second, share of one core. */
  readonly cpu: number
  readonly loopDelayMaxMs: number
  readonly rssBytes: number
  readonly heapUsedBytes: number
  readonly histograms: Partial<Record<LatencyMetric, string>>
}

/** Per arrival second (real, from the start): the owner's view of its callers. */
export interface ArrivalSeconds {
  readonly injected: Array<number>
  readonly answered: Array<number>
  readonly abandoned: Array<number>
  /** Waits (real ms) of the calls that arrived in each second: answered, abandoned, and still waiting at the end. */
  readonly waitMs: Array<number>
}

/** The owner's census of its calls at the end. */
export interface OwnerCensus {
  /** Callers of the plan (redials apart). */
  readonly scheduled: number
  readonly injected: number
  readonly injectFailed: number
  readonly answered: number
  readonly abandoned: number
  readonly cutOff: number
  readonly queued: number
  readonly ringing: number
  /** Redialled calls injected. */
  readonly redials: number
  /** Real-ms sums over this generator's callers. */
  readonly waitAnsweredMs: number
  readonly waitAbandonedMs: number
  readonly waitQueuedMs: number
  readonly answeredWithinSl: number
}

export interface FinalReport {
  readonly totals: MetricsSnapshot
  readonly census: OwnerCensus
  readonly arrivals: ArrivalSeconds
  /** Talk and wrap-up the advisors of this generator actually held (real ms sums). */
  readonly handled: { readonly calls: number; readonly talkMs: number; readonly wrapMs: number; readonly transferred: number; readonly qualified: number }
  readonly tickets: { readonly created: number; readonly replayed: number; readonly failed: number; readonly ids: ReadonlyArray<string> }
  readonly forms: { readonly injected: number; readonly injectFailed: number; readonly answered: number; readonly ids: ReadonlyArray<string>; readonly answeredIds: ReadonlyArray<string> }
  readonly cpuSeconds: number
  readonly wallSeconds: number
  readonly peakRssBytes: number
}

export type ToGenerator =
  | { readonly kind: "init"; readonly shard: Shard }
  | { readonly kind: "prepare" }
  | { readonly kind: "start"; readonly t0: number }
  | { readonly kind: "relay"; readonly notices: ReadonlyArray<Notice> }
  | { readonly kind: "stop" }
  | { readonly kind: "cleanup" }
  | { readonly kind: "report" }
  | { readonly kind: "abort" }

export type FromGenerator =
  | { readonly kind: "ready" }
  | { readonly kind: "prepared" }
  | { readonly kind: "relay"; readonly to: number; readonly notices: ReadonlyArray<Notice> }
  | ({ readonly kind: "second" } & SecondReport)
  | { readonly kind: "window"; readonly index: number; readonly snapshot: MetricsSnapshot }
  | { readonly kind: "idle" }
  | { readonly kind: "cleaned"; readonly hungUp: number }
  | { readonly kind: "report"; readonly report: FinalReport }
  | { readonly kind: "fatal"; readonly code: string; readonly message: string }

/** One generator as the coordinator sees it: in this process or a child process. */
export interface GeneratorPort {
  send(m: ToGenerator): void
  onMessage(handler: (m: FromGenerator) => void): void
  /** Called if the generator dies without being told to (child process exit). */
  onExit(handler: (why: string) => void): void
  close(): Promise<void>
}
