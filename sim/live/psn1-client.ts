/**
 * mock-psn1's REST API from a client's side: the two-step login (password → OTP read from the
 * mock's mailbox → bearer token), the officer's account creation, tickets with an
 * Idempotency-Key, contact forms (inject, claim the next, answer), and the reads a harness
 * needs (templates, a page of insured people, ticket and form lists). Request bodies are values
 * of the portal's request schemas (`mock-psn1/schema/*`); the fields read from answers are
 * decoded with the response schemas' own field definitions. Shared by the live harness and
 * bench:psn1.
 *
 * Invariant: no method throws on a refused request — each returns the `Reply` for the caller to
 * count by code; only a success answer out of contract throws (`OutOfContract`).
 */
import * as Schema from "effect/Schema"
import type { CreateAccountRequest, LoginRequest, OtpRequest } from "../../mock-psn1/schema/auth.js"
import { SessionToken } from "../../mock-psn1/schema/auth.js"
import { MailboxSchema } from "../../mock-psn1/schema/common.js"
import { FormList, FormView, TemplateList, type AnswerRequest, type InjectFormRequest } from "../../mock-psn1/schema/forms.js"
import { InsuredPage, InsuredView } from "../../mock-psn1/schema/insured.js"
import { TicketList, TicketView, type CreateTicketRequest } from "../../mock-psn1/schema/tickets.js"
import { reader } from "./contract.js"
import { JsonClient, type JsonClientOptions, type Reply } from "./http.js"

const readToken = reader(Schema.Struct({ token: SessionToken.fields.token }), "POST /auth/otp")
const readMailbox = reader(MailboxSchema, "GET /mailbox/:email")
const FormRef = Schema.Struct({ id: FormView.fields.id, status: FormView.fields.status, reason: FormView.fields.reason })
const readFormRef = reader(FormRef, "forms")
const readTicketRef = reader(Schema.Struct({ id: TicketView.fields.id }), "POST /tickets")
const readTemplates = reader(TemplateList, "GET /templates")
const readPeople = reader(Schema.Struct({ items: Schema.Array(Schema.Struct({ id: InsuredView.fields.id })), total: InsuredPage.fields.total }), "GET /insured")
const TicketItem = Schema.Struct({ id: TicketView.fields.id, createdBy: TicketView.fields.createdBy, createdAt: TicketView.fields.createdAt })
const readTickets = reader(Schema.Struct({ items: Schema.Array(TicketItem), next: TicketList.fields.next }), "GET /tickets")
const readForms = reader(Schema.Struct({ items: Schema.Array(FormRef), next: FormList.fields.next }), "GET /forms")

export type FormRef = typeof FormRef.Type
export type TicketItem = typeof TicketItem.Type

/** The OTP in the newest message of a mailbox (the mock's French wording: "… est 123456."). */
export const otpOf = (texts: ReadonlyArray<string>): string | undefined => {
  for (let i = texts.length - 1; i >= 0; i--) {
    const m = /est ([0-9]{6})\./.exec(texts[i]!)
    if (m !== null) return m[1]
  }
  return undefined
}

/** Outcome of a login: the token, or the step that failed and its reply. */
export type LoginOutcome =
  | { readonly ok: true; readonly token: string; readonly requests: number }
  | { readonly ok: false; readonly step: "password" | "mailbox" | "otp"; readonly reply: Reply; readonly requests: number }

export class Psn1Client {
  readonly http: JsonClient

  constructor(baseUrl: string, options: JsonClientOptions = {}) {
    this.http = new JsonClient(baseUrl, options)
  }

  health(): Promise<Reply> {
    return this.http.send("GET", "/health")
  }

  /** Password, then the OTP from the mock's mailbox (`--mailbox`), then the token (SEC-HAB-02). */
  async login(email: string, password: string): Promise<LoginOutcome> {
    const step1 = await this.http.send("POST", "/auth/login", undefined, { email, password } satisfies typeof LoginRequest.Type)
    if (step1.status !== 202) return { ok: false, step: "password", reply: step1, requests: 1 }
    const mail = await this.http.send("GET", `/mailbox/${encodeURIComponent(email)}`)
    if (mail.status !== 200) return { ok: false, step: "mailbox", reply: mail, requests: 2 }
    const otp = otpOf(readMailbox(mail.body).items.map((m) => m.text))
    if (otp === undefined) return { ok: false, step: "mailbox", reply: { ...mail, status: 0, error: "NO_OTP_IN_MAILBOX" }, requests: 2 }
    const step2 = await this.http.send("POST", "/auth/otp", undefined, { email, otp } satisfies typeof OtpRequest.Type)
    if (step2.status !== 200) return { ok: false, step: "otp", reply: step2, requests: 3 }
    return { ok: true, token: readToken(step2.body).token, requests: 3 }
  }

  logout(token: string): Promise<Reply> {
    return this.http.send("POST", "/auth/logout", token)
  }

  /** The officer creates a nominative account: 201, or 409 ACCOUNT_EXISTS. */
  createUser(officerToken: string, account: typeof CreateAccountRequest.Type): Promise<Reply> {
    return this.http.send("POST", "/admin/users", officerToken, account)
  }

  /** A level-2 ticket; a retry with the same key and body is replayed, never duplicated. */
  async createTicket(token: string, body: CreateTicketRequest, idempotencyKey: string): Promise<{ reply: Reply; id: string | undefined; replayed: boolean }> {
    const reply = await this.http.send("POST", "/tickets", token, body, { "idempotency-key": idempotencyKey })
    return { reply, id: reply.status === 201 ? readTicketRef(reply.body).id : undefined, replayed: reply.headers["idempotent-replayed"] === "true" }
  }

  async injectForm(token: string, body: typeof InjectFormRequest.Type): Promise<{ reply: Reply; form: FormRef | undefined }> {
    const reply = await this.http.send("POST", "/forms", token, body)
    return { reply, form: reply.status === 201 ? readFormRef(reply.body) : undefined }
  }

  /** The oldest unclaimed form, now claimed by the caller; 404 QUEUE_EMPTY when none waits. */
  async claimNext(token: string): Promise<{ reply: Reply; form: FormRef | undefined }> {
    const reply = await this.http.send("POST", "/forms/claim-next", token)
    return { reply, form: reply.status === 200 ? readFormRef(reply.body) : undefined }
  }

  async answerForm(token: string, id: string, body: typeof AnswerRequest.Type): Promise<{ reply: Reply; form: FormRef | undefined }> {
    const reply = await this.http.send("POST", `/forms/${encodeURIComponent(id)}/answer`, token, body)
    return { reply, form: reply.status === 200 ? readFormRef(reply.body) : undefined }
  }

  async templates(token: string): Promise<{ reply: Reply; items: ReadonlyArray<typeof TemplateList.Type.items[number]> }> {
    const reply = await this.http.send("GET", "/templates", token)
    return { reply, items: reply.status === 200 ? readTemplates(reply.body).items : [] }
  }

  /** A page of the population (supervisors only). */
  async people(token: string, page: number, pageSize: number): Promise<{ reply: Reply; ids: ReadonlyArray<string> }> {
    const reply = await this.http.send("GET", `/insured?page=${page}&pageSize=${pageSize}`, token)
    return { reply, ids: reply.status === 200 ? readPeople(reply.body).items.map((p) => p.id) : [] }
  }

  async tickets(token: string, after: string | null, limit = 100): Promise<{ reply: Reply; items: ReadonlyArray<TicketItem>; next: string | null }> {
    const reply = await this.http.send("GET", `/tickets?limit=${limit}${after === null ? "" : `&after=${after}`}`, token)
    if (reply.status !== 200) return { reply, items: [], next: null }
    const page = readTickets(reply.body)
    return { reply, items: page.items, next: page.next }
  }

  async forms(token: string, after: string | null, limit = 100): Promise<{ reply: Reply; items: ReadonlyArray<FormRef>; next: string | null }> {
    const reply = await this.http.send("GET", `/forms?limit=${limit}${after === null ? "" : `&after=${after}`}`, token)
    if (reply.status !== 200) return { reply, items: [], next: null }
    const page = readForms(reply.body)
    return { reply, items: page.items, next: page.next }
  }

  close(): Promise<void> {
    return this.http.close()
  }
}
