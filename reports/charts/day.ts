/**
 * The charts of a report day, interval by interval (../days.ts): the offered load against the
 * phone advisors staffed, and the advisors required (Erlang A) against those planned and staffed.
 * Both read the same rows (dataset `day-<date>`).
 */
import type { Formatter } from "../format.js"
import type { ReportDay } from "../run-data.js"
import { COLOR, FORMAT, frame, WIDTH, type Chart } from "./common.js"

const datasetName = (day: ReportDay) => `day-${day.date}`
const whyText = (day: ReportDay) => (day.why.includes("chosen") && day.why.includes("busiest") ? "the day asked for, and the busiest" : day.why.includes("chosen") ? "the day asked for" : "the busiest day")

/** Whole hours on the axis, every hour for a working day, fewer for a longer window (at most ~12 labels). */
export const hourLabels = (times: ReadonlyArray<string>): string[] => {
  const hours = times.filter((t) => t.endsWith(":00"))
  const step = Math.max(1, Math.ceil(hours.length / 12))
  return hours.filter((t) => Number(t.replace("+", "").slice(0, 2)) % step === 0)
}

const timeAxis = (rows: ReportDay["rows"]) => ({
  field: "time",
  type: "ordinal",
  title: "interval start",
  sort: null,
  axis: { values: hourLabels(rows.map((r) => r.time)), labelAngle: 0 }
})

const intervalTooltip = [
  { field: "time", type: "ordinal", title: "interval" },
  { field: "offered", type: "quantitative", title: "calls received", format: FORMAT.decimal },
  { field: "queued", type: "quantitative", title: "calls reaching the queue", format: FORMAT.decimal },
  { field: "answered", type: "quantitative", title: "answered", format: FORMAT.decimal },
  { field: "answerRate", type: "quantitative", title: "answer rate", format: FORMAT.share },
  { field: "meanWaitSeconds", type: "quantitative", title: "mean wait (s)", format: FORMAT.seconds },
  { field: "offeredLoad", type: "quantitative", title: "offered load (erlangs)", format: FORMAT.decimal },
  { field: "staffed", type: "quantitative", title: "phone advisors staffed", format: FORMAT.decimal },
  { field: "busy", type: "quantitative", title: "advisors on calls", format: FORMAT.decimal },
  { field: "planned", type: "quantitative", title: "advisors planned", format: FORMAT.decimal },
  { field: "required", type: "quantitative", title: "advisors required (Erlang A)", format: ",.0f" }
]

/** Offered load (bars, erlangs) against the phone advisors logged in (line), per interval. */
export const offeredVsStaffedChart = (day: ReportDay, fmt: Formatter): Chart => ({
  id: `offered-vs-staffed-${day.date}`,
  title: `Offered load and staffed advisors — ${day.date} (${whyText(day)})`,
  spec: frame(`Offered load vs staffed phone advisors, ${day.date}: ${fmt.int(day.offered)} calls received`, { [datasetName(day)]: day.rows }, {
    description: "Per interval: offered load (calls reaching the queue × mean handle time / interval length, in advisors kept busy) as bars; phone advisors logged in (after absence) as a line.",
    data: { name: datasetName(day) },
    width: WIDTH,
    height: 260,
    encoding: { x: timeAxis(day.rows) },
    layer: [
      {
        name: "offeredLoad",
        mark: { type: "bar", color: COLOR.band, tooltip: true },
        encoding: {
          y: { field: "offeredLoad", type: "quantitative", title: "advisors (erlangs)" },
          color: { datum: "offered load (erlangs)", scale: { range: [COLOR.band, COLOR.primary] }, legend: { orient: "top", title: null } },
          tooltip: intervalTooltip
        }
      },
      {
        name: "staffed",
        mark: { type: "line", interpolate: "step-after", strokeWidth: 2, point: { size: 18 }, tooltip: true },
        encoding: {
          y: { field: "staffed", type: "quantitative" },
          color: { datum: "phone advisors staffed" },
          tooltip: intervalTooltip
        }
      }
    ]
  })
})

/** Advisors required by Erlang A, planned (before absence) and staffed (after), per interval. */
export const requiredVsPlannedChart = (day: ReportDay): Chart => ({
  id: `required-vs-planned-${day.date}`,
  title: `Required vs planned advisors — ${day.date}`,
  spec: frame(`Advisors required (Erlang A: ≥ 90% answered, mean wait ≤ 2 min) vs planned, ${day.date}`, { [datasetName(day)]: day.rows }, {
    description: "Per interval: the fewest advisors meeting both targets by exact Erlang A from the interval's arrival rate, handle time and patience; the plan's phone-capable advisors before absence; those logged in.",
    data: { name: datasetName(day) },
    width: WIDTH,
    height: 260,
    transform: [{ fold: ["required", "planned", "staffed"], as: ["series", "advisors"] }],
    // A point per interval and series carries its tooltip (a line's own tooltip names one datum).
    mark: { type: "line", interpolate: "step-after", strokeWidth: 2, point: { size: 12, filled: true }, tooltip: true },
    encoding: {
      x: timeAxis(day.rows),
      y: { field: "advisors", type: "quantitative", title: "advisors" },
      color: {
        field: "series",
        type: "nominal",
        title: null,
        sort: ["required", "planned", "staffed"],
        scale: { domain: ["required", "planned", "staffed"], range: [COLOR.penalty, COLOR.muted, COLOR.primary] },
        legend: { orient: "top", labelExpr: "datum.label === 'required' ? 'required (Erlang A)' : datum.label === 'planned' ? 'planned (before absence)' : 'staffed (after absence)'" }
      },
      tooltip: [{ field: "series", type: "nominal", title: "series" }, { field: "advisors", type: "quantitative", title: "advisors", format: FORMAT.decimal }, ...intervalTooltip]
    }
  })
})
