/**
 * Where `ccsim load`'s generators and embedded servers run: child processes of the bundled
 * `dist/load-child.mjs` (one generator per core by default, the two mocks in a process of their
 * own), or — `--generators 0` — one generator inside the command's own process.
 *
 * Invariants: every child is started with an IPC channel and killed when the command ends, on
 * any path (`close`, and `process.on("exit")` as a last resort); a child that dies unasked is
 * reported to the coordinator (`onExit`), which stops the run with a message. Children ignore
 * SIGINT (load-child.ts): a Ctrl-C on the terminal reaches the whole process group, and it is
 * the coordinator that decides — it asks the generators for their reports and stops everything.
 * Every wait on a child is bounded (the *_MS constants below) and ends when the child exits.
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
  // A failed send or a broken channel is an 'error' event: with no listener it would crash the coordinator.
  c.on("error", () => {})
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
      // A channel that closes under a send reports on the callback: the exit handler says it.
      if (c.connected) c.send(m, () => {})
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
  /** CPU and memory of the servers' process; rejects (never hangs) when it is gone or does not answer within SAMPLE_TIMEOUT_MS. */
  sample(gc: boolean): Promise<ServerSample>
  /** Called once if the servers' process exits before `close()` (a crash, a kill): the run must stop. */
  onExit(handler: (why: string) => void): void
  close(): Promise<void>
}

/** The embedded mocks listen within a second or two; a minute covers a loaded 2-core machine (and module loading from a cold disk). */
export const SERVER_START_TIMEOUT_MS = 60_000
/** A sample (with a full GC of a heap of a few hundred MiB) takes well under a second; 10 s means the process is stuck. */
export const SAMPLE_TIMEOUT_MS = 10_000

/** Why a servers' process could not start: a stable code (START_TIMEOUT, or SERVER_START_FAILED) and a message. */
export class ServersStartFailure extends Error {
  constructor(
    readonly code: string,
    message: string
  ) {
    super(message)
    this.name = "ServersStartFailure"
  }
}

/** The embedded mocks in a child process of their own (the `servers` role of load-child). */
export const serversProcess = async (want: { readonly odigo: boolean; readonly psn1: boolean }, startTimeoutMs = SERVER_START_TIMEOUT_MS): Promise<ServersHost> => {
  const c = start(["servers", ...(want.odigo ? ["--odigo"] : []), ...(want.psn1 ? ["--psn1"] : [])], ["--expose-gc"])
  const name = want.odigo && want.psn1 ? "servers" : want.odigo ? "Odigo mock" : "PSN1 mock"
  const proc = want.odigo && want.psn1 ? "the embedded servers' process" : `the embedded ${name}'s process`
  let timer: NodeJS.Timeout | undefined
  const first = await new Promise<ServersMessage | { readonly kind: "timeout" }>((resolve) => {
    c.once("message", (m: ServersMessage) => resolve(m))
    c.once("exit", (code, signal) => resolve({ kind: "failed", message: `${proc} exited (${code ?? signal})` }))
    timer = setTimeout(() => resolve({ kind: "timeout" }), startTimeoutMs)
  })
  clearTimeout(timer)
  if (first.kind !== "listening") {
    c.kill("SIGKILL")
    await stop(c)
    if (first.kind === "timeout") throw new ServersStartFailure("START_TIMEOUT", `the embedded ${name} did not start within ${startTimeoutMs / 1000} s`)
    throw new ServersStartFailure("SERVER_START_FAILED", `could not start the embedded ${name}: ${first.kind === "failed" ? first.message : "unexpected message"}`)
  }
  let seq = 0
  let closing = false
  const gone = (): string | null => (c.exitCode !== null || c.signalCode !== null ? `exit ${c.exitCode ?? c.signalCode}` : !c.connected ? "its channel is closed" : null)
  return {
    odigoUrl: first.odigoUrl,
    psn1Url: first.psn1Url,
    officer: first.officer,
    sample: (gc) =>
      new Promise((resolve, reject) => {
        const already = gone()
        if (already !== null) return reject(new Error(`${proc} is gone (${already})`))
        const mine = ++seq
        const done = (): void => {
          clearTimeout(t)
          c.off("message", on)
          c.off("exit", onExit)
        }
        const on = (m: ServersMessage): void => {
          if (m.kind === "sample" && m.seq === mine) {
            done()
            resolve({ cpuMs: m.cpuMs, rssBytes: m.rssBytes, heapUsedBytes: m.heapUsedBytes, gcMs: m.gcMs })
          }
        }
        const onExit = (code: number | null, signal: string | null): void => {
          done()
          reject(new Error(`${proc} exited (${code ?? signal})`))
        }
        const t = setTimeout(() => {
          done()
          reject(new Error(`the embedded ${name} did not answer a sample within ${SAMPLE_TIMEOUT_MS / 1000} s`))
        }, SAMPLE_TIMEOUT_MS)
        c.on("message", on)
        c.once("exit", onExit)
        c.send({ kind: "sample", seq: mine, gc } satisfies ServersCommand, (e) => {
          if (e === null || e === undefined) return
          done()
          reject(new Error(`cannot reach ${proc}: ${e.message}`))
        })
      }),
    onExit: (h) => {
      let told = false
      const tell = (why: string): void => {
        if (closing || told) return
        told = true
        h(why)
      }
      const already = gone()
      if (already !== null) return tell(already)
      c.once("exit", (code, signal) => tell(`exit ${code ?? signal}`))
    },
    close: async () => {
      closing = true
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
