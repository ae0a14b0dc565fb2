/**
 * The import rules of ccsim's floors (README "Layout", ../shared/DESIGN.md "Direction of
 * imports"), checked by dependency-cruiser in `npm test` (test/house/imports.test.ts) and by
 * `npm run lint:imports`. A -> B means "A may import B"; a floor may also import the floors
 * below the ones it names (engine is below kpi, domain below everything):
 *
 *   domain    -> nothing of ours            engine    -> domain
 *   scenarios -> engine, domain             kpi       -> engine, domain
 *   model     -> scenarios, kpi, engine, domain
 *   contract  -> kpi, engine, domain, and scenario *types* (import type)
 *   run       -> model, kpi, scenarios, engine, domain
 *   staffing, continuity, reports -> run, model, contract, kpi, scenarios, engine, domain
 *   live      -> the same, and the mocks' protocol schemas (mock-odigo/protocol, mock-psn1/schema)
 *   cli       -> anything of ours (but bin/)
 *   mock-odigo, mock-psn1 -> their own folder and sim/domain
 *   nothing imports sim/cli or bin/; no module cycle anywhere.
 */
const floor = (name, path, allowed, extra = {}) => ({
  name: `${name}-imports-only-below`,
  comment: `${path} may import only ${allowed.join(", ")} (and npm packages, node builtins)`,
  severity: "error",
  from: { path: `^${path}/` },
  to: {
    dependencyTypesNot: ["npm", "npm-dev", "npm-optional", "npm-peer", "npm-bundled", "npm-no-pkg", "core", "type-only"].filter(
      (t) => !(extra.typesChecked ?? false) || t !== "type-only"
    ),
    pathNot: [`^${path}/`, ...allowed.map((a) => `^${a}/`), ...(extra.also ?? [])]
  }
})

const D = "sim/domain", E = "sim/engine", S = "scenarios", K = "sim/kpi", M = "sim/model", C = "sim/contract", R = "sim/run"
const upper = [R, M, C, K, S, E, D]

module.exports = {
  forbidden: [
    floor("domain", D, [], { typesChecked: true }),
    floor("engine", E, [D], { typesChecked: true }),
    floor("scenarios", S, [E, D], { typesChecked: true }),
    floor("kpi", K, [E, D], { typesChecked: true }),
    floor("model", M, [S, K, E, D], { typesChecked: true }),
    // The judge reads period tables; it may name scenario types (import type) but not run scenarios' code.
    floor("contract", C, [K, E, D, S], { typesChecked: true }),
    {
      name: "contract-imports-scenario-types-only",
      severity: "error",
      from: { path: `^${C}/` },
      to: { path: `^${S}/`, dependencyTypesNot: ["type-only"] }
    },
    floor("run", R, [M, K, S, E, D], { typesChecked: true }),
    floor("staffing", "sim/staffing", upper, { typesChecked: true }),
    // Business continuity's verdict and paired comparison: the same rights as the staffing floor.
    floor("continuity", "sim/continuity", upper, { typesChecked: true }),
    floor("reports", "reports", upper, { typesChecked: true }),
    floor("live", "sim/live", upper, { typesChecked: true, also: ["^mock-odigo/protocol/", "^mock-psn1/schema/"] }),
    floor("mock-odigo", "mock-odigo", [D], { typesChecked: true }),
    floor("mock-psn1", "mock-psn1", [D], { typesChecked: true }),
    {
      name: "nothing-imports-cli",
      comment: "sim/cli is the top floor: only its own modules import it",
      severity: "error",
      from: { pathNot: "^sim/cli/" },
      to: { path: "^sim/cli/" }
    },
    {
      name: "nothing-imports-bin",
      comment: "bin/ holds the entry point; nothing imports it",
      severity: "error",
      from: { pathNot: "^bin/" },
      to: { path: "^bin/" }
    },
    {
      name: "no-cycle",
      comment: "no cycle of run-time imports between modules (so no folder cycle either); `import type` cycles are harmless",
      severity: "error",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } }
    }
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|dist|runs)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"], extensions: [".ts", ".mts", ".js", ".mjs", ".cjs", ".json"] },
    moduleSystems: ["es6", "cjs"]
  }
}
