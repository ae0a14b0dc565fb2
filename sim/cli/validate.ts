/**
 * `ccsim validate <scenario>`: exit 0 and a one-line description when the scenario is valid;
 * otherwise every problem with its path on stderr and exit 2 (via BadInput).
 */
import * as Effect from "effect/Effect"
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import { loadRun } from "./scenario.js"

export const validateCommand = Command.make(
  "validate",
  { scenario: Argument.String("scenario").pipe(Argument.withDescription("Scenario file (YAML or JSON)")) },
  ({ scenario }) =>
    Effect.gen(function* () {
      const { model } = yield* loadRun(scenario)
      const hours = model.horizonSeconds / 3600
      process.stdout.write(
        `${scenario}: valid — "${model.name}", ${hours.toLocaleString("en-US")} h, ${model.intervalCount.toLocaleString("en-US")} intervals of ${model.intervalSeconds / 60} min\n`
      )
    })
).pipe(Command.withDescription("Check a scenario file; list every problem with its path"))
