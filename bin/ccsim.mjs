#!/usr/bin/env node
// ccsim entry point: rebuilds dist/ first if the sources changed since the last build (build.mjs's
// stamp check, ~4-5 ms of stats when nothing changed), then runs the bundled CLI.
import { ensureBuilt } from "../build.mjs"

await ensureBuilt()
await import("../dist/ccsim.mjs")
