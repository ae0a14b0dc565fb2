/**
 * The two websockets from a client's side (the load bench's virtual agents, the live harness),
 * typed by the mock's own frame schemas: a command is built as a value of `AgentCommand` /
 * `SupervisionCommand` and encoded, a server frame is decoded with the `AGENT_EVENTS` /
 * `SUPERVISION_EVENTS` schemas into the `AgentEventFrame` / `SupervisionEventFrame` union.
 *
 * Invariant: a client written against this module breaks at compile time when the protocol
 * changes (a renamed field, a new required one, a removed event), and at run time on a frame
 * the AsyncAPI document refuses (decoding is strict: unknown fields are refused too, since the
 * server promises never to send one). It loads protocol modules only, never server code.
 */
import * as Schema from "effect/Schema"
import type * as SchemaIssue from "effect/SchemaIssue"
import type { AgentCommand, SupervisionCommand } from "./commands.js"
import { issueMessage } from "./decode.js"
import { AGENT_EVENTS, SUPERVISION_EVENTS } from "./events.js"

/** A frame the server sends on /agent, as decoded. */
export type AgentEventFrame = { [K in keyof typeof AGENT_EVENTS]: (typeof AGENT_EVENTS)[K]["Type"] }[keyof typeof AGENT_EVENTS]
/** A frame the server sends on /supervision, as decoded. */
export type SupervisionEventFrame = { [K in keyof typeof SUPERVISION_EVENTS]: (typeof SUPERVISION_EVENTS)[K]["Type"] }[keyof typeof SUPERVISION_EVENTS]

/** A server frame that is not what the protocol says (not JSON, unknown type, or a field out of contract). */
export class ProtocolViolation extends Error {
  constructor(message: string, readonly text: string) {
    super(message)
    this.name = "ProtocolViolation"
  }
}

/** The text of a command (a value of the protocol's command types). */
export const encodeCommand = (command: AgentCommand | SupervisionCommand): string => JSON.stringify(command)

const decoderOf = <T extends Record<string, Schema.Top>>(table: T) => {
  const decoders = new Map<string, (u: unknown) => unknown>()
  for (const [type, schema] of Object.entries(table)) {
    const decode = Schema.decodeUnknownResult(schema as unknown as Schema.Codec<unknown, unknown>)
    decoders.set(type, (u) => decode(u, { onExcessProperty: "error" }))
  }
  return (text: string): { [K in keyof T]: T[K]["Type"] }[keyof T] => {
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch {
      throw new ProtocolViolation("server frame is not JSON", text)
    }
    const type = typeof raw === "object" && raw !== null ? (raw as { type?: unknown }).type : undefined
    const decode = typeof type === "string" ? decoders.get(type) : undefined
    if (decode === undefined) throw new ProtocolViolation(`unknown server frame type ${JSON.stringify(type)}`, text)
    const r = decode(raw) as { _tag: "Success"; success: never } | { _tag: "Failure"; failure: { issue: SchemaIssue.Issue } }
    if (r._tag === "Failure") throw new ProtocolViolation(`${type}: ${issueMessage(r.failure.issue)}`, text)
    return r.success
  }
}

/** Decodes a frame received on /agent; throws ProtocolViolation when it breaks the protocol. */
export const decodeAgentEvent: (text: string) => AgentEventFrame = decoderOf(AGENT_EVENTS)

/** Decodes a frame received on /supervision; throws ProtocolViolation when it breaks the protocol. */
export const decodeSupervisionEvent: (text: string) => SupervisionEventFrame = decoderOf(SUPERVISION_EVENTS)
