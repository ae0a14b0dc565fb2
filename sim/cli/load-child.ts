/**
 * The child processes of `ccsim load` (bundled as dist/load-child.mjs by build.mjs): started by
 * the command with a role as first argument —
 * - `generator`: one load generator (sim/live/generator.ts) speaking to the coordinator over
 *   IPC (structured clone, so a shard's typed arrays travel as such);
 * - `servers`: the embedded mocks (./load-servers.ts), so the servers have their own process —
 *   and their own core — apart from the generators, and their CPU and memory are measured apart.
 *
 * Invariants: a child exits when its parent goes (IPC channel closed), so a killed `ccsim load`
 * leaves no generator or server behind; a child ignores SIGINT — a Ctrl-C on the terminal reaches
 * the whole process group, and the coordinator decides (it asks the generators for their reports,
 * hangs up the run's callers, then stops every child), so the partial results are not lost.
 */
import { Generator } from "../live/generator.js"
import type { ToGenerator } from "../live/messages.js"
import { startEmbeddedServers, type ServerSample } from "./load-servers.js"

/** Servers child <-> parent. */
export type ServersMessage =
  | { readonly kind: "listening"; readonly odigoUrl: string | null; readonly psn1Url: string | null; readonly officer: { readonly email: string; readonly password: string } }
  | ({ readonly kind: "sample"; readonly seq: number } & ServerSample)
  | { readonly kind: "failed"; readonly message: string }
export type ServersCommand = { readonly kind: "sample"; readonly seq: number; readonly gc: boolean } | { readonly kind: "stop" }

const send = (m: unknown): void => {
  process.send?.(m)
}

process.on("disconnect", () => process.exit(0))
process.on("SIGINT", () => {})
const role = process.argv[2]
if (role === "generator") {
  const generator = new Generator(send)
  process.on("message", (m: ToGenerator) => generator.handle(m))
} else if (role === "servers") {
  const want = { odigo: process.argv.includes("--odigo"), psn1: process.argv.includes("--psn1") }
  startEmbeddedServers(want).then(
    (servers) => {
      process.on("message", (m: ServersCommand) => {
        if (m.kind === "sample") send({ kind: "sample", seq: m.seq, ...servers.sample(m.gc) })
        else void servers.close().then(() => process.exit(0))
      })
      send({ kind: "listening", odigoUrl: servers.odigoUrl, psn1Url: servers.psn1Url, officer: servers.officer })
    },
    (e: unknown) => {
      send({ kind: "failed", message: e instanceof Error ? e.message : String(e) })
      process.exit(1)
    }
  )
} else {
  process.stderr.write(`load-child: unknown role ${JSON.stringify(role)}\n`)
  process.exit(2)
}
