/**
 * One load generator: its share of the callers (./injector.ts), of the people (advisors on
 * Odigo, ./agent.ts; their PSN1 work, ./portal-work.ts), of the contact forms, and — for
 * generator 0 — the supervision feed. It follows the shard's timetable on the wall clock from
 * the start instant `t0` the coordinator gives, measures every action from its intended
 * instant, and reports each second, each 10 s window, and a final report.
 *
 * It runs the same in a child process (./generator-process.ts, one per core) or inside the
 * coordinator's process (tests, `--generators 0`): it only talks through `post`.
 *
 * Invariants: nothing it starts outlives `abort()` or the final report (sockets closed, timers
 * stopped); it reports `idle` once: after `stop`, when its people have all left and no request
 * is in flight.
 */
import { VirtualAgent, type AgentContext, type CallInfo } from "./agent.js"
import { Injector } from "./injector.js"
import type { FinalReport, FromGenerator, Notice, PersonAccounts, Shard, ToGenerator } from "./messages.js"
import { Metrics } from "./metrics.js"
import { OdigoRest } from "./odigo-rest.js"
import { PortalWork } from "./portal-work.js"
import { Scheduler, nowEpochMs } from "./scheduler.js"
import { SupervisionWatcher } from "./supervision.js"
import { makeSampler, type Sampler } from "../engine/distributions.js"
import type { RandomStream } from "../engine/random.js"
import { replicationStreams } from "../run/replicate.js"
import { OutOfContract } from "./contract.js"
import { loadWs } from "./ws.js"

const GROUP_PHONE = 0
const GROUP_FORMS = 1
const GROUP_BLENDED = 2

/**
 * A break of this length or more is reported as lunch (not-ready reason `lunch`), shorter ones as
 * pauses — the harness's reading (the CCTP names no reason codes; the staffing assumption's lunch
 * is 60 minutes, sim/domain/assumptions.ts, and a shorter lunch is still a lunch).
 */
const LUNCH_MS_SIMULATED = 45 * 60 * 1000
/** A forms feed whose login failed is tried again after this long (real). */
const FEED_RETRY_MS = 2000
/** Advisors log in this long (real) before their shift starts, to be ready on time. */
const LOGIN_LEAD_MS = 400

interface PersonRun {
  readonly p: PersonAccounts
  readonly agent: VirtualAgent | undefined
  /** Forms and blended advisors: the form in hand. */
  form: { id: string; reason: string } | undefined
  formsIdle: boolean
  /** Forms-only advisors: what the timetable wants now (agents keep their own). */
  intent: "work" | "break" | "leave"
  left: boolean
  onShift: boolean
  retryAt: number
}

export class Generator {
  private shard!: Shard
  private readonly metrics = new Metrics()
  private readonly scheduler = new Scheduler(nowEpochMs, (late) => this.metrics.record("generator_lag", late))
  private odigo!: OdigoRest
  private portal!: PortalWork
  private injector!: Injector
  private people: PersonRun[] = []
  private supervision: SupervisionWatcher | undefined
  private t0 = 0
  private stopped = false
  private idleSent = false
  private aborted = false
  private readonly relayOut = new Map<number, Notice[]>()
  private relayArmed = false
  private secondTimer: NodeJS.Timeout | undefined
  private probe: NodeJS.Timeout | undefined
  /** Worst event-loop delay of the current second (ms), from the 10 ms probe. */
  private loopMaxMs = 0
  private readonly byAgent = new Map<VirtualAgent, PersonRun>()
  private cpuMark = process.cpuUsage()
  private wallStart = nowEpochMs()
  private cpuStart = process.cpuUsage()
  private second = 0
  private peakRss = 0
  private readonly handledTotals = { calls: 0, talkMs: 0, wrapMs: 0, transferred: 0, qualified: 0 }
  private formHandle: Sampler | null = null
  private formRng: RandomStream | undefined

  constructor(private readonly post: (m: FromGenerator) => void) {}

  handle(m: ToGenerator): void {
    switch (m.kind) {
      case "init":
        // Sockets need the ws package, loaded here rather than when the bundle starts.
        return void loadWs().then(
          () => this.init(m.shard),
          (e: unknown) => this.fatal("INTERNAL", `cannot load the ws package: ${e instanceof Error ? e.message : String(e)}`)
        )
      case "prepare":
        return this.prepare()
      case "start":
        return this.start(m.t0)
      case "relay":
        for (const n of m.notices) this.injector.onNotice(n)
        return
      case "stop":
        return this.stop()
      case "cleanup": {
        const hungUp = this.injector.cleanup()
        // Answered once the hang-ups are (at most 5 s): the server is left as it was found.
        const deadline = nowEpochMs() + 5000
        const wait = (): void => {
          if (this.injector.inFlight === 0 || nowEpochMs() > deadline) this.post({ kind: "cleaned", hungUp })
          else setTimeout(wait, 20)
        }
        wait()
        return
      }
      case "report":
        return this.report()
      case "abort":
        return this.abort()
    }
  }

  private init(shard: Shard): void {
    this.shard = shard
    this.odigo = new OdigoRest(shard.odigoUrl, { maxSockets: 256, timeoutMs: 15_000, adminToken: shard.adminToken })
    const fatal = (code: string, message: string) => this.fatal(code, message)
    this.portal = new PortalWork(shard.psn1Url, { scheduler: this.scheduler, metrics: this.metrics, runTag: shard.runTag, insuredIds: shard.insuredIds, templates: shard.templates, fatal }, () => this.formArrived())
    this.injector = new Injector(shard, this.odigo, this.scheduler, this.metrics, fatal)
    const agentUrl = `${shard.odigoUrl.replace(/^http/, "ws")}/agent`
    const ctx: AgentContext = {
      runTag: shard.runTag,
      scheduler: this.scheduler,
      metrics: this.metrics,
      agentUrl,
      transferTargets: shard.transferTargets,
      notify: (owner, n) => this.notify(owner, n),
      fatal,
      ticket: (agent, call, intended) => this.ticket(agent, call, intended),
      idleReady: (agent) => this.idleReady(agent),
      formTime: (agent) => this.formTime(agent),
      left: () => this.checkIdle(),
      handled: (talkMs, wrapMs, transferred) => {
        if (talkMs > 0) this.handledTotals.calls++
        this.handledTotals.talkMs += talkMs
        this.handledTotals.wrapMs += wrapMs
        if (transferred) this.handledTotals.transferred++
      }
    }
    this.people = shard.people.map((p) => ({
      p,
      agent: p.odigo === null || p.group === GROUP_FORMS ? undefined : new VirtualAgent(p.odigo.login, p.odigo.password, p.id, p.group === GROUP_BLENDED, ctx),
      form: undefined,
      formsIdle: false,
      intent: "work",
      left: false,
      onShift: false,
      retryAt: 0
    }))
    for (const r of this.people) if (r.agent !== undefined) this.byAgent.set(r.agent, r)
    // Forms are handled for the scenario's time (drawn here from the generator's own stream, in
    // the order forms are taken up, as the simulation draws them).
    this.formHandle = shard.formHandle === null ? null : makeSampler(shard.formHandle)
    this.formRng = replicationStreams(shard.seed, 0).stream(`live:g${shard.index}:formHandle`)
    if (shard.supervisor !== null) this.supervision = new SupervisionWatcher(`${shard.odigoUrl.replace(/^http/, "ws")}/supervision`, shard.supervisor, this.metrics, fatal)
    this.post({ kind: "ready" })
  }

  /** Profile runs: everyone logs in before the clock starts (500 logins a second per generator). */
  private prepare(): void {
    if (this.shard.mode !== "profile") {
      this.post({ kind: "prepared" })
      return
    }
    const t = nowEpochMs()
    this.people.forEach((r, k) => {
      r.onShift = true
      this.scheduler.at(t + k * 2, (intended) => r.agent?.start(intended))
    })
    const check = (): void => {
      if (this.aborted) return
      if (this.people.every((r) => r.agent === undefined || r.agent.state === "ready")) this.post({ kind: "prepared" })
      else this.scheduler.after(50, check)
    }
    this.scheduler.after(50, check)
  }

  private start(t0: number): void {
    this.t0 = t0
    this.wallStart = nowEpochMs()
    this.cpuStart = process.cpuUsage()
    this.cpuMark = this.cpuStart
    this.injector.start(t0)
    const s = this.shard
    const epoch = (sim: number): number => t0 + ((sim - s.windowStartSeconds) / s.speed) * 1000
    for (const r of this.people) {
      const pieces = r.p.pieces
      if (s.mode === "day") {
        this.scheduler.at(epoch(pieces[0]![0]) - LOGIN_LEAD_MS, (intended) => this.shiftStart(r, intended))
        for (let k = 1; k < pieces.length; k++) {
          const gapMs = (pieces[k]![0] - pieces[k - 1]![1]) * 1000
          const reason = gapMs >= LUNCH_MS_SIMULATED ? "lunch" : "break"
          this.scheduler.at(epoch(pieces[k - 1]![1]), () => this.setIntent(r, "break", reason))
          this.scheduler.at(epoch(pieces[k]![0]), () => this.setIntent(r, "work"))
        }
        const end = pieces[pieces.length - 1]![1]
        if (end < s.windowEndSeconds) this.scheduler.at(epoch(end), () => this.setIntent(r, "leave"))
      }
    }
    this.forms(epoch)
    // The generator stops by itself at the window's end (the service closes, or the profile ends).
    this.scheduler.at(epoch(s.windowEndSeconds), () => this.stop())
    this.supervision?.start()
    if (this.shard.formInjector !== null || this.people.some((r) => r.p.group !== GROUP_PHONE)) this.openFormsFeed()
    // The event-loop probe: a 10 ms timer whose lateness is the loop's delay (STYLE 19: the
    // generator reports its own lag, so a saturated generator is not taken for a slow server).
    let expected = nowEpochMs() + 10
    this.probe = setInterval(() => {
      const now = nowEpochMs()
      const late = Math.max(0, now - expected)
      this.metrics.record("loop_delay", late)
      this.loopMaxMs = Math.max(this.loopMaxMs, late)
      expected = now + 10
    }, 10)
    this.tickSecond()
  }

  private forms(epoch: (sim: number) => number): void {
    const inj = this.shard.formInjector
    if (inj === null) return
    const times = this.shard.forms
    times.forEach((sim, k) => {
      this.scheduler.at(epoch(sim), (intended) => {
        if (this.stopped) return
        this.settle(
          this.portal.token(inj.email, inj.password, intended).then((token) => {
            if (token !== undefined) return this.portal.injectForm(token, k * this.shard.count + this.shard.index, intended)
            // The writer could not log in (the error is counted): the form is counted as not written.
            this.portal.formNotWritten()
            return undefined
          })
        )
      })
    })
  }

  private openFormsFeed(): void {
    const account = this.shard.formInjector ?? this.people.find((r) => r.p.group !== GROUP_PHONE)?.p.psn1
    if (account === undefined) return
    this.settle(
      this.portal.token(account.email, account.password, nowEpochMs()).then((token) => {
        if (token !== undefined) this.portal.watchForms(`${this.shard.psn1Url.replace(/^http/, "ws")}/events`, token)
        else if (!this.stopped) this.scheduler.after(FEED_RETRY_MS, () => this.openFormsFeed())
      })
    )
  }

  private shiftStart(r: PersonRun, intended: number): void {
    if (this.stopped) return
    r.onShift = true
    r.agent?.start(intended)
    if (r.p.group !== GROUP_PHONE) {
      // Forms and blended advisors open PSN1 at the start of their shift (once per shift).
      this.settle(
        this.portal.token(r.p.psn1.email, r.p.psn1.password, intended).then(() => {
          if (r.p.group === GROUP_FORMS) {
            r.formsIdle = true
            this.tryFormsOnly(r)
          }
        })
      )
    }
  }

  private setIntent(r: PersonRun, intent: "work" | "break" | "leave", reason?: string): void {
    if (!r.onShift || r.left) return
    if (r.agent !== undefined) r.agent.setIntent(intent, reason)
    if (r.p.group === GROUP_FORMS) {
      r.intent = intent
      r.formsIdle = intent === "work" && r.form === undefined
      if (intent === "work") this.tryFormsOnly(r)
      if (intent === "leave" && r.form === undefined) this.personLeft(r)
    }
  }

  private personLeft(r: PersonRun): void {
    if (r.left) return
    r.left = true
    r.onShift = false
    if (r.p.group !== GROUP_PHONE || this.portalUsed.has(r.p.psn1.email)) this.settle(this.portal.logout(r.p.psn1.email).then(() => this.checkIdle()))
    this.checkIdle()
  }

  private readonly portalUsed = new Set<string>()

  private ticket(agent: VirtualAgent, call: CallInfo, intended: number): void {
    const r = this.byAgent.get(agent)
    if (r === undefined) return
    this.portalUsed.add(r.p.psn1.email)
    this.settle(this.portal.ticket(r.p.psn1.email, r.p.psn1.password, { callRef: call.callRef, reason: call.reason, flow: call.flow, index: call.index }, intended))
  }

  // --- forms ----------------------------------------------------------------------------------

  private formArrived(): void {
    for (const r of this.people) {
      if (r.p.group === GROUP_FORMS && r.formsIdle) this.tryFormsOnly(r)
      else if (r.p.group === GROUP_BLENDED && r.agent?.state === "ready" && !r.agent.busy) this.idleReady(r.agent)
    }
  }

  private formDuration(): number {
    const h = this.formHandle
    const rng = this.formRng
    return h === null || rng === undefined ? 0 : (h.sample(rng) / this.shard.speed) * 1000
  }

  /** A forms-only advisor takes the next form, works it, answers it, and goes on. */
  private tryFormsOnly(r: PersonRun): void {
    if (!r.formsIdle || r.intent !== "work" || r.form !== undefined || this.stopped || nowEpochMs() < r.retryAt) return
    r.formsIdle = false
    this.settleThen(this.workForm(r), (worked) => {
      if (r.agent === undefined) {
        if (!r.onShift || r.left) return
        // The form in hand is finished; a pause or the end of the shift may have come meanwhile.
        if (r.intent === "leave") return this.personLeft(r)
        if (r.intent === "break") return
        r.formsIdle = true
        if (!worked) {
          r.retryAt = nowEpochMs() + 200
          this.scheduler.after(500, () => this.tryFormsOnly(r))
        } else this.tryFormsOnly(r)
      }
    })
  }

  /** Claims and works one form; false when none was waiting. */
  private async workForm(r: PersonRun): Promise<boolean> {
    const token = await this.portal.token(r.p.psn1.email, r.p.psn1.password, nowEpochMs())
    if (token === undefined) return false
    const form = await this.portal.claim(token)
    if (form === undefined) return false
    r.form = form
    const due = nowEpochMs() + this.formDuration()
    await new Promise<void>((resolve) => this.scheduler.at(due, (intended) => void this.portal.answer(token, form, intended).then(resolve)))
    r.form = undefined
    this.metrics.count("forms.answered")
    return true
  }

  /** A blended advisor is ready and idle: if forms wait, it goes not ready to work one. */
  private idleReady(agent: VirtualAgent): void {
    const r = this.byAgent.get(agent)
    if (r === undefined || this.portal.formsWaiting <= 0 || nowEpochMs() < r.retryAt || this.stopped) return
    // A call waiting would have been offered the instant the advisor became ready: give it a moment.
    this.scheduler.after(2, () => {
      if (agent.state === "ready" && !agent.busy && agent.intent === "work") agent.requestState("notReady", "forms")
    })
  }

  private formTime(agent: VirtualAgent): void {
    const r = this.byAgent.get(agent)
    if (r === undefined) return
    this.settleThen(this.workForm(r), (worked) => {
      if (!worked) r.retryAt = nowEpochMs() + 100
      agent.formDone()
    })
  }

  // --- relays, reports, end -------------------------------------------------------------------

  private notify(owner: number, n: Notice): void {
    if (owner === this.shard.index) {
      this.injector.onNotice(n)
      return
    }
    const list = this.relayOut.get(owner) ?? []
    list.push(n)
    this.relayOut.set(owner, list)
    if (!this.relayArmed) {
      this.relayArmed = true
      // Batched per event-loop turn: one IPC message per owner, in order.
      setImmediate(() => this.flushRelays())
    }
  }

  private flushRelays(): void {
    this.relayArmed = false
    for (const [to, notices] of this.relayOut) this.post({ kind: "relay", to, notices })
    this.relayOut.clear()
  }

  private stop(): void {
    this.stopped = true
    this.injector.stop()
    for (const r of this.people) {
      if (!r.onShift) {
        r.left = true
        continue
      }
      if (r.agent !== undefined) r.agent.setIntent("leave")
      else this.setIntent(r, "leave")
    }
    this.checkIdle()
    // Whoever is still busy finishes; the coordinator bounds the wait (drain).
    const poll = (): void => {
      if (this.idleSent || this.aborted) return
      this.checkIdle()
      this.scheduler.after(50, poll)
    }
    this.scheduler.after(50, poll)
  }

  private checkIdle(): void {
    if (!this.stopped || this.idleSent) return
    for (const r of this.people) {
      if (r.agent !== undefined && r.onShift && !r.agent.done) return
      if (r.agent === undefined && r.onShift && !r.left) {
        if (r.form === undefined) this.personLeft(r)
        return
      }
      if (r.agent !== undefined && r.agent.done && !r.left) this.personLeft(r)
    }
    if (this.injector.inFlight > 0 || this.portal.inFlight > 0) return
    this.injector.freeze()
    this.idleSent = true
    this.flushRelays()
    this.post({ kind: "idle" })
  }

  private tickSecond(): void {
    const next = this.t0 + (this.second + 1) * 1000
    this.secondTimer = setTimeout(() => {
      this.second++
      const cpu = process.cpuUsage(this.cpuMark)
      this.cpuMark = process.cpuUsage()
      const mem = process.memoryUsage()
      this.peakRss = Math.max(this.peakRss, mem.rss)
      const m = this.metrics
      this.post({
        kind: "second",
        second: this.second,
        injected: m.counter("calls.injected"),
        answered: m.counter("calls.answered"),
        abandoned: m.counter("calls.abandoned"),
        waiting: this.injector.waiting,
        loggedIn: this.people.filter((r) => r.agent !== undefined && r.agent.state !== "offline").length,
        errors: m.errorCount(),
        reconnects: m.counter("reconnects"),
        cpu: (cpu.user + cpu.system) / 1e6,
        loopDelayMaxMs: this.loopMaxMs,
        rssBytes: mem.rss,
        heapUsedBytes: mem.heapUsed,
        histograms: m.takeSecond()
      })
      this.loopMaxMs = 0
      if (this.second % 10 === 0) this.post({ kind: "window", index: this.second / 10 - 1, snapshot: m.takeWindow() })
      if (!this.aborted) this.tickSecond()
    }, Math.max(0, next - nowEpochMs()))
  }

  private report(): void {
    const now = nowEpochMs()
    this.post({ kind: "window", index: Math.floor(this.second / 10), snapshot: this.metrics.takeWindow() })
    const { census, arrivals } = this.injector.finalCensus(now)
    const cpu = process.cpuUsage(this.cpuStart)
    const report: FinalReport = {
      totals: this.metrics.totals(),
      census,
      arrivals,
      handled: { ...this.handledTotals, qualified: this.metrics.counter("calls.qualified") },
      tickets: { ...this.portal.tickets },
      forms: { ...this.portal.forms },
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      wallSeconds: (now - this.wallStart) / 1000,
      peakRssBytes: this.peakRss
    }
    // Timers, sockets and advisors stop; the REST clients stay for the clean-up after the census.
    this.shutdown()
    this.post({ kind: "report", report })
  }

  private shutdown(): void {
    if (this.secondTimer !== undefined) clearTimeout(this.secondTimer)
    if (this.probe !== undefined) clearInterval(this.probe)
    this.scheduler.stop()
    this.supervision?.close()
    for (const r of this.people) r.agent?.abort()
  }

  private abort(): void {
    if (this.aborted) return
    this.aborted = true
    this.stopped = true
    this.shutdown()
    void this.portal?.close()
    void this.odigo?.close()
  }

  /**
   * A promise the generator starts and does not wait for: a failure (an answer out of contract,
   * a bug) stops the run with its code and message instead of crashing the process.
   */
  private settle(p: Promise<unknown>): void {
    p.catch((e: unknown) => this.fatal(e instanceof OutOfContract ? "OUT_OF_CONTRACT" : "INTERNAL", e instanceof Error ? e.message : String(e)))
  }

  private settleThen<T>(p: Promise<T>, then: (value: T) => void): void {
    this.settle(p.then(then))
  }

  private fatal(code: string, message: string): void {
    if (this.aborted) return
    this.post({ kind: "fatal", code, message })
  }
}
