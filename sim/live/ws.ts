/**
 * The `ws` package, loaded on first use. ccsim's bundles keep an external package's static
 * imports at start-up, and `ccsim run` must start without the mocks' network stack
 * (test/cli/bundle.test.ts): a generator awaits `loadWs()` once when it is handed its shard, and
 * every socket it opens afterwards takes the class from `Ws()`.
 */
import type WebSocket from "ws"

let loaded: typeof WebSocket | undefined

export const loadWs = async (): Promise<typeof WebSocket> => (loaded ??= (await import("ws")).default)

/** The WebSocket class; loadWs() must have resolved first. */
export const Ws = (): typeof WebSocket => {
  if (loaded === undefined) throw new Error("ws is not loaded yet: await loadWs() first")
  return loaded
}
