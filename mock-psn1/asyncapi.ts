/**
 * The AsyncAPI 3.0 document of `/events`, generated from the frame schemas of
 * schema/events.ts (effect/Schema → JSON Schema draft-07 payloads).
 *
 * Invariant: the document lists exactly SERVER_FRAMES and the ping frame; the committed
 * mock-psn1/asyncapi.json must equal `buildAsyncApi()` (test/psn1/docs.test.ts), and the
 * frames the server really emits validate against these payloads (test/psn1/events.test.ts).
 */
import * as JsonSchema from "effect/JsonSchema"
import * as Schema from "effect/Schema"
import { PingFrame, SERVER_FRAMES } from "./schema/events.js"

const SCHEMA_FORMAT = "application/schema+json;version=draft-07"

/** Draft-07 JSON Schema of a frame, all inline. */
const frameJsonSchema = (schema: Schema.Constraint): Record<string, unknown> => {
  const doc = Schema.toJsonSchemaDocument(schema, { onExcessProperty: "error", referencePolicy: () => undefined })
  return JsonSchema.toDocumentDraft07(doc).schema as Record<string, unknown>
}

const titleOf = (schema: Schema.Constraint): string => {
  const title = (schema.ast.annotations as { title?: unknown } | undefined)?.title
  if (typeof title !== "string") throw new Error("frame schema without a title")
  return title
}

const message = (schema: Schema.Constraint) => {
  const json = frameJsonSchema(schema)
  return {
    name: titleOf(schema),
    title: titleOf(schema),
    summary: String(json.description ?? ""),
    contentType: "application/json",
    payload: { schemaFormat: SCHEMA_FORMAT, schema: json }
  }
}

/** Builds the AsyncAPI 3.0 document. */
export const buildAsyncApi = () => {
  const serverMessages = Object.fromEntries(SERVER_FRAMES.map((s) => [titleOf(s), message(s)]))
  const messages = { ...serverMessages, ping: message(PingFrame) }
  const ref = (name: string) => ({ $ref: `#/channels/events/messages/${name}` })
  return {
    asyncapi: "3.0.0",
    info: {
      title: "mock-psn1 events",
      version: "1.0.0",
      description: "Push channel of the PSN1 mock. Connect with `Authorization: Bearer <token>` (from POST /auth/otp); " +
        "a missing or dead token is refused with a JSON 401 before the upgrade. The server pings every 30 s and terminates " +
        "sockets that did not answer the previous ping; frames over 4 KiB close the socket (1009). When the session expires " +
        "or is revoked the server sends `session.expired` / `session.revoked` and closes with 4001."
    },
    defaultContentType: "application/json",
    servers: {
      local: {
        host: "127.0.0.1:8082",
        protocol: "ws",
        description: "ccsim mock psn1 (default port)",
        security: [{ $ref: "#/components/securitySchemes/bearer" }]
      }
    },
    channels: {
      events: {
        address: "/events",
        title: "Advisor events",
        description: "New forms and form updates (advisors and supervisors), ticket updates (creator, commenters, supervisors), session end.",
        messages: Object.fromEntries(Object.keys(messages).map((name) => [name, { $ref: `#/components/messages/${name}` }]))
      }
    },
    operations: {
      sendEvents: {
        action: "send",
        channel: { $ref: "#/channels/events" },
        summary: "Frames the server pushes.",
        messages: Object.keys(serverMessages).map(ref)
      },
      receivePing: {
        action: "receive",
        channel: { $ref: "#/channels/events" },
        summary: "The only frame a client may send; anything else gets an `error` frame (WS_INVALID_MESSAGE).",
        messages: [ref("ping")]
      }
    },
    components: {
      messages,
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "Token from POST /auth/otp." } }
    }
  }
}
