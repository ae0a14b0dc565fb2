/**
 * Random streams: one independent, named, seeded stream per random source (STYLE 5).
 *
 * A stream is seeded from (run seed, replication, source name), so:
 * - the same scenario, seed and replication give the same draws on any machine;
 * - adding a new source never shifts the draws of the others (common random numbers: two
 *   scenarios that differ only in staffing see the same callers);
 * - replications are independent and can run in any order, in any worker.
 *
 * Streams use seedrandom's Alea generator (period ~2^116, fastest of seedrandom's generators
 * here: ~140 M draws/s). Tests substitute `ScriptedStream` to force exact values.
 */
// Only seedrandom's Alea module (its index also loads ARC4 and four other generators).
// @ts-expect-error seedrandom ships no declarations for its per-generator modules
import aleaModule from "seedrandom/lib/alea.js"

/** The tiny synchronous interface every sampler draws from. */
export interface RandomStream {
  /** A uniform draw in [0, 1). */
  nextDouble(): number
}

/**
 * A seedrandom Alea generator behind the RandomStream interface.
 *
 * seedrandom seeds it (its Mash hash of the seed string) and hands over the generator's state;
 * the recurrence then runs here on plain fields, exactly as in seedrandom's alea.js, so the draws
 * are identical to `seedrandom.alea(seed)()` (tested) without a closure call per draw.
 */
export class AleaStream implements RandomStream {
  /** c, s0, s1, s2 — in a Float64Array so V8 keeps them unboxed doubles. */
  private readonly st = new Float64Array(4)
  constructor(seed: string) {
    const state = (aleaModule as (seed: string, options: { state: true }) => { state(): AleaState })(seed, { state: true }).state()
    this.st[0] = state.c
    this.st[1] = state.s0
    this.st[2] = state.s1
    this.st[3] = state.s2
  }
  nextDouble(): number {
    const st = this.st
    const t = 2091639 * st[1]! + st[0]! * 2.3283064365386963e-10 // 2^-32
    st[1] = st[2]!
    st[2] = st[3]!
    const c = t | 0
    st[0] = c
    return (st[3] = t - c)
  }
}

interface AleaState {
  readonly c: number
  readonly s0: number
  readonly s1: number
  readonly s2: number
}

/**
 * A stream that returns scripted values, for micro-model tests with fixed draws.
 * Throws when the script is exhausted, so a test never silently draws something unplanned.
 */
export class ScriptedStream implements RandomStream {
  private i = 0
  constructor(
    private readonly values: ReadonlyArray<number>,
    private readonly name = "scripted"
  ) {
    for (const v of values) {
      if (!(v >= 0 && v < 1)) throw new RangeError(`scripted value ${v} for ${name} is not in [0, 1)`)
    }
  }
  nextDouble(): number {
    if (this.i >= this.values.length) throw new Error(`scripted stream "${this.name}" exhausted after ${this.values.length} draws`)
    return this.values[this.i++]!
  }
  /** How many values have been drawn. */
  get drawn(): number {
    return this.i
  }
}

/** The seed string of a stream: a pure function of (seed, replication, source). */
export const streamSeed = (seed: number, replication: number, source: string): string =>
  `ccsim:${seed}:${replication}:${source}`

/** Hands out one stream per source name for a given (seed, replication). */
export interface StreamFactory {
  stream(source: string): RandomStream
}

/** Alea streams seeded from (seed, replication, source). */
export class RandomStreams implements StreamFactory {
  constructor(
    readonly seed: number,
    readonly replication: number
  ) {}
  stream(source: string): RandomStream {
    return new AleaStream(streamSeed(this.seed, this.replication, source))
  }
}

/**
 * Scripted streams by source name, for tests. Sources without a script get a constant
 * stream that throws on use, so an unexpected draw fails loudly.
 */
export class ScriptedStreams implements StreamFactory {
  constructor(private readonly scripts: Readonly<Record<string, ReadonlyArray<number>>>) {}
  stream(source: string): RandomStream {
    return new ScriptedStream(this.scripts[source] ?? [], source)
  }
}
