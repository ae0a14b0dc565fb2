/**
 * Where `ccsim load`'s generators and embedded servers run: child processes of the bundled
 * `dist/load-child.mjs` (one generator per core by default, the two mocks in a process of their
 * own), or — `--generators 0` — one generator inside the command's own process.
 *
 * Invariants: every child is started with an IPC channel and killed when the command ends, on
 * any path (`close`, and `process.on("exit")` as a last resort); a child that dies unasked is
 * reported to the coordinator (`onExit`), which stops the run with a message.
 */
import { fork, type ChildProcess } from "node:child_process"
import { dirname, join } from "node:path"
import { existsSync } from "node:fs"
import type { FromGenerator, GeneratorPort, ToGenerator } from "../live/messages.js"
import { workerScript } from "../run/threads.js"
import type { ServersCommand, ServersMessage } from "./load-child.js"
import type { ServerSample } from "./load-servers.js"

const children = new Set<ChildProcess>()
process.on("exit", () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL")
})

/** dist/load-child.mjs, next to the bundled worker (build.mjs builds both). */
export const childScript = (): string => {
  const path = join(dirname(workerScript()), "load-child.mjs")
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\``)
  return path
}

/** Extra Node flags for the children, for profiling (`CCSIM_LOAD_CHILD_FLAGS="--cpu-prof --cpu-prof-dir=prof"`). */
const extraFlags = (process.env["CCSIM_LOAD_CHILD_FLAGS"] ?? "").split(/\s+/).filter((f) => f !== "")

const start = (args: ReadonlyArray<string>, execArgv: ReadonlyArray<string>): ChildProcess => {
  const c = fork(childScript(), [...args], { execArgv: [...execArgv, ...extraFlags], serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] })
  children.add(c)
  c.on("exit", () => children.delete(c))
  return c
}

const stop = (c: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve()
    const t = setTimeout(() => c.kill("SIGKILL"), 5000)
    c.once("exit", () => {
      clearTimeout(t)
      resolve()
    })
    c.disconnect()
  })

/** A generator in a child process. */
export const processPort = (): GeneratorPort => {
  const c = start(["generator"], [])
  let closing = false
  return {
    send: (m: ToGenerator) => {
      if (c.connected) c.send(m)
    },
    onMessage: (h) => void c.on("message", (m: FromGenerator) => h(m)),
    onExit: (h) =>
      void c.on("exit", (code, signal) => {
        if (!closing) h(`exit ${code ?? signal}`)
      }),
    close: async () => {
      closing = true
      await stop(c)
    }
  }
}

export interface ServersHost {
  readonly odigoUrl: string | null
  readonly psn1Url: string | null
  readonly officer: { readonly email: string; readonly password: string }
  sample(gc: boolean): Promise<ServerSample>
  close(): Promise<void>
}

/** The embedded mocks in a child process of their own (the `servers` role of load-child). */
export const serversProcess = async (want: { readonly odigo: boolean; readonly psn1: boolean }): Promise<ServersHost> => {
  const c = start(["servers", ...(want.odigo ? ["--odigo"] : []), ...(want.psn1 ? ["--psn1"] : [])], ["--expose-gc"])
  const first = await new Promise<ServersMessage>((resolve) => {
    c.once("message", (m: ServersMessage) => resolve(m))
    c.once("exit", (code) => resolve({ kind: "failed", message: `the servers' process exited (${code})` }))
  })
  if (first.kind !== "listening") {
    await stop(c)
    throw new Error(`could not start the embedded servers: ${first.kind === "failed" ? first.message : "unexpected message"}`)
  }
  let seq = 0
  return {
    odigoUrl: first.odigoUrl,
    psn1Url: first.psn1Url,
    officer: first.officer,
    sample: (gc) =>
      new Promise((resolve) => {
        const mine = ++seq
        const on = (m: ServersMessage): void => {
          if (m.kind === "sample" && m.seq === mine) {
            c.off("message", on)
            resolve({ cpuMs: m.cpuMs, rssBytes: m.rssBytes, heapUsedBytes: m.heapUsedBytes, gcMs: m.gcMs })
          }
        }
        c.on("message", on)
        c.send({ kind: "sample", seq: mine, gc } satisfies ServersCommand)
      }),
    close: async () => {
      if (c.connected) c.send({ kind: "stop" } satisfies ServersCommand)
      await new Promise<void>((resolve) => {
        if (c.exitCode !== null || c.signalCode !== null) return resolve()
        const t = setTimeout(() => {
          c.kill("SIGKILL")
          resolve()
        }, 10_000)
        c.once("exit", () => {
          clearTimeout(t)
          resolve()
        })
      })
    }
  }
}
