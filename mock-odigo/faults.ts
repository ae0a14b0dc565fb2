/**
 * Injected faults (CCTP 8.1 names "loss of access to Odigo through VPN failure"): added
 * latency with jitter and dropped frames on server-to-client traffic, refusal of new websocket
 * connections. One-shot actions (disconnect agents, broadcast `server.closing`) are carried out
 * by the app; this module holds the persistent settings and the seeded random stream.
 *
 * Invariant: with the same seed and the same sequence of frames, the same frames are dropped
 * and delayed by the same amounts, so a fault scenario can be replayed. Latency never reorders
 * a connection's frames (transport.ts delivers them in order).
 */
import * as Schema from "effect/Schema"

export const FaultSettings = Schema.Struct({
  latencyMs: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 60_000 })).annotate({
    description: "Delay added to every server-to-client frame, ms."
  }),
  jitterMs: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 60_000 })).annotate({
    description: "Uniform extra delay in [-jitterMs, +jitterMs] (never below zero in total), ms."
  }),
  dropRate: Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 1 })).annotate({
    description: "Probability that a server-to-client frame is silently dropped (acks and events alike)."
  }),
  refuseConnections: Schema.Boolean.annotate({ description: "New websocket upgrades get HTTP 503 CONNECTIONS_REFUSED." }),
  seed: Schema.Int.annotate({ description: "Seed of the fault random stream (drops, jitter)." })
})
export type FaultSettings = typeof FaultSettings.Type

/** Body of `POST /admin/faults`: settings to change (others kept) and one-shot actions. */
export const FaultRequest = Schema.Struct({
  latencyMs: Schema.optionalKey(FaultSettings.fields.latencyMs),
  jitterMs: Schema.optionalKey(FaultSettings.fields.jitterMs),
  dropRate: Schema.optionalKey(FaultSettings.fields.dropRate),
  refuseConnections: Schema.optionalKey(FaultSettings.fields.refuseConnections),
  seed: Schema.optionalKey(FaultSettings.fields.seed),
  disconnect: Schema.optionalKey(
    Schema.Union([
      Schema.Literal("all"),
      Schema.Struct({ logins: Schema.Array(Schema.String).check(Schema.isMinLength(1), Schema.isMaxLength(10_000)) })
    ]).annotate({
      description:
        "Cut agent connections now without a close frame (a VPN cut): `\"all\"` or `{ logins: [...] }`. Sessions enter their grace period."
    })
  ),
  serverClosing: Schema.optionalKey(
    Schema.Struct({
      reason: Schema.String.check(Schema.isMaxLength(200)),
      closingInMs: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)))
    }).annotate({ description: "Broadcast a `server.closing` notice to every connection (nothing is closed)." })
  )
})
export type FaultRequest = typeof FaultRequest.Type

export const NO_FAULTS: FaultSettings = { latencyMs: 0, jitterMs: 0, dropRate: 0, refuseConnections: false, seed: 1 }

/** mulberry32: a tiny, fast, seedable generator — enough for fault injection. */
const mulberry32 = (seed: number) => {
  let a = seed >>> 0
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export class Faults {
  private current: FaultSettings = NO_FAULTS
  private rng = mulberry32(NO_FAULTS.seed)
  /** Frames dropped since the server started. */
  droppedFrames = 0

  get settings(): FaultSettings {
    return this.current
  }

  /** True when frames must go through the delay/drop path (keeps the normal path cheap). */
  get shaping(): boolean {
    return this.current.latencyMs > 0 || this.current.jitterMs > 0 || this.current.dropRate > 0
  }

  update(change: Partial<FaultSettings>): FaultSettings {
    this.current = { ...this.current, ...change }
    if (change.seed !== undefined) this.rng = mulberry32(change.seed)
    return this.current
  }

  clear(): FaultSettings {
    this.current = NO_FAULTS
    this.rng = mulberry32(NO_FAULTS.seed)
    return this.current
  }

  /** Whether to drop the next frame. */
  drop(): boolean {
    if (this.current.dropRate <= 0) return false
    const d = this.rng() < this.current.dropRate
    if (d) this.droppedFrames++
    return d
  }

  /** Delay for the next frame, ms (latency plus jitter, never negative). */
  delayMs(): number {
    const { latencyMs, jitterMs } = this.current
    if (jitterMs === 0) return latencyMs
    return Math.max(0, Math.round(latencyMs + (this.rng() * 2 - 1) * jitterMs))
  }
}
