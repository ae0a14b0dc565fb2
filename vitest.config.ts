import { readdirSync, readFileSync } from "node:fs"
import { availableParallelism } from "node:os"
import { defineConfig } from "vitest/config"

// Test files share one module graph per worker (isolate: false): importing effect, fastify and
// the simulator once instead of once per file takes ~40% off the suite's CPU time. Test files keep
// no state at module level, so sharing is safe — except for a file that replaces a module with
// vi.mock, which would see (or leave) the real one: those, found here by their `vi.mock(` call,
// run isolated.
const tests = readdirSync("test", { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".test.ts"))
  .map((f) => `test/${f.split("\\").join("/")}`)
const mocking = tests.filter((f) => readFileSync(f, "utf8").includes("vi.mock("))

/**
 * Tests that drive chromium (reports) run last, one file at a time, after every other test has
 * finished: a browser and its renderer beside the rest of the suite on two cores make both slow
 * and the browser's timeouts flaky. (Render times are measured by `npm run bench:report`.)
 */
const BROWSER = ["test/reports/e2e.test.ts", "test/reports/browser-48.test.ts"]

/**
 * Tests that play the live harness in real time against the mocks (`ccsim load`) run after the
 * rest, one file at a time, and before the browser: their latencies and the waits they compare
 * with the simulation must not be another test's CPU.
 */
const REALTIME = ["test/live/harness.test.ts", "test/live/cli.test.ts", "test/live/robust-cli.test.ts", "test/live/robust-coordinator.test.ts"]
const LAST = [...BROWSER, ...REALTIME]

/**
 * Worker processes for the other files: one per core, where vitest's default keeps one core for
 * itself (one worker on the 2-core machines). Much of the suite waits on child processes, sockets
 * and builds rather than computing, so a second worker fills the idle core: on the project's
 * 2-core VM the suite's span went from 305 s (one run before) to 253 s and 268 s (two runs after;
 * same 832 tests, vitest's JSON report). The realtime and chromium files still run one at a time,
 * after these (on a 1-core machine the two vi.mock files also run alone, after everything). The
 * projects set their own maxWorkers, so `vitest run --maxWorkers N` does not reach them; the
 * environment variable `VITEST_MAX_WORKERS=N` does (vitest applies it in each project).
 */
const WORKERS = availableParallelism()

export default defineConfig({
  test: {
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: WORKERS,
    projects: [
      { extends: true, test: { name: "shared", include: ["test/**/*.test.ts"], exclude: [...mocking, ...LAST], isolate: false } },
      { extends: true, test: { name: "isolated", include: mocking.filter((f) => !LAST.includes(f)) } },
      { extends: true, test: { name: "realtime", include: REALTIME, fileParallelism: false, sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: "chromium", include: BROWSER, fileParallelism: false, sequence: { groupOrder: 2 } } }
    ]
  }
})
