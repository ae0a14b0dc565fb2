// Builds dist/ once before the suite, so tests that spawn `bin/ccsim.mjs` or start worker
// threads run the current sources and never race to rebuild.
// @ts-expect-error build.mjs is plain JavaScript without declarations
import { build } from "../build.mjs"

export default async function setup(): Promise<void> {
  await build()
}
