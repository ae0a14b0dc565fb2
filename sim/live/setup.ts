/**
 * Before a live run: the servers answer, the accounts exist, and what the advisors need from the
 * servers is known (Odigo's transfer targets, PSN1's answer templates and a page of insured
 * people). Also the census at the end: what PSN1 holds of the run's tickets and forms.
 *
 * Invariant: every failure here is a `LoadFailure` with a stable code and a message naming the
 * server and the account or request at fault — `UNREACHABLE`, `LOGIN_REFUSED`,
 * `ACCOUNT_REFUSED`, `OUT_OF_CONTRACT`, `CENSUS_TIMEOUT` — never a stack trace. Every wait is
 * bounded (the census by CENSUS_DEADLINE_MS, each request by its client's timeout).
 */
import { odigoAccountOf, staffPerson, syntheticPerson, type RunAccounts } from "./accounts.js"
import { describeReply, errorCodeOf, type Reply } from "./http.js"
import type { OdigoRest } from "./odigo-rest.js"
import type { Psn1Client } from "./psn1-client.js"
import type { Person } from "./roster.js"

/** Why a run could not start or go on, with a stable code (README "Live harness"). */
export class LoadFailure extends Error {
  constructor(
    readonly code: string,
    message: string
  ) {
    super(message)
    this.name = "LoadFailure"
  }
}

/** Both servers answer their health endpoint. */
export const checkReachable = async (odigo: OdigoRest, psn1: Psn1Client): Promise<void> => {
  const [o, p] = await Promise.all([odigo.http.send("GET", "/health"), psn1.health()])
  for (const [name, url, r] of [["Odigo", odigo.http.base.href, o], ["PSN1", psn1.http.base.href, p]] as const) {
    if (r.status === 0) throw new LoadFailure("UNREACHABLE", `cannot reach ${name} at ${url}: ${r.error ?? "no answer"}`)
    if (r.status !== 200) throw new LoadFailure("UNREACHABLE", `${name} at ${url} answered GET /health with ${describeReply(r)}`)
  }
}

/** Runs `task` over `items` with at most `concurrency` at once. */
const pool = async <T>(items: ReadonlyArray<T>, concurrency: number, task: (item: T, i: number) => Promise<void>): Promise<void> => {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      await task(items[i]!, i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
}

const created = (r: Reply, what: string): void => {
  // 409: an earlier run created it with the same (deterministic) credentials: it is reused.
  if (r.status === 201 || (r.status === 409 && errorCodeOf(r) === "ACCOUNT_EXISTS")) return
  if (r.status === 0) throw new LoadFailure("UNREACHABLE", `creating ${what}: ${describeReply(r)}`)
  throw new LoadFailure("ACCOUNT_REFUSED", `creating ${what} was refused: ${describeReply(r)}`)
}

/** Logs in through PSN1's OTP, or fails with LOGIN_REFUSED naming the account. */
export const psn1Login = async (psn1: Psn1Client, email: string, password: string): Promise<string> => {
  const out = await psn1.login(email, password)
  if (out.ok) return out.token
  if (out.reply.status === 0) throw new LoadFailure("UNREACHABLE", `PSN1 login of ${email}: ${describeReply(out.reply)}`)
  throw new LoadFailure("LOGIN_REFUSED", `PSN1 refused the login of ${email} at the ${out.step} step: ${describeReply(out.reply)}${out.step === "mailbox" ? " (is the mock started with --mailbox?)" : ""}`)
}

/**
 * Creates the run's synthetic accounts: Odigo agents and supervisor (`POST /admin/accounts`),
 * PSN1 advisors and supervisors by the security officer (`POST /admin/users`).
 */
export const createAccounts = async (odigo: OdigoRest, psn1: Psn1Client, officer: { readonly email: string; readonly password: string }, people: ReadonlyArray<Person>, generators: number, log: (s: string) => void): Promise<void> => {
  const t0 = performance.now()
  const agents = people.filter((p) => p.group !== 1)
  await pool(agents, 32, async (p) => {
    const s = syntheticPerson(p.id)
    created(await odigo.createAccount(odigoAccountOf(s, "agent")), `Odigo account ${s.login}`)
  })
  const sup = staffPerson("supervisor")
  created(await odigo.createAccount(odigoAccountOf(sup, "supervisor")), `Odigo supervisor ${sup.login}`)
  const officerToken = await psn1Login(psn1, officer.email, officer.password)
  const staff = [
    { p: staffPerson("reader"), role: "supervisor" as const },
    ...Array.from({ length: generators }, (_, k) => ({ p: staffPerson("injector", k), role: "supervisor" as const }))
  ]
  const advisors = people.map((p) => ({ p: syntheticPerson(p.id), role: "advisor" as const }))
  // Password hashing is the portal's cost: a few at a time.
  await pool([...staff, ...advisors], 8, async ({ p, role }) => {
    created(await psn1.createUser(officerToken, { email: p.email, password: p.password, firstName: p.firstName, lastName: p.lastName, role }), `PSN1 account ${p.email}`)
  })
  log(`accounts: ${agents.length + 1} on Odigo, ${staff.length + advisors.length} on PSN1 in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
}

/** What advisors need from the servers: transfer targets, answer templates, insured people. */
export const serverFacts = async (odigo: OdigoRest, psn1: Psn1Client, readerToken: string): Promise<{
  transferTargets: ReadonlyArray<string>
  templates: { byReason: Record<string, string>; fallback: string } | null
  insuredIds: ReadonlyArray<string>
}> => {
  const config = await odigo.config()
  if (config.value === undefined) throw new LoadFailure("UNREACHABLE", `Odigo GET /config: ${describeReply(config.reply)}`)
  const t = await psn1.templates(readerToken)
  if (t.reply.status !== 200) throw new LoadFailure("UNREACHABLE", `PSN1 GET /templates: ${describeReply(t.reply)}`)
  const byReason: Record<string, string> = {}
  for (const item of t.items) if (item.reason !== null && byReason[item.reason] === undefined) byReason[item.reason] = item.id
  const people = await psn1.people(readerToken, 1, 500)
  if (people.reply.status !== 200) throw new LoadFailure("UNREACHABLE", `PSN1 GET /insured: ${describeReply(people.reply)}`)
  return {
    transferTargets: config.value.transferTargets,
    templates: t.items.length === 0 ? null : { byReason, fallback: t.items.find((i) => i.reason === null)?.id ?? t.items[0]!.id },
    insuredIds: people.ids
  }
}

/**
 * How long the census of PSN1 may take in all (every page of tickets and forms): a census of a
 * day's run is a few dozen pages of a few ms each; two minutes cover a slow server and a big
 * store while keeping a server that pages forever from holding the run's end.
 */
export const CENSUS_DEADLINE_MS = 120_000

/** `p`, or "timeout" after `ms` — the timer is cleared either way (nothing keeps the process alive). */
export const within = async <T>(p: Promise<T>, ms: number): Promise<T | "timeout"> => {
  let timer: NodeJS.Timeout | undefined
  const t = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), Math.max(0, ms))))
  try {
    return await Promise.race([p, t])
  } finally {
    clearTimeout(timer)
  }
}

interface Page<T> {
  readonly reply: Reply
  readonly items: ReadonlyArray<T>
  readonly next: string | null
}

/**
 * Every page of a cursor-paginated PSN1 list, in order, bounded by `deadline` (epoch ms): a
 * cursor seen twice (a server paging in a loop) is out of contract, a deadline passed is
 * CENSUS_TIMEOUT — both LoadFailures naming the endpoint.
 */
const eachPage = async <T>(
  what: string,
  deadline: number,
  page: (after: string | null) => Promise<Page<T>>,
  each: (item: T) => void
): Promise<void> => {
  const seen = new Set<string>()
  let after: string | null = null
  for (;;) {
    const r: Page<T> | "timeout" = await within(page(after), deadline - Date.now())
    if (r === "timeout") throw new LoadFailure("CENSUS_TIMEOUT", `PSN1 ${what}: the census did not end within ${CENSUS_DEADLINE_MS / 1000} s (${seen.size + 1} pages read)`)
    if (r.reply.status !== 200) throw new LoadFailure("UNREACHABLE", `PSN1 ${what}: ${describeReply(r.reply)}`)
    for (const item of r.items) each(item)
    if (r.next === null) return
    if (seen.has(r.next)) throw new LoadFailure("OUT_OF_CONTRACT", `PSN1 ${what}: the cursor ${JSON.stringify(r.next.slice(0, 80))} came back a second time (the pages would loop)`)
    seen.add(r.next)
    after = r.next
  }
}

/** PSN1's count of the run's tickets (created by its advisors since it started) and forms, within CENSUS_DEADLINE_MS in all. */
export const psn1Census = async (
  psn1: Psn1Client,
  readerToken: string,
  accounts: RunAccounts,
  startedAtIso: string,
  formIds: ReadonlySet<string>,
  deadlineMs: number = CENSUS_DEADLINE_MS
): Promise<{ tickets: number; forms: { found: number; answered: number } }> => {
  const deadline = Date.now() + deadlineMs
  const ours = new Set(accounts.people.map((p) => p.psn1.email.toLowerCase()))
  let tickets = 0
  await eachPage("GET /tickets", deadline, (after) => psn1.tickets(readerToken, after), (t) => {
    if (ours.has(t.createdBy.toLowerCase()) && t.createdAt >= startedAtIso) tickets++
  })
  let found = 0
  let answered = 0
  if (formIds.size > 0) {
    await eachPage("GET /forms", deadline, (after) => psn1.forms(readerToken, after), (f) => {
      if (!formIds.has(f.id)) return
      found++
      if (f.status === "answered") answered++
    })
  }
  return { tickets, forms: { found, answered } }
}
