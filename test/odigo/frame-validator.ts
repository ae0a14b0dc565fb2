/**
 * Validates frames against the committed AsyncAPI document (mock-odigo/asyncapi.json) with
 * ajv: the frame's `type` selects the message of its channel, whose payload schema must accept
 * the whole frame. An unknown type on a channel is an error too.
 */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { Ajv2020 } from "ajv/dist/2020.js"
import addFormats from "ajv-formats"
import type { ValidateFunction } from "ajv"

const docPath = fileURLToPath(new URL("../../mock-odigo/asyncapi.json", import.meta.url))
export const asyncapi = JSON.parse(readFileSync(docPath, "utf8")) as {
  channels: Record<string, { address: string; messages: Record<string, { $ref: string }> }>
  components: { messages: Record<string, { payload: object }> }
}

const ajv = new Ajv2020({ allErrors: true, strict: false })
;(addFormats as unknown as (a: Ajv2020) => void)(ajv)

const validators = new Map<string, ValidateFunction>()
for (const [name, msg] of Object.entries(asyncapi.components.messages)) validators.set(name, ajv.compile(msg.payload))

/** Errors (empty when valid) of a frame received on `channel` ("agent" | "supervision"). */
export function validateFrame(channel: string, frame: { type?: unknown }): Array<string> {
  const ch = asyncapi.channels[channel]
  if (ch === undefined) return [`unknown channel ${channel}`]
  const type = String(frame.type)
  const ref = ch.messages[type]
  if (ref === undefined) return [`type ${type} is not a message of channel ${channel}`]
  const name = ref.$ref.split("/").pop()!
  const v = validators.get(name)!
  return v(frame) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message ?? ""}`)
}
