/**
 * Compiles a dated scenario: calendar, forecast and events, callers, staffing, forms.
 * Every problem found here (CSV rows, uncovered days, a campaign with no previous month, times off
 * the interval grid) is collected with its path and thrown together as a CompileError.
 */
import { ABSENCE_RATE, CLOSED_DAY_RESPONSES, DAY_BUSYNESS_CV, MONTH_ERROR_CV, SHIFT_END, FORM_HANDLE_CV, FORM_HANDLE_SECONDS, PRODUCTIVE_HOURS_PER_DAY, weekdayIndex } from "../domain/assumptions.js"
import { MEDIA_CAMPAIGN_MULTIPLIER, NOTIFICATION_RESPONSE_RATE, OPENING_HOURS } from "../domain/cctp.js"
import { FLOW_CODES, REASON_CODES } from "../domain/vocabulary.js"
import { horizonDays, type Scenario } from "../../scenarios/schema/scenario.js"
import { parseAnnexe1 } from "./annexe1.js"
import { parsePlanCsv, type SitePlanColumn } from "./plancsv.js"
import { dayInfo, intervalStatus, type CalendarSpec } from "./calendar.js"
import { compileCallers, lognormalOrFixed, mixOfFlowCounts, mixOfReasonCounts, surgedMix, type Mix } from "./callers.js"
import { parseIntervalForecast, type IntervalForecast } from "./intervals-forecast.js"
import { parseCallLog } from "./call-log.js"
import { CompileError, DEFAULT_INTERVAL_MINUTES, DEFAULT_SERVICE_LEVEL_SECONDS, type CompileOptions } from "./options.js"
import { quote, type Problem } from "../domain/problem.js"
import { addMonths, firstOfPreviousMonth, formatDate, formatMonth, parseDate, parseDateTime, parseTimeOfDay } from "../domain/dates.js"
import {
  applyCampaign, applyWave, closedDayWeights, cctpPeriods, csvPeriods, dailyVolumes, defaultProfiles, formsWeights, intervalRates,
  responseShares, uncoveredRanges, weekdayIntradayWeights, type Period, type Profiles
} from "./forecast.js"
import type { Model } from "./model.js"
import { compileStaffing } from "./staffing.js"
import { applyTelecomWindow } from "./telecom.js"
import { compileContinuity } from "./continuity.js"


/** Seconds on the simulation axis of a date (its midnight) or date-time; `endOfDay` for inclusive date ends. */
const toSeconds = (s: string, firstDay: number, endOfDay: boolean): number => {
  const dt = parseDateTime(s)
  if (dt) return (dt.day - firstDay) * 86_400 + dt.minutes * 60
  return (parseDate(s)! - firstDay + (endOfDay ? 1 : 0)) * 86_400
}

/** Reads a file the scenario names; a missing, unreadable, oversized or binary one is a problem at `path`. */
const readNamedFile = (options: CompileOptions, file: string, path: string, problems: Problem[]): string | undefined => {
  try {
    const text = options.readFile ? options.readFile(file) : undefined
    if (text === undefined) problems.push({ path, message: `cannot read ${quote(file)}` })
    return text
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    const why = code === "ENOENT" ? "no such file" : e instanceof Error ? e.message : String(e)
    problems.push({ path, message: `${shortName(file)}: ${why}` })
    return undefined
  }
}

/** A file name as messages show it: as written when short, quoted and cut when not. */
const shortName = (file: string): string => (file.length <= 80 && !/[\u0000-\u001f]/.test(file) ? file : quote(file))

export const compileDated = (scenario: Scenario, options: CompileOptions): Model => {
  const problems: Problem[] = []
  const { first, last } = horizonDays(scenario.horizon)!
  const dayCount = last - first + 1
  const intervalMinutes = scenario.intervalMinutes ?? DEFAULT_INTERVAL_MINUTES
  const intervalSeconds = intervalMinutes * 60
  const perDay = 1440 / intervalMinutes
  const intervalCount = dayCount * perDay

  // --- calendar (over an extended range: the month before the horizon, for campaigns) ---
  const extFirst = firstOfPreviousMonth(first)
  const offset = first - extFirst
  const extCount = last - extFirst + 1
  const alwaysOpen = scenario.calendar === "always-open"
  const cal = alwaysOpen ? undefined : scenario.calendar
  const hours = cal?.openingHours
  const openMinutes = alwaysOpen ? 0 : parseTimeOfDay(hours?.from ?? OPENING_HOURS.from)!
  const closeMinutes = alwaysOpen ? 1440 : parseTimeOfDay(hours?.to ?? OPENING_HOURS.to)!
  if (!alwaysOpen) {
    for (const [key, m] of [["from", openMinutes], ["to", closeMinutes]] as const) {
      if (m % intervalMinutes !== 0) problems.push({ path: `calendar.openingHours.${key}`, message: `must be on the ${intervalMinutes}-minute interval grid` })
    }
  }
  const spec = (firstDay: number, count: number): CalendarSpec => ({
    firstDay,
    dayCount: count,
    intervalSeconds,
    openWeekdays: alwaysOpen ? [0, 1, 2, 3, 4, 5, 6] : (hours?.days ?? OPENING_HOURS.days).map(weekdayIndex),
    openMinutes,
    closeMinutes,
    publicHolidays: !alwaysOpen && (cal?.publicHolidays ?? true),
    closures: (cal?.closures ?? []).map((c) => ({
      fromSeconds: toSeconds(c.from, firstDay, false),
      toSeconds: toSeconds(c.to, firstDay, true),
      kind: c.kind ?? "exceptional"
    }))
  })
  const extInfo = dayInfo(spec(extFirst, extCount))
  const horizonSpec = spec(first, dayCount)
  const info = dayInfo(horizonSpec)
  const status = intervalStatus(horizonSpec, info)

  // --- forecast ---
  // Without a forecast (Poisson rates or a call log), calls come as given: no volumes, no profiles.
  const given = scenario.arrivals.forecast === undefined
  const forecast = scenario.arrivals.forecast ?? {}
  let periods: Period[] = given ? [] : cctpPeriods()
  if (forecast.csv !== undefined) {
    const file = forecast.csv
    const text = readNamedFile(options, file, "arrivals.forecast.csv", problems)
    if (text !== undefined) {
      const parsed = parseAnnexe1(text, file)
      problems.push(...parsed.problems)
      periods = csvPeriods(parsed.rows)
    }
  }
  // An interval forecast takes over the days it covers (./intervals-forecast.ts).
  let iv: IntervalForecast | null = null
  if (forecast.intervalsCsv !== undefined) {
    const file = forecast.intervalsCsv
    const text = readNamedFile(options, file, "arrivals.forecast.intervalsCsv", problems)
    if (text !== undefined) {
      const parsed = parseIntervalForecast(text, file, { firstDay: first, dayCount, intervalMinutes, flows: FLOW_CODES, reasons: REASON_CODES })
      problems.push(...parsed.problems)
      iv = parsed.forecast
    }
  }
  const p = forecast.profiles
  const profiles: Profiles = {
    monthly: p?.monthly ?? defaultProfiles.monthly,
    weekly: p?.weekly ?? defaultProfiles.weekly,
    formsWeekly: p?.forms?.weekly ?? defaultProfiles.formsWeekly,
    intraday: p?.intraday ?? defaultProfiles.intraday
  }
  const volumes = dailyVolumes(periods, profiles, { firstDay: extFirst, info: extInfo, publicHolidays: !alwaysOpen && (cal?.publicHolidays ?? true) }, extCount, forecast.scale ?? 1)
  const coveredDays = Uint8Array.from(volumes.covered.subarray(offset), (c, d) => c | (iv?.coveredDay[d] ?? 0))
  const uncovered = uncoveredRanges(coveredDays, first)
  if (!given && uncovered.length > 0 && problems.length === 0) {
    problems.push({
      path: forecast.csv !== undefined ? `arrivals.forecast.csv` : "arrivals.forecast",
      message: `no forecast for ${uncovered.slice(0, 3).join(", ")}${uncovered.length > 3 ? ", …" : ""}` +
        (forecast.csv === undefined ? " (the CCTP volumes cover 2025-11-09..2029-11-08; give a csv or an intervalsCsv for other dates)" : "")
    })
  }

  // --- events on days ---
  const callers = compileCallers(scenario.callers)
  const calls = volumes.calls
  // The basis of the 120% rule (CCTP 9, sim/contract): the forecast with only the events the
  // Cnam foresaw when it ordered (`foreseen: true`), before any other event.
  const basisCalls = Float64Array.from(calls)
  const multipliers: number[][] = Array.from({ length: extCount }, () => REASON_CODES.map(() => 1))
  const basisMultipliers: number[][] = Array.from({ length: extCount }, () => REASON_CODES.map(() => 1))
  const ivrShare = new Float64Array(dayCount)
  let ivrUsed = false
  const telecomShare = new Float64Array(intervalCount)
  let telecomUsed = false
  const events = scenario.events ?? []
  /** Campaigns, then waves and surges, on a day table (`target`: every event, or the foreseen ones for the basis). */
  const applyVolumeEvents = (target: Float64Array, mult: number[][], include: (foreseen: boolean) => boolean, report: boolean) => {
    // Campaigns first (they rewrite days from the previous month's forecast), then additions.
    events.forEach((e, i) => {
      const c = e.mediaCampaign
      if (!c || !include(c.foreseen === true)) return
      const from = parseDate(c.from)! - extFirst
      const to = parseDate(c.to)! - extFirst
      const prevFirst = firstOfPreviousMonth(extFirst + from)
      const prevLast = addMonths(prevFirst, 1) - 1
      let sumCalls = 0
      let sumWeights = 0
      let complete = true
      for (let d = prevFirst; d <= prevLast; d++) {
        const k = d - extFirst
        if (k < 0 || volumes.covered[k] === 0) complete = false
        else {
          sumCalls += target[k]!
          sumWeights += volumes.weights[k]!
        }
      }
      if (!complete || sumWeights === 0) {
        if (report) problems.push({ path: `events[${i}].mediaCampaign.from`, message: `needs a forecast for the previous month (${formatMonth(prevFirst)}) to compare with` })
        return
      }
      applyCampaign(target, volumes.weights, from, to, sumCalls / sumWeights, c.multiplier ?? MEDIA_CAMPAIGN_MULTIPLIER)
    })
    events.forEach((e) => {
      if (e.notificationWave && include(e.notificationWave.foreseen === true)) {
        const w = e.notificationWave
        const shares = responseShares(w.meanDelayDays, w.dayShares)
        applyWave(target, extInfo.openDay, parseDate(w.date)! - extFirst, w.letters * (w.responseRate ?? NOTIFICATION_RESPONSE_RATE), shares, w.closedDayCalls ?? CLOSED_DAY_RESPONSES)
      } else if (e.reasonSurge && include(e.reasonSurge.foreseen === true)) {
        const s = e.reasonSurge
        const r = REASON_CODES.indexOf(s.reason as (typeof REASON_CODES)[number])
        for (let d = parseDate(s.from)! - extFirst; d <= parseDate(s.to)! - extFirst; d++) mult[d]![r]! *= s.multiplier
      }
    })
  }
  applyVolumeEvents(calls, multipliers, () => true, true)
  if (events.some((e) => (Object.values(e)[0] as { foreseen?: boolean } | undefined)?.foreseen === true)) applyVolumeEvents(basisCalls, basisMultipliers, (f) => f, false)
  events.forEach((e, i) => {
    if (e.ivrDissuasion) {
      const v = e.ivrDissuasion
      const from = v.from ? parseDate(v.from)! - first : 0
      const to = v.to ? parseDate(v.to)! - first : dayCount - 1
      for (let d = Math.max(0, from); d <= Math.min(dayCount - 1, to); d++) ivrShare[d] = v.share
      ivrUsed = ivrUsed || v.share > 0
    } else if (e.telecomIncident) {
      const t = e.telecomIncident
      const fromS = toSeconds(t.from, first, false)
      const toS = toSeconds(t.to, first, true)
      if (toS <= fromS) problems.push({ path: `events[${i}].telecomIncident.to`, message: "must be after from" })
      applyTelecomWindow(telecomShare, fromS, toS, t.share ?? 1, intervalSeconds)
      telecomUsed = true
    }
  })

  // --- per-day mixes (reason surges) and volumes of the horizon ---
  const mixes: Mix[] = [callers.baseMix]
  const mixKeys = new Map<string, number>([[REASON_CODES.map(() => 1).join(","), 0]])
  const mixOfDay = new Uint8Array(dayCount)
  const dayCalls = new Float64Array(dayCount)
  const forecastBasisCalls = new Float64Array(dayCount)
  for (let d = 0; d < dayCount; d++) {
    const m = multipliers[d + offset]!
    const key = m.join(",")
    let id = mixKeys.get(key)
    let factor = 1
    if (id === undefined || id !== 0) {
      const surged = surgedMix(callers.baseMix, m)
      factor = surged.volumeFactor
      if (id === undefined) {
        id = mixes.length
        if (id > 255) problems.push({ path: "events", message: "more than 255 distinct reason-surge combinations" })
        mixKeys.set(key, id)
        mixes.push(surged.mix)
      }
    }
    mixOfDay[d] = id
    dayCalls[d] = calls[d + offset]! * factor
    const bm = basisMultipliers[d + offset]!
    forecastBasisCalls[d] = basisCalls[d + offset]! * (bm.every((x) => x === 1) ? 1 : surgedMix(callers.baseMix, bm).volumeFactor)
  }
  const openDay = info.openDay
  const callRate = intervalRates(
    dayCalls, openDay, weekdayIntradayWeights(profiles.intraday, perDay), closedDayWeights(perDay, p?.closedDayHours), perDay, intervalSeconds, intervalCount,
    (d) => info.weekday[d]!
  )
  const formsOn = scenario.forms?.enabled ?? true
  // Forms arrive on every day by the same hourly profile: one weight table for "open" and "closed" days.
  const formHours = formsOn ? formsWeights(perDay, p?.forms?.hours) : null
  const formRate = formHours !== null
    ? intervalRates(volumes.forms.subarray(offset), new Uint8Array(dayCount).fill(1), formHours, formHours, perDay, intervalSeconds, intervalCount)
    : new Float64Array(intervalCount)

  // --- days an interval forecast covers: its calls, forms and mixes as given ---
  let mixOfInterval: Uint16Array | null = null
  let intervalDays = 0
  if (iv !== null) {
    const groups = iv.groups
    if (groups !== null) mixOfInterval = Uint16Array.from({ length: intervalCount }, (_, i) => mixOfDay[Math.floor(i / perDay)]!)
    for (let d = 0; d < dayCount; d++) {
      if (iv.coveredDay[d] === 0) continue
      intervalDays++
      let total = 0
      for (let i = d * perDay; i < (d + 1) * perDay; i++) {
        callRate[i] = iv.calls[i]! / intervalSeconds
        total += iv.calls[i]!
        if (iv.forms !== null && formsOn) formRate[i] = iv.forms[i]! / intervalSeconds
        if (groups !== null && iv.calls[i]! > 0) {
          const mix = groups.by === "flow" ? mixOfFlowCounts(callers.baseMix, groups.counts.map((c) => c[i]!)) : mixOfReasonCounts(callers.baseMix, groups.counts.map((c) => c[i]!))
          const key = JSON.stringify(mix)
          let id = mixKeys.get(key)
          if (id === undefined) {
            id = mixes.length
            if (id > 65_535) {
              problems.push({ path: "arrivals.forecast.intervalsCsv", message: "more than 65,535 distinct flow/reason mixes" })
              break
            }
            mixKeys.set(key, id)
            mixes.push(mix)
          }
          mixOfInterval![i] = id
        }
      }
      forecastBasisCalls[d] = total
    }
  }

  // --- calls as given: Poisson rates per slot of the day, or a replayed call log ---
  let arrivalTimes: Float64Array | null = null
  let replayAttributes: Model["replayAttributes"] = null
  const poisson = scenario.arrivals.poisson
  if (poisson !== undefined) {
    const slots = typeof poisson.perHour === "number" ? [poisson.perHour] : poisson.perHour
    for (let i = 0; i < intervalCount; i++) {
      const k = i % perDay
      callRate[i] = slots[Math.floor((k * slots.length) / perDay)]! / 3600
    }
    for (let d = 0; d < dayCount; d++) forecastBasisCalls[d] = callRate.subarray(d * perDay, (d + 1) * perDay).reduce((a, b) => a + b, 0) * intervalSeconds
  }
  const replay = scenario.arrivals.replay
  if (replay !== undefined) {
    callRate.fill(0)
    if (replay.seconds !== undefined) arrivalTimes = Float64Array.from(replay.seconds)
    else {
      const text = readNamedFile(options, replay.csv!, "arrivals.replay.csv", problems)
      if (text !== undefined) {
        const parsed = parseCallLog(text, replay.csv!, { firstDay: first, dayCount, flows: FLOW_CODES, reasons: REASON_CODES })
        problems.push(...parsed.problems)
        arrivalTimes = parsed.log.times
        replayAttributes = { flow: parsed.log.flow, reason: parsed.log.reason, talkSeconds: parsed.log.talkSeconds, patienceSeconds: parsed.log.patienceSeconds }
      }
    }
    forecastBasisCalls.fill(0)
    for (const t of arrivalTimes ?? []) if (t < dayCount * 86_400) forecastBasisCalls[Math.floor(t / 86_400)]!++
  }

  // --- months, staffing ---
  const monthOfDay = new Int32Array(dayCount)
  const months = new Map<string, number>()
  for (let d = 0; d < dayCount; d++) {
    const m = formatMonth(first + d)
    if (!months.has(m)) months.set(m, months.size)
    monthOfDay[d] = months.get(m)!
  }
  const staffBlocks = scenario.staffing
    ? compileStaffing(scenario.staffing, { firstDay: first, dayCount, days: info, intervalMinutes }, problems)
    : []
  let scheduledPlan: Int32Array[] | null = null
  let planBySite: SitePlanColumn[] | null = null
  const planFile = scenario.staffing?.planCsv
  if (planFile !== undefined) {
    const text = readNamedFile(options, planFile, "staffing.planCsv", problems)
    if (text !== undefined) {
      const parsed = parsePlanCsv(text, planFile, { firstDay: first, dayCount, intervalMinutes, sites: scenario.staffing?.sites?.map((s) => s.name) })
      problems.push(...parsed.problems)
      scheduledPlan = parsed.plan
      planBySite = parsed.bySite
    }
  }
  const continuity = scenario.continuity === undefined
    ? undefined
    : compileContinuity(scenario.continuity, scenario.staffing?.sites, { firstDay: first, intervalSeconds, intervalCount, status, planBySite }, problems)
  if (problems.length > 0) throw new CompileError(problems)

  const forms = scenario.forms
  const anyForms = formsOn && formRate.some((x) => x > 0)
  return {
    name: scenario.name,
    firstDate: formatDate(first),
    horizonSeconds: dayCount * 86_400,
    intervalSeconds,
    intervalCount,
    intervalsPerDay: perDay,
    dayCount,
    arrivalTimes,
    callRate,
    formRate,
    forecastBasisCalls,
    dayBusynessCv: given ? 0 : (forecast.dayBusynessCv ?? DAY_BUSYNESS_CV),
    monthErrorCv: given ? 0 : (forecast.monthErrorCv ?? MONTH_ERROR_CV),
    monthOfDay,
    monthCount: months.size,
    status,
    telecomShare: telecomUsed ? telecomShare : null,
    ivrShare: ivrUsed ? ivrShare : null,
    ivrReason: REASON_CODES.indexOf("outOfScope"),
    flows: FLOW_CODES,
    reasons: REASON_CODES,
    mixes,
    mixOfDay,
    mixOfInterval,
    forecastSources: given ? null : { intervalsCsv: forecast.intervalsCsv ?? null, intervalDays, profileDays: dayCount - intervalDays },
    replayAttributes,
    talk: callers.talk,
    wrapUp: callers.wrapUp,
    patience: callers.patience,
    redial: callers.redial,
    transferShare: callers.transferShare,
    ticketShare: callers.ticketShare,
    staffPlan: null,
    scheduledPlan,
    staffBlocks,
    scheduledSeconds: [],
    shiftEnd: scenario.staffing?.shiftEnd ?? SHIFT_END,
    constantStaff: [scenario.agents ?? 0, 0, 0],
    absenceRate: scenario.staffing?.absence?.rate ?? (scenario.staffing ? ABSENCE_RATE : 0),
    formHandle: anyForms ? (forms?.handleTime ?? lognormalOrFixed(FORM_HANDLE_SECONDS, FORM_HANDLE_CV)) : null,
    productiveHoursPerDay: forms?.productiveHoursPerDay ?? PRODUCTIVE_HOURS_PER_DAY,
    warmupIntervals: Math.ceil(((scenario.warmup?.hours ?? 0) * 3600) / intervalSeconds),
    serviceLevelSeconds: scenario.serviceLevelSeconds ?? DEFAULT_SERVICE_LEVEL_SECONDS,
    ...(continuity === undefined ? {} : { continuity })
  }
}
