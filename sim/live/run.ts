/**
 * The coordinator of a live run: checks the servers, makes sure the accounts exist, hands each
 * generator its shard, starts them all on one instant, applies the fault schedule, merges what
 * they report (every second, every 10 s window, at the end), takes the census on both sides,
 * reads the mock's cold statistics, runs the pure simulation of the same window, and judges the
 * thresholds. It returns everything the outputs need — also when the run fails part-way: the
 * partial results are kept and the failure is said with its code.
 *
 * Invariants:
 * - one start instant `t0` for every generator: windows and seconds line up across processes;
 * - the census is taken once every generator is idle, and the coordinator has forwarded every
 *   relay it received before asking for the reports (messages on a channel arrive in order), so
 *   no call's fate is still in flight when the harness and the mock are compared;
 * - the run is bounded: the window, then at most `drainMs` for calls in progress, then a hard
 *   deadline, whatever the servers do; every later step (faults cleared, reports, census,
 *   clean-up) has its own bound (the *_MS constants below);
 * - a failure (a generator's fatal error, a generator or server gone, Ctrl-C, an error here)
 *   never skips the end: the live generators still send their reports (partial results) and
 *   still hang up the run's callers left waiting, and the faults set on the server are cleared;
 * - a 10 s window is kept merged and encoded once every generator has sent it (a few KiB, not
 *   ~1 MiB of decoded histograms): a day-long run's coordinator memory stays small.
 */
import { syntheticAccounts, type RunAccounts } from "./accounts.js"
import { faultOffsetMs, type Fault } from "./faults.js"
import { describeReply } from "./http.js"
import type { FinalReport, FromGenerator, GeneratorPort, Notice, SecondReport, Shard } from "./messages.js"
import { OutOfContract } from "./contract.js"
import type * as hdr from "hdr-histogram-js"
import { decode, encode, MergedMetrics, newHistogram, type LatencyMetric, type MetricsSnapshot } from "./metrics.js"
import { OdigoRest, type AuditCensus, type StatsView } from "./odigo-rest.js"
import { selectCallers, type Plan } from "./plan.js"
import { Psn1Client } from "./psn1-client.js"
import { nowEpochMs } from "./scheduler.js"
import { checkReachable, createAccounts, LoadFailure, psn1Census, psn1Login, serverFacts, within } from "./setup.js"
import type { Model } from "../model/model.js"
import type { DistributionSpec } from "../engine/distributions.js"

export interface LoadOptions {
  readonly plan: Plan
  readonly model: Model
  readonly odigoUrl: string
  readonly psn1Url: string
  readonly adminToken?: string | undefined
  /** Create synthetic accounts (with PSN1's security officer), or use given ones. */
  readonly accounts: { readonly kind: "create"; readonly officer: { readonly email: string; readonly password: string } } | { readonly kind: "given"; readonly accounts: RunAccounts }
  readonly ports: ReadonlyArray<GeneratorPort>
  readonly faults: ReadonlyArray<Fault>
  /** Real ms the run waits after the window for calls in progress (default: the plan's longest call, scaled, + 5 s). */
  readonly drainMs?: number | undefined
  readonly log: (line: string) => void
  /** The live progress line (a terminal), called once a second. */
  readonly progress?: ((line: string) => void) | undefined
  /**
   * Aborts the run (Ctrl-C; an embedded server gone): partial results are kept. The failure is
   * the abort's reason when it is a LoadFailure (its code and message), INTERRUPTED otherwise.
   */
  readonly signal?: AbortSignal | undefined
  /** Told the start instant (epoch ms) and the window's wall length once the run starts. */
  readonly onStart?: ((t0: number, runMs: number) => void) | undefined
}

/** One second of the run, all generators together. */
export interface SecondRow extends Pick<SecondReport, "second" | "injected" | "answered" | "abandoned" | "waiting" | "loggedIn" | "errors" | "reconnects" | "loopDelayMaxMs"> {
  readonly generatorCpu: ReadonlyArray<number>
  readonly generatorRssBytes: number
  readonly offerP99Ms: number | null
  readonly offerCount: number
  /** This second's offer latencies, all generators (an encoded HDR histogram), for fault windows. */
  readonly offerHistogram: string | null
}

export interface AppliedFault {
  readonly fault: Fault
  readonly atMs: number
  readonly applied: boolean
  readonly message: string | null
}

export interface LoadRun {
  readonly failure: { readonly code: string; readonly message: string } | null
  readonly plan: Plan
  readonly startedAtIso: string | null
  readonly t0: number | null
  readonly wallSeconds: number
  readonly total: MergedMetrics
  /** 10 s windows, merged across generators (kept encoded; a histogram is decoded when read). */
  readonly windows: ReadonlyArray<WindowMetrics>
  readonly seconds: ReadonlyArray<SecondRow>
  readonly reports: ReadonlyArray<FinalReport>
  readonly faults: ReadonlyArray<AppliedFault>
  readonly auditBefore: AuditCensus | null
  readonly auditAfter: AuditCensus | null
  readonly psn1: { readonly tickets: number; readonly forms: { readonly found: number; readonly answered: number } } | null
  readonly stats: StatsView | null
  readonly drainTimedOut: boolean
  readonly people: { readonly phone: number; readonly forms: number; readonly blended: number }
  readonly coordinatorCpuSeconds: number
}

/** How long the generators have to start (load the shard, open their clients). */
export const START_TIMEOUT_MS = 60_000
/** How long the generators' final reports may take: they are built from memory, in milliseconds; 30 s covers a loaded machine. */
export const REPORT_TIMEOUT_MS = 30_000
/** After a failure, a shorter wait for the reports of the generators still alive (Ctrl-C should not wait long). */
export const REPORT_AFTER_FAILURE_MS = 10_000
/** Clean-up (hanging up the run's callers still queued): each generator bounds its own at 5 s; this is the coordinator's bound. */
export const CLEANUP_TIMEOUT_MS = 10_000
/** Faults being applied when the run ends, then `DELETE /admin/faults`: each at most this long (a request's own timeout is 15 s). */
export const FAULTS_CLEAR_TIMEOUT_MS = 10_000
/** The end of the run on the server (audit, cold statistics): each request at most this long. */
const AFTER_REQUEST_TIMEOUT_MS = 20_000

/**
 * One 10 s window, all generators: histograms encoded (compressed base64, as generators send
 * them) and counters. `histograms.get(m)` decodes into a histogram of the generators' layout —
 * the very histogram the merge of the parts gave — so outputs read it as before, one at a time.
 */
export class WindowMetrics {
  readonly histograms: { get(metric: LatencyMetric): hdr.Histogram | undefined; has(metric: LatencyMetric): boolean }
  constructor(readonly snapshot: MetricsSnapshot) {
    const encoded = snapshot.histograms
    this.histograms = {
      has: (m) => encoded[m] !== undefined,
      get: (m) => {
        const e = encoded[m]
        if (e === undefined) return undefined
        const h = newHistogram()
        h.add(decode(e))
        return h
      }
    }
  }

  /** The parts (one per generator) of a window, merged and encoded. */
  static of(merged: MergedMetrics): WindowMetrics {
    const histograms: Partial<Record<LatencyMetric, string>> = {}
    for (const [k, h] of merged.histograms) if (h.totalCount > 0) histograms[k] = encode(h)
    return new WindowMetrics({ histograms, counters: Object.fromEntries(merged.counters) })
  }

  counter(name: string): number {
    return this.snapshot.counters[name] ?? 0
  }

  countersUnder(prefix: string): Record<string, number> {
    const out: Record<string, number> = {}
    for (const [k, v] of Object.entries(this.snapshot.counters)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v
    return out
  }
}

/**
 * The windows of a run as parts arrive: a window is merged (decoded) only while some generator
 * has not sent it yet, then encoded; a part arriving for an encoded window merges into it.
 */
export class WindowStore {
  private readonly done: Array<WindowMetrics | undefined> = []
  private readonly open = new Map<number, { merged: MergedMetrics; parts: number }>()
  constructor(private readonly parts: number) {}

  add(index: number, snapshot: MetricsSnapshot): void {
    let w = this.open.get(index)
    if (w === undefined) {
      const merged = new MergedMetrics()
      const before = this.done[index]
      if (before !== undefined) merged.add(before.snapshot)
      w = { merged, parts: before === undefined ? 0 : this.parts - 1 }
      this.done[index] = undefined
      this.open.set(index, w)
    }
    w.merged.add({ histograms: snapshot.histograms, counters: snapshot.counters })
    if (++w.parts >= this.parts) this.close(index)
  }

  /** Windows decoded now (bounded by the generators' count and lag). */
  get openCount(): number {
    return this.open.size
  }

  /** Every window, in order (those still open are closed: a generator that never sent its part is gone); a gap is an empty window. */
  all(): WindowMetrics[] {
    for (const index of [...this.open.keys()]) this.close(index)
    const out: WindowMetrics[] = []
    for (let i = 0; i < this.done.length; i++) out.push(this.done[i] ?? new WindowMetrics({ histograms: {}, counters: {} }))
    return out
  }

  private close(index: number): void {
    const w = this.open.get(index)!
    this.open.delete(index)
    while (this.done.length <= index) this.done.push(undefined)
    this.done[index] = WindowMetrics.of(w.merged)
  }
}

/** Code and message of an error met by the coordinator: a stable code, never a stack trace. */
export const failureOf = (e: unknown): { code: string; message: string } => {
  if (e instanceof LoadFailure) return { code: e.code, message: e.message }
  if (e instanceof OutOfContract) return { code: "OUT_OF_CONTRACT", message: e.message }
  return { code: "INTERNAL", message: e instanceof Error ? e.message : String(e) }
}

export const runLoad = async (o: LoadOptions): Promise<LoadRun> => {
  const { plan } = o
  const G = o.ports.length
  const odigo = new OdigoRest(o.odigoUrl, { maxSockets: 64, timeoutMs: 15_000, adminToken: o.adminToken })
  const psn1 = new Psn1Client(o.psn1Url, { maxSockets: 16, timeoutMs: 30_000 })
  const cpu0 = process.cpuUsage()
  const started = nowEpochMs()
  const total = new MergedMetrics()
  const windows = new WindowStore(G)
  const secondsParts = new Map<number, SecondReport[]>()
  const seconds: SecondRow[] = []
  const reports: FinalReport[] = []
  const applied: AppliedFault[] = []
  let failure: { code: string; message: string } | null = null
  let t0: number | null = null
  let startedAtIso: string | null = null
  let auditBefore: AuditCensus | null = null
  let auditAfter: AuditCensus | null = null
  let psn1Result: LoadRun["psn1"] = null
  let stats: StatsView | null = null
  let drainTimedOut = false
  const people = { phone: 0, forms: 0, blended: 0 }
  for (const p of plan.people) people[(["phone", "forms", "blended"] as const)[p.group]!]++

  // --- messages from the generators -----------------------------------------------------------
  /** Generators whose process is still there, those that took their shard (`ready`), those that reported. */
  const alive = new Set(o.ports.map((_, g) => g))
  const initialised = new Set<number>()
  const reported = new Set<number>()
  /** A wait for one message from each of `need`; `beyondFailure`: still waited for after a failure (reports, clean-up). */
  interface Waiter { readonly kind: FromGenerator["kind"]; readonly need: Set<number>; readonly beyondFailure: boolean; readonly resolve: () => void }
  const waiters: Waiter[] = []
  const settle = (): void => {
    for (const w of [...waiters]) {
      if (w.need.size > 0 && !(failure !== null && !w.beyondFailure)) continue
      waiters.splice(waiters.indexOf(w), 1)
      w.resolve()
    }
  }
  const fail = (code: string, message: string): void => {
    if (failure !== null) return
    failure = { code, message }
    o.log(`load: ${code}: ${message}`)
    for (const g of alive) o.ports[g]!.send({ kind: "abort" })
    settle()
  }
  const expect = (kind: FromGenerator["kind"], among: Iterable<number> = alive, beyondFailure = false): Promise<void> =>
    new Promise((resolve) => {
      const need = new Set([...among].filter((g) => alive.has(g)))
      waiters.push({ kind, need, beyondFailure, resolve })
      settle()
    })
  const arrived = (kind: FromGenerator["kind"], g: number): void => {
    for (const w of waiters) if (w.kind === kind) w.need.delete(g)
    settle()
  }
  o.ports.forEach((port, g) => {
    port.onMessage((m) => {
      switch (m.kind) {
        case "relay":
          o.ports[m.to]?.send({ kind: "relay", notices: m.notices as Notice[] })
          return
        case "second":
          return onSecond(g, m)
        case "window":
          return windows.add(m.index, m.snapshot)
        case "report":
          if (reported.has(g)) return
          reported.add(g)
          reports.push(m.report)
          total.add(m.report.totals)
          return arrived("report", g)
        case "fatal":
          return fail(m.code, m.message)
        case "ready":
          initialised.add(g)
          return arrived(m.kind, g)
        default:
          return arrived(m.kind, g)
      }
    })
    port.onExit((why) => {
      alive.delete(g)
      for (const w of waiters) w.need.delete(g)
      fail("GENERATOR_DIED", `generator ${g} stopped unexpectedly: ${why}`)
      settle()
    })
  })
  const onSecond = (g: number, s: SecondReport): void => {
    void g
    const list = secondsParts.get(s.second) ?? []
    list.push(s)
    secondsParts.set(s.second, list)
    if (list.length < G) return
    secondsParts.delete(s.second)
    const merged = new MergedMetrics()
    for (const part of list) for (const [k, enc] of Object.entries(part.histograms) as Array<[LatencyMetric, string]>) merged.addHistogram(k, enc)
    const offer = merged.stats("offer_latency")
    const row: SecondRow = {
      second: s.second,
      injected: list.reduce((a, x) => a + x.injected, 0),
      answered: list.reduce((a, x) => a + x.answered, 0),
      abandoned: list.reduce((a, x) => a + x.abandoned, 0),
      waiting: list.reduce((a, x) => a + x.waiting, 0),
      loggedIn: list.reduce((a, x) => a + x.loggedIn, 0),
      errors: list.reduce((a, x) => a + x.errors, 0),
      reconnects: list.reduce((a, x) => a + x.reconnects, 0),
      generatorCpu: list.map((x) => x.cpu),
      loopDelayMaxMs: Math.max(...list.map((x) => x.loopDelayMaxMs)),
      generatorRssBytes: list.reduce((a, x) => a + x.rssBytes, 0),
      offerP99Ms: offer?.p99Ms ?? null,
      offerCount: offer?.count ?? 0,
      offerHistogram: merged.histograms.has("offer_latency") ? encode(merged.histograms.get("offer_latency")!) : null
    }
    seconds.push(row)
    o.progress?.(progressLine(plan, row))
  }
  const onAbort = (): void => {
    const reason: unknown = o.signal?.reason
    if (reason instanceof LoadFailure) fail(reason.code, reason.message)
    else fail("INTERRUPTED", "the run was interrupted (SIGINT/SIGTERM); partial results kept")
  }
  if (o.signal?.aborted === true) onAbort()
  else o.signal?.addEventListener("abort", onAbort)
  /** Something went wrong here: a stable code and message (the stack only with CCSIM_LIVE_DEBUG). */
  const failWith = (e: unknown): void => {
    const f = failureOf(e)
    if (f.code === "INTERNAL" && process.env["CCSIM_LIVE_DEBUG"] === "1" && e instanceof Error && e.stack !== undefined) o.log(e.stack)
    fail(f.code, f.message)
  }
  /** Stops the sequence when the run has failed meanwhile (by a message, a signal, an exit). */
  const checkpoint = (): void => {
    if (failure !== null) throw new LoadFailure(failure.code, failure.message)
  }

  let accounts: RunAccounts | undefined
  let readerToken: string | undefined
  const formIds = new Set<string>()
  const faultRun: FaultRun = { timers: [], pending: new Set(), applied, notes: [] }
  try {
    // --- before: servers, accounts, facts ---------------------------------------------------
    await checkReachable(odigo, psn1)
    checkpoint()
    if (o.accounts.kind === "create") {
      await createAccounts(odigo, psn1, o.accounts.officer, plan.people, G, o.log)
      accounts = syntheticAccounts(plan.people, G)
    } else accounts = o.accounts.accounts
    checkpoint()
    readerToken = await psn1Login(psn1, accounts.psn1Reader.email, accounts.psn1Reader.password)
    const facts = await serverFacts(odigo, psn1, readerToken)
    const before = await odigo.audit()
    auditBefore = before.value ?? null
    checkpoint()
    // Long enough for the longest call of the plan (talk + wrap-up) started at the last moment.
    let longest = 0
    for (let i = 0; i < plan.callers.talk.length; i++) longest = Math.max(longest, plan.callers.talk[i]! + plan.callers.wrap[i]!)
    const drainMs = o.drainMs ?? Math.round((Math.max(longest, 3 * plan.laws.meanHandleSeconds) / plan.speed) * 1000 + 5000)
    const formHandle: DistributionSpec | null = o.model.formHandle
    const ready = expect("ready")
    o.ports.forEach((port, g) => {
      const shard: Shard = {
        index: g,
        count: G,
        runTag: `ccsim-${Math.round(started).toString(36)}`,
        odigoUrl: o.odigoUrl,
        psn1Url: o.psn1Url,
        adminToken: o.adminToken,
        seed: plan.seed,
        speed: plan.speed,
        mode: plan.mode,
        windowStartSeconds: plan.window.startSeconds,
        windowEndSeconds: plan.window.endSeconds,
        closesAtEnd: plan.closesAtEnd,
        callers: selectCallers(plan.callers, (i) => i % G === g),
        forms: plan.forms.time.filter((_, k) => k % G === g),
        formHandle,
        people: plan.people.filter((_, k) => k % G === g).map((p) => {
          const a = accounts!.people[plan.people.indexOf(p)]!
          return { id: p.id, group: p.group, pieces: p.pieces, odigo: a.odigo, psn1: a.psn1 }
        }),
        laws: plan.laws,
        transferTargets: facts.transferTargets,
        templates: facts.templates,
        insuredIds: facts.insuredIds,
        formInjector: plan.forms.time.length > 0 ? accounts!.psn1Injectors[g] ?? null : null,
        supervisor: g === 0 ? accounts!.odigoSupervisor : null,
        drainMs,
        serviceLevelSeconds: o.model.serviceLevelSeconds
      }
      port.send({ kind: "init", shard })
    })
    if ((await within(ready, START_TIMEOUT_MS)) === "timeout") throw new LoadFailure("START_TIMEOUT", `a generator did not start within ${START_TIMEOUT_MS / 1000} s`)
    checkpoint()
    const prepared = expect("prepared")
    for (const p of o.ports) p.send({ kind: "prepare" })
    if ((await within(prepared, 60_000 + plan.people.length * 20)) === "timeout") throw new LoadFailure("PREPARE_TIMEOUT", "the advisors could not all log in within the set-up time")
    checkpoint()

    // --- the run -----------------------------------------------------------------------------
    t0 = nowEpochMs() + 1000
    startedAtIso = new Date(t0).toISOString()
    const idle = expect("idle")
    for (const p of o.ports) p.send({ kind: "start", t0 })
    const runMs = ((plan.window.endSeconds - plan.window.startSeconds) / plan.speed) * 1000
    scheduleFaults(o, odigo, t0, runMs, faultRun)
    o.onStart?.(t0, runMs)
    const outcome = await within(idle, runMs + (t0 - nowEpochMs()) + drainMs)
    if (outcome === "timeout" && failure === null) {
      drainTimedOut = true
      o.log(`load: calls still in progress ${(drainMs / 1000).toFixed(1)} s after the window; counting them as they stand`)
    }
  } catch (e) {
    failWith(e)
  }
  try {
    // --- the end, on every path: faults cleared, reports, census (a run that went well), clean-up
    await endFaults(o, odigo, faultRun, total)
    const from = [...initialised].filter((g) => alive.has(g) && !reported.has(g))
    if (from.length > 0) {
      const failedBefore = failure !== null
      const reportsIn = expect("report", from, true)
      for (const g of from) o.ports[g]!.send({ kind: "report" })
      const bound = failedBefore ? REPORT_AFTER_FAILURE_MS : REPORT_TIMEOUT_MS
      if ((await within(reportsIn, bound)) === "timeout") {
        if (failedBefore) o.log(`load: ${from.length - [...from].filter((g) => reported.has(g)).length} generator(s) sent no report within ${bound / 1000} s`)
        else fail("REPORT_TIMEOUT", `a generator did not send its report within ${bound / 1000} s`)
      }
    }
    if (failure === null && t0 !== null && startedAtIso !== null && accounts !== undefined && readerToken !== undefined) {
      // --- after: census, statistics ------------------------------------------------------------
      for (const r of reports) for (const id of r.forms.ids) formIds.add(id)
      const after = await within(odigo.audit(), AFTER_REQUEST_TIMEOUT_MS)
      if (after === "timeout") o.log(`load: Odigo GET /admin/audit: no answer within ${AFTER_REQUEST_TIMEOUT_MS / 1000} s`)
      else {
        auditAfter = after.value ?? null
        if (after.value === undefined) o.log(`load: Odigo GET /admin/audit: ${describeReply(after.reply)}`)
      }
      psn1Result = await psn1Census(psn1, readerToken, accounts, startedAtIso, formIds)
      const fromIso = new Date(Math.floor(t0 / 900_000) * 900_000).toISOString()
      const st = await within(odigo.stats(fromIso, new Date(Math.ceil((nowEpochMs() + 1) / 900_000) * 900_000).toISOString()), AFTER_REQUEST_TIMEOUT_MS)
      if (st === "timeout") o.log(`load: Odigo cold statistics: no answer within ${AFTER_REQUEST_TIMEOUT_MS / 1000} s`)
      else {
        stats = st.value ?? null
        if (st.value === undefined) o.log(`load: Odigo cold statistics: ${describeReply(st.reply)}`)
      }
    }
  } catch (e) {
    failWith(e)
  } finally {
    o.signal?.removeEventListener("abort", onAbort)
    // Leave the server as it was found: callers still waiting hang up (after the census), on
    // every path — a failed run too — by the generators still there.
    const cleaners = [...initialised].filter((g) => alive.has(g))
    if (t0 !== null && cleaners.length > 0) {
      const cleaned = expect("cleaned", cleaners, true)
      for (const g of cleaners) o.ports[g]!.send({ kind: "cleanup" })
      if ((await within(cleaned, CLEANUP_TIMEOUT_MS)) === "timeout") o.log(`load: the clean-up (hanging up the run's callers still waiting) did not end within ${CLEANUP_TIMEOUT_MS / 1000} s`)
    }
    for (const g of alive) o.ports[g]!.send({ kind: "abort" })
    await Promise.all(o.ports.map((p) => p.close()))
    await odigo.close()
    await psn1.close()
  }
  const cpu = process.cpuUsage(cpu0)
  return {
    failure,
    plan,
    startedAtIso,
    t0,
    wallSeconds: (nowEpochMs() - started) / 1000,
    total,
    windows: windows.all(),
    seconds,
    reports,
    faults: applied,
    auditBefore,
    auditAfter,
    psn1: psn1Result,
    stats,
    drainTimedOut,
    people,
    coordinatorCpuSeconds: (cpu.user + cpu.system) / 1e6
  }
}

const hhmm = (seconds: number): string => {
  const m = Math.floor(seconds / 60) % 1440
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`
}

const progressLine = (plan: Plan, r: SecondRow): string => {
  const sim = plan.window.startSeconds + r.second * plan.speed
  const clock = plan.mode === "day" && plan.day !== null ? ` ${hhmm(sim)}` : ""
  const cpu = r.generatorCpu.map((c) => `${Math.round(c * 100)}%`).join("/")
  return `t=${String(r.second).padStart(4)}s${clock}  injected ${r.injected}  answered ${r.answered}  abandoned ${r.abandoned}  waiting ${r.waiting}  advisors ${r.loggedIn}  offer p99 ${r.offerP99Ms === null ? "-" : `${r.offerP99Ms.toFixed(1)} ms`}  errors ${r.errors}  generators CPU ${cpu} loop ${r.loopDelayMaxMs.toFixed(0)} ms`
}

/** The faults' timers, the requests in flight, and what was applied. */
interface FaultRun {
  readonly timers: NodeJS.Timeout[]
  readonly pending: Set<Promise<void>>
  readonly applied: AppliedFault[]
  /** Problems to say in the summary's error samples (a fault's end refused). */
  readonly notes: string[]
}

/** A fault request's outcome in words: null when the server took it. */
const faultError = async (request: () => Promise<{ readonly value?: unknown; readonly reply: Parameters<typeof describeReply>[0] }>): Promise<string | null> => {
  try {
    const r = await request()
    return r.value !== undefined ? null : describeReply(r.reply)
  } catch (e) {
    return failureOf(e).message
  }
}

/**
 * At the end of the run (on every path): no fault is applied any more, those being applied are
 * waited for (bounded), and the server's faults are cleared (`DELETE /admin/faults`, bounded)
 * whenever the run sent any — server-closing included. A clear that fails is said in the error
 * samples of the summary and in the log: the server may still be degraded.
 */
const endFaults = async (o: LoadOptions, odigo: OdigoRest, f: FaultRun, total: MergedMetrics): Promise<void> => {
  for (const t of f.timers) clearTimeout(t)
  if (f.pending.size > 0) await within(Promise.allSettled([...f.pending]), FAULTS_CLEAR_TIMEOUT_MS)
  total.samples.push(...f.notes)
  // Any fault sent, applied or not: a request refused on its answer (out of contract, a timeout) may have taken effect.
  if (!f.applied.some((a) => a.fault.kind !== "vpn-cut")) return
  const out = await within(faultError(() => odigo.clearFaults()), FAULTS_CLEAR_TIMEOUT_MS)
  const problem = out === "timeout" ? `no answer within ${FAULTS_CLEAR_TIMEOUT_MS / 1000} s` : out
  if (problem === null) return
  const line = `FAULTS_NOT_CLEARED: DELETE /admin/faults at the end of the run failed (${problem}): the server may still apply the run's faults`
  total.samples.push(line)
  o.log(`load: ${line}`)
}

/** Timers applying each fault at its time (and clearing settings given a duration); no request's failure escapes. */
const scheduleFaults = (o: LoadOptions, odigo: OdigoRest, t0: number, runMs: number, run: FaultRun): void => {
  const plan = o.plan
  const dayStart = plan.day === null ? null : Math.floor(plan.window.startSeconds / 86_400) * 86_400
  const track = (p: Promise<void>): void => {
    run.pending.add(p)
    void p.finally(() => run.pending.delete(p))
  }
  for (const f of o.faults) {
    const at = faultOffsetMs(f, { startSeconds: plan.window.startSeconds, dayStartSeconds: dayStart }, plan.speed)
    if (typeof at === "string" || at > runMs) continue
    const apply = async (): Promise<void> => {
      let message: string | null = null
      let problem: string | null = null
      switch (f.kind) {
        case "latency":
          problem = await faultError(() => odigo.faults({ latencyMs: f.latencyMs, jitterMs: f.jitterMs }))
          break
        case "drop":
          problem = await faultError(() => odigo.faults({ dropRate: f.share }))
          break
        case "refuse-connections":
          problem = await faultError(() => odigo.faults({ refuseConnections: true }))
          break
        case "server-closing":
          problem = await faultError(() => odigo.faults({ serverClosing: { reason: "ccsim load: maintenance notice", closingInMs: 600_000 } }))
          break
        case "clear":
          problem = await faultError(() => odigo.clearFaults())
          break
        case "vpn-cut": {
          let connected: string[] = []
          problem = await faultError(async () => {
            const agents = await odigo.agents()
            connected = (agents.value?.agents ?? []).filter((a) => a.connected).map((a) => a.login).sort()
            return agents
          })
          if (problem !== null) break
          const n = Math.round(connected.length * f.share)
          // Every k-th connected agent, so the cut spreads over teams (deterministic for a given set).
          const step = connected.length / Math.max(1, n)
          const logins = Array.from({ length: n }, (_, k) => connected[Math.floor(k * step)]!)
          if (logins.length > 0) {
            problem = await faultError(() => odigo.faults({ disconnect: { logins } }))
            message = `${logins.length} of ${connected.length} connected agents cut`
          } else message = "no agent connected"
          break
        }
      }
      if (problem !== null) message = message === null ? `not applied: ${problem}` : `${message}; not applied: ${problem}`
      run.applied.push({ fault: f, atMs: nowEpochMs() - t0, applied: problem === null, message })
      if (problem !== null) o.log(`load: fault ${f.source} was not applied: ${problem}`)
    }
    run.timers.push(setTimeout(() => track(apply()), Math.max(0, t0 + at - nowEpochMs())))
    if (f.forMs !== null) {
      const undo = f.kind === "latency" ? { latencyMs: 0, jitterMs: 0 } : f.kind === "drop" ? { dropRate: 0 } : { refuseConnections: false }
      const lift = async (): Promise<void> => {
        const problem = await faultError(() => odigo.faults(undo))
        if (problem === null) return
        const line = `FAULT_NOT_LIFTED: ${f.source}: the end of the fault was refused (${problem}); cleared again at the end of the run`
        o.log(`load: ${line}`)
        run.notes.push(line)
      }
      run.timers.push(setTimeout(() => track(lift()), Math.max(0, t0 + at + f.forMs - nowEpochMs())))
    }
  }
}
