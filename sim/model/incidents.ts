/**
 * One replication's continuity inputs: from the compiled continuity (./continuity.ts) and the
 * replication's streams, the headcount per group and interval the simulation logs in, the
 * interval status (a plan's closure message), the telecom share (platform outages), and the
 * instant cuts (a site's advisors gone at once at an incident's start). Also the planned
 * capacity the verdict compares with (sim/continuity).
 *
 * A pure function of (model, streams): the simulation, the first-attempt producer (another
 * thread) and the verdict each call it and get the same tables. Its own streams —
 * `continuity:start:k`, `continuity:duration:k`, `continuity:plan:k` — never shift the others';
 * absence is drawn from the `absence` stream exactly as ./inputs.ts does (same order), so the
 * planned headcount is the one a run without incidents logs in (tested) — except for a dated
 * plan that names sites, thinned column by column (the paired baseline, which also has the
 * continuity block, thins it the same way).
 *
 * What an incident does to headcounts, interval by interval over its window [start, end):
 * - siteLoss: the site's advisors (every skill) are lost;
 * - vpnLoss: the phone-only and blended advisors of every site on the cut VPN path are off
 *   calls; blended ones work forms (forms group), phone-only ones are idle (or on forms, by
 *   the incident's `phoneAdvisors`);
 * - odigoOutage, telecomOutage: calls are dissuaded on a telecom problem (./telecom.ts); nobody
 *   can answer the dissuaded share.
 * The plan brings back a share of the lost advisors of each group (Math.round of share × lost,
 * evaluated at the interval's start): backup site by its ramp after its activation delay
 * (capped by its seats), telework and load spreading after their delays, together at most 100%;
 * overtime fills what is still missing on the phone, up to its daily cap per advisor at work.
 * Invariant: every headcount is a whole number >= 0; without incidents, `staff` = `planned`.
 */
import { makeSampler } from "../engine/distributions.js"
import type { StreamFactory } from "../engine/random.js"
import { CLOSED_EXCEPTIONAL, CLOSED_TECHNICAL, OPEN } from "./calendar.js"
import type { ContinuityModel, PlanModel } from "./continuity.js"
import { replicationPresence, replicationStaff } from "./inputs.js"
import { GROUP_BLENDED, GROUP_COUNT, GROUP_FORMS, GROUP_PHONE, type Model } from "./model.js"
import type { SitePlanColumn } from "./plancsv.js"
import { applyTelecomWindow } from "./telecom.js"

/** What one replication drew for an incident. */
export interface IncidentDraw {
  /** First interval of the incident (it starts at that interval's start). */
  readonly startInterval: number
  readonly startSeconds: number
  /** End of the incident (seconds; the horizon when it lasts to the end). */
  readonly endSeconds: number
  /** First interval no longer touched by it (exclusive), <= intervalCount. */
  readonly endInterval: number
  /** Delays of the plan's responses, seconds after the start (Infinity: not in the plan). */
  readonly activationSeconds: number
  readonly teleworkSeconds: number
  readonly spreadingSeconds: number
  readonly overtimeSeconds: number
}

/** Advisors of each group who leave at once at an interval boundary (an incident's start). */
export interface Cut {
  readonly interval: number
  /** Index of the incident. */
  readonly incident: number
  /** Advisors lost per group (GROUP_PHONE, GROUP_FORMS, GROUP_BLENDED) — at most, those logged in. */
  readonly perGroup: readonly [number, number, number]
  /** vpnLoss: an advisor on a form finishes it (PSN1 does not need Odigo); siteLoss: the form goes back to the backlog. */
  readonly keepForms: boolean
}

export interface ReplicationContinuity {
  readonly draws: ReadonlyArray<IncidentDraw>
  /** Headcount per group and interval with the incidents and the plan: what the simulation logs in. */
  readonly staff: Int32Array[]
  /** Headcount per group and interval as planned (after absence): the paired baseline's. */
  readonly planned: Int32Array[]
  /** Advisors able to answer calls per interval (phone + blended, thinned by a platform outage), with the incidents, and as planned. */
  readonly answering: Float64Array
  readonly plannedAnswering: Float64Array
  readonly status: Uint8Array
  readonly telecomShare: Float64Array | null
  /** Sorted by interval. */
  readonly cuts: ReadonlyArray<Cut>
  /** Advisor-seconds of overtime worked (the plan's overtime cost). */
  readonly overtimeSeconds: number
  /** Per incident: did it take any advisor off (or, a platform outage, any interval)? An untouched incident activates no plan. */
  readonly touched: ReadonlyArray<boolean>
  /**
   * Per incident: the planned advisors able to answer at its sites, per interval (what it puts
   * at stake; the verdict judges a recovery on those intervals); null for a platform outage.
   */
  readonly exposure: ReadonlyArray<Float64Array | null>
}

/**
 * Headcount per site and group ([site][group]) and interval after absence. Blocks draw absence
 * in the order of ./inputs.ts (day, then block), so the sum over sites is `replicationStaff`.
 * A (site, group) nobody works in shares one zero column (never written).
 */
export const replicationSiteStaff = (model: Model, siteCount: number, streams: StreamFactory): Int32Array[][] => {
  const n = model.intervalCount
  const columns = model.continuity?.planBySite ?? null
  if (model.staffPlan === null && model.scheduledPlan !== null && columns !== null) return sitePlanWithAbsence(model, siteCount, columns, streams)
  const zero = new Int32Array(n)
  if (model.staffPlan !== null || model.scheduledPlan !== null) {
    // A dated plan per interval that names no site: it is all the first site's.
    return [replicationStaff(model, streams), ...Array.from({ length: siteCount - 1 }, () => Array.from({ length: GROUP_COUNT }, () => zero))]
  }
  const out = Array.from({ length: siteCount }, (_, s) =>
    Array.from({ length: GROUP_COUNT }, (_, g) => (s === 0 && (model.constantStaff[g] ?? 0) > 0 ? new Int32Array(n).fill(model.constantStaff[g]!) : zero))
  )
  if (model.staffBlocks.length === 0) return out
  for (const block of model.staffBlocks) {
    const site = out[block.site ?? 0]!
    if (site[block.group] === zero) site[block.group] = new Int32Array(n)
  }
  // The same draws as replicationStaff (one place: ./inputs.ts), added up per site.
  const presence = replicationPresence(model, streams)
  const perDay = model.intervalsPerDay
  for (let d = 0; d < model.dayCount; d++) {
    model.staffBlocks.forEach((block, b) => {
      const present = presence[b]![d]!
      if (present === 0) return
      const column = out[block.site ?? 0]![block.group]!
      for (const [from, to] of block.pieces) {
        for (let k = from; k < to; k++) {
          const i = d * perDay + k
          if (i < n) column[i]! += present
        }
      }
    })
  }
  return out
}

/**
 * A dated plan naming sites: each (skill, site) column thinned by absence as ./inputs.ts thins a
 * skill's column — each day, each of the column's peak advisors is absent with probability
 * `absenceRate`, and every interval keeps that share (rounded) — column by column, in the file's
 * order. The run without incidents uses the same function, so both see the same advisors.
 */
const sitePlanWithAbsence = (model: Model, siteCount: number, columns: ReadonlyArray<SitePlanColumn>, streams: StreamFactory): Int32Array[][] => {
  const n = model.intervalCount
  const perDay = model.intervalsPerDay
  const out = Array.from({ length: siteCount }, () => Array.from({ length: GROUP_COUNT }, () => new Int32Array(n)))
  const rng = streams.stream("absence")
  for (const { group, site, column } of columns) {
    const target = out[site]![group]!
    for (let d = 0; d < model.dayCount; d++) {
      let peak = 0
      for (let k = 0; k < perDay; k++) peak = Math.max(peak, column[d * perDay + k]!)
      if (peak === 0) continue
      let present = peak
      if (model.absenceRate > 0) {
        present = 0
        for (let a = 0; a < peak; a++) if (rng.nextDouble() >= model.absenceRate) present++
      }
      const share = present / peak
      for (let k = 0; k < perDay; k++) target[d * perDay + k]! += Math.round(column[d * perDay + k]! * share)
    }
  }
  return out
}

/** Share of the lost advisors back `t` seconds after the incident, by the plan's backup, telework and spreading (at most 1). */
export const recoveredShare = (plan: PlanModel | null, draw: IncidentDraw, t: number, lostTotal: number): number => {
  if (plan === null) return 0
  let backup = 0
  if (plan.backup !== null && t >= draw.activationSeconds) {
    backup = rampShare(plan.backup.ramp, t - draw.activationSeconds)
    if (plan.backup.seats !== null && lostTotal > 0) backup = Math.min(backup, plan.backup.seats / lostTotal)
  }
  const telework = plan.telework !== null && t >= draw.teleworkSeconds ? plan.telework.share : 0
  const spreading = plan.spreading !== null && t >= draw.spreadingSeconds ? plan.spreading.share : 0
  return Math.min(1, backup + telework + spreading)
}

/** A piecewise-linear ramp from (0, 0) through its points, flat after the last; `x` seconds after activation. */
export const rampShare = (ramp: ReadonlyArray<readonly [number, number]>, x: number): number => {
  let x0 = 0
  let y0 = 0
  for (const [x1, y1] of ramp) {
    if (x < x1) return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0)
    x0 = x1
    y0 = y1
  }
  return y0
}

const drawIncidents = (model: Model, c: ContinuityModel, streams: StreamFactory): IncidentDraw[] => {
  const span = model.intervalSeconds
  const plan = c.plan >= 0 ? c.plans[c.plan]! : null
  return c.incidents.map((inc, k) => {
    let startInterval = inc.startInterval
    if (inc.randomWindow !== null) {
      const [from, to] = inc.randomWindow
      let open = 0
      for (let i = from; i < to; i++) if (model.status[i] === OPEN) open++
      let pick = Math.floor(streams.stream(`continuity:start:${k}`).nextDouble() * open)
      for (let i = from; i < to; i++) {
        if (model.status[i] !== OPEN) continue
        if (pick-- === 0) {
          startInterval = i
          break
        }
      }
    }
    const startSeconds = startInterval * span
    const horizon = model.horizonSeconds
    const endSeconds = Math.min(
      horizon,
      inc.endSeconds ?? (inc.duration === null ? horizon : startSeconds + makeSampler(inc.duration).sample(streams.stream(`continuity:duration:${k}`)))
    )
    // The plan's delays, drawn in a fixed order from the incident's own stream.
    const rng = streams.stream(`continuity:plan:${k}`)
    const delay = (r: { readonly delay: Parameters<typeof makeSampler>[0] } | null) => (r === null ? Infinity : makeSampler(r.delay).sample(rng))
    return {
      startInterval,
      startSeconds,
      endSeconds,
      endInterval: Math.min(model.intervalCount, Math.ceil(endSeconds / span)),
      activationSeconds: delay(plan?.backup ?? null),
      teleworkSeconds: delay(plan?.telework ?? null),
      spreadingSeconds: delay(plan?.spreading ?? null),
      overtimeSeconds: delay(plan?.overtime ?? null)
    }
  })
}

/** What the simulation reads of a replication's continuity. */
export type ReplicationIncidents = Pick<ReplicationContinuity, "staff" | "status" | "telecomShare" | "cuts">

interface Core extends Omit<ReplicationContinuity, "answering" | "plannedAnswering" | "exposure"> {
  readonly bySite: ReadonlyArray<ReadonlyArray<Int32Array>>
  /** Share of calls a platform outage dissuades, per interval (null: none). */
  readonly outage: Float64Array | null
}

/** This replication's headcounts, status, telecom share and cuts (what the simulation needs); null without a continuity block. */
export const replicationIncidents = (model: Model, streams: StreamFactory): ReplicationIncidents | null => (model.continuity === undefined ? null : core(model, model.continuity, streams))

/** This replication's continuity inputs, with what the verdict compares; null when the model has no continuity block. */
export const replicationContinuity = (model: Model, streams: StreamFactory): ReplicationContinuity | null => {
  const c = model.continuity
  if (c === undefined) return null
  const k = core(model, c, streams)
  const n = model.intervalCount
  const { planned, staff, outage, bySite } = k
  const plannedAnswering = new Float64Array(n)
  const answering = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    plannedAnswering[i] = planned[GROUP_PHONE]![i]! + planned[GROUP_BLENDED]![i]!
    answering[i] = (staff[GROUP_PHONE]![i]! + staff[GROUP_BLENDED]![i]!) * (outage === null ? 1 : 1 - outage[i]!)
  }
  const exposure = c.incidents.map((inc) => {
    if (inc.kind !== "siteLoss" && inc.kind !== "vpnLoss") return null
    const out = new Float64Array(n)
    for (const s of inc.sites) {
      const phone = bySite[s]![GROUP_PHONE]!
      const blended = bySite[s]![GROUP_BLENDED]!
      for (let i = 0; i < n; i++) out[i]! += phone[i]! + blended[i]!
    }
    return out
  })
  const { bySite: _b, outage: _o, ...rest } = k
  return { ...rest, answering, plannedAnswering, exposure }
}

const core = (model: Model, c: ContinuityModel, streams: StreamFactory): Core => {
  const n = model.intervalCount
  const span = model.intervalSeconds
  const bySite = replicationSiteStaff(model, c.sites.length, streams)
  // Planned = the sum over sites; a group worked at one site only is that site's column (read only).
  const planned = Array.from({ length: GROUP_COUNT }, (_, g) => {
    const worked = bySite.map((site) => site[g]!).filter((column) => column.some((x) => x !== 0))
    if (worked.length === 1) return worked[0]!
    const column = new Int32Array(n)
    for (const s of worked) for (let i = 0; i < n; i++) column[i]! += s[i]!
    return column
  })
  const plan = c.plan >= 0 ? c.plans[c.plan]! : null
  const draws = drawIncidents(model, c, streams)
  const capacityIncidents = c.incidents.some((inc) => inc.kind === "siteLoss" || inc.kind === "vpnLoss")
  // Copies only when an incident changes headcounts; clipped at 0 over the incidents' windows (overlaps).
  const staff = capacityIncidents ? planned.map((column) => Int32Array.from(column)) : planned
  let outage: Float64Array | null = null
  let telecomShare: Float64Array | null = model.telecomShare
  const cuts: Cut[] = []
  const lost = [0, 0, 0]
  const touched = c.incidents.map(() => false)
  c.incidents.forEach((inc, k) => {
    const draw = draws[k]!
    if (inc.kind === "odigoOutage" || inc.kind === "telecomOutage") {
      touched[k] = draw.endSeconds > draw.startSeconds
      telecomShare = telecomShare === model.telecomShare ? (telecomShare === null ? new Float64Array(n) : Float64Array.from(telecomShare)) : telecomShare
      outage ??= new Float64Array(n)
      applyTelecomWindow(telecomShare!, draw.startSeconds, draw.endSeconds, inc.share, span)
      applyTelecomWindow(outage, draw.startSeconds, draw.endSeconds, inc.share, span)
      return
    }
    const vpn = inc.kind === "vpnLoss"
    const columns = [GROUP_PHONE, GROUP_FORMS, GROUP_BLENDED].map((g) => (vpn && g === GROUP_FORMS ? [] : inc.sites.map((s) => bySite[s]![g]!)))
    const lostOf = (g: number, i: number) => {
      let x = 0
      for (const column of columns[g]!) x += column[i]!
      return x
    }
    if (draw.startInterval > 0) {
      const before = draw.startInterval - 1
      const perGroup = [lostOf(GROUP_PHONE, before), lostOf(GROUP_FORMS, before), lostOf(GROUP_BLENDED, before)] as const
      cuts.push({ interval: draw.startInterval, incident: k, perGroup, keepForms: vpn })
      touched[k] = perGroup[0] + perGroup[1] + perGroup[2] > 0
    }
    for (let i = draw.startInterval; i < draw.endInterval; i++) {
      lost[GROUP_PHONE] = lostOf(GROUP_PHONE, i)
      lost[GROUP_FORMS] = lostOf(GROUP_FORMS, i)
      lost[GROUP_BLENDED] = lostOf(GROUP_BLENDED, i)
      const total = lost[0]! + lost[1]! + lost[2]!
      if (total === 0) continue
      touched[k] = true
      const share = recoveredShare(plan, draw, i * span - draw.startSeconds, total)
      for (let g = 0; g < GROUP_COUNT; g++) {
        const missing = lost[g]! - Math.round(share * lost[g]!)
        staff[g]![i]! -= missing
        if (vpn && g === GROUP_BLENDED) staff[GROUP_FORMS]![i]! += missing
        if (vpn && g === GROUP_PHONE && inc.phoneAdvisors === "forms") staff[GROUP_FORMS]![i]! += missing
      }
    }
  })
  if (capacityIncidents) {
    c.incidents.forEach((inc, k) => {
      if (inc.kind !== "siteLoss" && inc.kind !== "vpnLoss") return
      for (let g = 0; g < GROUP_COUNT; g++) {
        const column = staff[g]!
        for (let i = draws[k]!.startInterval; i < draws[k]!.endInterval; i++) if (column[i]! < 0) column[i] = 0
      }
    })
  }
  const overtimeSeconds = plan?.overtime ? addOvertime(model, c, plan, draws, planned, staff) : 0
  let status = model.status
  if (plan?.closureMessage) {
    const kind = c.closureKind === "technical" ? CLOSED_TECHNICAL : CLOSED_EXCEPTIONAL
    c.incidents.forEach((inc, k) => {
      if (inc.kind !== "siteLoss" && inc.kind !== "vpnLoss") return
      const draw = draws[k]!
      for (let i = draw.startInterval; i < draw.endInterval; i++) {
        const plannedAnswering = planned[GROUP_PHONE]![i]! + planned[GROUP_BLENDED]![i]!
        if (model.status[i] !== OPEN || plannedAnswering === 0 || staff[GROUP_PHONE]![i]! + staff[GROUP_BLENDED]![i]! > 0) continue
        if (status === model.status) status = Uint8Array.from(model.status)
        status[i] = kind
      }
    })
  }
  cuts.sort((a, b) => a.interval - b.interval || a.incident - b.incident)
  return { draws, staff, planned, status, telecomShare, cuts, overtimeSeconds, touched, bySite, outage }
}

/**
 * Overtime: on each day, the advisors at work may each add up to the plan's hours; that budget
 * fills the phone capacity still missing (planned − available, phone + blended) in the open
 * intervals of the capacity incidents' windows after the overtime delay, in proportion to what
 * is missing (rounded down, so the cap holds). Adds to `staff` (phone group); returns the
 * advisor-seconds worked.
 */
const addOvertime = (model: Model, c: ContinuityModel, plan: PlanModel, draws: ReadonlyArray<IncidentDraw>, planned: Int32Array[], staff: Int32Array[]): number => {
  const ot = plan.overtime!
  const n = model.intervalCount
  const span = model.intervalSeconds
  const perDay = model.intervalsPerDay
  const eligible = new Uint8Array(n)
  c.incidents.forEach((inc, k) => {
    if (inc.kind !== "siteLoss" && inc.kind !== "vpnLoss") return
    const draw = draws[k]!
    for (let i = draw.startInterval; i < draw.endInterval; i++) if (i * span - draw.startSeconds >= draw.overtimeSeconds && model.status[i] === OPEN) eligible[i] = 1
  })
  let worked = 0
  for (let d = 0; d < model.dayCount; d++) {
    let gapSeconds = 0
    let atWork = 0
    for (let i = d * perDay; i < Math.min(n, (d + 1) * perDay); i++) {
      const available = staff[GROUP_PHONE]![i]! + staff[GROUP_BLENDED]![i]!
      atWork = Math.max(atWork, available)
      if (eligible[i] === 1) gapSeconds += Math.max(0, planned[GROUP_PHONE]![i]! + planned[GROUP_BLENDED]![i]! - available) * span
    }
    if (gapSeconds === 0) continue
    const factor = Math.min(1, (atWork * ot.secondsPerAdvisorPerDay) / gapSeconds)
    for (let i = d * perDay; i < Math.min(n, (d + 1) * perDay); i++) {
      if (eligible[i] === 0) continue
      const gap = Math.max(0, planned[GROUP_PHONE]![i]! + planned[GROUP_BLENDED]![i]! - staff[GROUP_PHONE]![i]! - staff[GROUP_BLENDED]![i]!)
      const extra = Math.floor(gap * factor + 1e-9)
      staff[GROUP_PHONE]![i]! += extra
      worked += extra * span
    }
  }
  return worked
}
