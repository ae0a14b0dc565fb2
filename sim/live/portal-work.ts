/**
 * The PSN1 side of a generator's people: one session per person and shift (password, then the
 * OTP from the mock's mailbox — SEC-HAB-02 — logged in once, when first needed), level-2
 * tickets with an Idempotency-Key (retried with the same key after a network failure, never
 * duplicated), contact forms injected for the scenario's writers, claimed and answered by
 * forms and blended advisors, and the `/events` feed that tells idle advisors a form arrived.
 *
 * Invariants: every request is timed from its intended instant and counted (`ops`, errors by
 * code); a login the portal refuses for good (wrong password, disabled, wrong role) stops the
 * run with a clear message; a ticket is counted created once, whatever the retries.
 */
import type WebSocket from "ws"
import * as Schema from "effect/Schema"
import { ServerFrame } from "../../mock-psn1/schema/events.js"
import { REASON_CODES, type ReasonCode } from "../domain/vocabulary.js"
import { describeReply, errorCodeOf, type Reply } from "./http.js"
import type { LatencyMetric, Metrics } from "./metrics.js"
import { Psn1Client } from "./psn1-client.js"
import { nowEpochMs, type Scheduler } from "./scheduler.js"
import { Ws } from "./ws.js"

/** Refusals that no retry will cure: the run stops on them. */
const FATAL_LOGIN = new Set(["INVALID_CREDENTIALS", "ACCOUNT_DISABLED", "FORBIDDEN_ROLE", "ACCOUNT_REMOVED"])
/** Refusals of the code step that another login of the same account at once explains. */
const OTP_RACE = new Set(["OTP_INVALID", "OTP_EXPIRED"])
/** Logins of one account tried before its refusal counts (1 + 2 + 4 s of pauses at most, well within PSN1's 5-failure lockout). */
const LOGIN_ATTEMPTS = 3

const decodeEvent = Schema.decodeUnknownSync(ServerFrame)

export interface PortalContext {
  readonly scheduler: Scheduler
  readonly metrics: Metrics
  readonly runTag: string
  readonly insuredIds: ReadonlyArray<string>
  readonly templates: { readonly byReason: Readonly<Record<string, string>>; readonly fallback: string } | null
  fatal(code: string, message: string): void
}

export interface TicketRequest {
  readonly callRef: string
  readonly reason: string | undefined
  readonly flow: string
  readonly index: number
}

export class PortalWork {
  readonly client: Psn1Client
  /** Requests in flight (the generator is idle only when none is). */
  inFlight = 0
  readonly tickets = { created: 0, replayed: 0, failed: 0, ids: [] as string[] }
  readonly forms = { injected: 0, injectFailed: 0, answered: 0, ids: [] as string[], answeredIds: [] as string[] }
  /** Forms waiting in the portal's queue, as this generator's `/events` feed counts them. */
  formsWaiting = 0
  private readonly sessions = new Map<string, Promise<string | undefined>>()
  private events: WebSocket | undefined
  private eventsClosed = false

  constructor(
    psn1Url: string,
    private readonly ctx: PortalContext,
    /** Told when a form arrives (idle advisors may claim it). */
    private readonly onFormArrived: () => void
  ) {
    this.client = new Psn1Client(psn1Url, { maxSockets: 256, timeoutMs: 15_000 })
  }

  /** Times one request from `intended`, counts it and its error code; returns the reply. */
  private async timed<T extends { reply: Reply }>(metric: LatencyMetric, intended: number, call: () => Promise<T>, okStatuses: ReadonlyArray<number>): Promise<T> {
    this.inFlight++
    try {
      const out = await call()
      const ms = nowEpochMs() - intended
      this.ctx.metrics.record(metric, ms)
      this.ctx.metrics.record("psn1_request", ms)
      this.ctx.metrics.count("ops")
      if (!okStatuses.includes(out.reply.status)) this.ctx.metrics.error(errorCodeOf(out.reply), `${metric}: ${describeReply(out.reply)}`)
      return out
    } finally {
      this.inFlight--
    }
  }

  /** The person's token for this shift (logs in on first use). */
  token(email: string, password: string, intended: number): Promise<string | undefined> {
    let s = this.sessions.get(email)
    if (s === undefined) {
      s = this.login(email, password, intended)
      this.sessions.set(email, s)
      // A failed login is retried at the next need, not cached.
      void s.then((t) => {
        if (t === undefined) this.sessions.delete(email)
      })
    }
    return s
  }

  private async login(email: string, password: string, intended: number): Promise<string | undefined> {
    this.inFlight++
    try {
      for (let attempt = 1; ; attempt++) {
        const out = await this.client.login(email, password)
        this.ctx.metrics.count("ops", out.requests)
        if (out.ok) {
          this.ctx.metrics.record("psn1_login", nowEpochMs() - intended)
          return out.token
        }
        const code = errorCodeOf(out.reply)
        // Two logins of one account at once (the form writer shared by every generator and the
        // coordinator): PSN1 keeps one pending code per email, so one of them reads a code the
        // other's login superseded or used. Tried again after a jittered pause (PSN1's throttle
        // waits 1, 2, 4 s after a failure), counted as a race, not an error.
        if (OTP_RACE.has(code) && attempt < LOGIN_ATTEMPTS) {
          this.ctx.metrics.count("races.otpCrossedLogin")
          await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** (attempt - 1) + Math.random() * 1000))
          continue
        }
        this.ctx.metrics.error(code, `PSN1 login of ${email} (${out.step}): ${describeReply(out.reply)}`)
        if (FATAL_LOGIN.has(code)) this.ctx.fatal("LOGIN_REFUSED", `PSN1 refused the login of ${email} at the ${out.step} step: ${code}`)
        return undefined
      }
    } finally {
      this.inFlight--
    }
  }

  /** Ends the person's session at the end of the shift (token revoked). */
  async logout(email: string): Promise<void> {
    const s = this.sessions.get(email)
    if (s === undefined) return
    this.sessions.delete(email)
    const token = await s
    if (token !== undefined) await this.timed("psn1_request", nowEpochMs(), async () => ({ reply: await this.client.logout(token) }), [204])
  }

  /** A level-2 ticket for an answered call; retried (same key) after a network failure or a 5xx. */
  async ticket(email: string, password: string, t: TicketRequest, intended: number): Promise<void> {
    const key = `${this.ctx.runTag}-${t.callRef}`.replace(/[^A-Za-z0-9._:-]/g, "-").slice(0, 128)
    const reason = (t.reason !== undefined && (REASON_CODES as ReadonlyArray<string>).includes(t.reason) ? t.reason : "otherIncidents") as ReasonCode
    const body = {
      reason,
      flow: t.flow === "opposition" ? ("opposition" as const) : ("horsOpposition" as const),
      insuredId: this.ctx.insuredIds[t.index % Math.max(1, this.ctx.insuredIds.length)] ?? "I0000001",
      title: "Incident signalé au 3422",
      description: "Appel traité par un conseiller virtuel (ccsim load) ; escalade au niveau 2."
    }
    for (let attempt = 1; attempt <= 3; attempt++) {
      const token = await this.token(email, password, intended)
      if (token === undefined) break
      const out = await this.timed("psn1_ticket", intended, () => this.client.createTicket(token, body, key), [201])
      if (out.reply.status === 201) {
        // A replay on a retry is the ticket the first attempt created (its answer was lost): it
        // counts as created. A replay at once would be another run's ticket under the same key.
        if (out.replayed) this.tickets.replayed++
        if (!out.replayed || attempt > 1) {
          this.tickets.created++
          if (out.id !== undefined) this.tickets.ids.push(out.id)
        }
        return
      }
      const code = errorCodeOf(out.reply)
      if (code === "TOKEN_EXPIRED" || code === "TOKEN_REVOKED") this.sessions.delete(email)
      else if (out.reply.status !== 0 && out.reply.status < 500) break
    }
    this.tickets.failed++
  }

  /** A contact form arrives (the portal's writer, for the harness). */
  async injectForm(injectorToken: string, k: number, intended: number): Promise<void> {
    const reason = REASON_CODES[k % REASON_CODES.length]!
    const out = await this.timed("psn1_form_inject", intended, () =>
      this.client.injectForm(injectorToken, {
        insuredId: this.ctx.insuredIds[k % Math.max(1, this.ctx.insuredIds.length)] ?? "I0000001",
        reason,
        subject: "Question sur mon espace santé",
        message: "Message de contact synthétique écrit pour un test de charge (ccsim load)."
      }), [201])
    if (out.form !== undefined) {
      this.forms.injected++
      this.forms.ids.push(out.form.id)
    } else this.forms.injectFailed++
  }

  /** A form the writer could not write (its login failed; the error is counted where it happened). */
  formNotWritten(): void {
    this.forms.injectFailed++
  }

  /** Claims the oldest waiting form; undefined when the queue is empty (a normal answer). */
  async claim(token: string): Promise<{ id: string; reason: string } | undefined> {
    const out = await this.timed("psn1_form_claim", nowEpochMs(), () => this.client.claimNext(token), [200, 404])
    return out.form === undefined ? undefined : { id: out.form.id, reason: out.form.reason }
  }

  async answer(token: string, form: { id: string; reason: string }, intended: number): Promise<void> {
    const templateId = this.ctx.templates?.byReason[form.reason] ?? this.ctx.templates?.fallback ?? "TPL-GENERAL"
    const out = await this.timed("psn1_form_answer", intended, () => this.client.answerForm(token, form.id, { templateId, text: "Réponse préparée par un conseiller virtuel." }), [200])
    if (out.reply.status === 200) {
      this.forms.answered++
      this.forms.answeredIds.push(form.id)
    }
  }

  /** Opens the `/events` feed (one per generator) with `token`; reopens it if it drops. */
  watchForms(wsUrl: string, token: string): void {
    if (this.eventsClosed) return
    const ws = new (Ws())(wsUrl, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false })
    this.events = ws
    ws.on("message", (data) => {
      let f: ServerFrame
      try {
        f = decodeEvent(JSON.parse(String(data)), { onExcessProperty: "error" })
      } catch (e) {
        this.ctx.metrics.error("PROTOCOL_VIOLATION")
        this.ctx.fatal("PROTOCOL_VIOLATION", `${wsUrl}: a frame out of the AsyncAPI contract: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`)
        return
      }
      if (f.type === "form.received") {
        this.formsWaiting++
        this.onFormArrived()
      } else if (f.type === "form.updated") {
        if (f.status === "claimed") this.formsWaiting = Math.max(0, this.formsWaiting - 1)
        else if (f.status === "new") {
          this.formsWaiting++
          this.onFormArrived()
        }
      }
    })
    ws.on("error", (e: NodeJS.ErrnoException) => this.ctx.metrics.error(e.code ?? "WS_ERROR", `${wsUrl}: ${e.message}`))
    ws.on("close", () => {
      if (!this.eventsClosed) this.ctx.scheduler.after(500, () => this.watchForms(wsUrl, token))
    })
  }

  async close(): Promise<void> {
    this.eventsClosed = true
    this.events?.close()
    await this.client.close()
  }
}
