/**
 * The integer-programming solver: HiGHS compiled to WebAssembly (npm `highs`), loaded once per
 * process. Programs are built as data (./shifts.ts) and written in CPLEX LP text, the format
 * HiGHS reads; answers are re-checked by the caller before use (STYLE 20).
 */
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import type { Highs, InitOptions } from "highs"

let loaded: Promise<Highs> | undefined

/** The solver (loaded on first use; the Wasm binary is read from node_modules, never fetched). */
export const highs = (): Promise<Highs> => {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url)
    const wasmBinary = readFileSync(require.resolve("highs/runtime"))
    // Imported when first needed, so commands that never solve (ccsim run) never load it. Its
    // types describe a CommonJS module: the loader is the default export, or the module itself.
    const module = (await import("highs")) as unknown as { default?: unknown }
    const highsLoader = (module.default ?? module) as (options?: InitOptions) => Promise<Highs>
    return highsLoader({ wasmBinary })
  })()
  return loaded
}

/** A mixed-integer program: minimise Σ cost·x subject to rows, x >= 0 integer (or continuous). */
export interface IntegerProgram {
  /** Column names (letters, digits, _) and their costs. */
  readonly columns: ReadonlyArray<{ readonly name: string; readonly cost: number; readonly integer: boolean; readonly upper?: number }>
  /** Rows: Σ coefficient·x  (>= | <= | =)  bound. */
  readonly rows: ReadonlyArray<{ readonly name: string; readonly terms: ReadonlyArray<readonly [number, number]>; readonly sense: ">=" | "<=" | "="; readonly bound: number }>
}

export type IntegerSolution =
  | { readonly status: "optimal" | "feasible"; readonly values: Float64Array; readonly objective: number }
  | { readonly status: "infeasible" | "failed"; readonly message: string }

const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(15))

/** The program in CPLEX LP format. */
export const toLpText = (p: IntegerProgram): string => {
  const lines = ["Minimize", ` obj: ${p.columns.map((c) => `${num(c.cost)} ${c.name}`).join(" + ") || "0"}`, "Subject To"]
  for (const r of p.rows) {
    const terms = r.terms.filter(([, a]) => a !== 0).map(([j, a], i) => `${a < 0 ? "- " : i === 0 ? "" : "+ "}${num(Math.abs(a))} ${p.columns[j]!.name}`)
    lines.push(` ${r.name}: ${terms.length === 0 ? `0 ${p.columns[0]!.name}` : terms.join(" ")} ${r.sense} ${num(r.bound)}`)
  }
  lines.push("Bounds")
  for (const c of p.columns) lines.push(c.upper === undefined ? ` ${c.name} >= 0` : ` 0 <= ${c.name} <= ${num(c.upper)}`)
  const ints = p.columns.filter((c) => c.integer).map((c) => c.name)
  if (ints.length > 0) lines.push("General", ` ${ints.join(" ")}`)
  lines.push("End")
  return lines.join("\n")
}

/** Solves a program (synchronously once the solver is loaded). */
export const solveProgram = async (p: IntegerProgram, options: { timeLimitSeconds?: number; relativeGap?: number } = {}): Promise<IntegerSolution> => {
  const solver = await highs()
  let result
  try {
    result = solver.solve(toLpText(p), {
      output_flag: false,
      time_limit: options.timeLimitSeconds ?? 20,
      mip_rel_gap: options.relativeGap ?? 1e-6
    } as Parameters<Highs["solve"]>[1])
  } catch (e) {
    return { status: "failed", message: e instanceof Error ? e.message : String(e) }
  }
  if (result.Status === "Infeasible") return { status: "infeasible", message: "no solution satisfies every row" }
  if (result.Status !== "Optimal" && result.Status !== "Time limit reached") return { status: "failed", message: `solver status: ${result.Status}` }
  const values = Float64Array.from(p.columns, (c) => {
    const v = (result.Columns[c.name] as { Primal: number } | undefined)?.Primal ?? 0
    return c.integer ? Math.round(v) : v
  })
  return { status: result.Status === "Optimal" ? "optimal" : "feasible", values, objective: result.ObjectiveValue }
}
