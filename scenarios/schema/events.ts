/**
 * `events`: what moves volumes away from the forecast (CCTP 2.1.3). Each item has exactly one key:
 * - `mediaCampaign { from, to, multiplier = 1.4 }` — over the window, calls run at the previous
 *   month's volume per (weighted) day × multiplier (the 2023 campaign: +40% vs the previous month);
 * - `notificationWave { date, letters, responseRate = 0.01, meanDelayDays | dayShares, closedDayCalls }`
 *   — letters sent (or notifications replayed) on `date` bring letters × responseRate calls,
 *   spread over the following days by the delay law; calls falling on a closed day move to the
 *   next open day (`closedDayCalls: nextOpenDay`, default) or stay and are dissuaded;
 * - `reasonSurge { reason, from, to, multiplier }` — calls of one reason × multiplier (total
 *   volume rises by that reason's share × (multiplier − 1));
 * - `ivrDissuasion { share, from?, to? }` — share of out-of-scope callers who hang up on the IVR
 *   dissuasion message;
 * - `telecomIncident { from, to, share = 1 }` — share of calls dissuaded on a telecom problem.
 * Volume events may say `foreseen: true`: the Cnam knew of them when it ordered hours, so their
 * calls are part of the basis of the 120% rule (CCTP 9; sim/contract); by default they are not.
 */
import * as Schema from "effect/Schema"
import { quote } from "../../sim/domain/problem.js"
import { REASON_CODES } from "../../sim/domain/vocabulary.js"
import { DateString, DateTimeString } from "./common.js"
import { NonNegative, Positive, Share } from "./numbers.js"

const Reason = Schema.String.check(
  Schema.makeFilter(
    (s: string) => (REASON_CODES as ReadonlyArray<string>).includes(s) || `unknown call reason ${quote(s)}; expected one of ${REASON_CODES.join(", ")}`
  )
)

const Window = { from: DateString, to: DateString }
const windowOrder = Schema.makeFilter((w: { from: string; to: string }) => w.to >= w.from || { path: ["to"], issue: `must not be before from (${w.from})` })

/** The Cnam knew of the event when it ordered hours: its calls are part of the order's basis (120% rule). */
const foreseen = { foreseen: Schema.optionalKey(Schema.Boolean) }

export const MediaCampaign = Schema.Struct({ ...Window, multiplier: Schema.optionalKey(Positive), label: Schema.optionalKey(Schema.String), ...foreseen }).check(windowOrder)

export const NotificationWave = Schema.Struct({
  date: DateString,
  letters: NonNegative,
  responseRate: Schema.optionalKey(Share),
  meanDelayDays: Schema.optionalKey(Positive),
  dayShares: Schema.optionalKey(Schema.NonEmptyArray(NonNegative)),
  closedDayCalls: Schema.optionalKey(Schema.Literals(["nextOpenDay", "dissuaded"]).annotate({ expected: '"nextOpenDay" or "dissuaded"' })),
  label: Schema.optionalKey(Schema.String),
  ...foreseen
}).check(
  Schema.makeFilter((w) =>
    w.meanDelayDays !== undefined && w.dayShares !== undefined ? "give meanDelayDays or dayShares, not both" : undefined
  )
)

export const ReasonSurge = Schema.Struct({ reason: Reason, ...Window, multiplier: Positive, label: Schema.optionalKey(Schema.String), ...foreseen }).check(windowOrder)

export const IvrDissuasion = Schema.Struct({ share: Share, from: Schema.optionalKey(DateString), to: Schema.optionalKey(DateString) })

export const TelecomIncident = Schema.Struct({
  from: DateTimeString,
  to: DateTimeString,
  share: Schema.optionalKey(Share),
  label: Schema.optionalKey(Schema.String)
})

const eventNames = "mediaCampaign, notificationWave, reasonSurge, ivrDissuasion, telecomIncident"

export const Event = Schema.Struct({
  mediaCampaign: Schema.optionalKey(MediaCampaign),
  notificationWave: Schema.optionalKey(NotificationWave),
  reasonSurge: Schema.optionalKey(ReasonSurge),
  ivrDissuasion: Schema.optionalKey(IvrDissuasion),
  telecomIncident: Schema.optionalKey(TelecomIncident)
})
  .annotate({ messageUnexpectedKey: `unknown event; expected one of ${eventNames}` })
  .check(Schema.makeFilter((e) => Object.keys(e).length === 1 || `give exactly one event per item (${eventNames})`))

export type Event = typeof Event.Type
