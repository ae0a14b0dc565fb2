/**
 * The REST answers a client of mock-odigo reads — a call's view, the audit census, health,
 * configuration, cold statistics, faults — as the effect Schemas the server documents its
 * responses with (rest/schemas.ts). Re-exported here so that clients (the live harness, the
 * benches), which may import only `mock-odigo/protocol/*`, decode what the server sends with the
 * server's own definitions: a change to a response breaks them at compile time.
 *
 * Invariant: this module re-exports schemas only; it adds no definition of its own (one
 * definition per wire concept), and nothing in the server imports it (no cycle).
 */
export { AgentsView, AuditView, CallView, Census, ConfigView, ErrorBody, FaultsView, Health, StatsResponse } from "../rest/schemas.js"
export { FaultRequest } from "../faults.js"
export { CALL_COUNTERS, AGENT_COUNTERS } from "../stats.js"
