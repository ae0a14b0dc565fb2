import { defineConfig } from "vitest/config"

/**
 * Tests that time a browser (reports: the 48-month page must render in < 2 s) run last, one
 * file at a time, after every other test has finished: a render time measured while the rest of
 * the suite fills both cores would measure the suite.
 */
const BROWSER = ["test/reports/e2e.test.ts", "test/reports/browser-48.test.ts"]

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: [
      { extends: true, test: { name: "main", include: ["test/**/*.test.ts"], exclude: BROWSER, globalSetup: ["test/global-setup.ts"] } },
      { extends: true, test: { name: "chromium", include: BROWSER, fileParallelism: false, sequence: { groupOrder: 1 } } }
    ]
  }
})
