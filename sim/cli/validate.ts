/**
 * `ccsim validate <scenario> [--max-calls N]`: exit 0 and a one-line description when the
 * scenario is valid; otherwise every problem with its path on stderr and exit 2 (via BadInput).
 * "Valid" means `ccsim run` would accept it with its default flags: the work limits
 * (sim/model/budget.ts) are checked here too, and the estimate is printed.
 */
import * as Effect from "effect/Effect"
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import { defaultLimits, figure } from "../model/budget.js"
import { defaultWorkers } from "../run/simulate.js"
import { loadRun, maxCallsFlag, requireFlag } from "./scenario.js"

export const validateCommand = Command.make(
  "validate",
  {
    scenario: Argument.String("scenario").pipe(Argument.withDescription("Scenario file (YAML or JSON)")),
    maxCalls: maxCallsFlag
  },
  ({ scenario, maxCalls }) =>
    Effect.gen(function* () {
      yield* requireFlag(maxCalls >= 1, "--max-calls", `must be >= 1, got ${maxCalls}`)
      const { model, work } = yield* loadRun(scenario, { limits: defaultLimits({ maxCalls, concurrent: defaultWorkers() }) })
      const hours = model.horizonSeconds / 3600
      process.stdout.write(
        `${scenario}: valid — "${model.name}", ${hours.toLocaleString("en-US")} h, ${model.intervalCount.toLocaleString("en-US")} intervals of ${model.intervalSeconds / 60} min; ` +
          `per replication about ${figure(work.firstAttempts)} calls` +
          (work.redialFactor > 1 ? ` (up to ${figure(work.calls)} with redials)` : "") +
          (work.forms > 0 ? `, ${figure(work.forms)} forms` : "") +
          ` and ${figure(work.events)} events\n`
      )
    })
).pipe(Command.withDescription("Check a scenario file; list every problem with its path, and what `ccsim run` would refuse"))
