/**
 * The agent state machine's command table: in which states each agent command is accepted.
 *
 * Invariant: a command whose row does not list the agent's current state is refused with
 * INVALID_STATE and changes nothing (the platform checks this before any mutation). The table
 * is exported so the README and the tests enumerate exactly the same rules.
 *
 * Transitions (the platform applies them):
 * - login -> notReady; notReady --setState ready--> ready; ready --setState notReady--> notReady
 * - ready --(ACD offers a call)--> offered --answer--> onCall
 * - offered --(RONA timeout)--> notReady (reason "rona"); offered --(caller hangs up)--> ready
 * - onCall --setState notReady--> pendingNotReady --setState ready--> onCall
 * - onCall | pendingNotReady --hangup | transfer | (caller hangs up)--> wrapUp
 * - wrapUp --endWrapUp--> ready, or notReady when a notReady was pending; wrapUp --setState X--> X
 * - ready | notReady --logout--> loggedOut
 */
import type { AgentState } from "../protocol/common.js"

/** A command as the table distinguishes it (setState by its target). */
export type CommandKey =
  | "setState ready"
  | "setState notReady"
  | "answer"
  | "hangup"
  | "transfer"
  | "qualify"
  | "endWrapUp"
  | "logout"
  | "ping"

/** States in which a logged-in agent may send each command. */
export const ACCEPTED_IN: Record<CommandKey, ReadonlyArray<AgentState>> = {
  "setState ready": ["notReady", "pendingNotReady", "wrapUp"],
  "setState notReady": ["notReady", "ready", "onCall", "pendingNotReady", "wrapUp"],
  answer: ["offered"],
  hangup: ["onCall", "pendingNotReady"],
  transfer: ["onCall", "pendingNotReady"],
  qualify: ["onCall", "pendingNotReady", "wrapUp"],
  endWrapUp: ["wrapUp"],
  logout: ["notReady", "ready"],
  ping: ["notReady", "ready", "offered", "onCall", "pendingNotReady", "wrapUp"]
}

/** States a logged-in agent can be in (loggedOut agents have no session). */
export const SESSION_STATES: ReadonlyArray<AgentState> = ["notReady", "ready", "offered", "onCall", "pendingNotReady", "wrapUp"]

export const isAccepted = (key: CommandKey, state: AgentState): boolean => ACCEPTED_IN[key].includes(state)
