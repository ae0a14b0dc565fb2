/**
 * A websocket client for tests of `/events`: frames are queued as they arrive and awaited one
 * by one (no sleeping); every frame is checked against the committed AsyncAPI document.
 */
import { readFileSync } from "node:fs"
import { Ajv } from "ajv"
import addFormats from "ajv-formats"
import type { ValidateFunction } from "ajv"
import { expect } from "vitest"
import WebSocket from "ws"
import { ASYNCAPI_PATH } from "../../mock-psn1/docs.js"

const asyncapi = JSON.parse(readFileSync(ASYNCAPI_PATH, "utf8")) as {
  components: { messages: Record<string, { payload: { schemaFormat: string; schema: object } }> }
}
const ajv = new Ajv({ allErrors: true, strict: false })
;(addFormats as unknown as (a: Ajv) => void)(ajv)
const validators = new Map<string, ValidateFunction>(
  Object.entries(asyncapi.components.messages).map(([name, m]) => {
    expect(m.payload.schemaFormat).toBe("application/schema+json;version=draft-07")
    return [name, ajv.compile(m.payload.schema)]
  })
)

/** Asserts that `frame` is a message of the AsyncAPI document (its `type` names it). */
export const expectAsyncApiFrame = (frame: { type?: unknown }): void => {
  const validate = validators.get(String(frame.type))
  expect(validate, `frame type ${String(frame.type)} is not in asyncapi.json`).toBeDefined()
  const ok = validate?.(frame)
  expect(ok, `${String(frame.type)}: ${ajv.errorsText(validate?.errors)}`).toBe(true)
}

export interface Frame {
  readonly type: string
  readonly at: string
  readonly [k: string]: unknown
}

export class Client {
  private readonly frames: Array<Frame> = []
  private waiter: ((f: Frame) => void) | null = null
  readonly closed: Promise<{ code: number; reason: string }>
  /** Every frame received so far, in order. */
  readonly received: Array<Frame> = []

  constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as Frame
      expectAsyncApiFrame(frame)
      this.received.push(frame)
      if (this.waiter !== null) {
        const w = this.waiter
        this.waiter = null
        w(frame)
      } else this.frames.push(frame)
    })
    this.closed = new Promise((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })))
  }

  /** The next frame (already received or the next to arrive). */
  next(): Promise<Frame> {
    const f = this.frames.shift()
    if (f !== undefined) return Promise.resolve(f)
    return new Promise((resolve) => {
      this.waiter = resolve
    })
  }

  /**
   * Sends a ping and returns every frame received before its pong: frames are sent in order
   * on one socket, so this proves what was (and was not) pushed before the ping.
   */
  async fence(): Promise<Array<Frame>> {
    const id = `fence-${Math.random().toString(36).slice(2)}`
    this.ws.send(JSON.stringify({ type: "ping", id }))
    const before: Array<Frame> = []
    for (;;) {
      const f = await this.next()
      if (f.type === "pong" && f.id === id) return before
      before.push(f)
    }
  }
}

/** Opens `/events`; resolves once open, or rejects with the HTTP status and body of a refusal. */
export const connect = (address: string, token?: string, options: WebSocket.ClientOptions = {}, path = "/events"): Promise<Client> =>
  new Promise((resolve, reject) => {
    const headers = token === undefined ? {} : { authorization: `Bearer ${token}` }
    const ws = new WebSocket(`${address.replace(/^http/, "ws")}${path}`, { headers, ...options })
    const client = new Client(ws)
    ws.once("open", () => resolve(client))
    ws.once("unexpected-response", (_req, res) => {
      let body = ""
      res.on("data", (c: Buffer) => { body += c.toString() })
      res.on("end", () => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode, body: JSON.parse(body) as unknown })))
    })
    ws.once("error", (e) => reject(e))
  })
