/**
 * `ccsim load SCENARIO [--day D] [--speed 60] …`: the live harness (issue 14). It plays the
 * scenario's day — its own callers (same seed, same callers as the simulation), its advisors'
 * shifts, breaks and absence — in real time against Odigo and PSN1, or a load profile
 * (`--profile ramp|steady|spike|soak`), measures every latency from its intended instant, and
 * sets the two views (what the harness saw, what the mock's cold statistics say) beside the pure
 * simulation of the same window. Without `--odigo` / `--psn1` it starts both mocks itself on
 * loopback and shuts them down at the end.
 *
 * Exit codes: 0 done and every threshold holds; 99 a threshold failed (as k6); 2 bad input
 * (flags, scenario, day, threshold, fault, accounts file); 1 the run failed (a server
 * unreachable, a login refused, a frame out of protocol…) — in every case `load-summary.json`
 * says why (`status: "failed"`, `failure: {code, message}`), and after a run started it and the
 * other files hold what was measured.
 *
 * Ctrl-C (SIGINT) or SIGTERM, in any phase: the run stops, the generators still alive send their
 * reports and hang up the run's callers, and the files are written with `INTERRUPTED`; a second
 * signal stops at once (load-summary.json says INTERRUPTED, nothing measured is kept).
 */
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs"
import { basename, extname, join } from "node:path"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as YAML from "yaml"
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import { BadInput, RuntimeFailure, type Problem } from "../domain/problem.js"
import { accountsFromFile, AccountsFile, type RunAccounts } from "../live/accounts.js"
import { simulateWindow } from "../live/compare.js"
import { faultOffsetMs, parseDuration, parseFault, type Fault } from "../live/faults.js"
import type { GeneratorPort } from "../live/messages.js"
import { hdrLogs, humanSummary, latencyCsv } from "../live/outputs.js"
import { buildDayPlan, PlanProblem, type Plan } from "../live/plan.js"
import { inProcessPort } from "../live/ports.js"
import { buildProfilePlan, defaultProfileAdvisors, PROFILES, type ProfileKind } from "../live/profile.js"
import { runLoad, type LoadRun } from "../live/run.js"
import { LoadFailure } from "../live/setup.js"
import { buildSummary, SCHEMA_VERSION, type LoadSummary } from "../live/summary.js"
import { parseThreshold, type Threshold } from "../live/thresholds.js"
import { defaultWorkers } from "../run/simulate.js"
import { processPort, serversProcess, ServersStartFailure, type ServersHost } from "./load-hosts.js"
import type { ServerSample } from "./load-servers.js"
import { ThresholdsFailed } from "./failures.js"
import { prepareOutputDir } from "./run.js"
import { loadRun } from "./scenario.js"

const pad = (n: number) => String(n).padStart(2, "0")
const stamp = (d: Date) => `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`

const flags = {
  scenario: Argument.String("scenario").pipe(Argument.withDescription("Scenario file (YAML or JSON)")),
  day: Flag.String("day").pipe(Flag.optional, Flag.withDescription("Day to play, YYYY-MM-DD (dated scenarios; default: the first open day)")),
  speed: Flag.Finite("speed").pipe(Flag.withDefault(60), Flag.withDescription("Simulated seconds per real second (default 60: an hour a minute)")),
  seed: Flag.Int("seed").pipe(Flag.withDefault(1), Flag.withDescription("Seed: the same seed plays the same callers as `ccsim run --seed` (default 1)")),
  odigo: Flag.String("odigo").pipe(Flag.optional, Flag.withDescription("Odigo base URL (default: a mock started on 127.0.0.1)")),
  psn1: Flag.String("psn1").pipe(Flag.optional, Flag.withDescription("PSN1 base URL (default: a mock started on 127.0.0.1; needs its --mailbox)")),
  adminToken: Flag.String("admin-token").pipe(Flag.optional, Flag.withDescription("Bearer token of Odigo's admin endpoints (a mock started with --admin-token)")),
  psn1Officer: Flag.String("psn1-officer").pipe(Flag.optional, Flag.withDescription("EMAIL:PASSWORD of PSN1's security officer, to create the run's accounts on --psn1")),
  accounts: Flag.String("accounts").pipe(Flag.optional, Flag.withDescription("JSON or YAML file of existing accounts on --odigo and --psn1 (odigo.agents, odigo.supervisor, psn1.advisors, psn1.supervisor)")),
  profile: Flag.String("profile").pipe(Flag.optional, Flag.withDescription(`Load profile instead of the scenario's day: ${PROFILES.join(", ")}`)),
  rate: Flag.Finite("rate").pipe(Flag.optional, Flag.withDescription("Profile: calls per real second (at the peak of ramp, the base of spike)")),
  duration: Flag.String("duration").pipe(Flag.optional, Flag.withDescription("Real duration (90s, 10m, 1h): a profile's length, or a cap on a day's window")),
  advisors: Flag.Int("advisors").pipe(Flag.optional, Flag.withDescription("Profile: phone advisors (default: the offered load × 1.3 + 5)")),
  generators: Flag.Int("generators").pipe(Flag.withDefault(defaultWorkers()), Flag.withDescription(`Generator processes (default one per core: ${defaultWorkers()}; 0: one inside this process)`)),
  threshold: Flag.String("threshold").pipe(Flag.atLeast(0), Flag.withDescription("k6-style criterion, repeatable: 'offer_latency p(99)<50ms', 'error_rate<0.1%'")),
  fault: Flag.String("fault").pipe(Flag.atLeast(0), Flag.withDescription("Fault schedule, repeatable: '10m latency 300ms±100', '30m vpn-cut 25%', '45m server-closing'")),
  replications: Flag.Int("replications").pipe(Flag.withDefault(10), Flag.withDescription("Replications of the pure simulation beside the run (default 10; 0: none)")),
  out: Flag.String("out").pipe(Flag.optional, Flag.withDescription("Output folder (default runs/load-<name>-<time>/)")),
  json: Flag.Boolean("json").pipe(Flag.withDefault(false), Flag.withDescription("Print only load-summary.json on stdout")),
  drain: Flag.String("drain").pipe(Flag.optional, Flag.withDescription("Longest wait for calls in progress after the window (default: the longest call of the plan, scaled, + 5 s)"))
}

type Flags = { readonly [K in keyof typeof flags]: (typeof flags)[K] extends Flag.Flag<infer A> | Argument.Argument<infer A> ? A : never }

const writeText = (path: string, text: string): void => {
  const fd = openSync(path, "w")
  try {
    writeSync(fd, text)
  } finally {
    closeSync(fd)
  }
}

/** What a run that never started leaves: a summary saying why (the partial results of bad input). */
const failureSummary = (scenario: string, code: string, message: string) => ({ schemaVersion: SCHEMA_VERSION, status: "failed", failure: { code, message }, scenario })

/** `90s`, `10m`, `1h30m`, or plain seconds (`600`) → seconds; undefined when it is none of them. */
const secondsOf = (s: string): number | undefined => {
  const ms = /^[0-9]+(\.[0-9]+)?$/.test(s.trim()) ? Number(s) * 1000 : parseDuration(s)
  return ms === undefined ? undefined : ms / 1000
}

/** Checks what the flags alone can tell: every problem at once. */
const checkFlags = (f: Flags): { problems: Problem[]; thresholds: Threshold[]; faults: Fault[] } => {
  const problems: Problem[] = []
  const need = (ok: boolean, path: string, message: string) => void (ok || problems.push({ path, message }))
  need(f.speed > 0 && f.speed <= 100_000, "--speed", `must be in (0, 100000], got ${f.speed}`)
  need(f.seed >= 0 && f.seed <= 2 ** 31, "--seed", `must be between 0 and 2^31, got ${f.seed}`)
  need(f.generators >= 0 && f.generators <= 64, "--generators", `must be 0..64, got ${f.generators}`)
  need(f.replications >= 0 && f.replications <= 1000, "--replications", `must be 0..1000, got ${f.replications}`)
  for (const [name, v] of [["--odigo", f.odigo], ["--psn1", f.psn1]] as const) {
    if (Option.isNone(v)) continue
    if (/^https:\/\//i.test(v.value)) problems.push({ path: name, message: `https is not supported: the harness speaks plain HTTP and WebSocket (ws://); give an http:// URL (a TLS server can be reached through a local TLS-terminating proxy), got ${JSON.stringify(v.value)}` })
    else if (!/^http:\/\/[^\s/]+/i.test(v.value)) problems.push({ path: name, message: `expected a base URL such as http://127.0.0.1:8081, got ${JSON.stringify(v.value)}` })
  }
  if (Option.isSome(f.accounts) && (Option.isNone(f.odigo) || Option.isNone(f.psn1))) {
    problems.push({ path: "--accounts", message: "an accounts file is for servers of yours: give both --odigo URL and --psn1 URL (the embedded mocks know only the accounts the run creates, so its logins would be refused)" })
  }
  if (Option.isSome(f.psn1Officer) && !/^[^:\s]+@[^:\s]+:.+$/.test(f.psn1Officer.value)) problems.push({ path: "--psn1-officer", message: "expected EMAIL:PASSWORD" })
  if (Option.isSome(f.profile)) {
    need((PROFILES as ReadonlyArray<string>).includes(f.profile.value), "--profile", `expected one of ${PROFILES.join(", ")}, got ${JSON.stringify(f.profile.value)}`)
    need(Option.isSome(f.rate), "--rate", "a profile needs --rate (calls per real second)")
    if (Option.isSome(f.day)) problems.push({ path: "--day", message: "a profile replaces the scenario's day: give --profile or --day, not both" })
  } else {
    if (Option.isSome(f.rate)) problems.push({ path: "--rate", message: "--rate goes with --profile" })
    if (Option.isSome(f.advisors)) problems.push({ path: "--advisors", message: "--advisors goes with --profile (a day follows the scenario's staffing)" })
  }
  if (Option.isSome(f.rate)) need(f.rate.value > 0 && f.rate.value <= 20_000, "--rate", `must be in (0, 20000] calls per second, got ${f.rate.value}`)
  if (Option.isSome(f.advisors)) need(f.advisors.value >= 1 && f.advisors.value <= 20_000, "--advisors", `must be 1..20000, got ${f.advisors.value}`)
  for (const [name, v] of [["--duration", f.duration], ["--drain", f.drain]] as const) {
    if (Option.isSome(v)) {
      const s = secondsOf(v.value)
      need(s !== undefined && s > 0 && s <= 86_400, name, `expected a duration such as 90s, 10m or 1h (at most a day), got ${JSON.stringify(v.value)}`)
    }
  }
  const thresholds: Threshold[] = []
  f.threshold.forEach((t, i) => {
    const r = parseThreshold(t)
    if (typeof r === "string") problems.push({ path: `--threshold[${i}] ${JSON.stringify(t)}`, message: r })
    else thresholds.push(r)
  })
  const faults: Fault[] = []
  f.fault.forEach((t, i) => {
    const r = parseFault(t)
    if (typeof r === "string") problems.push({ path: `--fault[${i}] ${JSON.stringify(t)}`, message: r })
    else faults.push(r)
  })
  return { problems, thresholds, faults }
}

/** An accounts file (JSON or YAML), parsed; or why it cannot be used. */
const readAccountsFile = (path: string): { readonly value: unknown } | { readonly problem: string } => {
  let text: string
  try {
    text = readFileSync(path, "utf8")
  } catch (e) {
    return { problem: `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }
  }
  try {
    return { value: YAML.parse(text) as unknown }
  } catch (e) {
    return { problem: `${path} is neither JSON nor YAML: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}` }
  }
}

/** `p`, or "aborted" as soon as `signal` is (the promise goes on; what it gives is the caller's to release). */
const untilAborted = <T>(p: Promise<T>, signal: AbortSignal): Promise<T | "aborted"> =>
  signal.aborted
    ? Promise.resolve("aborted")
    : new Promise((resolve, reject) => {
      const on = (): void => resolve("aborted")
      signal.addEventListener("abort", on, { once: true })
      p.then(
        (v) => {
          signal.removeEventListener("abort", on)
          resolve(v)
        },
        (e: unknown) => {
          signal.removeEventListener("abort", on)
          reject(e)
        }
      )
    })

const INTERRUPTED_MESSAGE = "the run was interrupted (SIGINT/SIGTERM); partial results kept"

const run = (f: Flags) =>
  Effect.gen(function* () {
    const dir = Option.getOrElse(f.out, () => join("runs", `load-${basename(f.scenario, extname(f.scenario))}-${stamp(new Date())}`))
    const scenarioName = basename(f.scenario)
    let summaryWritten = false
    /** A run that ended before it measured anything: load-summary.json says why (best effort: the folder may be the problem). */
    const writeFailureSummary = (code: string, message: string): void => {
      try {
        mkdirSync(dir, { recursive: true })
        writeText(join(dir, "load-summary.json"), JSON.stringify(failureSummary(scenarioName, code, message), null, 2) + "\n")
        summaryWritten = true
      } catch {
        // Said on stderr by the caller; nothing more to do.
      }
    }
    /** Bad input found after the command started: said in the output folder too, then exit 2. */
    const badInput = (source: string, problems: ReadonlyArray<Problem>) =>
      Effect.gen(function* () {
        const e = new BadInput({ source, problems })
        writeFailureSummary("BAD_INPUT", e.message)
        return yield* Effect.fail(e)
      })
    /** The run failed before it started: the summary says why, exit 1. */
    const failedBeforeRun = (code: string, message: string) =>
      Effect.gen(function* () {
        writeFailureSummary(code, message)
        return yield* Effect.fail(new RuntimeFailure({ message: `load: ${code}: ${message} (${dir}/load-summary.json)` }))
      })

    // Ctrl-C / SIGTERM from here on: the first stops the run (partial results kept), a second stops at once.
    const abort = new AbortController()
    let signals = 0
    const onSignal = (): void => {
      signals++
      if (signals === 1) return abort.abort()
      process.stderr.write("\nccsim load: stopped at once (second interrupt)\n")
      if (!summaryWritten) writeFailureSummary("INTERRUPTED", "the run was interrupted twice and stopped at once: nothing measured was kept")
      process.exit(1)
    }
    yield* Effect.acquireRelease(
      Effect.sync(() => {
        process.on("SIGINT", onSignal)
        process.on("SIGTERM", onSignal)
      }),
      () =>
        Effect.sync(() => {
          process.off("SIGINT", onSignal)
          process.off("SIGTERM", onSignal)
        })
    )

    const { problems, thresholds, faults } = checkFlags(f)
    if (problems.length > 0) return yield* badInput("command line", problems)
    const loaded = yield* Effect.catchTag(loadRun(f.scenario), "BadInput", (e) => badInput(e.source, e.problems))
    const model = loaded.model
    const durationS = Option.map(f.duration, (d) => secondsOf(d)!)
    let plan: Plan
    try {
      if (Option.isSome(f.profile)) {
        const kind = f.profile.value as ProfileKind
        const rate = Option.getOrThrow(f.rate)
        plan = buildProfilePlan(model, {
          seed: f.seed,
          speed: f.speed,
          kind,
          ratePerSecond: rate,
          durationSeconds: Option.getOrElse(durationS, () => (kind === "soak" ? 600 : 60)),
          advisors: Option.getOrElse(f.advisors, () => defaultProfileAdvisors(model, kind, rate, f.speed))
        })
      } else plan = buildDayPlan(model, { seed: f.seed, speed: f.speed, day: Option.getOrUndefined(f.day), durationSeconds: Option.getOrUndefined(durationS) })
    } catch (e) {
      if (e instanceof PlanProblem) return yield* badInput("command line", [{ path: e.flag, message: e.message }])
      throw e
    }
    const runMs = ((plan.window.endSeconds - plan.window.startSeconds) / plan.speed) * 1000
    const dayStart = plan.day === null ? null : Math.floor(plan.window.startSeconds / 86_400) * 86_400
    const faultProblems: Problem[] = []
    faults.forEach((fault, i) => {
      const at = faultOffsetMs(fault, { startSeconds: plan.window.startSeconds, dayStartSeconds: dayStart }, plan.speed)
      if (typeof at === "string") faultProblems.push({ path: `--fault[${i}]`, message: at })
      else if (at > runMs) faultProblems.push({ path: `--fault[${i}]`, message: `${fault.source} is after the end of the run (${(runMs / 1000).toFixed(1)} s of wall time)` })
    })
    if (faultProblems.length > 0) return yield* badInput("command line", faultProblems)
    let given: RunAccounts | null = null
    if (Option.isSome(f.accounts)) {
      const file = readAccountsFile(f.accounts.value)
      if ("problem" in file) return yield* badInput("--accounts", [{ path: "--accounts", message: file.problem }])
      const decoded = Schema.decodeUnknownResult(AccountsFile)(file.value)
      if (decoded._tag === "Failure") return yield* badInput("--accounts", [{ path: "--accounts", message: String(decoded.failure).split("\n").slice(0, 4).join(" ") }])
      const a = accountsFromFile(decoded.success, plan.people, Math.max(1, f.generators))
      if ("problems" in a) return yield* badInput("--accounts", a.problems.map((message) => ({ path: "--accounts", message })))
      given = a
    } else if (Option.isSome(f.psn1) && Option.isNone(f.psn1Officer)) {
      return yield* badInput("command line", [{ path: "--psn1", message: "a PSN1 server of yours needs --psn1-officer EMAIL:PASSWORD (to create the run's accounts) or --accounts FILE" }])
    }
    yield* prepareOutputDir(dir)
    if (abort.signal.aborted) return yield* failedBeforeRun("INTERRUPTED", "the run was interrupted before it started")
    const embedded = Option.isNone(f.odigo) || Option.isNone(f.psn1)
    // Each embedded mock in a process of its own: its CPU and memory are measured apart (PSN1
    // keeps every ticket, by design; Odigo's memory must stay flat). A start is bounded
    // (SERVER_START_TIMEOUT_MS) and given up at once on Ctrl-C; a failed start is said in load-summary.json.
    const startServer = (which: "odigo" | "psn1") =>
      Effect.acquireRelease(
        Effect.tryPromise({
          try: async () => {
            const starting = serversProcess({ odigo: which === "odigo", psn1: which === "psn1" })
            const r = await untilAborted(starting, abort.signal)
            if (r !== "aborted") return r
            void starting.then((h) => h.close(), () => {})
            throw new LoadFailure("INTERRUPTED", "the run was interrupted while the embedded servers started")
          },
          catch: (e) =>
            e instanceof ServersStartFailure || e instanceof LoadFailure
              ? { code: e.code, message: e.message }
              : { code: "SERVER_START_FAILED", message: `could not start the embedded ${which === "odigo" ? "Odigo" : "PSN1"} mock: ${e instanceof Error ? e.message : String(e)}` }
        }),
        (h) => Effect.promise(() => h.close())
      ).pipe(Effect.catch((e) => failedBeforeRun(e.code, e.message)))
    const hosts: Partial<Record<"odigo" | "psn1", ServersHost>> = {}
    if (Option.isNone(f.odigo)) hosts.odigo = yield* startServer("odigo")
    if (Option.isNone(f.psn1)) hosts.psn1 = yield* startServer("psn1")
    const odigoUrl = Option.getOrElse(f.odigo, () => hosts.odigo!.odigoUrl!).replace(/\/+$/, "")
    const psn1Url = Option.getOrElse(f.psn1, () => hosts.psn1!.psn1Url!).replace(/\/+$/, "")
    const officer = Option.isSome(f.psn1Officer)
      ? { email: f.psn1Officer.value.slice(0, f.psn1Officer.value.indexOf(":")), password: f.psn1Officer.value.slice(f.psn1Officer.value.indexOf(":") + 1) }
      : hosts.psn1?.officer ?? { email: "", password: "" }
    const G = f.generators
    const ports: ReadonlyArray<GeneratorPort> = yield* Effect.acquireRelease(
      Effect.try({ try: () => (G === 0 ? [inProcessPort()] : Array.from({ length: G }, () => processPort())), catch: (e) => `cannot start the generators: ${(e as Error).message}` }),
      (ps) => Effect.promise(() => Promise.all(ps.map((p) => p.close())))
    ).pipe(Effect.catch((message) => failedBeforeRun("INTERNAL", message)))
    const tty = process.stderr.isTTY === true && !f.json
    const log = (line: string): void => void process.stderr.write(`${tty ? "\r\x1b[K" : ""}${line}\n`)
    log(`ccsim load: ${plan.window.label} of ${model.name}: ${plan.callers.time.length} callers, ${plan.people.length} advisors, ${plan.forms.time.length} forms, ×${plan.speed} (${(runMs / 1000).toFixed(1)} s of wall time), ${ports.length} generator(s), servers ${embedded ? "embedded" : `${odigoUrl} ${psn1Url}`}`)
    const served = Object.entries(hosts) as Array<["odigo" | "psn1", ServersHost]>
    // An embedded server that dies during the run stops it (partial results kept, SERVER_DIED).
    for (const [name, h] of served) {
      h.onExit((why) => {
        const message = `the embedded ${name === "odigo" ? "Odigo" : "PSN1"} mock stopped unexpectedly (${why}); partial results kept`
        if (!abort.signal.aborted) abort.abort(new LoadFailure("SERVER_DIED", message))
        else log(`load: ${message}`)
      })
    }
    /** Every embedded server's sample; a server gone or stuck gives null (said once in the log). */
    const sampleAll = (): Promise<ReadonlyArray<readonly ["odigo" | "psn1", ServerSample | null]>> =>
      Promise.all(served.map(([name, h]) => h.sample(true).then((x) => [name, x] as const, (e: unknown) => {
        log(`load: no CPU and memory figures from the embedded ${name}: ${e instanceof Error ? e.message : String(e)}`)
        return [name, null] as const
      })))
    const serverStart = yield* Effect.promise(sampleAll)
    // The servers' memory after a full GC in the middle of the window (memory flat: end vs middle).
    let serverMid: ReturnType<typeof sampleAll> | null = null
    let midTimer: NodeJS.Timeout | undefined
    const runOutcome = yield* Effect.tryPromise({
      try: () =>
        runLoad({
          plan,
          model,
          odigoUrl,
          psn1Url,
          adminToken: Option.getOrUndefined(f.adminToken),
          accounts: given !== null ? { kind: "given", accounts: given } : { kind: "create", officer },
          ports,
          faults,
          drainMs: Option.getOrUndefined(Option.map(f.drain, (d) => secondsOf(d)! * 1000)),
          log,
          progress: tty ? (line) => void process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns ?? 200) - 1)}`) : undefined,
          signal: abort.signal,
          onStart: (t0, runMs) => {
            if (served.length > 0) midTimer = setTimeout(() => void (serverMid = sampleAll()), Math.max(0, t0 + runMs / 2 - Date.now()))
          }
        }),
      catch: (e) => (e instanceof Error ? e.message : String(e))
    }).pipe(
      Effect.ensuring(Effect.sync(() => clearTimeout(midTimer))),
      Effect.catch((message) => failedBeforeRun("INTERNAL", `the run stopped on an internal error: ${message}`))
    )
    let runResult: LoadRun = runOutcome
    if (tty) process.stderr.write("\r\x1b[K")
    const serverEnd = yield* Effect.promise(sampleAll)
    const mid = serverMid === null ? null : yield* Effect.promise(() => serverMid!)
    /** A failure after the run's own end (Ctrl-C, the simulation): the run's files are still written, with it. */
    const failAfter = (code: string, message: string): void => {
      if (runResult.failure === null) runResult = { ...runResult, failure: { code, message } }
    }
    let simulation: Awaited<ReturnType<typeof simulateWindow>> | null = null
    if (plan.mode === "day" && f.replications > 0 && runResult.failure === null && !abort.signal.aborted) {
      const sim = yield* Effect.tryPromise({
        try: () => untilAborted(simulateWindow(model, plan, f.replications), abort.signal),
        catch: (e) => (e instanceof Error ? e.message : String(e))
      }).pipe(Effect.catch((message) => Effect.succeed({ problem: message } as const)))
      if (sim === "aborted") failAfter("INTERRUPTED", INTERRUPTED_MESSAGE)
      else if ("problem" in sim) failAfter("BAD_INPUT", `the pure simulation of the window failed: ${sim.problem}`)
      else simulation = sim
    }
    if (abort.signal.aborted) {
      const reason: unknown = abort.signal.reason
      if (reason instanceof LoadFailure) failAfter(reason.code, reason.message)
      else failAfter("INTERRUPTED", INTERRUPTED_MESSAGE)
    }
    const mib = (b: number) => Math.round((b / 1048576) * 10) / 10
    const summary: LoadSummary = buildSummary({
      run: runResult,
      servers: { odigo: odigoUrl, psn1: psn1Url, embedded },
      generators: ports.length,
      productiveHoursPerDay: model.productiveHoursPerDay,
      simulation,
      thresholds,
      embeddedServers: Object.fromEntries(
        served.flatMap(([name], k) => {
          const a = serverStart[k]![1]
          const z = serverEnd[k]![1]
          if (a === null || z === null) return []
          const m = mid?.[k]?.[1] ?? null
          return [[name, {
            cpuPercent: runResult.wallSeconds > 0 ? Math.round(((z.cpuMs - a.cpuMs) / 10 / runResult.wallSeconds) * 10) / 10 : 0,
            rssStartMiB: mib(a.rssBytes),
            rssMidMiB: m === null ? null : mib(m.rssBytes),
            rssEndMiB: mib(z.rssBytes),
            heapStartMiB: mib(a.heapUsedBytes),
            heapMidMiB: m === null ? null : mib(m.heapUsedBytes),
            heapEndMiB: mib(z.heapUsedBytes),
            midGcPauseMs: m === null ? null : Math.round(m.gcMs * 10) / 10
          }]]
        })
      )
    })
    const files: Array<[string, string]> = [
      ["load-summary.json", JSON.stringify(summary, null, 2) + "\n"],
      ["latency.csv", latencyCsv(runResult)]
    ]
    yield* Effect.try({
      try: () => {
        mkdirSync(join(dir, "hdr"), { recursive: true })
        for (const [name, text] of files) writeText(join(dir, name), text)
        summaryWritten = true
        for (const [metric, text] of hdrLogs(runResult)) writeText(join(dir, "hdr", `${metric}.hlog`), text)
      },
      catch: (e) => new RuntimeFailure({ message: `cannot write to ${dir}: ${(e as Error).message}` })
    })
    if (f.json) process.stdout.write(files[0]![1])
    else process.stdout.write(`${humanSummary(summary)}  written to ${dir}/: load-summary.json, latency.csv, hdr/*.hlog\n`)
    if (summary.status === "failed") {
      const failure = summary.failure!
      if (failure.code === "BAD_INPUT") return yield* Effect.fail(new BadInput({ source: "simulation", problems: [{ path: "--replications", message: `${failure.message} (the run's files are in ${dir}/)` }] }))
      return yield* Effect.fail(new RuntimeFailure({ message: `load: ${failure.code}: ${failure.message} (partial results in ${dir}/)` }))
    }
    if (summary.status === "thresholdsFailed") {
      const failed = summary.thresholds.filter((t) => !t.ok).map((t) => t.threshold)
      return yield* Effect.fail(new ThresholdsFailed({ message: `threshold${failed.length > 1 ? "s" : ""} failed: ${failed.join("; ")}` }))
    }
  }).pipe(Effect.scoped)

export const loadCommand = Command.make("load", flags, run).pipe(
  Command.withDescription("Play a scenario's day (or a load profile) in real time against Odigo and PSN1: the scenario's callers and advisors, HDR latencies, KPIs beside the pure simulation")
)
