/**
 * Client-to-server frames (commands) of the two websockets, as effect Schemas.
 *
 * A frame is JSON text `{ "type", "id"?, "payload"? }`. Each command has one frame schema; the
 * channel tables (`AGENT_COMMANDS`, `SUPERVISION_COMMANDS`) map a `type` to its schema and are
 * the single source for decoding and for the AsyncAPI document. Unknown extra fields are
 * ignored on input (forward compatibility); server frames, in events.ts, are strict.
 */
import * as Schema from "effect/Schema"
import { CallRef, Id, Login, NotReadyReason, Reason } from "./common.js"

/** The payload of a command that takes none: absent, or an object whose fields are ignored (never 7 or "x"). */
const Empty = Schema.Record(Schema.String, Schema.Unknown).annotate({ description: "No fields are read; any given are ignored." })

const frame = <const T extends string, P extends Schema.Top>(type: T, payload: P, description: string) =>
  Schema.Struct({ type: Schema.Literal(type), id: Schema.optionalKey(Id), payload }).annotate({ description })

const frameNoPayload = <const T extends string>(type: T, description: string) =>
  Schema.Struct({ type: Schema.Literal(type), id: Schema.optionalKey(Id), payload: Schema.optionalKey(Empty) }).annotate({
    description
  })

export const LoginCommand = frame(
  "login",
  Schema.Struct({
    login: Login,
    password: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(128))
  }),
  "Log in with a nominative account. On /agent a session still inside its reconnection grace period is restored " +
    "(`session.restored`); a live session on another connection is taken over (that connection is closed with 4000)."
)

export const SetStateCommand = frame(
  "setState",
  Schema.Struct({
    state: Schema.Literals(["ready", "notReady"]),
    reason: Schema.optionalKey(NotReadyReason)
  }),
  "Ask for ready or notReady. notReady while on a call becomes pendingNotReady (applied after wrap-up); " +
    "during wrap-up it ends the wrap-up into the requested state."
)

export const AnswerCommand = frame("answer", Schema.Struct({ callRef: CallRef }), "Answer the offered call (the off-hook signal).")

export const HangupCommand = frame("hangup", Schema.Struct({ callRef: CallRef }), "Release the connected call; the agent enters wrap-up.")

export const TransferCommand = frame(
  "transfer",
  Schema.Struct({
    callRef: CallRef,
    target: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(64)).annotate({
      description: "A configured level-1+ platform (GET /config lists them)."
    })
  }),
  "Transfer the connected call to a level-1+ platform; only configured targets are allowed (CCTP 10.1: no transfer not driven by Odigo)."
)

export const QualifyCommand = frame(
  "qualify",
  Schema.Struct({ callRef: CallRef, reason: Reason }),
  "Record the call reason (one of the 17 CCTP reasons), while connected or in wrap-up; a second qualify replaces the first."
)

export const EndWrapUpCommand = frameNoPayload("endWrapUp", "End wrap-up: the agent becomes ready (or notReady if a notReady was pending).")

export const LogoutCommand = frameNoPayload("logout", "Log out (from ready or notReady only); the connection stays open and may log in again.")

export const PingCommand = frameNoPayload("ping", "Application-level keep-alive; answered by an `ack` when it has an id.")

/** Commands of the /agent websocket, by `type`. */
export const AGENT_COMMANDS = {
  login: LoginCommand,
  setState: SetStateCommand,
  answer: AnswerCommand,
  hangup: HangupCommand,
  transfer: TransferCommand,
  qualify: QualifyCommand,
  endWrapUp: EndWrapUpCommand,
  logout: LogoutCommand,
  ping: PingCommand
} as const

/** Commands of the /supervision websocket, by `type`. */
export const SUPERVISION_COMMANDS = {
  login: LoginCommand,
  logout: LogoutCommand,
  ping: PingCommand
} as const

export type AgentCommand = { [K in keyof typeof AGENT_COMMANDS]: (typeof AGENT_COMMANDS)[K]["Type"] }[keyof typeof AGENT_COMMANDS]
export type SupervisionCommand = {
  [K in keyof typeof SUPERVISION_COMMANDS]: (typeof SUPERVISION_COMMANDS)[K]["Type"]
}[keyof typeof SUPERVISION_COMMANDS]
