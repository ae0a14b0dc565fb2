/**
 * Messages between the psn1 bench's orchestrator (bench/psn1.ts) and its load process
 * (bench/psn1/advisors.ts).
 */

export interface AdvisorsConfig {
  readonly address: string
  readonly officer: { readonly email: string; readonly password: string }
  readonly advisors: number
  readonly seed: string
  readonly population: number
  readonly warmupS: number
  readonly durationS: number
  readonly maxRequests: number
  /** Share of calls that go through the opposition IVR flow (CCTP 2.1.3: 2% today). */
  readonly oppositionShare: number
}

export const STEPS = ["lookup", "read", "opposition", "ticket", "comment", "resolve"] as const
export type Step = (typeof STEPS)[number]

export interface StepStats {
  readonly requests: number
  readonly errors: number
  readonly p50Ms: number
  readonly p95Ms: number
  readonly p99Ms: number
  readonly maxMs: number
}

export interface AdvisorsResult {
  readonly type: "result"
  /** Length of the measured window (after warm-up), seconds. */
  readonly measuredS: number
  readonly steps: Record<Step | "all", StepStats>
  readonly calls: number
  readonly setupS: number
  readonly errorSamples: ReadonlyArray<string>
}

export type AdvisorsMessage = { readonly type: "ready"; readonly setupS: number } | AdvisorsResult | { readonly type: "failed"; readonly message: string }
