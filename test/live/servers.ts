/**
 * Both mocks in the test's process, on 127.0.0.1 and ephemeral ports, as `ccsim load` embeds
 * them (PSN1 with its mailbox, a synthetic officer, scrypt at N = 2^10 so that logins cost
 * milliseconds), and a live run against them with one generator in the same process. The
 * servers' teardown is registered before they listen (STYLE 15).
 */
import { onTestFinished } from "vitest"
import { buildApp as buildOdigo } from "../../mock-odigo/app.js"
import { buildApp as buildPsn1 } from "../../mock-psn1/app.js"
import type { Model } from "../../sim/model/model.js"
import type { Fault } from "../../sim/live/faults.js"
import { inProcessPort } from "../../sim/live/ports.js"
import type { Plan } from "../../sim/live/plan.js"
import { runLoad, type LoadRun } from "../../sim/live/run.js"

export const OFFICER = { email: "rssi.essai@ccsim-load.example.test", password: "Ccsim-Officer-2026!" }

export interface TestServers {
  readonly odigoUrl: string
  readonly psn1Url: string
  readonly odigo: Awaited<ReturnType<typeof buildOdigo>>
}

export const startServers = async (): Promise<TestServers> => {
  const odigo = await buildOdigo({ maxConnections: 5000 })
  const psn1 = await buildPsn1({ officer: OFFICER, mailbox: true, scrypt: { logN: 10, r: 8, p: 1 } })
  onTestFinished(async () => {
    await odigo.close("test over")
    await psn1.close()
  })
  const odigoUrl = await odigo.listen(0, "127.0.0.1")
  await psn1.listen({ host: "127.0.0.1", port: 0 })
  const addr = psn1.server.address()
  return { odigoUrl, psn1Url: `http://127.0.0.1:${typeof addr === "object" && addr !== null ? addr.port : 0}`, odigo }
}

/** A live run of `plan` against in-process mocks, with `generators` in-process generators. */
export const liveRun = async (model: Model, plan: Plan, options: { generators?: number; faults?: ReadonlyArray<Fault>; servers?: TestServers } = {}): Promise<{ run: LoadRun; servers: TestServers }> => {
  const servers = options.servers ?? (await startServers())
  const ports = Array.from({ length: options.generators ?? 1 }, () => inProcessPort())
  const run = await runLoad({
    plan,
    model,
    odigoUrl: servers.odigoUrl,
    psn1Url: servers.psn1Url,
    accounts: { kind: "create", officer: OFFICER },
    ports,
    faults: options.faults ?? [],
    log: () => {}
  })
  return { run, servers }
}
