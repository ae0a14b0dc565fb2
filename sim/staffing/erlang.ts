/**
 * Exact steady-state formulas for the single queue: Erlang C (M/M/c, callers never abandon) and
 * Erlang A (M/M/c+M, exponential patience), and the smallest number of agents meeting targets.
 *
 * Erlang C uses the closed form through the Erlang B recursion (stable for thousands of agents).
 * Erlang A works on the birth–death chain (birth λ, death min(n, c)μ + max(n − c, 0)θ) in log
 * space, from the chain's mode outwards, until the stationary probabilities fall below e^-45 of
 * the mode: about 20·√(mode) states whatever the load, instead of every state from 0 (the cost
 * that made 300,000 calls/h run for minutes).
 *
 * A caller who finds k callers ahead goes through phases i = k..0, each ending at rate
 * r_i = cμ + iθ (a service completion or an abandonment ahead), while his own patience runs at
 * rate θ. With a = cμ/θ, his virtual wait V = Σ Exp(r_i) has e^{-θV} ~ Beta(a, k + 1) (same
 * Mellin transform Π (a+i)/(a+i+s)), so:
 * - P(served | k) = E[e^{-θV}] = a/(a + k + 1);
 * - E[V · 1{served} | k] = a/(a + k + 1) · Σ_{i=0..k} 1/(r_i + θ);
 * - P(served, V <= T | k) = a/(a + k + 1) · P(Y >= k + 1), where Y is negative binomial with
 *   r = a + 1 and success probability z = e^{-θT}: the regularized incomplete beta
 *   1 − I_z(a + 1, k + 1) with an integer second parameter. Its terms are summed in log space by
 *   their ratio (no factorials), so the service level costs one pass over k, not a
 *   uniformization over T (which grew with T and with the queue).
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

/** The Erlang A chain's stationary law over the states that hold its mass. */
export interface ChainLaw {
  /** The first state kept (callers in system). */
  readonly first: number
  /** pi[j] = P(N = first + j), summing to 1. */
  readonly pi: Float64Array
}

/** Log-probabilities below the mode's by more than this are dropped (e^-45 ≈ 3e-20). */
const LOG_CUTOFF = 45

/** The most states the chain may span between its first state and its mode (a guard: the CLI's limits stay far below). */
export const MAX_CHAIN_STATES = 100_000_000

/**
 * Stationary distribution of the Erlang A chain, computed from its mode outwards in log space and
 * truncated on both sides where the probabilities fall below e^-45 of the mode's.
 * @param lambda arrival rate (calls per second), > 0
 * @param mu service rate (per second), > 0
 * @param theta abandonment rate (per second), > 0
 * @param c agents
 */
export const erlangAStationary = (lambda: number, mu: number, theta: number, c: number): ChainLaw => {
  const death = (n: number) => Math.min(n, c) * mu + Math.max(n - c, 0) * theta
  // The mode: the last n whose death rate does not exceed λ (π_n / π_{n-1} = λ / death(n)).
  const mode = lambda <= c * mu ? Math.floor(lambda / mu) : c + Math.floor((lambda - c * mu) / theta)
  if (!(mode <= MAX_CHAIN_STATES)) throw new RangeError(`Erlang A chain too long: its mode is at ${mode} callers`)
  const logLambda = Math.log(lambda)
  const up: number[] = []
  let maxLog = 0
  for (let n = mode + 1, v = 0; ; n++) {
    const d = death(n)
    v += logLambda - Math.log(d)
    up.push(v)
    if (v > maxLog) maxLog = v
    if (d > lambda && v < maxLog - LOG_CUTOFF) break
  }
  const down: number[] = []
  for (let n = mode, v = 0; n > 0; n--) {
    // π_{n-1} = π_n · death(n) / λ
    const d = death(n)
    v += Math.log(d) - logLambda
    down.push(v)
    if (v > maxLog) maxLog = v
    if (d < lambda && v < maxLog - LOG_CUTOFF) break
  }
  const first = mode - down.length
  const pi = new Float64Array(down.length + 1 + up.length)
  for (let j = 0; j < down.length; j++) pi[down.length - 1 - j] = Math.exp(down[j]! - maxLog)
  pi[down.length] = Math.exp(-maxLog)
  for (let j = 0; j < up.length; j++) pi[down.length + 1 + j] = Math.exp(up[j]! - maxLog)
  let total = 0
  for (let j = 0; j < pi.length; j++) total += pi[j]!
  for (let j = 0; j < pi.length; j++) pi[j]! /= total
  return { first, pi }
}

const erlangA = (p: QueueParameters, meanPatienceSeconds: number): QueueMetrics => {
  const lambda = p.arrivalsPerHour / 3600
  const mu = 1 / p.meanHandleSeconds
  const theta = 1 / meanPatienceSeconds
  const c = p.agents
  if (lambda === 0) return idle("erlang-a")
  const { first, pi } = erlangAStationary(lambda, mu, theta, c)
  let pWait = 0
  let lq = 0
  let busy = 0
  let belowC = 0
  for (let j = 0; j < pi.length; j++) {
    const n = first + j
    if (n >= c) pWait += pi[j]!
    else belowC += pi[j]!
    if (n > c) lq += (n - c) * pi[j]!
    busy += Math.min(n, c) * pi[j]!
  }
  // Clamped: the last bits of a sum of ~1e3 terms can put a share a hair past 1.
  const abandonRate = Math.min(1, (theta * lq) / lambda)
  const meanWait = lq / lambda
  const answerRate = 1 - abandonRate
  const tagged = taggedCaller(first, pi, c, mu, theta, p.serviceLevelSeconds)
  return {
    model: "erlang-a",
    offeredErlangs: lambda / mu,
    answerRate,
    abandonRate,
    probabilityOfWait: pWait,
    meanWaitSeconds: meanWait,
    meanWaitAnsweredSeconds: answerRate > 0 ? tagged.waitOfAnswered / answerRate : 0,
    serviceLevel: belowC + tagged.servedWithinT,
    occupancy: busy / Math.max(c, 1),
    meanQueueLength: lq,
    stable: true
  }
}

/**
 * What happens to callers who find every agent busy, summed over the queue states of the law:
 * E[wait · 1{served}] and P(served within T) (module header for the formulas). One pass over
 * k = 0..(last queue state): the sums Σ 1/(r_i + θ) and the negative binomial's distribution
 * function both run from k = 0.
 */
const taggedCaller = (first: number, pi: Float64Array, c: number, mu: number, theta: number, T: number) => {
  const last = first + pi.length - 1
  let waitOfAnswered = 0
  let servedWithinT = 0
  if (c === 0 || last < c) return { waitOfAnswered, servedWithinT }
  const a = (c * mu) / theta
  const r = a + 1
  // Y ~ NegBin(r, z = e^{-θT}): log P(Y = 0) = r log z = −(cμ + θ)T, then ratios (r + j)/(j + 1) · (1 − z).
  const logOneMinusZ = Math.log(-Math.expm1(-theta * T))
  let logTerm = -(c * mu + theta) * T
  let cdf = 0 // P(Y <= k), built up as k grows
  let inverseSum = 0 // Σ_{i=0..k} 1/(r_i + θ)
  for (let k = 0; first + pi.length - 1 >= c + k; k++) {
    inverseSum += 1 / (c * mu + (k + 1) * theta)
    if (T > 0 && cdf < 1) {
      cdf += Math.exp(logTerm)
      logTerm += Math.log((r + k) / (k + 1)) + logOneMinusZ
      // Past the negative binomial's bulk the remaining mass is below e^-45: P(Y <= k) = 1.
      if (k > (r * -Math.expm1(-theta * T)) * Math.exp(theta * T) && logTerm < -LOG_CUTOFF) cdf = 1
    }
    const j = c + k - first
    if (j < 0) continue
    const served = a / (a + k + 1)
    waitOfAnswered += pi[j]! * served * inverseSum
    if (T > 0) servedWithinT += pi[j]! * served * Math.max(0, 1 - cdf)
  }
  return { waitOfAnswered, servedWithinT }
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

/** Every target met (and the queue stable). */
export const meetsTargets = (m: QueueMetrics, targets: ReadonlyArray<StaffingTarget>): boolean => m.stable && targets.every((t) => meetsTarget(m, t))

/** The most agents the staffing search tries. */
export const MAX_STAFFING_AGENTS = 100_000

/**
 * The smallest number of agents whose exact metrics meet every target, with those metrics;
 * undefined if no staffing up to `maxAgents` does (e.g. a service level of 1 with T = 0).
 * Every metric improves with more agents, so "meets every target" is false then true as agents
 * grow: a galloping search from the offered load (steps 1, 2, 4… until the answer flips), then
 * a binary search between the last failing and the first meeting count — O(log) evaluations,
 * each O(√load) terms, instead of a linear walk from 0.
 */
export const smallestStaffing = (
  p: Omit<QueueParameters, "agents">,
  target: StaffingTarget | ReadonlyArray<StaffingTarget>,
  maxAgents = MAX_STAFFING_AGENTS
): { readonly agents: number; readonly metrics: QueueMetrics } | undefined => {
  const targets: ReadonlyArray<StaffingTarget> = Array.isArray(target) ? target : [target as StaffingTarget]
  const seen = new Map<number, QueueMetrics>()
  const metricsAt = (c: number): QueueMetrics => {
    let m = seen.get(c)
    if (m === undefined) seen.set(c, (m = queueMetrics({ ...p, agents: c })))
    return m
  }
  const meets = (c: number) => meetsTargets(metricsAt(c), targets)
  const load = (p.arrivalsPerHour / 3600) * p.meanHandleSeconds
  const erlangC = p.meanPatienceSeconds === undefined || p.meanPatienceSeconds === Infinity
  // Without patience, `load` agents or fewer are unstable: the answer is above it.
  const floor = erlangC && load > 0 ? Math.min(maxAgents + 1, Math.floor(load) + 1) : 0
  if (floor > maxAgents) return undefined
  const start = Math.min(maxAgents, Math.max(floor, Math.ceil(load)))
  // Invariant below: `fail` fails (or is floor − 1), `pass` meets.
  let fail: number
  let pass: number
  if (meets(start)) {
    pass = start
    fail = floor - 1
    for (let step = 1; pass - step >= floor; step *= 2) {
      if (!meets(pass - step)) {
        fail = pass - step
        break
      }
      pass -= step
    }
  } else {
    fail = start
    pass = -1
    for (let step = 1; ; step *= 2) {
      const c = Math.min(maxAgents, fail + step)
      if (meets(c)) {
        pass = c
        break
      }
      if (c === maxAgents) return undefined
      fail = c
    }
  }
  while (pass - fail > 1) {
    const mid = fail + Math.floor((pass - fail) / 2)
    if (meets(mid)) pass = mid
    else fail = mid
  }
  return { agents: pass, metrics: metricsAt(pass) }
}
