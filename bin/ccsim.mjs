#!/usr/bin/env node
// ccsim entry point: rebuilds dist/ first if the sources changed since the last build (build.mjs's
// stamp check, ~4-5 ms of stats when nothing changed), then runs the bundled CLI: `ccsim run`
// through its own bundle and V8's code cache (build.mjs, runCached), every other command through
// dist/ccsim.mjs.
import { ensureBuilt, runCached } from "../build.mjs"

// One block of just under 32 MB, dropped at once: glibc's malloc (Linux) raises its thresholds
// when it frees such a block (mallopt(3), "dynamic mmap threshold": blocks up to that size then
// come from the heap, and the heap keeps up to twice that free instead of handing it back to the
// kernel). V8's compiler threads malloc and free their working memory by the megabyte, and on this
// project's VM each page the kernel hands out again costs ~13 µs. Freed at the first young-
// generation collection; calloc'd, so only its header page is touched. Elsewhere (musl, macOS,
// Windows) it changes nothing; where 32 MB of address space cannot be had, it is skipped.
// Textbook run, interleaved A/B, 40 trials: page faults 12,400 -> 11,160, CPU -20 ms, wall -10 ms
// (paired medians; the wall's quartiles -50..+10, within a run's noise; README, Performance).
try {
  new ArrayBuffer(32 * 1024 * 1024 - 64 * 1024)
} catch {
  // no room for it: ccsim runs as it would without
}

await ensureBuilt()
if (process.argv[2] === "run") runCached()
else await import("../dist/ccsim.mjs")
