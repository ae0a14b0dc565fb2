/**
 * The psn1 bench's load process: virtual advisors, each logged in with its own account and
 * token (password → OTP from the mock's mailbox → token), running the call workflow in a
 * closed loop for the configured time:
 *   GET /insured?nir= → POST opposition (opposition flow, on a pending person reserved for
 *   this advisor) or GET /insured/:id → POST /tickets (Idempotency-Key) → POST comment →
 *   POST status resolved.
 * Latencies go into one HDR histogram per step (microseconds); requests during the warm-up
 * are not counted. Bounded by `durationS` and `maxRequests`; sends its results over IPC.
 */
import * as hdr from "hdr-histogram-js"
import seedrandom from "seedrandom"
import { generatePopulation, type InsuredRecord } from "../../mock-psn1/domain/population.js"
import { REASON_CODES } from "../../sim/domain/vocabulary.js"
import { JsonClient, type Reply } from "./http.js"
import { STEPS, type AdvisorsConfig, type AdvisorsMessage, type Step, type StepStats } from "./shared.js"

const send = (m: AdvisorsMessage): void => {
  process.send?.(m)
}

const FIRST_NAMES = ["Aline", "Basile", "Capucine", "Dorian", "Elsa", "Fabien", "Gaelle", "Hugo", "Ines", "Jules"]

const histogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 })

const run = async (config: AdvisorsConfig): Promise<void> => {
  const setupStarted = performance.now()
  const client = new JsonClient(config.address, config.advisors + 4)
  const people = generatePopulation(config.seed, config.population)
  const pending = people.filter((p) => p.status === "pending")

  const login = async (email: string, password: string): Promise<string> => {
    const step1 = await client.send("POST", "/auth/login", undefined, { email, password })
    if (step1.status !== 202) throw new Error(`login ${email}: ${step1.status} ${JSON.stringify(step1.body)}`)
    const mail = await client.send("GET", `/mailbox/${email}`)
    const items = (mail.body as { items: Array<{ text: string }> }).items
    const otp = /est ([0-9]{6})\./.exec(items[items.length - 1]?.text ?? "")?.[1]
    if (otp === undefined) throw new Error(`no OTP for ${email} (is --mailbox on?)`)
    const step2 = await client.send("POST", "/auth/otp", undefined, { email, otp })
    if (step2.status !== 200) throw new Error(`otp ${email}: ${step2.status} ${JSON.stringify(step2.body)}`)
    return (step2.body as { token: string }).token
  }

  const officer = await login(config.officer.email, config.officer.password)
  const password = "Bench-Advisor-2026"
  const tokens: Array<string> = new Array(config.advisors)
  // Accounts are created and logged in a few at a time: scrypt runs on the server's thread pool.
  for (let start = 0; start < config.advisors; start += 8) {
    await Promise.all(Array.from({ length: Math.min(8, config.advisors - start) }, async (_, k) => {
      const i = start + k
      // Fictional but nominative (SEC-HAB-01: placeholder names such as "Conseiller" are refused).
      const firstName = FIRST_NAMES[i % FIRST_NAMES.length]!
      const email = `${firstName.toLowerCase()}.virtuel${i}@example.test`
      const created = await client.send("POST", "/admin/users", officer, { email, password, firstName, lastName: "Virtuel", role: "advisor" })
      if (created.status !== 201) throw new Error(`create ${email}: ${created.status} ${JSON.stringify(created.body)}`)
      tokens[i] = await login(email, password)
    }))
  }
  const setupS = (performance.now() - setupStarted) / 1000
  send({ type: "ready", setupS })

  const histograms = Object.fromEntries([...STEPS, "all"].map((s) => [s, histogram()])) as Record<Step | "all", hdr.Histogram>
  const errors = Object.fromEntries([...STEPS, "all"].map((s) => [s, 0])) as Record<Step | "all", number>
  const errorSamples: Array<string> = []
  let requests = 0
  let calls = 0
  const startedMs = performance.now()
  const measureFromMs = startedMs + config.warmupS * 1000
  const stopAtMs = measureFromMs + config.durationS * 1000
  let measuredEndMs = stopAtMs

  const timed = async (step: Step, expected: number, call: () => Promise<Reply>): Promise<Reply> => {
    const t0 = performance.now()
    const reply = await call()
    const t1 = performance.now()
    requests++
    if (t0 >= measureFromMs) {
      const us = Math.max(1, Math.round((t1 - t0) * 1000))
      histograms[step].recordValue(us)
      histograms.all.recordValue(us)
      if (reply.status !== expected) {
        errors[step]++
        errors.all++
        if (errorSamples.length < 5) errorSamples.push(`${step}: ${reply.status} ${JSON.stringify(reply.body)}`)
      }
    }
    return reply
  }

  const advisor = async (index: number): Promise<void> => {
    const token = tokens[index] as string
    const rng = seedrandom.alea(`${config.seed}/bench/advisor/${index}`)
    const mine = pending.filter((_, k) => k % config.advisors === index)
    let callNo = 0
    while (performance.now() < stopAtMs && requests < config.maxRequests) {
      callNo++
      const opposition = rng() < config.oppositionShare && mine.length > 0
      const person = (opposition ? mine.pop() : people[Math.floor(rng() * people.length)]) as InsuredRecord
      const found = await timed("lookup", 200, () => client.send("GET", `/insured?nir=${person.nir}`, token))
      const id = ((found.body as { items?: Array<{ id: string }> }).items?.[0]?.id) ?? person.id
      if (opposition) {
        await timed("opposition", 200, () => client.send("POST", `/insured/${id}/opposition`, token, { requestedBy: "insured", note: "Opposition demandée au 3422" }))
      } else {
        await timed("read", 200, () => client.send("GET", `/insured/${id}`, token))
      }
      const reason = REASON_CODES[Math.floor(rng() * REASON_CODES.length)] as string
      const ticket = await timed("ticket", 201, () => client.send("POST", "/tickets", token, {
        reason, flow: opposition ? "opposition" : "horsOpposition", insuredId: id,
        title: "Escalade niveau 2", description: "Appel traité par le conseiller virtuel ; incident à analyser."
      }, { "idempotency-key": `bench-${index}-${callNo}` }))
      const ticketId = (ticket.body as { id?: string }).id
      if (ticketId === undefined) continue
      await timed("comment", 201, () => client.send("POST", `/tickets/${ticketId}/comments`, token, { body: "Informations complémentaires transmises." }))
      await timed("resolve", 200, () => client.send("POST", `/tickets/${ticketId}/status`, token, { status: "resolved" }))
      if (performance.now() >= measureFromMs) calls++
    }
  }

  await Promise.all(Array.from({ length: config.advisors }, (_, i) => advisor(i)))
  measuredEndMs = Math.min(performance.now(), measuredEndMs)
  await client.close()
  const stats = (h: hdr.Histogram, errorCount: number): StepStats => ({
    requests: h.totalCount,
    errors: errorCount,
    p50Ms: h.getValueAtPercentile(50) / 1000,
    p95Ms: h.getValueAtPercentile(95) / 1000,
    p99Ms: h.getValueAtPercentile(99) / 1000,
    maxMs: h.maxValue / 1000
  })
  send({
    type: "result",
    measuredS: (measuredEndMs - measureFromMs) / 1000,
    steps: Object.fromEntries([...STEPS, "all"].map((s) => [s, stats(histograms[s as Step], errors[s as Step])])) as Record<Step | "all", StepStats>,
    calls,
    setupS,
    errorSamples
  })
}

process.once("message", (config: AdvisorsConfig) => {
  run(config).then(
    () => process.disconnect?.(),
    (e: unknown) => {
      send({ type: "failed", message: e instanceof Error ? e.message : String(e) })
      process.disconnect?.()
    }
  )
})
