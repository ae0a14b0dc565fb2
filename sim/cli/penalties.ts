/**
 * `ccsim penalties MONTHS.csv [--scenario FILE] [--json]`: the contract's penalties (CCTP 9) of
 * a month table a user brings — a run's months.csv, or a real month's statistics under the same
 * column names (sim/contract/months-table.ts) — with the same functions that judge simulated
 * months. The scenario's `contract` block, when given, supplies the start, the run-in and the
 * penalty overrides; otherwise the CCTP's table and a 4-month run-in from 9 Nov 2025 apply.
 */
import { readFileSync } from "node:fs"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import { parseMonthsTable } from "../contract/months-table.js"
import { monthPenalties } from "../contract/penalties.js"
import { contractRules } from "../contract/terms.js"
import { PENALTY_KEYS } from "../domain/penalties.js"
import { BadInput } from "../domain/problem.js"
import { loadScenario } from "../../scenarios/schema/load.js"

const euros = (c: number | null) => (c === null ? "—" : `€${(c / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`)

export const penaltiesCommand = Command.make(
  "penalties",
  {
    file: Argument.String("months.csv").pipe(Argument.withDescription("Month table: the columns of a run's months.csv (month, answerRate, meanWaitSeconds, …)")),
    scenario: Flag.String("scenario").pipe(Flag.optional, Flag.withDescription("Scenario whose contract block (start, run-in, penalty overrides) applies")),
    json: Flag.Boolean("json").pipe(Flag.withDefault(false), Flag.withDescription("Print JSON"))
  },
  (f) =>
    Effect.gen(function* () {
      const block = Option.isSome(f.scenario) ? (yield* loadScenario(f.scenario.value)).contract : undefined
      const terms = contractRules(block)
      const text = yield* Effect.try({
        try: () => readFileSync(f.file, "utf8"),
        catch: (e) => new BadInput({ source: f.file, problems: [{ path: "", message: (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(e) }] })
      })
      const { rows, unjudged, problems } = parseMonthsTable(text, f.file)
      if (problems.length > 0) return yield* Effect.fail(new BadInput({ source: f.file, problems }))
      const judged = rows.map((r) => ({
        month: r.month,
        afterRunIn: r.month >= terms.firstPenalisedMonth,
        suspended: r.suspended,
        penalty: monthPenalties(terms.rules, { indicators: r.indicators, invoice: r.invoice, afterRunIn: r.month >= terms.firstPenalisedMonth, suspended: r.suspended }),
        invoice: r.invoice
      }))
      if (f.json) {
        process.stdout.write(JSON.stringify({ firstPenalisedMonth: terms.firstPenalisedMonth, unjudged, months: judged.map((j) => ({
          month: j.month,
          afterRunIn: j.afterRunIn,
          suspended: j.suspended,
          triggered: PENALTY_KEYS.filter((k) => j.penalty.triggered[k]),
          penalties: j.penalty.cents === null ? null : Object.fromEntries(PENALTY_KEYS.map((k) => [k, j.penalty.cents![k] / 100])),
          beforeCap: j.penalty.beforeCapCents === null ? null : j.penalty.beforeCapCents / 100,
          cap: j.penalty.capCents === null ? null : j.penalty.capCents / 100,
          capped: j.penalty.capped,
          total: j.penalty.totalCents === null ? null : j.penalty.totalCents / 100
        })) }, null, 2) + "\n")
        return
      }
      const lines = [`${f.file}: ${rows.length} month${rows.length === 1 ? "" : "s"}; SLA penalties from ${terms.firstPenalisedMonth}`]
      if (unjudged.length > 0) lines.push(`  not judged (no column): ${unjudged.join(", ")}`)
      lines.push("  month    penalised rows                               before cap        cap           paid")
      for (const j of judged) {
        const hit = PENALTY_KEYS.filter((k) => j.penalty.triggered[k])
        const note = !j.afterRunIn ? " (run-in)" : j.suspended ? " (120% rule)" : ""
        lines.push(
          `  ${j.month}  ${(hit.join(", ") || "none").padEnd(40)}${note.padEnd(6)} ${euros(j.penalty.beforeCapCents).padStart(12)} ${euros(j.penalty.capCents).padStart(12)} ${euros(j.penalty.totalCents).padStart(12)}${j.penalty.capped ? " capped" : ""}`
        )
      }
      if (judged.every((j) => j.invoice === null)) lines.push("  no invoicePhone / invoiceForms columns: rows are judged, euros are not")
      process.stdout.write(lines.join("\n") + "\n")
    })
).pipe(Command.withDescription("The contract's penalties of a month table you bring (the columns of months.csv), by the same rules as a run"))
