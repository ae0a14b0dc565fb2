/**
 * The psn1 bench's load process: virtual advisors, each logged in with its own account and
 * token (password → OTP from the mock's mailbox → token), running the call workflow in a
 * closed loop for the configured time:
 *   GET /insured?nir= → POST opposition (opposition flow, on a pending person reserved for
 *   this advisor) or GET /insured/:id → POST /tickets (Idempotency-Key) → POST comment →
 *   POST status resolved.
 * Latencies go into one HDR histogram per step (microseconds); requests during the warm-up
 * are not counted. Bounded by `durationS` and `maxRequests`; sends its results over IPC.
 *
 * It speaks the portal's API through the mock's own schemas (mock-psn1/schema/): request bodies
 * are values of the request schemas' types, and the fields read from answers are decoded with
 * the response schemas' own field definitions — so an API change breaks the bench at compile
 * time, and an answer out of contract counts as an error. The population is read through the
 * API too (a supervisor pages `GET /insured`), as any client would.
 */
import * as hdr from "hdr-histogram-js"
import * as Schema from "effect/Schema"
import seedrandom from "seedrandom"
import { CreateAccountRequest, LoginRequest, OtpRequest, SessionToken } from "../../mock-psn1/schema/auth.js"
import { MailboxSchema } from "../../mock-psn1/schema/common.js"
import { InsuredPage, InsuredView, InterventionRequest, ProfileStatus } from "../../mock-psn1/schema/insured.js"
import { CommentRequest, CreateTicketRequest, StatusRequest, TicketView } from "../../mock-psn1/schema/tickets.js"
import { REASON_CODES } from "../../sim/domain/vocabulary.js"
import { JsonClient, type Reply } from "../../sim/live/http.js"
import { STEPS, type AdvisorsConfig, type AdvisorsMessage, type Step, type StepStats } from "./shared.js"

const send = (m: AdvisorsMessage): void => {
  process.send?.(m)
}

const FIRST_NAMES = ["Aline", "Basile", "Capucine", "Dorian", "Elsa", "Fabien", "Gaelle", "Hugo", "Ines", "Jules"]

/** The parts of the answers the advisors read, typed and decoded by the portal's own field schemas (other fields ignored). */
const TokenReply = Schema.Struct({ token: SessionToken.fields.token })
const Person = Schema.Struct({ id: InsuredView.fields.id, nir: InsuredView.fields.nir, profile: Schema.Struct({ status: ProfileStatus }) })
type Person = typeof Person.Type
const PopulationPage = Schema.Struct({ items: Schema.Array(Person), total: InsuredPage.fields.total })
const LookupReply = Schema.Struct({ items: Schema.Array(Schema.Struct({ id: InsuredView.fields.id })) })
const TicketReply = Schema.Struct({ id: TicketView.fields.id })

/** `schema`'s decoder for an answer's body; throws when the answer is out of contract. */
const decoderOf = <S extends Schema.Codec<unknown, unknown>>(schema: S) => {
  const decode = Schema.decodeUnknownSync(schema)
  return (reply: Reply): S["Type"] => decode(reply.body)
}
const readToken = decoderOf(TokenReply)
const readMailbox = decoderOf(MailboxSchema)
const readPage = decoderOf(PopulationPage)
const readLookup = decoderOf(LookupReply)
const readTicket = decoderOf(TicketReply)

const histogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 })

const run = async (config: AdvisorsConfig): Promise<void> => {
  const setupStarted = performance.now()
  const client = new JsonClient(config.address, config.advisors + 4)

  const login = async (email: string, password: string): Promise<string> => {
    const step1 = await client.send("POST", "/auth/login", undefined, { email, password } satisfies typeof LoginRequest.Type)
    if (step1.status !== 202) throw new Error(`login ${email}: ${step1.status} ${JSON.stringify(step1.body)}`)
    const mail = await client.send("GET", `/mailbox/${email}`)
    const items = readMailbox(mail).items
    const otp = /est ([0-9]{6})\./.exec(items[items.length - 1]?.text ?? "")?.[1]
    if (otp === undefined) throw new Error(`no OTP for ${email} (is --mailbox on?)`)
    const step2 = await client.send("POST", "/auth/otp", undefined, { email, otp } satisfies typeof OtpRequest.Type)
    if (step2.status !== 200) throw new Error(`otp ${email}: ${step2.status} ${JSON.stringify(step2.body)}`)
    return readToken(step2).token
  }
  const createAccount = async (officer: string, account: typeof CreateAccountRequest.Type): Promise<void> => {
    const created = await client.send("POST", "/admin/users", officer, account)
    if (created.status !== 201) throw new Error(`create ${account.email}: ${created.status} ${JSON.stringify(created.body)}`)
  }

  const officer = await login(config.officer.email, config.officer.password)
  // The population, read as a client would: a supervisor pages it (bulk reads are a supervisor's
  // right). People are drawn independently, so the first pages are a fair sample: read until
  // there are enough pending people for every opposition the run can make (at most ~2,000
  // calls/s) and at least 10,000 people to look up, rather than all of a large population.
  const reader = "sabine.lecteur@example.test"
  await createAccount(officer, { email: reader, password: "Bench-Reader-2026", firstName: "Sabine", lastName: "Lecteur", role: "supervisor" })
  const readerToken = await login(reader, "Bench-Reader-2026")
  const pageSize = 500
  const pages = Math.ceil(config.population / pageSize)
  const pendingWanted = Math.ceil(2000 * (config.warmupS + config.durationS) * config.oppositionShare * 1.2)
  const people: Array<Person> = []
  const pending: Array<Person> = []
  for (let page = 1; page <= pages && (pending.length < pendingWanted || people.length < 10_000); page += 4) {
    const batch = await Promise.all(Array.from({ length: Math.min(4, pages - page + 1) }, async (_, k) => {
      const r = await client.send("GET", `/insured?page=${page + k}&pageSize=${pageSize}`, readerToken)
      if (r.status !== 200) throw new Error(`population page ${page + k}: ${r.status} ${JSON.stringify(r.body)}`)
      return readPage(r).items
    }))
    for (const p of batch.flat()) {
      people.push(p)
      if (p.profile.status === "pending") pending.push(p)
    }
  }
  const password = "Bench-Advisor-2026"
  const tokens: Array<string> = new Array(config.advisors)
  // Accounts are created and logged in a few at a time: scrypt runs on the server's thread pool.
  for (let start = 0; start < config.advisors; start += 8) {
    await Promise.all(Array.from({ length: Math.min(8, config.advisors - start) }, async (_, k) => {
      const i = start + k
      // Fictional but nominative (SEC-HAB-01: placeholder names such as "Conseiller" are refused).
      const firstName = FIRST_NAMES[i % FIRST_NAMES.length]!
      const email = `${firstName.toLowerCase()}.virtuel${i}@example.test`
      await createAccount(officer, { email, password, firstName, lastName: "Virtuel", role: "advisor" })
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

  /**
   * Times one request; an answer with another status, or whose body `read` refuses (out of
   * contract), is an error. Resolves with what `read` decoded, or undefined after an error.
   */
  const timed = async <T>(step: Step, expected: number, call: () => Promise<Reply>, read: (r: Reply) => T): Promise<T | undefined> => {
    const t0 = performance.now()
    const reply = await call()
    const t1 = performance.now()
    requests++
    let value: T | undefined
    let problem: string | undefined
    if (reply.status !== expected) problem = `${reply.status} ${JSON.stringify(reply.body)}`
    else {
      try {
        value = read(reply)
      } catch (e) {
        problem = `answer out of contract: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`
      }
    }
    if (t0 >= measureFromMs) {
      const us = Math.max(1, Math.round((t1 - t0) * 1000))
      histograms[step].recordValue(us)
      histograms.all.recordValue(us)
      if (problem !== undefined) {
        errors[step]++
        errors.all++
        if (errorSamples.length < 5) errorSamples.push(`${step}: ${problem}`)
      }
    }
    return value
  }
  const ignore = (): null => null

  const advisor = async (index: number): Promise<void> => {
    const token = tokens[index] as string
    const rng = seedrandom.alea(`${config.seed}/bench/advisor/${index}`)
    const mine = pending.filter((_, k) => k % config.advisors === index)
    let callNo = 0
    while (performance.now() < stopAtMs && requests < config.maxRequests) {
      callNo++
      const opposition = rng() < config.oppositionShare && mine.length > 0
      const person = (opposition ? mine.pop() : people[Math.floor(rng() * people.length)]) as Person
      const found = await timed("lookup", 200, () => client.send("GET", `/insured?nir=${person.nir}`, token), readLookup)
      const id = found?.items[0]?.id ?? person.id
      if (opposition) {
        const body: typeof InterventionRequest.Type = { requestedBy: "insured", note: "Opposition demandée au 3422" }
        await timed("opposition", 200, () => client.send("POST", `/insured/${id}/opposition`, token, body), ignore)
      } else {
        await timed("read", 200, () => client.send("GET", `/insured/${id}`, token), ignore)
      }
      const ticketBody: typeof CreateTicketRequest.Type = {
        reason: REASON_CODES[Math.floor(rng() * REASON_CODES.length)]!, flow: opposition ? "opposition" : "horsOpposition", insuredId: id,
        title: "Escalade niveau 2", description: "Appel traité par le conseiller virtuel ; incident à analyser."
      }
      const ticket = await timed("ticket", 201, () => client.send("POST", "/tickets", token, ticketBody, { "idempotency-key": `bench-${index}-${callNo}` }), readTicket)
      if (ticket === undefined) continue
      const comment: typeof CommentRequest.Type = { body: "Informations complémentaires transmises." }
      await timed("comment", 201, () => client.send("POST", `/tickets/${ticket.id}/comments`, token, comment), ignore)
      const resolve: typeof StatusRequest.Type = { status: "resolved" }
      await timed("resolve", 200, () => client.send("POST", `/tickets/${ticket.id}/status`, token, resolve), ignore)
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
