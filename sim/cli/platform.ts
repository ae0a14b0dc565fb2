/**
 * The services effect/cli asks of the process it runs in (`Command.Environment`: file system,
 * path, stdio, terminal, child-process spawner), from @effect/platform-node, without loading on
 * every start what a command line never uses.
 *
 * `NodeServices.layer` loads all of its modules when ccsim starts, and with them Node's
 * `child_process` (and with it `dgram`), `readline` and `crypto`; its Terminal opens
 * `process.stdin` as it is built. effect/cli uses the terminal only for interactive prompts, and
 * neither the spawner nor the file system on the paths ccsim takes; ccsim's own commands use Node's
 * APIs directly. So here the terminal, the spawner and the file system are the platform's own,
 * built on first use (a dynamic import, then the same implementation as NodeServices'), and the
 * Crypto service nobody asks for is left out. `ccsim run`, `validate` and `--version` then load
 * none of `child_process`, `readline` and `crypto` (a line that loads every command, such as
 * `--help`, still loads `child_process` and `crypto`: `ccsim load` forks, and the mocks use
 * `node:crypto`). On the project's VM the terminal and
 * spawner were ~460–495 fewer page faults on the main thread per start (~13 µs each there), the
 * file system ~8 ms less per `--version` (interleaved A/B); test/cli/platform.test.ts checks what
 * a start loads.
 */
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as Terminal from "effect/Terminal"
import { ChildProcessSpawner, make as makeSpawner } from "effect/process/ChildProcessSpawner"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeStdio from "@effect/platform-node/NodeStdio"

/**
 * `build`, run once, the first time the returned effect runs — in the context of the layer that
 * calls this (the services it needs, its scope), as an eager build would have run, not in that of
 * whichever caller comes first.
 */
const onFirstUse = <A, E, R>(build: Effect.Effect<A, E, R>) =>
  Effect.flatMap(Effect.context<R>(), (context) => Effect.cached(Effect.provideContext(build, context)))

/** The platform's terminal, built the first time one of its operations runs, in this layer's scope. */
const lazyTerminal = Layer.effect(Terminal.Terminal)(
  Effect.gen(function* () {
    const real = yield* onFirstUse(Effect.promise(() => import("@effect/platform-node/NodeTerminal")).pipe(Effect.flatMap((m) => m.make())))
    return Terminal.make({
      columns: Effect.flatMap(real, (t) => t.columns),
      rows: Effect.flatMap(real, (t) => t.rows),
      readInput: Effect.flatMap(real, (t) => t.readInput),
      readLine: Effect.flatMap(real, (t) => t.readLine),
      display: (text) => Effect.flatMap(real, (t) => t.display(text))
    })
  })
)

/** The platform's child-process spawner, built the first time a process is spawned (with this layer's file system and path). */
const lazySpawner = Layer.effect(ChildProcessSpawner)(
  Effect.gen(function* () {
    const real = yield* onFirstUse(
      Effect.promise(() => import("@effect/platform-node/NodeChildProcessSpawner")).pipe(
        Effect.flatMap((m) => Effect.provide(Effect.service(ChildProcessSpawner), m.layer))
      )
    )
    return makeSpawner((command) => Effect.flatMap(real, (s) => s.spawn(command)))
  })
)

/**
 * The platform's file system, loaded the first time one of its operations runs: NodeFileSystem
 * imports `node:crypto` (~20 of Node's own modules, for temporary files' names), and no ccsim
 * command reaches effect/cli's file system (ccsim reads and writes with Node's APIs). The
 * operations are NodeFileSystem's own; `exists`, `readFileString`, `stream`, `sink` and
 * `writeFileString` are derived by FileSystem.make, as NodeFileSystem's are. NodeFileSystem reads
 * an optional `FileSystem.WatchBackend` where it is built: this layer's context (onFirstUse).
 */
const lazyFileSystem = Layer.effect(FileSystem.FileSystem)(
  Effect.gen(function* () {
    const real = yield* onFirstUse(
      Effect.promise(() => import("@effect/platform-node/NodeFileSystem")).pipe(
        Effect.flatMap((m) => Effect.provide(Effect.service(FileSystem.FileSystem), m.layer))
      )
    )
    type Fs = FileSystem.FileSystem
    return FileSystem.make({
      access: (...a: Parameters<Fs["access"]>) => Effect.flatMap(real, (fs) => fs.access(...a)),
      chmod: (...a: Parameters<Fs["chmod"]>) => Effect.flatMap(real, (fs) => fs.chmod(...a)),
      chown: (...a: Parameters<Fs["chown"]>) => Effect.flatMap(real, (fs) => fs.chown(...a)),
      copy: (...a: Parameters<Fs["copy"]>) => Effect.flatMap(real, (fs) => fs.copy(...a)),
      copyFile: (...a: Parameters<Fs["copyFile"]>) => Effect.flatMap(real, (fs) => fs.copyFile(...a)),
      glob: (...a: Parameters<Fs["glob"]>) => Effect.flatMap(real, (fs) => fs.glob(...a)),
      link: (...a: Parameters<Fs["link"]>) => Effect.flatMap(real, (fs) => fs.link(...a)),
      lstat: (...a: Parameters<Fs["lstat"]>) => Effect.flatMap(real, (fs) => fs.lstat(...a)),
      makeDirectory: (...a: Parameters<Fs["makeDirectory"]>) => Effect.flatMap(real, (fs) => fs.makeDirectory(...a)),
      makeTempDirectory: (...a: Parameters<Fs["makeTempDirectory"]>) => Effect.flatMap(real, (fs) => fs.makeTempDirectory(...a)),
      makeTempDirectoryScoped: (...a: Parameters<Fs["makeTempDirectoryScoped"]>) => Effect.flatMap(real, (fs) => fs.makeTempDirectoryScoped(...a)),
      makeTempFile: (...a: Parameters<Fs["makeTempFile"]>) => Effect.flatMap(real, (fs) => fs.makeTempFile(...a)),
      makeTempFileScoped: (...a: Parameters<Fs["makeTempFileScoped"]>) => Effect.flatMap(real, (fs) => fs.makeTempFileScoped(...a)),
      open: (...a: Parameters<Fs["open"]>) => Effect.flatMap(real, (fs) => fs.open(...a)),
      readDirectory: (...a: Parameters<Fs["readDirectory"]>) => Effect.flatMap(real, (fs) => fs.readDirectory(...a)),
      readFile: (...a: Parameters<Fs["readFile"]>) => Effect.flatMap(real, (fs) => fs.readFile(...a)),
      readLink: (...a: Parameters<Fs["readLink"]>) => Effect.flatMap(real, (fs) => fs.readLink(...a)),
      realPath: (...a: Parameters<Fs["realPath"]>) => Effect.flatMap(real, (fs) => fs.realPath(...a)),
      remove: (...a: Parameters<Fs["remove"]>) => Effect.flatMap(real, (fs) => fs.remove(...a)),
      rename: (...a: Parameters<Fs["rename"]>) => Effect.flatMap(real, (fs) => fs.rename(...a)),
      stat: (...a: Parameters<Fs["stat"]>) => Effect.flatMap(real, (fs) => fs.stat(...a)),
      symlink: (...a: Parameters<Fs["symlink"]>) => Effect.flatMap(real, (fs) => fs.symlink(...a)),
      truncate: (...a: Parameters<Fs["truncate"]>) => Effect.flatMap(real, (fs) => fs.truncate(...a)),
      utimes: (...a: Parameters<Fs["utimes"]>) => Effect.flatMap(real, (fs) => fs.utimes(...a)),
      watch: (...a: Parameters<Fs["watch"]>) => Stream.unwrap(Effect.map(real, (fs) => fs.watch(...a))),
      writeFile: (...a: Parameters<Fs["writeFile"]>) => Effect.flatMap(real, (fs) => fs.writeFile(...a))
    })
  })
)

/** What `Command.runWith`'s program needs, composed as NodeServices.layer is (less Crypto). */
export const platformLayer = Layer.mergeAll(
  NodeStdio.layer,
  lazyTerminal,
  Layer.provideMerge(lazySpawner, Layer.mergeAll(lazyFileSystem, NodePath.layer))
)
