/**
 * `ccsim erlang [scenario] [--arrivals-per-hour X] [--handle-seconds S] [--patience-seconds P]
 *  [--agents N] [--sl-seconds T] [--target-sl F | --target-answer-rate F | --target-wait-seconds S |
 *  --target-abandon-rate F] [--json]`
 *
 * Exact Erlang C (no patience) or Erlang A metrics for a single queue, and with a target the
 * smallest number of agents meeting it. Parameters come from a textbook scenario file when one is
 * given (distribution means; the formulas assume exponential laws) and flags override them.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import { makeSampler } from "../engine/distributions.js"
import { DEFAULT_SERVICE_LEVEL_SECONDS } from "../model/options.js"
import { queueMetrics, smallestStaffing, type QueueMetrics, type StaffingTarget } from "../staffing/erlang.js"
import { BadInput, type Problem } from "../domain/problem.js"
import { loadModel } from "./scenario.js"

const optionalNumber = (name: string, description: string) =>
  Flag.Finite(name).pipe(Flag.optional, Flag.withDescription(description))

const pct = (x: number) => `${(x * 100).toFixed(4)}%`

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

export const erlangCommand = Command.make(
  "erlang",
  {
    scenario: Argument.String("scenario").pipe(Argument.optional, Argument.withDescription("Textbook scenario to take parameters from")),
    arrivalsPerHour: optionalNumber("arrivals-per-hour", "Poisson arrival rate (calls per hour)"),
    handleSeconds: optionalNumber("handle-seconds", "Mean handle time (seconds, exponential)"),
    patienceSeconds: optionalNumber("patience-seconds", "Mean patience (seconds, exponential); omit for Erlang C"),
    agents: Flag.Int("agents").pipe(Flag.optional, Flag.withDescription("Number of agents")),
    slSeconds: optionalNumber("sl-seconds", "Service-level answer time (seconds; default 20)"),
    targetSl: optionalNumber("target-sl", "Find the fewest agents with service level >= this share"),
    targetAnswerRate: optionalNumber("target-answer-rate", "Find the fewest agents with answer rate >= this share"),
    targetWaitSeconds: optionalNumber("target-wait-seconds", "Find the fewest agents with mean wait <= this"),
    targetAbandonRate: optionalNumber("target-abandon-rate", "Find the fewest agents with abandon rate <= this share"),
    json: Flag.Boolean("json").pipe(Flag.withDefault(false), Flag.withDescription("Print JSON"))
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
      need(arrivals !== undefined && arrivals >= 0, "--arrivals-per-hour", "required (or a scenario), >= 0")
      need(handle !== undefined && handle > 0, "--handle-seconds", "required (or a scenario), > 0")
      need(patience === undefined || patience > 0, "--patience-seconds", "must be > 0")
      need(sl >= 0, "--sl-seconds", "must be >= 0")
      const targets: StaffingTarget[] = []
      const share = (o: Option.Option<number>, path: string, make: (x: number) => StaffingTarget) => {
        if (Option.isNone(o)) return
        if (need(o.value >= 0 && o.value <= 1, path, "must be between 0 and 1")) targets.push(make(o.value))
      }
      share(f.targetSl, "--target-sl", (x) => ({ kind: "serviceLevel", atLeast: x }))
      share(f.targetAnswerRate, "--target-answer-rate", (x) => ({ kind: "answerRate", atLeast: x }))
      share(f.targetAbandonRate, "--target-abandon-rate", (x) => ({ kind: "abandonRate", atMost: x }))
      if (Option.isSome(f.targetWaitSeconds)) {
        if (need(f.targetWaitSeconds.value >= 0, "--target-wait-seconds", "must be >= 0"))
          targets.push({ kind: "meanWait", atMostSeconds: f.targetWaitSeconds.value })
      }
      need(targets.length <= 1, "--target-*", "give at most one target")
      need(targets.length === 1 || (agents !== undefined && agents >= 0), "--agents", "required (or a scenario, or a target), >= 0")
      if (problems.length > 0) return yield* Effect.fail(new BadInput({ source: "ccsim erlang", problems }))
      const params = { arrivalsPerHour: arrivals!, meanHandleSeconds: handle!, meanPatienceSeconds: patience, serviceLevelSeconds: sl }
      const target = targets[0]
      if (target) {
        const found = smallestStaffing(params, target)
        if (f.json) {
          process.stdout.write(JSON.stringify({ parameters: params, target, staffing: found ?? null }, null, 2) + "\n")
          return
        }
        if (!found) {
          process.stdout.write(`no staffing up to 100,000 agents meets the target\n`)
          return
        }
        process.stdout.write(`smallest staffing meeting the target: ${found.agents} agents\n${formatMetrics(found.metrics, found.agents, sl)}\n`)
        return
      }
      const metrics = queueMetrics({ ...params, agents: agents! })
      if (f.json) process.stdout.write(JSON.stringify({ parameters: { ...params, agents }, metrics }, null, 2) + "\n")
      else process.stdout.write(formatMetrics(metrics, agents!, sl) + "\n")
    })
).pipe(Command.withDescription("Exact Erlang C / Erlang A metrics, and the fewest agents meeting a target"))
