/**
 * What the outside sees of an agent session: the supervision/REST view and the call part of
 * `session.restored`. Pure functions of the records; copies, never live references.
 */
import type { AgentViewFrame, SessionCallFrame } from "../protocol/events.js"
import type { Agent } from "./model.js"

/** The agent's public view (supervision, `GET /agents`). */
export function agentView(agent: Agent): AgentViewFrame {
  const a = agent.account
  const v: AgentViewFrame = {
    login: a.login,
    firstName: a.firstName,
    lastName: a.lastName,
    state: agent.state,
    since: new Date(agent.sinceMs).toISOString(),
    connected: agent.sink !== undefined
  }
  if (agent.reason !== undefined) v.reason = agent.reason
  if (agent.call !== undefined) v.callRef = agent.call.ref
  return v
}

/** The agent's current call as `session.restored` reports it, if any. */
export function sessionCall(agent: Agent): SessionCallFrame | undefined {
  const c = agent.call
  if (c === undefined) return undefined
  const phase = agent.state === "offered" ? "offered" : agent.state === "wrapUp" ? "wrapUp" : "connected"
  return { callRef: c.ref, flow: c.flow, gateId: c.gateId, phase, attachedData: { ...c.attachedData } }
}
