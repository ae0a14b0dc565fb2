/**
 * One replication, start to finish: build the Simulation with streams seeded from
 * (seed, replication), run it in chunks (so progress can be reported), return its totals and
 * interval table. Pure apart from the clock; the same call gives the same result anywhere —
 * in the main thread or in any worker.
 */
import { RandomStreams } from "../engine/random.js"
import type { GroupDayTable, IntervalTable } from "../kpi/intervals.js"
import type { Model } from "../model/model.js"
import { Simulation, type ReplicationTotals } from "../model/simulation.js"
import { monotonicMs } from "../domain/clock.js"

export interface ReplicationResult {
  readonly replication: number
  readonly totals: ReplicationTotals
  readonly table: IntervalTable
  /** Per-day table by call reason and IVR flow (empty for single-queue scenarios). */
  readonly groups: GroupDayTable
  /** Wall-clock time of this replication (seconds); not part of any deterministic output. */
  readonly wallSeconds: number
}

/** Number of chunks a replication is run in, for progress reporting. */
const CHUNKS = 50

/** Runs `sim` to the horizon, in chunks reporting progress when asked to (in one go otherwise). */
export const advanceInChunks = (sim: Simulation, horizonSeconds: number, onProgress?: (fractionDone: number) => void): void => {
  const chunks = onProgress ? CHUNKS : 1
  for (let c = 1; c <= chunks; c++) {
    sim.advanceTo((horizonSeconds * c) / chunks)
    onProgress?.(c / chunks)
  }
}

/**
 * The random streams of one replication: every source's stream is seeded from (seed, replication,
 * source name), so a replication gives the same draws in any thread (DESIGN "Randomness").
 * The one place a run builds them.
 */
export const replicationStreams = (seed: number, replication: number): RandomStreams => new RandomStreams(seed, replication)

/** The stream `source` of each replication of a run (e.g. the judge's quality scores). */
export const replicationStream = (seed: number, source: string) => (replication: number) => replicationStreams(seed, replication).stream(source)

export const runReplication = (
  model: Model,
  seed: number,
  replication: number,
  onProgress?: (fractionDone: number) => void
): ReplicationResult => {
  const started = monotonicMs()
  const sim = new Simulation(model, { streams: replicationStreams(seed, replication) })
  advanceInChunks(sim, model.horizonSeconds, onProgress)
  const totals = sim.finish()
  return { replication, totals, table: sim.table, groups: sim.groups, wallSeconds: (monotonicMs() - started) / 1000 }
}
