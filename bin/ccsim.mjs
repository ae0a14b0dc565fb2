#!/usr/bin/env node
// ccsim entry point: make sure dist/ matches the sources, then run the bundled CLI.
import { ensureBuilt } from "../build.mjs"

await ensureBuilt()
await import("../dist/ccsim.mjs")
