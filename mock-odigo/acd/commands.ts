/**
 * Agent commands: validation against the state table (acd/states.ts), then the transition.
 *
 * Invariant: every check — state, call reference, transfer target, qualification — runs before
 * the first mutation, and `accepted()` (which sends the ack) runs after the checks and before
 * any event, so a refused command changes nothing and an accepted one is acknowledged before
 * the frames it causes.
 */
import type { ErrorCode } from "../errors.js"
import type { AgentCommand } from "../protocol/commands.js"
import type { Agent } from "./model.js"
import type { Platform } from "./platform.js"
import { isAccepted, type CommandKey } from "./states.js"

/** Why a command was refused. */
export interface Refusal {
  readonly code: ErrorCode
  readonly message: string
}

const refuse = (code: ErrorCode, message: string): Refusal => ({ code, message })

const checkWrapEnd = (p: Platform, agent: Agent): Refusal | undefined =>
  p.config.requireQualification && agent.call?.qualification === undefined
    ? refuse("QUALIFICATION_REQUIRED", `Qualify call ${agent.call?.ref} before ending wrap-up`)
    : undefined

/** The call a command is about, from its type (never from the shape of a payload the client chose). */
const callRefOf = (cmd: AgentCommand): string | undefined => {
  switch (cmd.type) {
    case "answer":
    case "hangup":
    case "transfer":
    case "qualify":
      return cmd.payload.callRef
    default:
      return undefined
  }
}

/** Applies `cmd` for `agent`, or returns why it is refused (and then nothing changed). */
export function applyCommand(p: Platform, agent: Agent, cmd: AgentCommand, accepted: () => void): Refusal | undefined {
  const key: CommandKey | "login" = cmd.type === "setState" ? `setState ${cmd.payload.state}` : cmd.type
  if (key === "login") return refuse("ALREADY_LOGGED_IN", "This connection is already logged in; log out first")
  const state = agent.state
  if (!isAccepted(key, state)) {
    return refuse("INVALID_STATE", `${key} is not allowed in state ${state}`)
  }
  const call = agent.call
  const callRef = callRefOf(cmd)
  if (callRef !== undefined && call?.ref !== callRef) return refuse("UNKNOWN_CALL", `Call ${callRef} is not this agent's current call`)
  switch (cmd.type) {
    case "ping":
      accepted()
      return undefined
    case "logout":
      accepted()
      p.endSession(agent)
      return undefined
    case "setState": {
      const next = cmd.payload.state
      const reason = next === "notReady" ? cmd.payload.reason : undefined
      if (state === "wrapUp") {
        const r = checkWrapEnd(p, agent)
        if (r !== undefined) return r
        accepted()
        p.endWrap(agent, next, reason)
      } else if (state === "onCall" || state === "pendingNotReady") {
        accepted()
        if (next === "ready") p.changeState(agent, "onCall", undefined)
        else p.changeState(agent, "pendingNotReady", reason)
      } else {
        accepted()
        p.changeState(agent, next, reason)
        p.route()
      }
      return undefined
    }
    case "answer":
      accepted()
      p.answer(agent, call!)
      return undefined
    case "hangup":
      accepted()
      p.endConnected(call!, "agent")
      return undefined
    case "transfer": {
      const target = cmd.payload.target
      if (!p.config.transferTargets.includes(target)) {
        return refuse("UNKNOWN_TARGET", `Transfer target ${JSON.stringify(target)} is not configured; allowed: ${p.config.transferTargets.join(", ")}`)
      }
      accepted()
      p.endConnected(call!, "transfer", target)
      return undefined
    }
    case "qualify":
      accepted()
      p.qualify(call!, cmd.payload.reason)
      return undefined
    case "endWrapUp": {
      const r = checkWrapEnd(p, agent)
      if (r !== undefined) return r
      accepted()
      const pending = agent.pendingNotReady
      p.endWrap(agent, pending === undefined ? "ready" : "notReady", pending?.reason)
      return undefined
    }
  }
}
