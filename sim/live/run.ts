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
 *   deadline, whatever the servers do.
 */
import { syntheticAccounts, type RunAccounts } from "./accounts.js"
import { faultOffsetMs, type Fault } from "./faults.js"
import { describeReply } from "./http.js"
import type { FinalReport, FromGenerator, GeneratorPort, Notice, SecondReport, Shard } from "./messages.js"
import { encode, MergedMetrics, type LatencyMetric } from "./metrics.js"
import { OdigoRest, type AuditCensus, type StatsView } from "./odigo-rest.js"
import { selectCallers, type Plan } from "./plan.js"
import { Psn1Client } from "./psn1-client.js"
import { nowEpochMs } from "./scheduler.js"
import { checkReachable, createAccounts, LoadFailure, psn1Census, psn1Login, serverFacts } from "./setup.js"
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
  /** Aborts the run (Ctrl-C): partial results are kept. */
  readonly signal?: AbortSignal | undefined
  /** Told the start instant (epoch ms) and the window's wall length once the run starts. */
  readonly onStart?: ((t0: number, runMs: number) => void) | undefined
}

/** One second of the run, all generators together. */
export interface SecondRow {
  readonly second: number
  readonly injected: number
  readonly answered: number
  readonly abandoned: number
  readonly waiting: number
  readonly loggedIn: number
  readonly errors: number
  readonly reconnects: number
  readonly generatorCpu: ReadonlyArray<number>
  readonly loopDelayMaxMs: number
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
  /** 10 s windows, merged across generators. */
  readonly windows: ReadonlyArray<MergedMetrics>
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

/** `p`, or "timeout" after `ms` — the timer is cleared either way (nothing keeps the process alive). */
const within = async <T>(p: Promise<T>, ms: number): Promise<T | "timeout"> => {
  let timer: NodeJS.Timeout | undefined
  const t = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), Math.max(0, ms))))
  try {
    return await Promise.race([p, t])
  } finally {
    clearTimeout(timer)
  }
}

export const runLoad = async (o: LoadOptions): Promise<LoadRun> => {
  const { plan } = o
  const G = o.ports.length
  const odigo = new OdigoRest(o.odigoUrl, { maxSockets: 64, timeoutMs: 15_000, adminToken: o.adminToken })
  const psn1 = new Psn1Client(o.psn1Url, { maxSockets: 16, timeoutMs: 30_000 })
  const cpu0 = process.cpuUsage()
  const started = nowEpochMs()
  const total = new MergedMetrics()
  const windows: MergedMetrics[] = []
  const windowParts = new Map<number, number>()
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
  const waiters: Array<{ kind: FromGenerator["kind"]; count: number; seen: Set<number>; resolve: () => void }> = []
  const fail = (code: string, message: string): void => {
    if (failure !== null) return
    failure = { code, message }
    o.log(`load: ${code}: ${message}`)
    for (const p of o.ports) p.send({ kind: "abort" })
    for (const w of waiters.splice(0)) w.resolve()
  }
  const expect = (kind: FromGenerator["kind"]): Promise<void> =>
    new Promise((resolve) => {
      if (failure !== null) return resolve()
      waiters.push({ kind, count: G, seen: new Set(), resolve })
    })
  const arrived = (kind: FromGenerator["kind"], g: number): void => {
    for (const w of waiters) {
      if (w.kind !== kind) continue
      w.seen.add(g)
      if (w.seen.size === w.count) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve()
        return
      }
    }
  }
  o.ports.forEach((port, g) => {
    port.onMessage((m) => {
      switch (m.kind) {
        case "relay":
          o.ports[m.to]?.send({ kind: "relay", notices: m.notices as Notice[] })
          return
        case "second":
          return onSecond(g, m)
        case "window": {
          while (windows.length <= m.index) windows.push(new MergedMetrics())
          windows[m.index]!.add(m.snapshot)
          windowParts.set(m.index, (windowParts.get(m.index) ?? 0) + 1)
          return
        }
        case "report":
          reports.push(m.report)
          total.add(m.report.totals)
          return arrived("report", g)
        case "fatal":
          return fail(m.code, m.message)
        default:
          return arrived(m.kind, g)
      }
    })
    port.onExit((why) => fail("GENERATOR_DIED", `generator ${g} stopped unexpectedly: ${why}`))
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
  const onAbort = (): void => fail("INTERRUPTED", "the run was interrupted (SIGINT/SIGTERM); partial results kept")
  o.signal?.addEventListener("abort", onAbort)

  let accounts: RunAccounts | undefined
  const formIds = new Set<string>()
  try {
    // --- before: servers, accounts, facts ---------------------------------------------------
    await checkReachable(odigo, psn1)
    if (o.accounts.kind === "create") {
      await createAccounts(odigo, psn1, o.accounts.officer, plan.people, G, o.log)
      accounts = syntheticAccounts(plan.people, G)
    } else accounts = o.accounts.accounts
    const readerToken = await psn1Login(psn1, accounts.psn1Reader.email, accounts.psn1Reader.password)
    const facts = await serverFacts(odigo, psn1, readerToken)
    const before = await odigo.audit()
    auditBefore = before.value ?? null
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
    if ((await within(ready, 60_000)) === "timeout") throw new LoadFailure("START_TIMEOUT", "a generator did not start within 60 s")
    const prepared = expect("prepared")
    for (const p of o.ports) p.send({ kind: "prepare" })
    if ((await within(prepared, 60_000 + plan.people.length * 20)) === "timeout") throw new LoadFailure("PREPARE_TIMEOUT", "the advisors could not all log in within the set-up time")
    if (failure !== null) throw new LoadFailure("ABORTED", "")

    // --- the run -----------------------------------------------------------------------------
    t0 = nowEpochMs() + 1000
    startedAtIso = new Date(t0).toISOString()
    const idle = expect("idle")
    for (const p of o.ports) p.send({ kind: "start", t0 })
    const runMs = ((plan.window.endSeconds - plan.window.startSeconds) / plan.speed) * 1000
    const timers = scheduleFaults(o, odigo, t0, runMs, applied)
    o.onStart?.(t0, runMs)
    const outcome = await within(idle, runMs + (t0 - nowEpochMs()) + drainMs)
    for (const t of timers) clearTimeout(t)
    if (outcome === "timeout" && failure === null) {
      drainTimedOut = true
      o.log(`load: calls still in progress ${(drainMs / 1000).toFixed(1)} s after the window; counting them as they stand`)
    }
    if (applied.some((f) => f.applied && f.fault.kind !== "vpn-cut" && f.fault.kind !== "server-closing")) await odigo.clearFaults()
    const reportsIn = expect("report")
    for (const p of o.ports) p.send({ kind: "report" })
    if ((await within(reportsIn, 30_000)) === "timeout") fail("REPORT_TIMEOUT", "a generator did not send its report within 30 s")

    // --- after: census, statistics ------------------------------------------------------------
    for (const r of reports) for (const id of r.forms.ids) formIds.add(id)
    const after = await odigo.audit()
    auditAfter = after.value ?? null
    if (after.value === undefined) o.log(`load: Odigo GET /admin/audit: ${describeReply(after.reply)}`)
    psn1Result = await psn1Census(psn1, readerToken, accounts, startedAtIso, formIds)
    const from = new Date(Math.floor(t0 / 900_000) * 900_000).toISOString()
    const st = await odigo.stats(from, new Date(Math.ceil((nowEpochMs() + 1) / 900_000) * 900_000).toISOString())
    stats = st.value ?? null
    if (st.value === undefined) o.log(`load: Odigo cold statistics: ${describeReply(st.reply)}`)
  } catch (e) {
    if (e instanceof LoadFailure) fail(e.code, e.message)
    else fail("INTERNAL", e instanceof Error ? (e.stack ?? e.message) : String(e))
  } finally {
    o.signal?.removeEventListener("abort", onAbort)
    // Leave the server as it was found: callers still waiting hang up (after the census).
    if (t0 !== null && failure === null) {
      const cleaned = expect("cleaned")
      for (const p of o.ports) p.send({ kind: "cleanup" })
      await within(cleaned, 10_000)
    }
    for (const p of o.ports) p.send({ kind: "abort" })
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
    windows,
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

/** Timers applying each fault at its time (and clearing settings given a duration). */
const scheduleFaults = (o: LoadOptions, odigo: OdigoRest, t0: number, runMs: number, applied: AppliedFault[]): NodeJS.Timeout[] => {
  const plan = o.plan
  const dayStart = plan.day === null ? null : Math.floor(plan.window.startSeconds / 86_400) * 86_400
  const timers: NodeJS.Timeout[] = []
  for (const f of o.faults) {
    const at = faultOffsetMs(f, { startSeconds: plan.window.startSeconds, dayStartSeconds: dayStart }, plan.speed)
    if (typeof at === "string" || at > runMs) continue
    const apply = async (): Promise<void> => {
      let message: string | null = null
      let ok = true
      switch (f.kind) {
        case "latency":
          ok = (await odigo.faults({ latencyMs: f.latencyMs, jitterMs: f.jitterMs })).value !== undefined
          break
        case "drop":
          ok = (await odigo.faults({ dropRate: f.share })).value !== undefined
          break
        case "refuse-connections":
          ok = (await odigo.faults({ refuseConnections: true })).value !== undefined
          break
        case "server-closing":
          ok = (await odigo.faults({ serverClosing: { reason: "ccsim load: maintenance notice", closingInMs: 600_000 } })).value !== undefined
          break
        case "clear":
          ok = (await odigo.clearFaults()).value !== undefined
          break
        case "vpn-cut": {
          const agents = await odigo.agents()
          const connected = (agents.value?.agents ?? []).filter((a) => a.connected).map((a) => a.login).sort()
          const n = Math.round(connected.length * f.share)
          // Every k-th connected agent, so the cut spreads over teams (deterministic for a given set).
          const step = connected.length / Math.max(1, n)
          const logins = Array.from({ length: n }, (_, k) => connected[Math.floor(k * step)]!)
          if (logins.length > 0) {
            const r = await odigo.faults({ disconnect: { logins } })
            ok = r.value !== undefined
            message = `${logins.length} of ${connected.length} connected agents cut`
          } else message = "no agent connected"
          break
        }
      }
      applied.push({ fault: f, atMs: nowEpochMs() - t0, applied: ok, message })
      if (!ok) o.log(`load: fault ${f.source} was not applied`)
    }
    timers.push(setTimeout(() => void apply(), Math.max(0, t0 + at - nowEpochMs())))
    if (f.forMs !== null) {
      const undo = f.kind === "latency" ? { latencyMs: 0, jitterMs: 0 } : f.kind === "drop" ? { dropRate: 0 } : { refuseConnections: false }
      timers.push(setTimeout(() => void odigo.faults(undo), Math.max(0, t0 + at + f.forMs - nowEpochMs())))
    }
  }
  return timers
}
