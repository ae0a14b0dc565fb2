/**
 * mock-odigo load bench, server process: one mock on 127.0.0.1 (random port) with the system
 * clock, reporting its memory, CPU and event-loop delay when the orchestrator asks.
 */
import { monitorEventLoopDelay } from "node:perf_hooks"
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
    // At the start and the end only: a full collection first, so `heapUsedBytes` is what the
    // server really retains (never during the run: it would stall the loop and skew latency).
    if (raw.gc) (globalThis as { gc?: () => void }).gc?.()
    const m = process.memoryUsage()
    const cpu = process.cpuUsage()
    send({ kind: "sample", rssBytes: m.rss, heapUsedBytes: m.heapUsed, loopDelayP99Ms: loop.percentile(99) / 1e6, cpuMs: (cpu.user + cpu.system) / 1000 })
    loop.reset()
  } else if (raw.kind === "stop") {
    void mock.close("bench finished").then(() => process.exit(0))
  }
})
process.on("disconnect", () => process.exit(0))
send({ kind: "listening", url })
