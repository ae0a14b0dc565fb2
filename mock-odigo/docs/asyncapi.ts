/**
 * The AsyncAPI 3.0 document of mock-odigo's two websockets, generated from the frame schemas
 * (protocol/commands.ts, protocol/events.ts) and the error catalogue — never written by hand.
 *
 * Invariant: every frame type the server accepts or emits appears here with the JSON Schema of
 * the very effect Schema the server uses; test/odigo checks that the committed
 * mock-odigo/asyncapi.json equals this output and validates every emitted frame against it.
 * Each message says what it is modelled on (`x-modelledOn`): the CCTP's description of Odigo,
 * or our own design after comparable platforms — Odigo's agent protocol is not public.
 */
import { CLOSE_CODES, ERRORS, WS_ERROR_CODES } from "../errors.js"
import { AGENT_COMMANDS, SUPERVISION_COMMANDS } from "../protocol/commands.js"
import { AGENT_EVENTS, SUPERVISION_EVENTS } from "../protocol/events.js"
import { jsonSchemaOf, type JsonSchema } from "../protocol/json-schema.js"

const CCTP = "CCTP 10.1 (the buyer's description of Odigo)"
const OURS = "ours, after Cisco Finesse / Amazon Connect / Genesys agent APIs"

/** What each message is modelled on. */
const MODELLED_ON: Record<string, string> = {
  login: `${CCTP}: nominative accounts only (SEC-HAB-01); session restore and takeover are ${OURS}`,
  setState: `${OURS}: ready / not ready with a pause reason, pending not-ready during a call`,
  answer: `${CCTP}: the phone must send the off-hook signal`,
  hangup: OURS,
  transfer: `${CCTP}: transfers only to level-1+ platforms, driven by Odigo (no transfer outside Odigo)`,
  qualify: `${CCTP}: every call qualified with one of the 17 reasons (KPI "qualification", 3.3.2)`,
  endWrapUp: `${OURS}: after-call work ends on request`,
  logout: OURS,
  ping: OURS,
  ack: `${OURS}: command correlation by id`,
  error: `${OURS}: stable codes from mock-odigo/errors.ts`,
  "agent.stateChanged": `${OURS}: agent states; names from the issue's vocabulary`,
  "call.offered": `${OURS}: ringing with RONA; "gate" (Odigo's word for an entry point, as used in the issue) and attached data`,
  "call.connected": `${CCTP}: the off-hook (answered) signal`,
  "call.ended": OURS,
  "wrapup.started": OURS,
  "session.restored": `${OURS}: reconnection after a VPN cut (a risk the CCTP names, 8.1)`,
  "server.closing": OURS,
  "supervision.snapshot": `${CCTP}: Odigo Routing real-time supervision; figures are the CCTP KPIs (3.3.2)`,
  "supervision.delta": `${CCTP}: Odigo Routing real-time supervision; deltas and coalescing are ${OURS}`
}

const ref = (path: string) => ({ $ref: path })

const messageOf = (name: string, schema: { ast: unknown } & Parameters<typeof jsonSchemaOf>[0], strict: boolean) => {
  const payload: JsonSchema = jsonSchemaOf(schema, strict)
  const description = typeof payload["description"] === "string" ? (payload["description"] as string) : undefined
  return {
    name,
    title: name,
    ...(description === undefined ? {} : { summary: description }),
    contentType: "application/json",
    payload,
    "x-modelledOn": MODELLED_ON[name] ?? OURS
  }
}

export function buildAsyncApi(): Record<string, unknown> {
  const messages: Record<string, unknown> = {}
  for (const [name, schema] of Object.entries({ ...AGENT_COMMANDS, ...SUPERVISION_COMMANDS })) messages[name] = messageOf(name, schema, false)
  for (const [name, schema] of Object.entries({ ...AGENT_EVENTS, ...SUPERVISION_EVENTS })) messages[name] = messageOf(name, schema, true)

  const channel = (address: string, description: string, names: ReadonlyArray<string>) => ({
    address,
    description,
    messages: Object.fromEntries(names.map((n) => [n, ref(`#/components/messages/${n}`)]))
  })
  const ops = (action: "send" | "receive", channelName: string, summary: string, names: ReadonlyArray<string>) => ({
    action,
    channel: ref(`#/channels/${channelName}`),
    summary,
    messages: names.map((n) => ref(`#/channels/${channelName}/messages/${n}`))
  })
  const agentCommands = Object.keys(AGENT_COMMANDS)
  const agentEvents = Object.keys(AGENT_EVENTS)
  const supCommands = Object.keys(SUPERVISION_COMMANDS)
  const supEvents = Object.keys(SUPERVISION_EVENTS)

  return {
    asyncapi: "3.0.0",
    info: {
      title: "mock-odigo websockets",
      version: "1.0.0",
      description:
        "The agent bar and real-time supervision protocols of mock-odigo, ccsim's mock of the Odigo telephony platform used by the " +
        "3422 \"Mon espace santé\" contact centre. Odigo's own agent protocol is not public: what the CCTP (10.1, 8.1, 3.3.2) says " +
        "about Odigo is modelled faithfully, the rest is our design after comparable platforms; each message says which in `x-modelledOn`.\n\n" +
        "Frames are JSON text `{ \"type\", \"id\"?, \"payload\"? }`. A command with an `id` is answered by `ack {id}` or " +
        "`error {id, code, message}` before any event it causes; a refused command changes nothing. Client frames above " +
        "maxPayload (4 KiB by default) close the connection with 1009.",
      "x-error-codes": Object.fromEntries(WS_ERROR_CODES.map((c) => [c, ERRORS[c].doc])),
      "x-close-codes": Object.fromEntries(Object.entries(CLOSE_CODES))
    },
    defaultContentType: "application/json",
    servers: {
      local: { host: "127.0.0.1:8081", protocol: "ws", description: "`npx ccsim mock odigo --port 8081` (loopback by default)" }
    },
    channels: {
      agent: channel("/agent", "The agent bar: log in, change state, answer, hang up, transfer, qualify, end wrap-up.", [...new Set([...agentCommands, ...agentEvents])]),
      supervision: channel("/supervision", "Real-time supervision for supervisor accounts: a snapshot, then a delta per second.", [
        ...new Set([...supCommands, ...supEvents])
      ])
    },
    operations: {
      receiveAgentCommand: ops("receive", "agent", "Commands an agent bar sends.", agentCommands),
      sendAgentEvent: ops("send", "agent", "Acks, errors and events the server sends to an agent bar.", agentEvents),
      receiveSupervisionCommand: ops("receive", "supervision", "Commands a supervisor sends.", supCommands),
      sendSupervisionEvent: ops("send", "supervision", "Acks, errors, the snapshot and the deltas the server sends to a supervisor.", supEvents)
    },
    components: { messages }
  }
}
