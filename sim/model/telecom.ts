/**
 * Calls dissuaded on a telecom problem (CCTP 3.3.2 "dissuadés sur problème Telecom"): one table,
 * the share of calls dissuaded in each interval, written by the scenario's
 * `events[].telecomIncident` (./dated.ts) and by continuity's platform outages (`odigoOutage`,
 * `telecomOutage`, ./incidents.ts) through the same function — one concept, one table.
 *
 * Invariant: a share stays in [0, 1]; overlapping windows keep the largest share (a call is
 * dissuaded once).
 */

/**
 * Raises each interval's share to `share` × the part of the interval inside [fromSeconds,
 * toSeconds), where it is larger.
 */
export const applyTelecomWindow = (telecomShare: Float64Array, fromSeconds: number, toSeconds: number, share: number, intervalSeconds: number): void => {
  const first = Math.max(0, Math.floor(fromSeconds / intervalSeconds))
  const end = Math.min(telecomShare.length, Math.ceil(toSeconds / intervalSeconds))
  for (let k = first; k < end; k++) {
    const overlap = Math.min(toSeconds, (k + 1) * intervalSeconds) - Math.max(fromSeconds, k * intervalSeconds)
    telecomShare[k] = Math.max(telecomShare[k]!, (share * overlap) / intervalSeconds)
  }
}
