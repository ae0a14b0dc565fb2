/**
 * A minimal keep-alive JSON client over node:http for the bench (one Agent, at most one
 * socket per virtual advisor). Why not undici's Pool: the undici in node_modules needs
 * Node 22; Node 20's bundled one is only reachable through fetch, which costs more CPU per
 * request, and the load process shares the machine's two cores with the server.
 */
import { Agent, request } from "node:http"

export interface Reply {
  readonly status: number
  readonly body: unknown
}

export class JsonClient {
  private readonly agent: Agent
  private readonly host: string
  private readonly port: number

  constructor(address: string, maxSockets: number) {
    const url = new URL(address)
    this.host = url.hostname
    this.port = Number(url.port)
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets })
  }

  send(method: "GET" | "POST" | "DELETE", path: string, token?: string, body?: unknown, extraHeaders?: Record<string, string>): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body)
      const headers: Record<string, string> = { ...extraHeaders }
      if (token !== undefined) headers.authorization = `Bearer ${token}`
      if (payload !== undefined) {
        headers["content-type"] = "application/json"
        headers["content-length"] = String(Buffer.byteLength(payload))
      }
      const req = request({ host: this.host, port: this.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks: Array<Buffer> = []
        res.on("data", (c: Buffer) => chunks.push(c))
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString()
          resolve({ status: res.statusCode ?? 0, body: text === "" ? undefined : JSON.parse(text) })
        })
        res.on("error", reject)
      })
      req.on("error", reject)
      // One write for headers and body, and no Nagle delay: otherwise small POSTs wait for
      // delayed ACKs (tens of ms) and the bench measures TCP, not the mock.
      req.setNoDelay(true)
      req.end(payload)
    })
  }

  async close(): Promise<void> {
    this.agent.destroy()
  }
}
