/**
 * The services effect/cli asks of the process it runs in (`Command.Environment`: file system,
 * path, stdio, terminal, child-process spawner), from @effect/platform-node, without loading on
 * every start what a command line never uses.
 *
 * `NodeServices.layer` loads all of its modules when ccsim starts, and with them Node's
 * `child_process` (and with it `dgram`) and `readline`; its Terminal opens `process.stdin` as it
 * is built. effect/cli uses the terminal only for interactive prompts and the spawner not at all on
 * the paths ccsim takes, and ccsim's own commands use Node's APIs directly. So here the terminal
 * and the spawner are the platform's own, built on first use (a dynamic import, then the same
 * implementation as NodeServices'), and the Crypto service nobody asks for is left out
 * (`node:crypto` itself still loads: NodeFileSystem imports it). `ccsim run`, `validate` and
 * `--version` then load neither `child_process` nor `readline` (a line that loads every command,
 * such as `--help`, still does: `ccsim load` forks). On the project's VM that is ~460–495 fewer
 * page faults on the main thread per start (~13 µs each there); test/cli/platform.test.ts checks
 * what a start loads.
 */
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Layer from "effect/Layer"
import * as Path from "effect/Path"
import * as Scope from "effect/Scope"
import * as Terminal from "effect/Terminal"
import { ChildProcessSpawner, make as makeSpawner } from "effect/process/ChildProcessSpawner"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeStdio from "@effect/platform-node/NodeStdio"

/** The platform's terminal, built the first time one of its operations runs, in this layer's scope. */
const lazyTerminal = Layer.effect(Terminal.Terminal)(
  Effect.gen(function* () {
    const scope = yield* Effect.scope
    const real = yield* Effect.cached(
      Effect.promise(() => import("@effect/platform-node/NodeTerminal")).pipe(
        Effect.flatMap((m) => m.make()),
        Scope.provide(scope)
      )
    )
    return Terminal.make({
      columns: Effect.flatMap(real, (t) => t.columns),
      rows: Effect.flatMap(real, (t) => t.rows),
      readInput: Effect.flatMap(real, (t) => t.readInput),
      readLine: Effect.flatMap(real, (t) => t.readLine),
      display: (text) => Effect.flatMap(real, (t) => t.display(text))
    })
  })
)

/** The platform's child-process spawner, built the first time a process is spawned. */
const lazySpawner = Layer.effect(ChildProcessSpawner)(
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const real = yield* Effect.cached(
      Effect.promise(() => import("@effect/platform-node/NodeChildProcessSpawner")).pipe(
        Effect.flatMap((m) => Effect.provide(Effect.service(ChildProcessSpawner), m.layer)),
        Effect.provideService(FileSystem.FileSystem, fs),
        Effect.provideService(Path.Path, path)
      )
    )
    return makeSpawner((command) => Effect.flatMap(real, (s) => s.spawn(command)))
  })
)

/** What `Command.runWith`'s program needs, composed as NodeServices.layer is (less Crypto). */
export const platformLayer = Layer.mergeAll(
  NodeStdio.layer,
  lazyTerminal,
  Layer.provideMerge(lazySpawner, Layer.mergeAll(NodeFileSystem.layer, NodePath.layer))
)
