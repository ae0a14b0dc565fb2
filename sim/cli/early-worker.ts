/**
 * Imported first by the command line's entries (./main.ts, ./main-run.ts), so that it runs before
 * the rest of their modules are evaluated: `ccsim run` on several cores uses a worker thread (a
 * pipelined replication, or the pool), started here so that it boots while the command's modules
 * load and its flags and scenario are read (sim/run/threads.ts; the runner takes it). When the line
 * sets --workers, the runner starts what that asks for, as before.
 */
import { defaultWorkers, startWorkerEarly } from "../run/threads.js"

const argv = process.argv
if (argv[2] === "run" && defaultWorkers() > 1 && !argv.some((a) => a === "--workers" || a.startsWith("--workers="))) startWorkerEarly()
