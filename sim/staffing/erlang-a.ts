/**
 * The Erlang A queue (M/M/c+M) reduced to what the staffing search asks thousands of times: the
 * share of callers answered and the mean wait over all callers, for given rates and agents —
 * from the stationary birth–death chain in log space (no overflow for hundreds of agents),
 * truncated where the queue's terms fall below 1e-16 of the total. The full metrics (service
 * level, probability of wait, Erlang C) stay in ./erlang.ts; tests check both agree.
 */

export interface AnswerAndWait {
  /** Share of arriving callers answered. */
  readonly answerRate: number
  /** Mean queue wait over all arriving callers (seconds). */
  readonly meanWaitSeconds: number
}

/**
 * @param lambda arrivals per second
 * @param mu service completions per second per agent (1 / mean handle time)
 * @param theta abandonments per second per waiting caller (1 / mean patience); 0: nobody abandons
 * @param c agents
 */
export const erlangAAnswer = (lambda: number, mu: number, theta: number, c: number): AnswerAndWait => {
  if (lambda <= 0) return { answerRate: 1, meanWaitSeconds: 0 }
  if (c <= 0) return theta > 0 ? { answerRate: 0, meanWaitSeconds: 1 / theta } : { answerRate: 0, meanWaitSeconds: Infinity }
  if (theta <= 0 && lambda >= c * mu) return { answerRate: 1, meanWaitSeconds: Infinity }
  const a = lambda / mu
  const la = Math.log(a)
  // log w_n for n <= c, relative to w_c = 1: log w_{n-1} = log w_n + log n − log a.
  let logLow = 0
  const lows: number[] = [0]
  for (let n = c; n >= 1; n--) {
    logLow += Math.log(n) - la
    lows.push(logLow)
    if (logLow < -745 && n < a) break // below double range and still falling
  }
  // Queue terms: log w_{c+j} = log w_{c+j−1} + log λ − log(cμ + jθ).
  const ll = Math.log(lambda)
  const queue: number[] = []
  let lq = 0
  const peak = theta > 0 ? Math.max(0, (lambda - c * mu) / theta) : 0
  for (let j = 1; j < 1_000_000; j++) {
    lq += ll - Math.log(c * mu + j * theta)
    queue.push(lq)
    if (j > peak && lq < -37 + Math.log(j + 1) - 10) break
    if (theta <= 0 && j > 10 && lq < -50) break
  }
  const max = Math.max(...lows.filter((x) => x > -745), ...queue, 0)
  let total = 0
  for (const x of lows) total += Math.exp(x - max)
  let waiting = 0
  for (let j = 0; j < queue.length; j++) {
    const w = Math.exp(queue[j]! - max)
    total += w
    waiting += (j + 1) * w
  }
  const meanQueue = waiting / total
  const meanWaitSeconds = meanQueue / lambda
  const answerRate = theta > 0 ? 1 - (theta * meanQueue) / lambda : 1
  return { answerRate: Math.min(1, Math.max(0, answerRate)), meanWaitSeconds }
}

/** The fewest agents whose Erlang A answer rate is at least `target` (searching upwards from `from`). */
export const agentsForAnswerRate = (lambda: number, mu: number, theta: number, target: number, from = 0): number => {
  if (lambda <= 0) return 0
  let c = Math.max(0, Math.min(from, Math.floor(lambda / mu)))
  while (erlangAAnswer(lambda, mu, theta, c).answerRate < target) c++
  return c
}

/**
 * The arrival rate at which `c` agents answer exactly `answerRate` (bisection; the rate falls as
 * the load rises): what a simulated interval "looks like" to Erlang A, non-stationarity, redials
 * and cut-offs included.
 */
export const effectiveArrivalRate = (answerRate: number, mu: number, theta: number, c: number, guess: number): number => {
  if (answerRate >= 1 - 1e-9 || theta <= 0) return guess
  let lo = 0
  let hi = Math.max(guess, (c + 1) * mu)
  while (erlangAAnswer(hi, mu, theta, c).answerRate > answerRate) hi *= 2
  for (let k = 0; k < 60; k++) {
    const mid = (lo + hi) / 2
    if (erlangAAnswer(mid, mu, theta, c).answerRate > answerRate) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}
