/**
 * Tickets escalated to level 2 (PSN1 ticketing, CCTP 2.1.7), with idempotent creation.
 *
 * Invariants:
 * - Status moves only along ALLOWED_MOVES (new → inProgress | resolved; inProgress →
 *   resolved; resolved → inProgress | closed); a closed ticket takes nothing more.
 * - An `Idempotency-Key` belongs to the account that sent it: the same key with the same body
 *   returns the original ticket snapshot and creates nothing; the same key with another body
 *   is refused (IDEMPOTENCY_KEY_REUSED). Keys are remembered for `idempotencyTtlMs` (24 h).
 * - Ticket ids are T + a 6-digit sequence, so id order is creation order.
 */
import { createHash } from "node:crypto"
import { DAY_MS, isoOf } from "../clock.js"
import { Psn1Error } from "../errors.js"
import type { FlowCode, ReasonCode } from "../../sim/domain/vocabulary.js"
import type { CreateTicketRequest, TicketStatus, TicketView } from "../schema/tickets.js"

const ALLOWED_MOVES: Readonly<Record<TicketStatus, ReadonlyArray<TicketStatus>>> = {
  new: ["inProgress", "resolved"],
  inProgress: ["resolved"],
  resolved: ["inProgress", "closed"],
  closed: []
}

interface TicketRecord {
  readonly id: string
  status: TicketStatus
  readonly reason: ReasonCode
  readonly flow: FlowCode | null
  readonly insuredId: string | null
  readonly title: string
  readonly description: string
  readonly priority: "low" | "normal" | "high"
  readonly createdBy: string
  readonly createdAtMs: number
  updatedAtMs: number
  readonly comments: Array<{ id: number; author: string; body: string; atMs: number }>
  readonly history: Array<{ from: TicketStatus; to: TicketStatus; by: string; atMs: number; note: string | null }>
  /** Accounts told about changes on /events: creator and commenters. */
  readonly watchers: Set<string>
}

interface IdempotencyRecord {
  readonly fingerprint: string
  readonly snapshot: TicketView
  readonly createdAtMs: number
}

export interface TicketFilter {
  readonly status?: TicketStatus
  readonly reason?: ReasonCode
  readonly insuredId?: string
  readonly createdBy?: string
}

/** Stable digest of a decoded body: keys sorted, so field order does not matter. */
const fingerprintOf = (body: unknown): string => {
  const canonical = (v: unknown): unknown =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]))
      : v
  return createHash("sha256").update(JSON.stringify(canonical(body))).digest("hex")
}

export class Tickets {
  private readonly tickets: Array<TicketRecord> = []
  private readonly idempotency = new Map<string, IdempotencyRecord>()
  private nextComment = 1

  constructor(private readonly idempotencyTtlMs: number = DAY_MS) {}

  get size(): number {
    return this.tickets.length
  }

  /**
   * Creates a ticket, or replays the one created earlier with the same key and body.
   * `replayed` tells the caller which happened.
   */
  create(input: CreateTicketRequest, by: string, idempotencyKey: string | undefined, nowMs: number): { ticket: TicketView; replayed: boolean } {
    const slot = idempotencyKey === undefined ? undefined : `${by}\u0000${idempotencyKey}`
    const fingerprint = slot === undefined ? "" : fingerprintOf(input)
    if (slot !== undefined) {
      const previous = this.idempotency.get(slot)
      if (previous !== undefined && nowMs - previous.createdAtMs < this.idempotencyTtlMs) {
        if (previous.fingerprint !== fingerprint) {
          throw new Psn1Error("IDEMPOTENCY_KEY_REUSED", `Idempotency-Key ${JSON.stringify(idempotencyKey)} was used for a different ticket (${previous.snapshot.id})`)
        }
        return { ticket: previous.snapshot, replayed: true }
      }
    }
    const record: TicketRecord = {
      id: `T${String(this.tickets.length + 1).padStart(6, "0")}`,
      status: "new",
      reason: input.reason,
      flow: input.flow ?? null,
      insuredId: input.insuredId ?? null,
      title: input.title,
      description: input.description,
      priority: input.priority ?? "normal",
      createdBy: by,
      createdAtMs: nowMs,
      updatedAtMs: nowMs,
      comments: [],
      history: [],
      watchers: new Set([by])
    }
    this.tickets.push(record)
    const ticket = viewOf(record)
    if (slot !== undefined) this.idempotency.set(slot, { fingerprint, snapshot: ticket, createdAtMs: nowMs })
    return { ticket, replayed: false }
  }

  get(id: string): TicketView {
    return viewOf(this.record(id))
  }

  /** Accounts to notify about `id`. */
  watchers(id: string): ReadonlySet<string> {
    return this.record(id).watchers
  }

  list(filter: TicketFilter, afterId: string | undefined, limit: number): { items: Array<TicketView>; next: string | null } {
    const items: Array<TicketView> = []
    let i = afterId === undefined ? 0 : Math.max(0, Number(afterId.slice(1)))
    for (; i < this.tickets.length && items.length < limit; i++) {
      const t = this.tickets[i] as TicketRecord
      if (filter.status !== undefined && t.status !== filter.status) continue
      if (filter.reason !== undefined && t.reason !== filter.reason) continue
      if (filter.insuredId !== undefined && t.insuredId !== filter.insuredId) continue
      if (filter.createdBy !== undefined && t.createdBy !== filter.createdBy) continue
      items.push(viewOf(t))
    }
    const last = items[items.length - 1]
    return { items, next: i < this.tickets.length && last !== undefined ? last.id : null }
  }

  comment(id: string, body: string, by: string, nowMs: number): TicketView {
    const t = this.record(id)
    if (t.status === "closed") throw new Psn1Error("TICKET_CLOSED", `${id} is closed`)
    t.comments.push({ id: this.nextComment++, author: by, body, atMs: nowMs })
    t.watchers.add(by)
    t.updatedAtMs = nowMs
    return viewOf(t)
  }

  changeStatus(id: string, to: TicketStatus, note: string | null, by: string, nowMs: number): TicketView {
    const t = this.record(id)
    if (t.status === "closed") throw new Psn1Error("TICKET_CLOSED", `${id} is closed`)
    const allowed = ALLOWED_MOVES[t.status]
    if (!allowed.includes(to)) {
      throw new Psn1Error("INVALID_TRANSITION", `${id} cannot go from ${t.status} to ${to} (allowed: ${allowed.join(", ")})`)
    }
    t.history.push({ from: t.status, to, by, atMs: nowMs, note })
    t.status = to
    t.updatedAtMs = nowMs
    return viewOf(t)
  }

  /** Read-only copy of the remembered `Idempotency-Key`s: whose, which key, the ticket it made. */
  idempotencyKeys(): Array<{ account: string; key: string; ticketId: string; createdAtMs: number }> {
    return [...this.idempotency].map(([slot, r]) => {
      const cut = slot.indexOf("\u0000")
      return { account: slot.slice(0, cut), key: slot.slice(cut + 1), ticketId: r.snapshot.id, createdAtMs: r.createdAtMs }
    })
  }

  /** Forgets idempotency keys older than their lifetime. */
  sweep(nowMs: number): void {
    for (const [slot, r] of this.idempotency) if (nowMs - r.createdAtMs >= this.idempotencyTtlMs) this.idempotency.delete(slot)
  }

  private record(id: string): TicketRecord {
    const t = /^T[0-9]{6,11}$/.test(id) ? this.tickets[Number(id.slice(1)) - 1] : undefined
    if (t === undefined || t.id !== id) throw new Psn1Error("TICKET_NOT_FOUND", `no ticket ${id}`)
    return t
  }
}

const viewOf = (t: TicketRecord): TicketView => ({
  id: t.id,
  status: t.status,
  reason: t.reason,
  flow: t.flow,
  insuredId: t.insuredId,
  title: t.title,
  description: t.description,
  priority: t.priority,
  createdBy: t.createdBy,
  createdAt: isoOf(t.createdAtMs),
  updatedAt: isoOf(t.updatedAtMs),
  comments: t.comments.map((c) => ({ id: c.id, author: c.author, body: c.body, at: isoOf(c.atMs) })),
  history: t.history.map((h) => ({ from: h.from, to: h.to, by: h.by, at: isoOf(h.atMs), note: h.note }))
})
