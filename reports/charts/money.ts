/**
 * The money of a judged run, per month (summary.json's periods, sim/contract/risk.ts): expected
 * penalties with their 95% interval and P(penalty), the invoice and the net revenue, and the
 * hours ordered against the hours delivered (plan conformity, CCTP 9: penalised below 95%).
 */
import type { SummaryWithMoney } from "../../sim/contract/outputs.js"
import { COLOR, FORMAT, frame, ifMeasured, validFilter as valid, WIDTH, type Chart } from "./common.js"

type Month = SummaryWithMoney["periods"][number]

/** One flat row per month for the money charts (euros, hours, shares). */
export const moneyRows = (periods: ReadonlyArray<Month>) =>
  periods.map((p) => ({
    month: p.period,
    penalties: p.penalties?.total.mean ?? NaN,
    penaltiesLow: p.penalties?.total.ci95[0] ?? NaN,
    penaltiesHigh: p.penalties?.total.ci95[1] ?? NaN,
    pPenalty: p.risk.pAnyPenalty,
    penaltyP90: p.risk.penaltyP90 ?? NaN,
    invoice: p.invoice?.total.mean ?? NaN,
    invoiceLow: p.invoice?.total.ci95[0] ?? NaN,
    invoiceHigh: p.invoice?.total.ci95[1] ?? NaN,
    netRevenue: p.netRevenue?.mean ?? NaN,
    orderedHours: p.orders.orderedHours,
    deliveredHours: p.orders.deliveredHours.mean,
    deliveredLow: p.orders.deliveredHours.ci95[0],
    deliveredHigh: p.orders.deliveredHours.ci95[1],
    planConformity: p.orders.planConformity.mean,
    suspended: p.suspended
  }))

const x = { field: "month", type: "ordinal", title: null, axis: { labelAngle: -45, labelOverlap: true } }

/** Expected penalties (bars, 95% interval) and P(any penalty) (line, right axis) per month. */
export const penaltiesChart = (periods: ReadonlyArray<Month>): Chart => ({
  id: "penalties",
  title: "Expected penalties and P(penalty) per month",
  spec: frame("Expected penalties per month (bars, 95% interval) and the probability of at least one penalty (line)", { money: moneyRows(periods) }, {
    description: "Per month: penalties paid after the 10% cap, mean across replications with its 95% interval, and the share of replications with at least one penalty row triggered.",
    data: { name: "money" },
    width: WIDTH,
    height: 240,
    encoding: { x },
    layer: [
      {
        layer: [
          { name: "penalties", transform: [valid("penalties")], mark: { type: "bar", color: COLOR.penalty, opacity: 0.75, tooltip: true }, encoding: {
            y: { field: "penalties", type: "quantitative", title: "expected penalties", axis: { format: FORMAT.euros } },
            tooltip: [
              { field: "month", type: "ordinal" },
              { field: "penalties", type: "quantitative", title: "E[penalties]", format: FORMAT.euros },
              { field: "penaltiesLow", type: "quantitative", title: "95% low", format: FORMAT.euros },
              { field: "penaltiesHigh", type: "quantitative", title: "95% high", format: FORMAT.euros },
              { field: "penaltyP90", type: "quantitative", title: "P90", format: FORMAT.euros },
              { field: "pPenalty", type: "quantitative", title: "P(penalty)", format: ".0%" }
            ]
          } },
          ...ifMeasured(moneyRows(periods), ["penaltiesLow", "penaltiesHigh"], [{ name: "interval", transform: [valid("penaltiesLow"), valid("penaltiesHigh")], mark: { type: "rule", color: "#333" }, encoding: { y: { field: "penaltiesLow", type: "quantitative" }, y2: { field: "penaltiesHigh" } } }])
        ]
      },
      {
        name: "pPenalty",
        mark: { type: "line", color: COLOR.primary, point: { filled: true, size: 30 }, tooltip: true },
        encoding: {
          y: { field: "pPenalty", type: "quantitative", title: "P(penalty)", scale: { domain: [0, 1] }, axis: { format: ".0%", orient: "right" } },
          tooltip: [{ field: "month", type: "ordinal" }, { field: "pPenalty", type: "quantitative", title: "P(penalty)", format: ".0%" }]
        }
      }
    ],
    resolve: { scale: { y: "independent" } }
  })
})

/** Invoice (bars, 95% interval) and net revenue after penalties (points) per month. */
export const invoiceChart = (periods: ReadonlyArray<Month>): Chart => ({
  id: "invoice",
  title: "Invoice and net revenue per month",
  spec: frame("Production invoice per month (bars, 95% interval) and net revenue after penalties (points)", { money: moneyRows(periods) }, {
    description: "Per month: the production invoice (phone + forms) at the scenario's prices, mean across replications with its 95% interval, and the invoice minus penalties.",
    data: { name: "money" },
    width: WIDTH,
    height: 220,
    encoding: { x },
    layer: [
      { name: "invoice", transform: [valid("invoice")], mark: { type: "bar", color: COLOR.third, opacity: 0.6, tooltip: true }, encoding: {
        y: { field: "invoice", type: "quantitative", title: "euros", axis: { format: FORMAT.euros } },
        tooltip: [
          { field: "month", type: "ordinal" },
          { field: "invoice", type: "quantitative", format: FORMAT.euros },
          { field: "invoiceLow", type: "quantitative", title: "95% low", format: FORMAT.euros },
          { field: "invoiceHigh", type: "quantitative", title: "95% high", format: FORMAT.euros },
          { field: "netRevenue", type: "quantitative", title: "net revenue", format: FORMAT.euros }
        ]
      } },
      ...ifMeasured(moneyRows(periods), ["invoiceLow", "invoiceHigh"], [{ name: "interval", transform: [valid("invoiceLow"), valid("invoiceHigh")], mark: { type: "rule", color: "#333" }, encoding: { y: { field: "invoiceLow", type: "quantitative" }, y2: { field: "invoiceHigh" } } }]),
      { name: "netRevenue", transform: [valid("netRevenue")], mark: { type: "point", shape: "diamond", filled: true, color: COLOR.primary, size: 40, tooltip: true }, encoding: {
        y: { field: "netRevenue", type: "quantitative" },
        tooltip: [{ field: "month", type: "ordinal" }, { field: "netRevenue", type: "quantitative", title: "net revenue", format: FORMAT.euros }]
      } }
    ]
  })
})

/** Hours ordered (bars) against hours delivered (points, 95% interval) per month. */
export const hoursChart = (periods: ReadonlyArray<Month>): Chart => ({
  id: "orders-vs-delivered",
  title: "Hours ordered vs delivered per month",
  spec: frame("Productive hours ordered (bars) vs delivered (points, 95% interval)", { money: moneyRows(periods) }, {
    description: "Per month: hours ordered by the buyer (CCTP 3.1) and productive hours delivered (advisors logged in), mean across replications with its 95% interval; plan conformity = delivered / ordered, penalised below 95%.",
    data: { name: "money" },
    width: WIDTH,
    height: 220,
    encoding: { x },
    layer: [
      { name: "ordered", mark: { type: "bar", color: COLOR.muted, opacity: 0.5, tooltip: true }, encoding: {
        y: { field: "orderedHours", type: "quantitative", title: "hours", axis: { format: FORMAT.hours } },
        tooltip: [
          { field: "month", type: "ordinal" },
          { field: "orderedHours", type: "quantitative", title: "ordered hours", format: FORMAT.hours },
          { field: "deliveredHours", type: "quantitative", title: "delivered hours", format: FORMAT.hours },
          { field: "planConformity", type: "quantitative", title: "plan conformity", format: ".1%" },
          { field: "suspended", type: "quantitative", title: "P(120% rule)", format: ".0%" }
        ]
      } },
      ...ifMeasured(moneyRows(periods), ["deliveredLow", "deliveredHigh"], [{ name: "interval", transform: [valid("deliveredLow"), valid("deliveredHigh")], mark: { type: "rule", color: COLOR.primary }, encoding: { y: { field: "deliveredLow", type: "quantitative" }, y2: { field: "deliveredHigh" } } }]),
      { name: "delivered", mark: { type: "point", filled: true, color: COLOR.primary, size: 40, tooltip: true }, encoding: {
        y: { field: "deliveredHours", type: "quantitative" },
        tooltip: [{ field: "month", type: "ordinal" }, { field: "deliveredHours", type: "quantitative", title: "delivered hours", format: FORMAT.hours }, { field: "planConformity", type: "quantitative", title: "plan conformity", format: ".1%" }]
      } }
    ]
  })
})
