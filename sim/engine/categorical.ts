/**
 * A categorical choice among n outcomes with given weights, by Walker's alias method (Vose's
 * construction): O(1) per draw with exactly one uniform, whatever n. Used for call reasons,
 * IVR flows and any other "which one" draw in the model.
 *
 * Invariant: `sample` returns an index in [0, n) whose weight is > 0.
 */
import type { RandomStream } from "./random.js"

export class Categorical {
  readonly size: number
  /** Normalised probabilities (sum to 1). */
  readonly probabilities: Float64Array
  private readonly prob: Float64Array
  private readonly alias: Int32Array

  constructor(weights: ArrayLike<number>) {
    const n = weights.length
    if (n === 0) throw new RangeError("categorical needs at least one weight")
    let total = 0
    for (let i = 0; i < n; i++) {
      const w = weights[i]!
      if (!(Number.isFinite(w) && w >= 0)) throw new RangeError(`weight ${i} must be a finite number >= 0, got ${w}`)
      total += w
    }
    if (!(total > 0)) throw new RangeError("weights must not all be 0")
    this.size = n
    this.probabilities = new Float64Array(n)
    for (let i = 0; i < n; i++) this.probabilities[i] = weights[i]! / total
    this.prob = new Float64Array(n)
    this.alias = new Int32Array(n)
    const scaled = new Float64Array(n)
    const small: number[] = []
    const large: number[] = []
    for (let i = 0; i < n; i++) {
      scaled[i] = this.probabilities[i]! * n
      if (scaled[i]! < 1) small.push(i)
      else large.push(i)
    }
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!
      const l = large.pop()!
      this.prob[s] = scaled[s]!
      this.alias[s] = l
      scaled[l] = scaled[l]! + scaled[s]! - 1
      if (scaled[l]! < 1) small.push(l)
      else large.push(l)
    }
    // Leftovers are 1 up to rounding; an outcome of weight 0 must never be one of them.
    for (const i of large) {
      this.prob[i] = 1
      this.alias[i] = i
    }
    for (const i of small) {
      this.prob[i] = this.probabilities[i]! > 0 ? 1 : 0
      this.alias[i] = this.probabilities[i]! > 0 ? i : this.firstPositive()
    }
  }

  /** An index in [0, size) drawn with one uniform. */
  sample(rng: RandomStream): number {
    const x = rng.nextDouble() * this.size
    const i = x | 0
    return x - i < this.prob[i]! ? i : this.alias[i]!
  }

  private firstPositive(): number {
    for (let i = 0; i < this.size; i++) if (this.probabilities[i]! > 0) return i
    return 0
  }
}
