// Preloaded into benchmarked processes (node --import): reports the process's peak resident
// set size on stderr when it exits, so the benchmark can check memory without external tools.
import { writeSync } from "node:fs"

process.on("exit", () => {
  writeSync(2, `\nccsim-bench-maxrss-kb=${process.resourceUsage().maxRSS}\n`)
})
