// Builds dist/ before the suite when the sources changed since the last build, so tests that
// spawn `bin/ccsim.mjs` or start worker threads run the current sources and never race to rebuild.
// @ts-expect-error build.mjs is plain JavaScript without declarations
import { ensureBuilt } from "../build.mjs"

export default async function setup(): Promise<void> {
  await ensureBuilt()
}
