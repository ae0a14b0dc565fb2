/**
 * ccsim command line: `ccsim run | validate | erlang | penalties | staff | bid | continuity compare | report | mock odigo | mock psn1 | load`.
 * The entry of every command (dist/ccsim.mjs); `ccsim run` alone also has an entry of its own,
 * sim/cli/main-run.ts (dist/run.cjs, loaded with V8's code cache: bin/ccsim.mjs). What both share,
 * exit codes included, is in ./cli.ts.
 */
import { runCli } from "./cli.js"
import { startRunWorkerEarly } from "./early-worker.js"

/**
 * Every command, by the word that names it, in the order help lists them. Each is loaded only
 * when needed: the command named on the line; none for a bare `--version` or `-v`; all of them
 * when the line names none (help, a global flag first, a typo — effect/cli then says what is
 * known). The bundle is split the same way (build.mjs), so `ccsim run` reads and compiles the
 * simulator, not the mocks, the live harness or the staffing search (0.64 MB of minified
 * JavaScript, worker included, of 1.15 MB for every command). Parsing is effect/cli's either way.
 */
const commands = {
  run: () => import("./run.js").then((m) => m.runCommand),
  validate: () => import("./validate.js").then((m) => m.validateCommand),
  erlang: () => import("./erlang.js").then((m) => m.erlangCommand),
  penalties: () => import("./penalties.js").then((m) => m.penaltiesCommand),
  staff: () => import("./staff.js").then((m) => m.staffCommand),
  bid: () => import("./bid.js").then((m) => m.bidCommand),
  continuity: () => import("./continuity.js").then((m) => m.continuityCommand),
  report: () => import("./report.js").then((m) => m.reportCommand),
  mock: () => import("./mock.js").then((m) => m.mockCommand),
  load: () => import("./load.js").then((m) => m.loadCommand)
}

const word = process.argv[2] ?? ""
startRunWorkerEarly(process.argv)
const wanted = Object.hasOwn(commands, word)
  ? [commands[word as keyof typeof commands]]
  : process.argv.length === 3 && (word === "--version" || word === "-v")
    ? [] // the root answers alone
    : Object.values(commands)
runCli(await Promise.all(wanted.map((load) => load())))
