/**
 * Contact forms (CCTP 2.1.5, optional part): arrival (generated or injected), claim, answer
 * with a template, and the counts behind the forms KPIs.
 *
 * Invariants:
 * - A form is `new`, `claimed` by exactly one advisor, or `answered` (final). Claim, release
 *   and answer are synchronous, so of concurrent claims of one form exactly one wins; the
 *   others get FORM_CLAIMED_BY_OTHER.
 * - Generated forms follow a Poisson process at `formsPerHour` on the injected clock, drawn
 *   from a seeded stream: the same seed and clock give the same forms at the same instants.
 * - The claim-next queue is oldest first; a released form gets its place back.
 */
import seedrandom from "seedrandom"
import { HOUR_MS, isoOf, isoOrNull } from "../clock.js"
import { Psn1Error } from "../errors.js"
import type { ReasonCode } from "../../sim/domain/vocabulary.js"
import type { FormStatus, FormView } from "../schema/forms.js"
import type { Directory } from "./insured.js"
import { findTemplate, renderTemplate } from "./templates.js"

interface FormRecord {
  readonly index: number
  readonly id: string
  status: FormStatus
  readonly source: "generated" | "injected"
  readonly insuredId: string
  readonly reason: ReasonCode
  readonly subject: string
  readonly message: string
  readonly receivedAtMs: number
  claimedBy: string | null
  claimedAtMs: number | null
  answeredBy: string | null
  answeredAtMs: number | null
  templateId: string | null
  answer: string | null
}

/** What generated forms are about (an **assumption**: the CCTP gives no split for forms). */
const GENERATED: ReadonlyArray<readonly [ReasonCode, string, string]> = [
  ["enrolmentHelp", "Activation de mon profil", "Bonjour, je n'arrive pas à activer mon profil avec le code reçu. Pouvez-vous m'aider ?"],
  ["cvSerialUnreadable", "Numéro de série illisible", "Le numéro de série de ma carte Vitale est effacé, comment faire ?"],
  ["generalInfo", "Question sur le service", "À quoi sert exactement Mon espace santé et qui peut voir mes documents ?"],
  ["incidentDocuments", "Document introuvable", "Un compte rendu ajouté par mon médecin n'apparaît pas dans mes documents."],
  ["incidentMessaging", "Messagerie", "Je ne reçois plus les messages de mon pharmacien dans la messagerie."],
  ["secondLegalRepresentative", "Second représentant légal", "Je souhaite donner accès au profil de mon enfant à son autre parent."],
  ["oppositionClosure", "Fermeture du profil", "Je souhaite fermer mon profil Mon espace santé."],
  ["securityDataHosting", "Sécurité de mes données", "Où sont hébergées mes données de santé ?"]
]

export interface FormsOptions {
  readonly seed: string
  /** Mean generated arrivals per hour (0: none). */
  readonly formsPerHour: number
  /** Generation starts here (ms). */
  readonly startMs: number
}

const parisDay = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" })
/** The Europe/Paris calendar day of `ms`, `YYYY-MM-DD`. */
const parisDayOf = (ms: number): string => parisDay.format(ms)

export class Forms {
  private readonly forms: Array<FormRecord> = []
  /** No form before this index is `new`. */
  private firstMaybeNew = 0
  private readonly rng: () => number
  private nextArrivalMs: number

  constructor(private readonly directory: Directory, private readonly options: FormsOptions) {
    this.rng = seedrandom.alea(`${options.seed}/forms`)
    this.nextArrivalMs = options.formsPerHour > 0 ? options.startMs + this.gapMs() : Number.POSITIVE_INFINITY
  }

  get size(): number {
    return this.forms.length
  }

  inject(input: { insuredId: string; reason: ReasonCode; subject: string; message: string }, nowMs: number): FormView {
    this.directory.get(input.insuredId)
    return viewOf(this.add({ ...input, source: "injected" }, nowMs))
  }

  /** Creates the generated forms due at or before `nowMs` (at their own arrival instants). */
  generateDue(nowMs: number): Array<FormView> {
    const out: Array<FormView> = []
    while (this.nextArrivalMs <= nowMs && out.length < 100_000) {
      const [reason, subject, message] = GENERATED[Math.floor(this.rng() * GENERATED.length)] as (typeof GENERATED)[number]
      const insuredId = this.pickWriter()
      out.push(viewOf(this.add({ insuredId, reason, subject, message, source: "generated" }, this.nextArrivalMs)))
      this.nextArrivalMs += this.gapMs()
    }
    return out
  }

  get(id: string): FormView {
    return viewOf(this.record(id))
  }

  list(status: FormStatus | undefined, afterId: string | undefined, limit: number): { items: Array<FormView>; next: string | null } {
    const items: Array<FormView> = []
    let i = afterId === undefined ? 0 : Math.max(0, Number(afterId.slice(1)))
    if (status === "new") i = Math.max(i, this.firstMaybeNew)
    for (; i < this.forms.length && items.length < limit; i++) {
      const f = this.forms[i] as FormRecord
      if (status === undefined || f.status === status) items.push(viewOf(f))
    }
    const last = items[items.length - 1]
    return { items, next: i < this.forms.length && last !== undefined ? last.id : null }
  }

  claim(id: string, by: string, nowMs: number): FormView {
    const f = this.record(id)
    if (f.status === "answered") throw new Psn1Error("FORM_ALREADY_ANSWERED", `${id} was answered by ${f.answeredBy}`)
    if (f.status === "claimed") {
      if (f.claimedBy === by) return viewOf(f)
      throw new Psn1Error("FORM_CLAIMED_BY_OTHER", `${id} is claimed by another advisor`)
    }
    f.status = "claimed"
    f.claimedBy = by
    f.claimedAtMs = nowMs
    return viewOf(f)
  }

  /** Claims the oldest unclaimed form, or QUEUE_EMPTY. */
  claimNext(by: string, nowMs: number): FormView {
    while (this.firstMaybeNew < this.forms.length && (this.forms[this.firstMaybeNew] as FormRecord).status !== "new") this.firstMaybeNew++
    const f = this.forms[this.firstMaybeNew]
    if (f === undefined) throw new Psn1Error("QUEUE_EMPTY", "no unclaimed form is waiting")
    return this.claim(f.id, by, nowMs)
  }

  /** Puts a claimed form back in the queue; its holder or a supervisor may do so. */
  release(id: string, by: string, asSupervisor: boolean): FormView {
    const f = this.record(id)
    if (f.status === "answered") throw new Psn1Error("FORM_ALREADY_ANSWERED", `${id} was answered by ${f.answeredBy}`)
    if (f.status === "new") throw new Psn1Error("FORM_NOT_CLAIMED", `${id} is not claimed`)
    if (f.claimedBy !== by && !asSupervisor) throw new Psn1Error("FORM_CLAIMED_BY_OTHER", `${id} is claimed by another advisor`)
    this.unclaim(f)
    return viewOf(f)
  }

  /** Releases every form held by `email` (its account was removed or disabled); returns their ids. */
  releaseAllOf(email: string): Array<string> {
    const ids: Array<string> = []
    for (const f of this.forms) {
      if (f.status === "claimed" && f.claimedBy === email) {
        this.unclaim(f)
        ids.push(f.id)
      }
    }
    return ids
  }

  answer(id: string, by: string, templateId: string, text: string | undefined, nowMs: number): FormView {
    const template = findTemplate(templateId)
    if (template === undefined) throw new Psn1Error("TEMPLATE_NOT_FOUND", `no template ${templateId} (see GET /templates)`)
    const f = this.record(id)
    if (f.status === "answered") throw new Psn1Error("FORM_ALREADY_ANSWERED", `${id} was answered by ${f.answeredBy}`)
    if (f.status === "new") throw new Psn1Error("FORM_NOT_CLAIMED", `claim ${id} before answering it`)
    if (f.claimedBy !== by) throw new Psn1Error("FORM_CLAIMED_BY_OTHER", `${id} is claimed by another advisor`)
    const body = renderTemplate(template, this.directory.get(f.insuredId))
    f.status = "answered"
    f.answeredBy = by
    f.answeredAtMs = nowMs
    f.templateId = templateId
    f.answer = text === undefined ? body : `${body}\n\n${text}`
    return viewOf(f)
  }

  /** Counts for the forms KPIs over Europe/Paris days [fromDay, toDay]. */
  stats(fromDay: string, toDay: string) {
    let received = 0
    let answered = 0
    let receivedAndAnswered = 0
    let waiting = 0
    const perAdvisorDay = new Map<string, { advisor: string; day: string; answered: number }>()
    for (const f of this.forms) {
      const rDay = parisDayOf(f.receivedAtMs)
      const inPeriod = rDay >= fromDay && rDay <= toDay
      if (inPeriod) received++
      if (f.status !== "answered") {
        waiting++
        continue
      }
      if (inPeriod) receivedAndAnswered++
      const aDay = parisDayOf(f.answeredAtMs as number)
      if (aDay < fromDay || aDay > toDay) continue
      answered++
      const key = `${f.answeredBy}\u0000${aDay}`
      const row = perAdvisorDay.get(key) ?? { advisor: f.answeredBy as string, day: aDay, answered: 0 }
      row.answered++
      perAdvisorDay.set(key, row)
    }
    const rows = [...perAdvisorDay.values()].sort((a, b) => (a.day === b.day ? a.advisor.localeCompare(b.advisor) : a.day.localeCompare(b.day)))
    return {
      from: fromDay, to: toDay, timeZone: "Europe/Paris" as const, received, answered, receivedAndAnswered,
      handledRate: received === 0 ? null : receivedAndAnswered / received, waiting, perAdvisorDay: rows
    }
  }

  private add(input: Omit<FormRecord, "index" | "id" | "status" | "receivedAtMs" | "claimedBy" | "claimedAtMs" | "answeredBy" | "answeredAtMs" | "templateId" | "answer">, atMs: number): FormRecord {
    const index = this.forms.length
    const f: FormRecord = {
      ...input, index, id: `F${String(index + 1).padStart(6, "0")}`, status: "new", receivedAtMs: atMs,
      claimedBy: null, claimedAtMs: null, answeredBy: null, answeredAtMs: null, templateId: null, answer: null
    }
    this.forms.push(f)
    return f
  }

  private unclaim(f: FormRecord): void {
    f.status = "new"
    f.claimedBy = null
    f.claimedAtMs = null
    if (f.index < this.firstMaybeNew) this.firstMaybeNew = f.index
  }

  /** Forms are written by people with an active profile (they must log in to Mon espace santé). */
  private pickWriter(): string {
    for (let tries = 0; tries < 50; tries++) {
      const p = this.directory.page(1 + Math.floor(this.rng() * this.directory.size), 1)[0]
      if (p !== undefined && p.status === "active") return p.id
    }
    return (this.directory.page(1, 1)[0] as { id: string }).id
  }

  private gapMs(): number {
    return (-Math.log(1 - this.rng()) / this.options.formsPerHour) * HOUR_MS
  }

  private record(id: string): FormRecord {
    const f = /^F[0-9]{6,11}$/.test(id) ? this.forms[Number(id.slice(1)) - 1] : undefined
    if (f === undefined || f.id !== id) throw new Psn1Error("FORM_NOT_FOUND", `no form ${id}`)
    return f
  }
}


const viewOf = (f: FormRecord): FormView => ({
  id: f.id, status: f.status, source: f.source, insuredId: f.insuredId, reason: f.reason, subject: f.subject,
  message: f.message, receivedAt: isoOf(f.receivedAtMs), claimedBy: f.claimedBy, claimedAt: isoOrNull(f.claimedAtMs),
  answeredBy: f.answeredBy, answeredAt: isoOrNull(f.answeredAtMs), templateId: f.templateId, answer: f.answer
})
