/**
 * mock-odigo's configuration: every knob, its default, and why the default is what it is.
 *
 * Invariant: `resolveOptions` either returns a complete, valid configuration or lists every
 * problem with the option's name (`optionProblems`: the CLI names the matching flags and exits
 * with code 2); nothing downstream re-checks or falls back to hidden constants.
 */
import type { Problem } from "../sim/domain/problem.js"
import type { FlowCode } from "../sim/domain/vocabulary.js"
import type { Clock } from "./clock.js"
import { systemClock } from "./clock.js"
import type { FrameTap, TransportLimits } from "./transport.js"

/** Level-1+ platforms of CCTP 2.1.2 (4 CPAM platforms and 1 MSA platform); ids are ours. */
export const DEFAULT_TRANSFER_TARGETS: ReadonlyArray<string> = ["cpam-1", "cpam-2", "cpam-3", "cpam-4", "msa"]

/** Gate ids of the two IVR flows of the 3422 (names are ours). */
export const DEFAULT_GATE_IDS: Readonly<Record<FlowCode, string>> = {
  opposition: "3422-opposition",
  horsOpposition: "3422-hors-opposition"
}

export interface OdigoOptions {
  /** Time source (tests pass a ManualClock). Default: the system clock. */
  readonly clock?: Clock
  /** Ring time before RONA, ms. Default 15,000 (assumption: a common ACD setting). */
  readonly ronaMs?: number
  /** Reconnection grace period, ms. Default 60,000 (assumption). */
  readonly graceMs?: number
  readonly transferTargets?: ReadonlyArray<string>
  readonly gateIds?: Readonly<Record<FlowCode, string>>
  /** Refuse to end wrap-up before `qualify` (CCTP KPI: 100% of calls qualified). Default false. */
  readonly requireQualification?: boolean
  /** Default 100,000 waiting calls. */
  readonly maxQueuedCalls?: number
  /** Ended calls kept for `GET /calls/:callRef`. Default 20,000. */
  readonly retainEndedCalls?: number
  /** Largest client frame, bytes. Default 4,096 (commands are < 300 bytes). */
  readonly maxPayloadBytes?: number
  /** Heartbeat period, ms (real time). Default 30,000. */
  readonly heartbeatMs?: number
  /** Default 10,000 ms between connecting and logging in. */
  readonly loginTimeoutMs?: number
  /** Default 20,000 websocket connections. */
  readonly maxConnections?: number
  /** Flood budget and backlog limits of agent connections. */
  readonly agentLimits?: Partial<TransportLimits>
  readonly supervisorLimits?: Partial<TransportLimits>
  /** Supervision delta period, ms. Default 1,000. */
  readonly supervisionTickMs?: number
  /** A supervisor with more unsent bytes than this skips deltas. Default 1 MiB. */
  readonly supervisionHighWaterBytes?: number
  /** When set, admin endpoints require `Authorization: Bearer <token>` instead of a loopback client. */
  readonly adminToken?: string
  /** Sees every frame the server emits (tests validate them against the AsyncAPI document). */
  readonly tap?: FrameTap
  /** fastify request logging. Default false. */
  readonly logger?: boolean
}

export type ResolvedOptions = Required<Omit<OdigoOptions, "adminToken" | "tap" | "agentLimits" | "supervisorLimits">> & {
  readonly adminToken: string | undefined
  readonly tap: FrameTap | undefined
  readonly agentLimits: TransportLimits
  readonly supervisorLimits: TransportLimits
}

const AGENT_LIMITS: TransportLimits = {
  ratePerSec: 50,
  burst: 100,
  floodCloseAfter: 100,
  highWaterBytes: 256 * 1024,
  hardLimitBytes: 1024 * 1024
}

const SUPERVISOR_LIMITS: TransportLimits = {
  ratePerSec: 10,
  burst: 20,
  floodCloseAfter: 100,
  highWaterBytes: 1024 * 1024,
  hardLimitBytes: 16 * 1024 * 1024
}

/** Options that `resolveOptions` refused; `problems` name each option (`path` is its name, e.g. `ronaMs`). */
export class InvalidOptions extends Error {
  constructor(readonly problems: ReadonlyArray<Problem>) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join("\n"))
    this.name = "InvalidOptions"
  }
}

/** Fills in defaults and validates; throws InvalidOptions listing every problem. */
export function resolveOptions(o: OdigoOptions): ResolvedOptions {
  const r = withDefaults(o)
  const problems = problemsOf(r)
  if (problems.length > 0) throw new InvalidOptions(problems)
  return r
}

/** Every problem of `o` once defaults are filled in, each named by its option (`ronaMs`); empty when valid. */
export const optionProblems = (o: OdigoOptions): ReadonlyArray<Problem> => problemsOf(withDefaults(o))

function withDefaults(o: OdigoOptions): ResolvedOptions {
  return {
    clock: o.clock ?? systemClock,
    ronaMs: o.ronaMs ?? 15_000,
    graceMs: o.graceMs ?? 60_000,
    transferTargets: o.transferTargets ?? DEFAULT_TRANSFER_TARGETS,
    gateIds: o.gateIds ?? DEFAULT_GATE_IDS,
    requireQualification: o.requireQualification ?? false,
    maxQueuedCalls: o.maxQueuedCalls ?? 100_000,
    retainEndedCalls: o.retainEndedCalls ?? 20_000,
    maxPayloadBytes: o.maxPayloadBytes ?? 4096,
    heartbeatMs: o.heartbeatMs ?? 30_000,
    loginTimeoutMs: o.loginTimeoutMs ?? 10_000,
    maxConnections: o.maxConnections ?? 20_000,
    agentLimits: { ...AGENT_LIMITS, ...o.agentLimits },
    supervisorLimits: { ...SUPERVISOR_LIMITS, ...o.supervisorLimits },
    supervisionTickMs: o.supervisionTickMs ?? 1000,
    supervisionHighWaterBytes: o.supervisionHighWaterBytes ?? 1024 * 1024,
    adminToken: o.adminToken,
    tap: o.tap,
    logger: o.logger ?? false
  }
}

function problemsOf(r: ResolvedOptions): Array<Problem> {
  const problems: Array<Problem> = []
  const positive = (path: string, v: number, min = 1): void => {
    if (!Number.isInteger(v) || v < min) problems.push({ path, message: `expected an integer >= ${min}, got ${v}` })
  }
  positive("ronaMs", r.ronaMs)
  positive("graceMs", r.graceMs, 0)
  positive("maxQueuedCalls", r.maxQueuedCalls)
  positive("retainEndedCalls", r.retainEndedCalls, 0)
  positive("maxPayloadBytes", r.maxPayloadBytes, 256)
  positive("heartbeatMs", r.heartbeatMs, 10)
  positive("loginTimeoutMs", r.loginTimeoutMs)
  positive("maxConnections", r.maxConnections)
  positive("supervisionTickMs", r.supervisionTickMs, 10)
  positive("supervisionHighWaterBytes", r.supervisionHighWaterBytes)
  if (r.transferTargets.length === 0) problems.push({ path: "transferTargets", message: "at least one level-1+ target is needed" })
  for (const t of r.transferTargets) {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(t)) problems.push({ path: "transferTargets", message: `${JSON.stringify(t)} must be 1-64 letters, digits, '.', '_' or '-'` })
  }
  if (new Set(r.transferTargets).size !== r.transferTargets.length) problems.push({ path: "transferTargets", message: "targets must be distinct" })
  if (r.adminToken !== undefined && r.adminToken.length < 16) problems.push({ path: "adminToken", message: "must be at least 16 characters" })
  return problems
}
