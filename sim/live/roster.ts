/**
 * The people a live run logs in, and when: each person has a skill group (phone, forms,
 * blended) and the pieces of simulated time they work inside the window — a shift's start,
 * its breaks (the gaps between pieces: lunch and pauses), its end.
 *
 * Where people come from:
 * - shifts and weekly plans (staff blocks): each block's advisors present that day
 *   (`replicationPresence`: absence drawn exactly as the simulation draws it) work the block's
 *   pieces — real shifts with their lunch breaks;
 * - a constant headcount (`agents: N`): N people for the whole window;
 * - a headcount per interval (plan CSV): people join and leave last-in first-out as the
 *   headcount moves, and someone who left comes back first.
 *
 * Invariant (checked, a bug otherwise): interval by interval, the people working in each group
 * are exactly the simulation's headcount (`replicationStaff` of the same seed, replication 0).
 */
import { GROUP_COUNT, type Model } from "../model/model.js"
import { replicationPresence, replicationStaff } from "../model/inputs.js"
import { replicationStreams } from "../run/replicate.js"

export const GROUP_NAMES = ["phone", "forms", "blended"] as const
export type GroupName = (typeof GROUP_NAMES)[number]

/** One person of the run. Pieces are [from, to) in simulated seconds, sorted, disjoint. */
export interface Person {
  /** 0-based, stable for a plan: names and accounts derive from it. */
  readonly id: number
  readonly group: number
  readonly pieces: ReadonlyArray<readonly [number, number]>
}

/** Merges touching pieces (a shift whose pieces meet is one piece). */
const normalise = (pieces: Array<[number, number]>): Array<[number, number]> => {
  pieces.sort((a, b) => a[0] - b[0])
  const out: Array<[number, number]> = []
  for (const p of pieces) {
    const last = out[out.length - 1]
    if (last !== undefined && p[0] <= last[1]) last[1] = Math.max(last[1], p[1])
    else if (p[1] > p[0]) out.push([p[0], p[1]])
  }
  return out
}

/**
 * The people of intervals [firstInterval, endInterval) — pieces clipped to `endSeconds` — for
 * `seed`, replication 0 (the replication whose callers the run injects).
 */
export const rosterOfDay = (model: Model, seed: number, firstInterval: number, endInterval: number, endSeconds: number): Person[] => {
  const span = model.intervalSeconds
  const perDay = model.intervalsPerDay
  const start = firstInterval * span
  const clip = (a: number, b: number): [number, number] => [Math.max(a, start), Math.min(b, endSeconds)]
  const people: Array<{ group: number; pieces: Array<[number, number]> }> = []
  const headcount = replicationStaff(model, replicationStreams(seed, 0))
  if (model.staffPlan !== null || model.scheduledPlan !== null) {
    for (let g = 0; g < GROUP_COUNT; g++) {
      // Last in, first out: `active` holds who is working now; who leaves goes on `away` and comes back first.
      const active: number[] = []
      const away: number[] = []
      for (let i = firstInterval; i < endInterval; i++) {
        const target = headcount[g]![i]!
        while (active.length > target) away.push(active.pop()!)
        while (active.length < target) {
          const p = away.pop() ?? people.push({ group: g, pieces: [] }) - 1
          active.push(p)
        }
        for (const p of active) people[p]!.pieces.push(clip(i * span, (i + 1) * span))
      }
    }
  } else {
    for (let g = 0; g < GROUP_COUNT; g++) {
      for (let k = 0; k < (model.constantStaff[g] ?? 0); k++) people.push({ group: g, pieces: [clip(start, endInterval * span)] })
    }
    const presence = replicationPresence(model, replicationStreams(seed, 0))
    const firstDay = Math.floor(firstInterval / perDay)
    const lastDay = Math.floor((endInterval - 1) / perDay)
    for (let d = firstDay; d <= lastDay; d++) {
      model.staffBlocks.forEach((block, b) => {
        const present = presence[b]![d]!
        const pieces: Array<[number, number]> = []
        for (const [from, to] of block.pieces) {
          const a = Math.max(d * perDay + from, firstInterval)
          const z = Math.min(d * perDay + to, endInterval)
          if (z > a) pieces.push(clip(a * span, z * span))
        }
        if (pieces.length === 0) return
        for (let k = 0; k < present; k++) people.push({ group: block.group, pieces: pieces.map((p) => [p[0], p[1]]) })
      })
    }
  }
  const roster = people
    .map((p) => ({ group: p.group, pieces: normalise(p.pieces) }))
    .filter((p) => p.pieces.length > 0)
    .map((p, id) => ({ id, group: p.group, pieces: p.pieces as ReadonlyArray<readonly [number, number]> }))
  checkAgainstHeadcount(roster, headcount, firstInterval, endInterval, span)
  return roster
}

/** Throws when the people do not add up to the simulation's headcounts (a bug, not bad input). */
const checkAgainstHeadcount = (people: ReadonlyArray<Person>, headcount: ReadonlyArray<Int32Array>, first: number, end: number, span: number): void => {
  for (let i = first; i < end; i++) {
    const mid = (i + 0.5) * span
    for (let g = 0; g < GROUP_COUNT; g++) {
      let n = 0
      for (const p of people) if (p.group === g && p.pieces.some(([a, b]) => a <= i * span && mid < b)) n++
      // The window may end inside its last interval: only whole intervals are compared.
      if (people.some((p) => p.pieces.some(([, b]) => b > i * span && b < (i + 1) * span))) continue
      if (n !== headcount[g]![i]!) {
        throw new Error(`roster: ${n} ${GROUP_NAMES[g]} advisors in interval ${i}, the simulation has ${headcount[g]![i]}`)
      }
    }
  }
}

/** People per group (phone, forms, blended): the accounts a run needs. */
export const countByGroup = (people: ReadonlyArray<Person>): number[] => {
  const out = new Array<number>(GROUP_COUNT).fill(0)
  for (const p of people) out[p.group]!++
  return out
}
