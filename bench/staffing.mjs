// `npm run bench:staffing`: the staffing issue's speed targets, whole processes as a user runs
// them — `ccsim staff scenarios/baseline-2026.yaml --target answerRate>=0.90@0.95` (< 60 s) and
// `ccsim bid scenarios/contract-2025-2029.yaml --price-per-hour 32.5 --cost-per-hour 27`
// (< 120 s) on the machine's cores. Prints each wall time, the target, and a bare `node -e 0`
// as a gauge of the VM's speed of the moment. Never part of the tests.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const root = new URL("..", import.meta.url).pathname
const gauge = () => {
  const t = performance.now()
  spawnSync(process.execPath, ["-e", "0"])
  return (performance.now() - t) / 1000
}
const tmp = mkdtempSync(join(tmpdir(), "ccsim-bench-staffing-"))
const cases = [
  { name: "staff baseline-2026", target: 60, args: ["staff", "scenarios/baseline-2026.yaml", "--target", "answerRate>=0.90@0.95", "--out", join(tmp, "staff"), "--json"], file: "staff.json" },
  { name: "bid contract-2025-2029 (48 months)", target: 120, args: ["bid", "scenarios/contract-2025-2029.yaml", "--price-per-hour", "32.5", "--cost-per-hour", "27", "--out", join(tmp, "bid"), "--json"], file: "bid.json" }
]
try {
  console.log(`node -e 0: ${gauge().toFixed(3)} s (the VM's speed of the moment)`)
  for (const c of cases) {
    const t = performance.now()
    const r = spawnSync(process.execPath, [join(root, "bin", "ccsim.mjs"), ...c.args], { cwd: root, encoding: "utf8", maxBuffer: 1 << 28 })
    const wall = (performance.now() - t) / 1000
    if (r.status !== 0) {
      console.log(`${c.name}: FAILED (exit ${r.status})\n${r.stderr}`)
      continue
    }
    const out = JSON.parse(readFileSync(join(c.args[c.args.indexOf("--out") + 1], c.file), "utf8"))
    const detail = c.file === "staff.json"
      ? `plan ${Math.round(out.searched.paidHours)} paid hours vs classic ${Math.round(out.classic.paidHours)} (${(out.paidHoursSaved * 100).toFixed(1)}% fewer), met on fresh seeds: ${out.met}`
      : `margin ${Math.round(out.total.margin.mean)} €, break-even ${out.breakEvenPricePerHour.toFixed(2)} €/h`
    console.log(`${c.name}: ${wall.toFixed(1)} s (target < ${c.target} s: ${wall < c.target ? "ok" : "MISSED"}); ${detail}`)
  }
  console.log(`node -e 0: ${gauge().toFixed(3)} s`)
} finally {
  rmSync(tmp, { recursive: true, force: true })
}
