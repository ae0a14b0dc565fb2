/**
 * Failures that have an exit code of their own (sim/cli/cli.ts maps them), kept in a module of
 * their own so that the entry point knows them without loading the commands that raise them.
 */
import * as Data from "effect/Data"

/** No plan within the rules meets the targets (`ccsim staff`): exit code 3 (the best plan is written). */
export class TargetNotMet extends Data.TaggedError("TargetNotMet")<{ readonly message: string }> {}

/** A `ccsim load` threshold failed: exit 99, after the files are written. */
export class ThresholdsFailed extends Data.TaggedError("ThresholdsFailed")<{ readonly message: string }> {}

/** The exit code k6 uses when a threshold fails. */
export const THRESHOLD_EXIT_CODE = 99
