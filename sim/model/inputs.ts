/**
 * Per-replication random inputs, drawn once at the start of a replication from their own streams:
 * - call rates: the model's expected rates × a day "busyness" factor (gamma, mean 1) × a monthly
 *   forecast-error factor (lognormal, mean 1) — overdispersion the plain Poisson process lacks;
 * - headcounts: each staff block's advisors scheduled that day, thinned by absence (each one
 *   absent with probability `absenceRate`, independently, for the whole day) — `replicationPresence`
 *   gives the present advisors of each block and day, `replicationStaff` the headcounts.
 * Both keep their expectations (factors have mean 1), so forecasts are met on average.
 */
import { Gamma, Lognormal } from "../engine/distributions.js"
import type { StreamFactory } from "../engine/random.js"
import { GROUP_COUNT, type Model } from "./model.js"

/** Expected first-attempt rate per interval for this replication (calls per second). */
export const replicationCallRates = (model: Model, streams: StreamFactory): Float64Array => {
  if (model.dayBusynessCv <= 0 && model.monthErrorCv <= 0) return model.callRate
  const dayFactor = new Float64Array(model.dayCount).fill(1)
  if (model.dayBusynessCv > 0) {
    const g = new Gamma(1, model.dayBusynessCv)
    const rng = streams.stream("busyness")
    for (let d = 0; d < model.dayCount; d++) dayFactor[d] = g.sample(rng)
  }
  if (model.monthErrorCv > 0) {
    const l = new Lognormal(1, model.monthErrorCv)
    const rng = streams.stream("forecastError")
    const monthFactor = Array.from({ length: model.monthCount }, () => l.sample(rng))
    for (let d = 0; d < model.dayCount; d++) dayFactor[d]! *= monthFactor[model.monthOfDay[d]!]!
  }
  const rates = new Float64Array(model.intervalCount)
  for (let i = 0; i < rates.length; i++) rates[i] = model.callRate[i]! * dayFactor[Math.floor(i / model.intervalsPerDay)]!
  return rates
}

/**
 * A dated plan with absence: on each day, each group's advisors are the day's peak headcount;
 * each is absent with probability `absenceRate`, and every interval of the day keeps that share
 * of its planned headcount (rounded to the nearest whole advisor).
 */
const planWithAbsence = (model: Model, streams: StreamFactory): Int32Array[] => {
  const rng = streams.stream("absence")
  const perDay = model.intervalsPerDay
  return model.scheduledPlan!.map((planned) => {
    const out = Int32Array.from(planned)
    if (model.absenceRate <= 0) return out
    for (let d = 0; d < model.dayCount; d++) {
      let peak = 0
      for (let k = 0; k < perDay; k++) peak = Math.max(peak, planned[d * perDay + k]!)
      if (peak === 0) continue
      let present = 0
      for (let a = 0; a < peak; a++) if (rng.nextDouble() >= model.absenceRate) present++
      const share = present / peak
      for (let k = 0; k < perDay; k++) out[d * perDay + k] = Math.round(planned[d * perDay + k]! * share)
    }
    return out
  })
}

/**
 * Advisors of each staff block present on each day of this replication (`presence[b][d]`):
 * each of the block's scheduled advisors is absent with probability `absenceRate`, drawn day
 * by day, block by block, from the `absence` stream. The one place these draws are made, so the
 * headcounts the simulation uses and the people the live harness logs in (sim/live) agree.
 */
export const replicationPresence = (model: Model, streams: StreamFactory): Int32Array[] => {
  const presence = model.staffBlocks.map(() => new Int32Array(model.dayCount))
  if (model.staffBlocks.length === 0) return presence
  const rng = streams.stream("absence")
  const absent = model.absenceRate
  for (let d = 0; d < model.dayCount; d++) {
    model.staffBlocks.forEach((block, b) => {
      const scheduled = block.advisorsByDay[d]!
      if (scheduled === 0) return
      let present = 0
      for (let k = 0; k < scheduled; k++) if (absent === 0 || rng.nextDouble() >= absent) present++
      presence[b]![d] = present
    })
  }
  return presence
}

/** Advisors logged in per group and interval for this replication (absence applied). */
export const replicationStaff = (model: Model, streams: StreamFactory): Int32Array[] => {
  if (model.staffPlan !== null) return model.staffPlan.map((column) => Int32Array.from(column))
  if (model.scheduledPlan !== null) return planWithAbsence(model, streams)
  const staff = Array.from({ length: GROUP_COUNT }, (_, g) => new Int32Array(model.intervalCount).fill(model.constantStaff[g] ?? 0))
  if (model.staffBlocks.length === 0) return staff
  const presence = replicationPresence(model, streams)
  const perDay = model.intervalsPerDay
  for (let d = 0; d < model.dayCount; d++) {
    model.staffBlocks.forEach((block, b) => {
      const present = presence[b]![d]!
      if (present === 0) return
      const column = staff[block.group]!
      for (const [from, to] of block.pieces) {
        for (let k = from; k < to; k++) {
          const i = d * perDay + k
          if (i < column.length) column[i]! += present
        }
      }
    })
  }
  return staff
}
