/**
 * Exact steady-state formulas for the single queue: Erlang C (M/M/c, callers never abandon) and
 * Erlang A (M/M/c+M, exponential patience), and the smallest number of agents meeting a target.
 *
 * Erlang C uses the closed form through the Erlang B recursion (stable for thousands of agents).
 * Erlang A solves the birth–death chain (birth λ, death min(n, c)μ + max(n − c, 0)θ) in log space,
 * truncated where the stationary probabilities are below e^-45 of the mode. Its service level
 * P(served and wait <= T) follows a tagged caller who finds k callers ahead: each step ahead ends
 * at rate r_i = cμ + iθ (a service completion or an abandonment ahead) while the tagged caller's
 * own patience runs at rate θ; the probability of getting through all k + 1 steps within T is
 * computed for every k at once by uniformization (Poisson-weighted absorbing probabilities).
 *
 * Conventions match the simulator's summary: rates are fractions of offered calls; the mean
 * wait is over all offered calls (zero waits and abandoned callers' waits included); the service
 * level counts calls answered within T over offered calls.
 */

export interface QueueParameters {
  /** Arrival rate (calls per hour). */
  readonly arrivalsPerHour: number
  /** Mean handle time (seconds), exponential. */
  readonly meanHandleSeconds: number
  /** Mean patience (seconds), exponential; omitted or Infinity: callers never abandon. */
  readonly meanPatienceSeconds?: number | undefined
  /** Number of agents. */
  readonly agents: number
  /** Target answer time for the service level (seconds). */
  readonly serviceLevelSeconds: number
}

export interface QueueMetrics {
  readonly model: "erlang-c" | "erlang-a"
  /** Offered load λ/μ (erlangs). */
  readonly offeredErlangs: number
  /** Share of offered calls answered. */
  readonly answerRate: number
  /** Share of offered calls abandoned. */
  readonly abandonRate: number
  /** Probability that an arriving caller has to wait (finds all agents busy). */
  readonly probabilityOfWait: number
  /** Mean queue wait over all offered calls (seconds). */
  readonly meanWaitSeconds: number
  /** Mean wait of answered calls only (seconds). */
  readonly meanWaitAnsweredSeconds: number
  /** Share of offered calls answered within `serviceLevelSeconds`. */
  readonly serviceLevel: number
  /** Busy share of agents' time. */
  readonly occupancy: number
  /** Mean number of callers waiting. */
  readonly meanQueueLength: number
  /** False for Erlang C with load >= agents (no steady state: the queue grows without bound). */
  readonly stable: boolean
}

const checkParameters = (p: QueueParameters): void => {
  const ok = (x: number) => Number.isFinite(x) && x > 0
  if (!(Number.isFinite(p.arrivalsPerHour) && p.arrivalsPerHour >= 0)) throw new RangeError("arrivalsPerHour must be >= 0")
  if (!ok(p.meanHandleSeconds)) throw new RangeError("meanHandleSeconds must be > 0")
  if (p.meanPatienceSeconds !== undefined && !(p.meanPatienceSeconds > 0)) throw new RangeError("meanPatienceSeconds must be > 0")
  if (!(Number.isInteger(p.agents) && p.agents >= 0)) throw new RangeError("agents must be a whole number >= 0")
  if (!(Number.isFinite(p.serviceLevelSeconds) && p.serviceLevelSeconds >= 0)) throw new RangeError("serviceLevelSeconds must be >= 0")
}

/** Erlang B blocking probability for c servers and offered load a (stable recursion). */
export const erlangB = (c: number, a: number): number => {
  let b = 1
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b)
  return b
}

/** Erlang C probability of waiting for c servers and offered load a < c. */
export const erlangCWaitProbability = (c: number, a: number): number => {
  if (a >= c) return 1
  const b = erlangB(c, a)
  return (c * b) / (c - a * (1 - b))
}

/** Exact metrics: Erlang C when there is no patience, Erlang A otherwise. */
export const queueMetrics = (p: QueueParameters): QueueMetrics => {
  checkParameters(p)
  const patience = p.meanPatienceSeconds
  return patience === undefined || patience === Infinity ? erlangC(p) : erlangA(p, patience)
}

const erlangC = (p: QueueParameters): QueueMetrics => {
  const lambda = p.arrivalsPerHour / 3600
  const mu = 1 / p.meanHandleSeconds
  const c = p.agents
  const a = lambda / mu
  if (lambda === 0) return idle("erlang-c")
  if (a >= c) {
    return {
      model: "erlang-c", offeredErlangs: a, answerRate: 1, abandonRate: 0, probabilityOfWait: 1,
      meanWaitSeconds: Infinity, meanWaitAnsweredSeconds: Infinity, serviceLevel: 0, occupancy: 1,
      meanQueueLength: Infinity, stable: false
    }
  }
  const pw = erlangCWaitProbability(c, a)
  const drain = c * mu - lambda
  const meanWait = pw / drain
  return {
    model: "erlang-c",
    offeredErlangs: a,
    answerRate: 1,
    abandonRate: 0,
    probabilityOfWait: pw,
    meanWaitSeconds: meanWait,
    meanWaitAnsweredSeconds: meanWait,
    serviceLevel: 1 - pw * Math.exp(-drain * p.serviceLevelSeconds),
    occupancy: a / c,
    meanQueueLength: lambda * meanWait,
    stable: true
  }
}

const idle = (model: "erlang-c" | "erlang-a"): QueueMetrics => ({
  model, offeredErlangs: 0, answerRate: 1, abandonRate: 0, probabilityOfWait: 0, meanWaitSeconds: 0,
  meanWaitAnsweredSeconds: 0, serviceLevel: 1, occupancy: 0, meanQueueLength: 0, stable: true
})

/** Stationary distribution of the Erlang A chain, truncated; index = callers in system. */
export const erlangAStationary = (lambda: number, mu: number, theta: number, c: number): Float64Array => {
  const logs: number[] = [0]
  let maxLog = 0
  const logLambda = Math.log(lambda)
  for (let n = 1; ; n++) {
    const death = Math.min(n, c) * mu + Math.max(n - c, 0) * theta
    const v = logs[n - 1]! + logLambda - Math.log(death)
    logs.push(v)
    if (v > maxLog) maxLog = v
    // Past the mode and far below it: the rest of the tail is negligible (ratios < 1 from here).
    if (n > c && death > lambda && v < maxLog - 45) break
    if (n > c + 10_000_000) throw new RangeError("Erlang A chain did not converge")
  }
  const pi = new Float64Array(logs.length)
  let total = 0
  for (let n = 0; n < logs.length; n++) {
    pi[n] = Math.exp(logs[n]! - maxLog)
    total += pi[n]!
  }
  for (let n = 0; n < pi.length; n++) pi[n]! /= total
  return pi
}

const erlangA = (p: QueueParameters, meanPatienceSeconds: number): QueueMetrics => {
  const lambda = p.arrivalsPerHour / 3600
  const mu = 1 / p.meanHandleSeconds
  const theta = 1 / meanPatienceSeconds
  const c = p.agents
  if (lambda === 0) return idle("erlang-a")
  const pi = erlangAStationary(lambda, mu, theta, c)
  let pWait = 0
  let lq = 0
  let busy = 0
  for (let n = 0; n < pi.length; n++) {
    if (n >= c) pWait += pi[n]!
    if (n > c) lq += (n - c) * pi[n]!
    busy += Math.min(n, c) * pi[n]!
  }
  const abandonRate = (theta * lq) / lambda
  const meanWait = lq / lambda
  const answerRate = 1 - abandonRate
  // Mean wait of answered callers. A caller finding k ahead goes through phases i = k..0; in
  // each he wins the race (moves on) with probability r_i/(r_i+θ), and the phase lasts
  // Exp(r_i+θ) whoever wins, so E[wait·1{served} | k] = Π_i r_i/(r_i+θ) · Σ_i 1/(r_i+θ).
  let waitOfAnswered = 0
  for (let k = 0; k < pi.length - c; k++) {
    let survive = 1
    let sumInv = 0
    for (let i = k; i >= 0; i--) {
      const r = c * mu + i * theta
      sumInv += 1 / (r + theta)
      survive *= r / (r + theta)
    }
    waitOfAnswered += pi[c + k]! * survive * sumInv
  }
  return {
    model: "erlang-a",
    offeredErlangs: lambda / mu,
    answerRate,
    abandonRate,
    probabilityOfWait: pWait,
    meanWaitSeconds: meanWait,
    meanWaitAnsweredSeconds: answerRate > 0 ? waitOfAnswered / answerRate : 0,
    serviceLevel: erlangAServiceLevel(pi, mu, theta, c, p.serviceLevelSeconds),
    occupancy: busy / Math.max(c, 1),
    meanQueueLength: lq,
    stable: true
  }
}

/**
 * P(served with wait <= T) for Erlang A: Σ_{n<c} π_n + Σ_k π_{c+k} · Π_i r_i/(r_i+θ) · F_k(T),
 * where F_k is the CDF at T of a sum of exponentials with rates q_i = r_i + θ, i = 0..k,
 * obtained for all k by uniformization of the pure-death chain on "callers ahead".
 */
const erlangAServiceLevel = (pi: Float64Array, mu: number, theta: number, c: number, T: number): number => {
  let sl = 0
  for (let n = 0; n < Math.min(c, pi.length); n++) sl += pi[n]!
  const K = pi.length - c
  if (K <= 0 || T <= 0) return sl
  const q = new Float64Array(K)
  const win = new Float64Array(K) // Π_{i=0..k} r_i/(r_i+θ)
  let prod = 1
  for (let i = 0; i < K; i++) {
    const r = c * mu + i * theta
    q[i] = r + theta
    prod *= r / (r + theta)
    win[i] = prod
  }
  const uniformRate = q[K - 1]!
  const lt = uniformRate * T
  // Poisson(lt) weights, truncated where the remaining mass is < 1e-15.
  const mMax = Math.ceil(lt + 12 * Math.sqrt(lt + 1) + 20)
  let g = new Float64Array(K) // G_m(k): absorbed within m uniformized steps from k ahead
  let next = new Float64Array(K)
  const F = new Float64Array(K)
  let logWeight = -lt // log Poisson(0)
  for (let m = 1; m <= mMax; m++) {
    for (let k = 0; k < K; k++) {
      const move = q[k]! / uniformRate
      const below = k === 0 ? 1 : g[k - 1]!
      next[k] = move * below + (1 - move) * g[k]!
    }
    const swap = g
    g = next
    next = swap
    logWeight += Math.log(lt) - Math.log(m)
    const w = Math.exp(logWeight)
    for (let k = 0; k < K; k++) F[k]! += w * g[k]!
  }
  for (let k = 0; k < K; k++) sl += pi[c + k]! * win[k]! * F[k]!
  return sl
}

/** What the smallest staffing must achieve. */
export type StaffingTarget =
  | { readonly kind: "serviceLevel"; readonly atLeast: number }
  | { readonly kind: "answerRate"; readonly atLeast: number }
  | { readonly kind: "meanWait"; readonly atMostSeconds: number }
  | { readonly kind: "abandonRate"; readonly atMost: number }

export const meetsTarget = (m: QueueMetrics, t: StaffingTarget): boolean => {
  if (!m.stable) return false
  switch (t.kind) {
    case "serviceLevel":
      return m.serviceLevel >= t.atLeast
    case "answerRate":
      return m.answerRate >= t.atLeast
    case "meanWait":
      return m.meanWaitSeconds <= t.atMostSeconds
    case "abandonRate":
      return m.abandonRate <= t.atMost
  }
}

/**
 * The smallest number of agents whose exact metrics meet the target, with those metrics;
 * undefined if no staffing up to `maxAgents` does (e.g. a service level of 1 with T = 0).
 * Every metric improves with more agents, so the first one found is the smallest.
 */
export const smallestStaffing = (
  p: Omit<QueueParameters, "agents">,
  target: StaffingTarget,
  maxAgents = 100_000
): { readonly agents: number; readonly metrics: QueueMetrics } | undefined => {
  const load = (p.arrivalsPerHour / 3600) * p.meanHandleSeconds
  // Start below the load for Erlang C (fewer agents are unstable anyway).
  let c = p.meanPatienceSeconds === undefined ? Math.max(0, Math.floor(load)) : 0
  // Coarse doubling to bracket, then linear refinement from the last failing count.
  let step = Math.max(1, Math.ceil(Math.sqrt(Math.max(load, 1))))
  let lastFail = c - 1
  for (;;) {
    if (c > maxAgents) return undefined
    const m = queueMetrics({ ...p, agents: c })
    if (meetsTarget(m, target)) break
    lastFail = c
    c += step
    step *= 2
  }
  for (let k = lastFail + 1; k <= c; k++) {
    const m = queueMetrics({ ...p, agents: k })
    if (meetsTarget(m, target)) return { agents: k, metrics: m }
  }
  return undefined
}
