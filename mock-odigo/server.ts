/**
 * The running mock as an Effect service: `OdigoServer.layer(config)` builds the app, loads the
 * seed accounts, listens, and — when the layer's scope closes (SIGINT/SIGTERM in the CLI, or
 * the end of a program) — sends `server.closing`, closes every connection with 1001 and stops
 * listening. Invariant: the server is closed exactly once, whatever ends the scope.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { NewAccount } from "./accounts.js"
import { buildApp, type OdigoApp } from "./app.js"
import type { OdigoOptions } from "./options.js"

export interface ServerConfig extends OdigoOptions {
  readonly port: number
  readonly host: string
  /** Accounts created before listening (already validated by the caller). */
  readonly seedAccounts?: ReadonlyArray<NewAccount>
}

/** A mock-odigo instance listening on `url`. */
export class OdigoServer extends Context.Service<OdigoServer, { readonly url: string; readonly mock: OdigoApp }>()("ccsim/mock-odigo/OdigoServer") {
  static layer(config: ServerConfig): Layer.Layer<OdigoServer, Error> {
    return Layer.effect(
      OdigoServer,
      Effect.acquireRelease(
        Effect.tryPromise({
          try: async () => {
            const mock = await buildApp(config)
            try {
              for (const a of config.seedAccounts ?? []) mock.accounts.create(a, mock.platform.clock.nowMs())
              const url = await mock.listen(config.port, config.host)
              return { url, mock }
            } catch (e) {
              await mock.close("start-up failed")
              throw e
            }
          },
          catch: (e) => (e instanceof Error ? e : new Error(String(e)))
        }),
        ({ mock }) => Effect.promise(() => mock.close("shutdown"))
      )
    )
  }
}
