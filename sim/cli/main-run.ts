/**
 * `ccsim run` alone: the entry bin/ccsim.mjs takes when the line starts with `run`. The same
 * command, flags and exit codes as through sim/cli/main.ts (which loads only `run` for such a line
 * too), bundled on its own into one CommonJS file (dist/run.cjs, build.mjs) that bin/ccsim.mjs
 * compiles with V8's code cache: the main job skips most of the ~60-80 ms V8 spends compiling
 * the ~0.6 MB of JavaScript it needs (README, Performance).
 */
import type { Worker } from "node:worker_threads"
import { runCli } from "./cli.js"
import { startRunWorkerEarly } from "./early-worker.js"
import { runCommand } from "./run.js"

export { hasSimulated } from "./run.js"

/**
 * Runs the command line (process.argv). `worker`: the worker thread the bundle's loader started
 * before compiling it (build.mjs, runCached; ~30-50 ms sooner than this code could), handed over in
 * the same turn of the event loop.
 */
export const main = (worker?: Worker): void => {
  startRunWorkerEarly(process.argv, worker)
  runCli([runCommand])
}
