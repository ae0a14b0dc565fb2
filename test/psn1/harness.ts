/**
 * Test harness for mock-psn1: an app on a ManualClock with cheap scrypt, the real login
 * (password → OTP read from the mailbox → token), account creation by the officer, a
 * snapshot of domain state (to assert that rejected requests write nothing), and a validator
 * of response bodies against the committed OpenAPI document.
 */
import { readFileSync } from "node:fs"
import { Ajv2020 } from "ajv/dist/2020.js"
import addFormats from "ajv-formats"
import type { ValidateFunction } from "ajv"
import type { FastifyInstance, LightMyRequestResponse } from "fastify"
import { expect } from "vitest"
import { buildApp, type BuildOptions } from "../../mock-psn1/app.js"
import { ManualClock } from "../../mock-psn1/clock.js"
import { OPENAPI_PATH } from "../../mock-psn1/docs.js"

export const OFFICER = { email: "rssi@example.test", password: "Secret-123" } as const
export const PASSWORD = "Advisor-Pass-2026"

export interface TestApp {
  readonly app: FastifyInstance
  readonly clock: ManualClock
}

/** Builds an app for one test (no timers: tests call `app.psn1.tick()`). Close it in afterEach. */
export const makeApp = async (overrides: Partial<BuildOptions> = {}): Promise<TestApp> => {
  const clock = new ManualClock()
  const app = await buildApp({
    officer: OFFICER,
    clock,
    mailbox: true,
    population: 300,
    seed: "test",
    scrypt: { logN: 8, r: 8, p: 1 },
    tickIntervalMs: 0,
    heartbeatMs: 0,
    ...overrides
  })
  await app.ready()
  return { app, clock }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

/** The latest OTP emailed to `email` (read through the test mailbox endpoint). */
export const latestOtp = async (app: FastifyInstance, email: string): Promise<string> => {
  const res = await app.inject({ method: "GET", url: `/mailbox/${email}` })
  expect(res.statusCode).toBe(200)
  const items = res.json().items as Array<{ text: string }>
  const text = items[items.length - 1]?.text ?? ""
  const match = /code de connexion PSN1 est ([0-9]{6})\./.exec(text)
  if (match === null) throw new Error(`no OTP in the mailbox of ${email}: ${JSON.stringify(items)}`)
  return match[1] as string
}

/** Full login: password, OTP from the mailbox, token. */
export const login = async (app: FastifyInstance, email: string, password: string): Promise<string> => {
  const step1 = await app.inject({ method: "POST", url: "/auth/login", payload: { email, password } })
  expect(step1.statusCode, step1.body).toBe(202)
  const otp = await latestOtp(app, email)
  const step2 = await app.inject({ method: "POST", url: "/auth/otp", payload: { email, otp } })
  expect(step2.statusCode, step2.body).toBe(200)
  return step2.json().token as string
}

/** Logs the officer in and creates accounts; returns a token per created account. */
export const staff = async (
  app: FastifyInstance,
  people: ReadonlyArray<{ email: string; role: "advisor" | "supervisor" }>
): Promise<{ officer: string; tokens: Record<string, string> }> => {
  const officer = await login(app, OFFICER.email, OFFICER.password)
  const tokens: Record<string, string> = {}
  for (const p of people) {
    const [first = "x", last = "x"] = p.email.split("@")[0]?.split(".") ?? []
    const res = await app.inject({
      method: "POST", url: "/admin/users", headers: bearer(officer),
      payload: { email: p.email, password: PASSWORD, firstName: cap(first), lastName: cap(last), role: p.role }
    })
    expect(res.statusCode, res.body).toBe(201)
    tokens[p.email] = await login(app, p.email, PASSWORD)
  }
  return { officer, tokens }
}

const cap = (s: string): string => s.slice(0, 1).toUpperCase() + s.slice(1)

/**
 * Everything a request could write, outside the audit log: accounts, login failure counters,
 * pending OTPs (as digests), the mailbox, sessions (revocations included), insured people,
 * tickets, idempotency keys and forms — all through read-only accessors.
 */
export const domainSnapshot = (app: FastifyInstance): string => {
  const p = app.psn1
  expect(p.accounts.checksInFlight, "a password check is still running").toBe(0)
  return JSON.stringify({
    accounts: p.accounts.list().map((a) => ({ ...a })),
    failures: p.accounts.failureTable(),
    otps: p.accounts.pendingOtps(),
    mailbox: p.mailbox.all(),
    sessions: p.sessions.list(),
    insured: p.directory.page(1, p.directory.size),
    tickets: p.tickets.list({}, undefined, 1_000_000).items,
    idempotencyKeys: p.tickets.idempotencyKeys(),
    forms: p.forms.list(undefined, undefined, 1_000_000).items
  })
}

/** A pending (opposable), an active and a minor person of the population. */
export const people = (app: FastifyInstance) => {
  const all = app.psn1.directory.page(1, app.psn1.directory.size)
  const find = (pred: (p: (typeof all)[number]) => boolean) => {
    const p = all.find(pred)
    if (p === undefined) throw new Error("population has no such person")
    return p
  }
  return {
    pending: find((p) => p.status === "pending"),
    activeWithDevice: find((p) => p.status === "active" && p.devices.length > 0),
    activeWithoutDevice: find((p) => p.status === "active" && p.devices.length === 0),
    opposed: find((p) => p.status === "opposed"),
    closed: find((p) => p.status === "closed")
  }
}

// --- OpenAPI response validation -------------------------------------------------------

const openapi = JSON.parse(readFileSync(OPENAPI_PATH, "utf8")) as {
  paths: Record<string, Record<string, { responses: Record<string, { content?: { "application/json": { schema: unknown } } }> }>>
  components: { schemas: Record<string, unknown> }
}

const deref = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(deref)
  if (node === null || typeof node !== "object") return node
  const ref = (node as { $ref?: unknown }).$ref
  if (typeof ref === "string" && ref.startsWith("#/components/schemas/")) {
    return deref(openapi.components.schemas[ref.slice("#/components/schemas/".length)])
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, deref(v)]))
}

const ajv = new Ajv2020({ allErrors: true, strict: false })
;(addFormats as unknown as (a: Ajv2020) => void)(ajv)
const validators = new Map<string, ValidateFunction>()

/**
 * Asserts that `res` is a documented response of `METHOD /path/{param}`: its status is listed
 * and its body validates against the documented schema (no extra field, e.g. no hash).
 */
export const expectDocumented = (method: string, path: string, res: LightMyRequestResponse | { statusCode: number; body: string }): void => {
  const op = openapi.paths[path]?.[method.toLowerCase()]
  if (op === undefined) throw new Error(`${method} ${path} is not in openapi.json`)
  const response = op.responses[String(res.statusCode)]
  expect(response, `${method} ${path} does not document status ${res.statusCode}`).toBeDefined()
  const schema = response?.content?.["application/json"].schema
  if (schema === undefined) {
    expect(res.body).toBe("")
    return
  }
  const key = `${method} ${path} ${res.statusCode}`
  let validate = validators.get(key)
  if (validate === undefined) {
    validate = ajv.compile(deref(schema) as object)
    validators.set(key, validate)
  }
  const ok = validate(JSON.parse(res.body))
  expect(ok, `${key}: ${ajv.errorsText(validate.errors)}`).toBe(true)
}
