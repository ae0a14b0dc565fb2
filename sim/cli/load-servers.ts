/**
 * The servers `ccsim load` starts by itself when no `--odigo` / `--psn1` URL is given: both
 * mocks in one process, on loopback (127.0.0.1) and ephemeral ports, PSN1 with its test mailbox
 * (the harness reads the login OTPs there) and a security officer made for the run.
 *
 * One deliberate difference from `ccsim mock psn1`: passwords are hashed with scrypt N = 2^10
 * instead of 2^15 (~2.5 ms instead of ~80 ms), so that creating and logging in 2,000 advisors
 * takes seconds rather than minutes on a 2-core machine. Login latencies measured against the
 * embedded PSN1 are therefore lower than a production-cost PSN1's; point `--psn1` at a real
 * `ccsim mock psn1` to measure those.
 *
 * Invariant: `close()` closes both servers gracefully (connections told, then closed) and is
 * safe to call twice.
 */
import type { OdigoApp } from "../../mock-odigo/app.js"
import type { FastifyInstance } from "fastify"

export interface ServerSample {
  readonly cpuMs: number
  readonly rssBytes: number
  readonly heapUsedBytes: number
  readonly gcMs: number
}

export interface EmbeddedServers {
  readonly odigoUrl: string | null
  readonly psn1Url: string | null
  readonly officer: { readonly email: string; readonly password: string }
  /** CPU used since start (ms), resident and live heap memory (bytes) of this process, and how long the asked-for full GC took (ms). */
  sample(gc: boolean): ServerSample
  close(): Promise<void>
}

/** The officer of the embedded PSN1 (synthetic; the mock exists only for the run). */
export const EMBEDDED_OFFICER = { email: "rssi.veille@ccsim-load.example.test", password: "Ccsim-Officer-2026!" }

/** Starts the mocks that are needed (`odigo`, `psn1`) on 127.0.0.1, ephemeral ports. */
export const startEmbeddedServers = async (want: { readonly odigo: boolean; readonly psn1: boolean }): Promise<EmbeddedServers> => {
  let odigo: OdigoApp | undefined
  let psn1: FastifyInstance | undefined
  const close = async (): Promise<void> => {
    const o = odigo
    const p = psn1
    odigo = undefined
    psn1 = undefined
    await Promise.all([o?.close("ccsim load finished"), p?.close()])
  }
  try {
    let odigoUrl: string | null = null
    let psn1Url: string | null = null
    if (want.odigo) {
      const { buildApp } = await import("../../mock-odigo/app.js")
      odigo = await buildApp({ maxConnections: 20_000 })
      odigoUrl = await odigo.listen(0, "127.0.0.1")
    }
    if (want.psn1) {
      const { buildApp } = await import("../../mock-psn1/app.js")
      psn1 = await buildApp({ officer: EMBEDDED_OFFICER, mailbox: true, scrypt: { logN: 10, r: 8, p: 1 } })
      await psn1.listen({ host: "127.0.0.1", port: 0 })
      const addr = psn1.server.address()
      psn1Url = `http://127.0.0.1:${typeof addr === "object" && addr !== null ? addr.port : 0}`
    }
    const cpu0 = process.cpuUsage()
    return {
      odigoUrl,
      psn1Url,
      officer: EMBEDDED_OFFICER,
      sample: (gc) => {
        const t = performance.now()
        if (gc) (globalThis as { gc?: () => void }).gc?.()
        const gcMs = performance.now() - t
        const c = process.cpuUsage(cpu0)
        const m = process.memoryUsage()
        return { cpuMs: (c.user + c.system) / 1000, rssBytes: m.rss, heapUsedBytes: m.heapUsed, gcMs }
      },
      close
    }
  } catch (e) {
    await close()
    throw e
  }
}
