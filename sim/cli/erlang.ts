/**
 * `ccsim erlang [scenario] [--arrivals-per-hour X] [--handle-seconds S] [--patience-seconds P]
 *  [--agents N] [--sl-seconds T] [--target-sl F] [--target-answer-rate F] [--target-wait-seconds S]
 *  [--target-abandon-rate F] [--json]`
 *
 * Exact Erlang C (no patience) or Erlang A metrics for a single queue, and with targets the
 * smallest number of agents meeting every one of them (the contract's pair: `--target-answer-rate
 * 0.9 --target-wait-seconds 120`). Parameters come from a textbook scenario file when one is
 * given (distribution means; the formulas assume exponential laws) and flags override them.
 * The answer always shows the abandonment and the mean wait beside the agents: a target met only
 * because callers hang up is said so.
 *
 * Limits (bad input beyond, exit 2): at most 1,000,000 calls per hour, handle and patience times
 * up to a day, 100,000 agents, a service-level time up to a day. Within them an answer, staffing
 * search included, takes well under a second up to 100,000 calls per hour (bench/erlang.ts).
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import { makeSampler } from "../engine/distributions.js"
import { DEFAULT_SERVICE_LEVEL_SECONDS } from "../model/options.js"
import { MAX_STAFFING_AGENTS, queueMetrics, smallestStaffing, type QueueMetrics, type StaffingTarget } from "../staffing/erlang.js"
import { BadInput, type Problem } from "../domain/problem.js"
import { loadModel } from "./scenario.js"

/** Most calls per hour `ccsim erlang` accepts. */
export const MAX_ARRIVALS_PER_HOUR = 1_000_000
/** Longest handle time, patience and service-level time (seconds): a day. */
export const MAX_ERLANG_SECONDS = 86_400

const optionalNumber = (name: string, description: string) =>
  Flag.Finite(name).pipe(Flag.optional, Flag.withDescription(description))

const pct = (x: number) => `${(x * 100).toFixed(4)}%`
const pct1 = (x: number) => `${(x * 100).toFixed(1)}%`
const secs = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} s` : "unbounded")

export const formatMetrics = (m: QueueMetrics, agents: number, slSeconds: number): string =>
  [
    `  model              ${m.model === "erlang-a" ? "Erlang A (M/M/c+M)" : "Erlang C (M/M/c)"}, ${agents} agents, load ${m.offeredErlangs.toFixed(3)} erlangs`,
    `  answered           ${pct(m.answerRate)}`,
    `  abandoned          ${pct(m.abandonRate)}`,
    `  P(wait)            ${pct(m.probabilityOfWait)}`,
    `  mean wait          ${m.meanWaitSeconds.toFixed(4)} s (all offered calls); ${m.meanWaitAnsweredSeconds.toFixed(4)} s (answered calls)`,
    `  service level      ${pct(m.serviceLevel)} answered within ${slSeconds} s`,
    `  occupancy          ${pct(m.occupancy)}`,
    ...(m.stable ? [] : ["  unstable: load >= agents and callers never abandon — the queue grows without bound"])
  ].join("\n")

/** A target in words: "answer rate >= 90%". */
export const describeTarget = (t: StaffingTarget): string => {
  switch (t.kind) {
    case "serviceLevel":
      return `service level >= ${pct1(t.atLeast)}`
    case "answerRate":
      return `answer rate >= ${pct1(t.atLeast)}`
    case "meanWait":
      return `mean wait <= ${t.atMostSeconds} s`
    case "abandonRate":
      return `abandon rate <= ${pct1(t.atMost)}`
  }
}

/** Share of callers abandoning above which an answer meeting no answer or abandon target gets a warning. */
const ABANDON_WARNING = 0.1

/** What a planner should know about a staffing answer the targets alone do not show. */
export const staffingNotes = (m: QueueMetrics, targets: ReadonlyArray<StaffingTarget>, patience: number | undefined): string[] => {
  const notes: string[] = []
  const kinds = new Set(targets.map((t) => t.kind))
  if (patience === undefined && (kinds.has("answerRate") || kinds.has("abandonRate"))) {
    notes.push("without --patience-seconds callers never abandon (Erlang C): every stable staffing answers 100% of calls, so an answer-rate or abandon-rate target only asks for stability")
  }
  if (patience !== undefined && m.abandonRate > ABANDON_WARNING && !kinds.has("answerRate") && !kinds.has("abandonRate")) {
    notes.push(`${pct1(m.abandonRate)} of callers abandon at this staffing: the targets are met because callers hang up; add --target-answer-rate or --target-abandon-rate`)
  }
  return notes
}

export const erlangCommand = Command.make(
  "erlang",
  {
    scenario: Argument.String("scenario").pipe(Argument.optional, Argument.withDescription("Textbook scenario to take parameters from")),
    arrivalsPerHour: optionalNumber("arrivals-per-hour", `Poisson arrival rate (calls per hour, up to ${MAX_ARRIVALS_PER_HOUR.toLocaleString("en-US")}; default: the scenario's)`),
    handleSeconds: optionalNumber("handle-seconds", "Mean handle time (seconds, exponential, up to a day; default: the scenario's)"),
    patienceSeconds: optionalNumber("patience-seconds", "Mean patience (seconds, exponential, up to a day; default: the scenario's, else none: Erlang C)"),
    agents: Flag.Int("agents").pipe(Flag.optional, Flag.withDescription(`Number of agents (up to ${MAX_STAFFING_AGENTS.toLocaleString("en-US")}; default: the scenario's)`)),
    slSeconds: optionalNumber("sl-seconds", `Service-level answer time (seconds; default: the scenario's, else ${DEFAULT_SERVICE_LEVEL_SECONDS})`),
    targetSl: optionalNumber("target-sl", "Find the fewest agents with service level >= this share (combines with the other targets)"),
    targetAnswerRate: optionalNumber("target-answer-rate", "Find the fewest agents with answer rate >= this share (combines with the other targets)"),
    targetWaitSeconds: optionalNumber("target-wait-seconds", "Find the fewest agents with mean wait <= this many seconds (combines with the other targets)"),
    targetAbandonRate: optionalNumber("target-abandon-rate", "Find the fewest agents with abandon rate <= this share (combines with the other targets)"),
    json: Flag.Boolean("json").pipe(Flag.withDefault(false), Flag.withDescription("Print JSON (default off)"))
  },
  (f) =>
    Effect.gen(function* () {
      let arrivals = Option.getOrUndefined(f.arrivalsPerHour)
      let handle = Option.getOrUndefined(f.handleSeconds)
      let patience = Option.getOrUndefined(f.patienceSeconds)
      let agents = Option.getOrUndefined(f.agents)
      let sl = Option.getOrUndefined(f.slSeconds)
      if (Option.isSome(f.scenario)) {
        const { model } = yield* loadModel(f.scenario.value)
        if ((model.arrivalTimes !== null || model.firstDate !== null) && arrivals === undefined) {
          return yield* Effect.fail(
            new BadInput({
              source: f.scenario.value,
              problems: [{ path: "arrivals", message: "Erlang formulas need a textbook scenario with Poisson arrivals (or --arrivals-per-hour)" }]
            })
          )
        }
        arrivals ??= model.callRate[0]! * 3600
        handle ??= makeSampler(model.talk[0]!).mean
        if (patience === undefined && model.patience) patience = makeSampler(model.patience).mean
        agents ??= model.constantStaff[0]!
        sl ??= model.serviceLevelSeconds
      }
      sl ??= DEFAULT_SERVICE_LEVEL_SECONDS
      const problems: Problem[] = []
      const need = (ok: boolean, path: string, message: string) => ok || problems.push({ path, message })
      const day = MAX_ERLANG_SECONDS.toLocaleString("en-US")
      // A value taken from the scenario is reported at the scenario's field, not at a flag never given.
      const at = (flag: Option.Option<unknown>, name: string, field: string) =>
        Option.isSome(flag) || Option.isNone(f.scenario) ? name : `${f.scenario.value}: ${field}`
      need(arrivals !== undefined && arrivals >= 0 && arrivals <= MAX_ARRIVALS_PER_HOUR, at(f.arrivalsPerHour, "--arrivals-per-hour", "arrivals.poisson.perHour"),
        arrivals === undefined ? "required (or a scenario)" : `must be between 0 and ${MAX_ARRIVALS_PER_HOUR.toLocaleString("en-US")} calls per hour, got ${arrivals}`)
      need(handle !== undefined && handle > 0 && handle <= MAX_ERLANG_SECONDS, at(f.handleSeconds, "--handle-seconds", "handleTime"),
        handle === undefined ? "required (or a scenario)" : `must be > 0 and at most ${day} s, got ${handle}`)
      need(patience === undefined || (patience > 0 && patience <= MAX_ERLANG_SECONDS), at(f.patienceSeconds, "--patience-seconds", "patience"), `must be > 0 and at most ${day} s, got ${patience}`)
      need(sl >= 0 && sl <= MAX_ERLANG_SECONDS, at(f.slSeconds, "--sl-seconds", "serviceLevelSeconds"), `must be between 0 and ${day} s, got ${sl}`)
      const targets: StaffingTarget[] = []
      const share = (o: Option.Option<number>, path: string, make: (x: number) => StaffingTarget) => {
        if (Option.isNone(o)) return
        if (need(o.value >= 0 && o.value <= 1, path, `must be a share between 0 and 1, got ${o.value}`)) targets.push(make(o.value))
      }
      share(f.targetSl, "--target-sl", (x) => ({ kind: "serviceLevel", atLeast: x }))
      share(f.targetAnswerRate, "--target-answer-rate", (x) => ({ kind: "answerRate", atLeast: x }))
      share(f.targetAbandonRate, "--target-abandon-rate", (x) => ({ kind: "abandonRate", atMost: x }))
      if (Option.isSome(f.targetWaitSeconds)) {
        if (need(f.targetWaitSeconds.value >= 0, "--target-wait-seconds", `must be >= 0, got ${f.targetWaitSeconds.value}`))
          targets.push({ kind: "meanWait", atMostSeconds: f.targetWaitSeconds.value })
      }
      if (targets.length === 0) {
        need(agents !== undefined && agents >= 0 && agents <= MAX_STAFFING_AGENTS, at(f.agents, "--agents", "agents"),
          agents === undefined ? "required (or a scenario, or a target)" : `must be between 0 and ${MAX_STAFFING_AGENTS.toLocaleString("en-US")}, got ${agents}`)
      }
      if (problems.length > 0) return yield* Effect.fail(new BadInput({ source: "ccsim erlang", problems }))
      const params = { arrivalsPerHour: arrivals!, meanHandleSeconds: handle!, meanPatienceSeconds: patience, serviceLevelSeconds: sl }
      if (targets.length > 0) {
        const found = smallestStaffing(params, targets)
        const notes = found ? staffingNotes(found.metrics, targets, patience) : []
        const wanted = targets.map(describeTarget).join(", ")
        if (f.json) {
          const staffing = found
            ? { agents: found.agents, answerRate: found.metrics.answerRate, abandonRate: found.metrics.abandonRate, meanWaitSeconds: found.metrics.meanWaitSeconds, metrics: found.metrics }
            : null
          process.stdout.write(JSON.stringify({ parameters: params, targets, staffing, notes }, null, 2) + "\n")
          return
        }
        if (!found) {
          process.stdout.write(`no staffing up to ${MAX_STAFFING_AGENTS.toLocaleString("en-US")} agents meets ${targets.length === 1 ? "the target" : "every target"} (${wanted})\n`)
          return
        }
        const m = found.metrics
        process.stdout.write(
          `smallest staffing meeting ${targets.length === 1 ? "the target" : "every target"} (${wanted}): ${found.agents} agents — ` +
            `answered ${pct1(m.answerRate)}, abandoned ${pct1(m.abandonRate)}, mean wait ${secs(m.meanWaitSeconds)}\n` +
            notes.map((n) => `note: ${n}\n`).join("") +
            `${formatMetrics(m, found.agents, sl)}\n`
        )
        return
      }
      const metrics = queueMetrics({ ...params, agents: agents! })
      if (f.json) process.stdout.write(JSON.stringify({ parameters: { ...params, agents }, metrics }, null, 2) + "\n")
      else process.stdout.write(formatMetrics(metrics, agents!, sl) + "\n")
    })
).pipe(Command.withDescription("Exact Erlang C / Erlang A metrics, and the fewest agents meeting every target given"))
