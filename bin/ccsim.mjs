#!/usr/bin/env node
// ccsim entry point: rebuilds dist/ first if the sources changed since the last build (build.mjs's
// stamp check, ~1 ms when nothing changed), then runs the bundled CLI.
import { ensureBuilt } from "../build.mjs"

await ensureBuilt()
await import("../dist/ccsim.mjs")
