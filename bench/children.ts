/**
 * The child processes of a load bench (bench:odigo, bench:psn1), kept on a short leash:
 * - each runs a bench/ script under tsx (or a plain Node script, such as the ccsim command), with
 *   an IPC channel;
 * - one that dies before the bench says it is finished stops the whole bench (exit 2);
 * - all are killed when the bench exits, and after a hard deadline whatever happens.
 */
import { fork, type ChildProcess } from "node:child_process"
import { fileURLToPath } from "node:url"

export interface SpawnOptions {
  /** Where the child's stderr goes: inherited (default) or piped to the bench. */
  readonly stderr?: "pipe" | "inherit"
  /** Extra Node flags for the child (e.g. `--expose-gc`). */
  readonly execArgv?: ReadonlyArray<string>
  /** False for a plain JavaScript entry (bin/ccsim.mjs), which needs no TypeScript loader. Default true. */
  readonly tsx?: boolean
}

export interface Children {
  /** Forks `file` (relative to bench/) with `argv`. */
  readonly spawn: (file: string, argv?: ReadonlyArray<string>, options?: SpawnOptions) => ChildProcess
  /** Kills every child still running (SIGKILL). */
  readonly killAll: () => void
  /** The measurement is over: children may exit from now on without stopping the bench. */
  readonly finish: () => void
  /** Lifts the hard deadline (once the children are shut down). */
  readonly disarm: () => void
}

/** Supervises the children of bench `name` (as in its messages); `hardDeadlineMs` bounds the whole run. */
export function superviseChildren(name: string, hardDeadlineMs: number): Children {
  const children: Array<ChildProcess> = []
  let finished = false
  const killAll = (): void => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL")
  }
  const deadline = setTimeout(() => {
    process.stderr.write(`${name}: hard deadline of ${Math.round(hardDeadlineMs / 1000)} s reached; stopping\n`)
    killAll()
    process.exit(2)
  }, hardDeadlineMs)
  process.on("exit", killAll)
  const spawn = (file: string, argv: ReadonlyArray<string> = [], options: SpawnOptions = {}): ChildProcess => {
    const c = fork(fileURLToPath(new URL(file, import.meta.url)), [...argv], {
      execArgv: [...(options.tsx === false ? [] : ["--import", "tsx"]), ...(options.execArgv ?? [])],
      stdio: ["ignore", "inherit", options.stderr ?? "inherit", "ipc"]
    })
    children.push(c)
    c.on("exit", (code, signal) => {
      if (!finished && (code !== 0 || signal !== null)) {
        process.stderr.write(`${name}: ${file} exited (${code ?? signal}) before the end\n`)
        killAll()
        process.exit(2)
      }
    })
    return c
  }
  return {
    spawn,
    killAll,
    finish: () => {
      finished = true
    },
    disarm: () => clearTimeout(deadline)
  }
}
