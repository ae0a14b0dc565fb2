/**
 * mock-odigo load bench, server process: one mock on 127.0.0.1 (random port) with the system
 * clock, reporting its memory (optionally after a full GC), CPU, event-loop delay and retained
 * ended calls when the orchestrator asks.
 *
 * The one module of bench/ that imports the mock's server code rather than its protocol: it
 * hosts the mock in-process to measure its live heap after a full GC and its retained calls,
 * which no client-side measurement can see (the psn1 bench, which needs neither, runs the real
 * `ccsim mock psn1` command instead). The virtual agents import only mock-odigo/protocol/.
 */
import { monitorEventLoopDelay, performance } from "node:perf_hooks"
import { buildApp } from "../../mock-odigo/app.js"
import type { ServerCommand, ServerMessage } from "./shared.js"

const send = (m: ServerMessage): void => {
  process.send?.(m)
}

const mock = await buildApp({ maxConnections: 20_000 })
const url = await mock.listen(0, "127.0.0.1")
const loop = monitorEventLoopDelay({ resolution: 10 })
loop.enable()

process.on("message", (raw: ServerCommand) => {
  if (raw.kind === "sample") {
    // With `gc`: a full collection first, so `heapUsedBytes` is what the server really retains.
    // The orchestrator asks for it at the start, once mid-run (the pause is timed and reported:
    // it is counted in the latency figures) and at the end.
    let gcMs = 0
    if (raw.gc) {
      const t0 = performance.now()
      ;(globalThis as { gc?: () => void }).gc?.()
      gcMs = performance.now() - t0
    }
    const m = process.memoryUsage()
    const cpu = process.cpuUsage()
    send({
      kind: "sample",
      seq: raw.seq,
      rssBytes: m.rss,
      heapUsedBytes: m.heapUsed,
      loopDelayP99Ms: loop.percentile(99) / 1e6,
      cpuMs: (cpu.user + cpu.system) / 1000,
      gcMs,
      endedCallsRetained: mock.platform.ended.size
    })
    loop.reset()
  } else if (raw.kind === "stop") {
    void mock.close("bench finished").then(() => process.exit(0))
  }
})
process.on("disconnect", () => process.exit(0))
send({ kind: "listening", url })
