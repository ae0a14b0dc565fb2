/**
 * The access history (CCTP 8.1): every request and every security event, kept at least a
 * year, queryable by the security officer.
 *
 * Invariants:
 * - Append-only, in `seq` order (seq starts at 1 and never repeats); entries leave only when
 *   older than the retention (≥ 366 days, enforced by the caller's option parsing) or, if the
 *   in-memory cap is hit, oldest first — counted in `droppedForMemory` and still present in
 *   the optional JSON-lines sink (`--audit-file`), which receives every entry.
 * - An entry's fields are fixed (who, role, action, target, outcome, status, code, ip,
 *   user agent): there is no free-form field, so no password, OTP or token can land in it.
 */
import type { ErrorCode } from "../errors.js"
import type { Role } from "../schema/fields.js"

export type AuditOutcome = "success" | "denied" | "rejected" | "failed"

export interface AuditRecord {
  readonly seq: number
  readonly atMs: number
  readonly actor: string | null
  readonly role: Role | null
  readonly action: string
  readonly target: string | null
  readonly outcome: AuditOutcome
  readonly status: number
  readonly code: ErrorCode | null
  readonly ip: string
  readonly userAgent: string | null
}

export type AuditInput = Omit<AuditRecord, "seq">

export interface AuditFilter {
  readonly actor?: string
  readonly action?: string
  readonly target?: string
  readonly fromMs?: number
  readonly toMs?: number
}

export interface AuditOptions {
  /** Entries older than this are purged (ms). */
  readonly retentionMs: number
  /** In-memory cap (entries); beyond it the oldest are dropped and counted. */
  readonly maxEntries: number
  /** Receives every entry as one JSON line (e.g. appends to a file). */
  readonly sink?: ((line: string) => void) | undefined
}

/** The outcome class of an HTTP status. */
export const outcomeOf = (status: number): AuditOutcome =>
  status < 400 ? "success" : status === 401 || status === 403 || status === 423 || status === 429 ? "denied" : status < 500 ? "rejected" : "failed"

export class AuditLog {
  private entries: Array<AuditRecord> = []
  private start = 0
  private nextSeq = 1
  private dropped = 0

  constructor(private readonly options: AuditOptions) {}

  append(input: AuditInput): AuditRecord {
    const record: AuditRecord = { seq: this.nextSeq++, ...input }
    this.entries.push(record)
    this.options.sink?.(`${JSON.stringify({ ...record, at: new Date(record.atMs).toISOString() })}\n`)
    if (this.entries.length - this.start > this.options.maxEntries) {
      this.start++
      this.dropped++
      this.compact()
    }
    return record
  }

  /** Entries with seq > `afterSeq` matching `filter`, oldest first; `next` is the cursor to continue. */
  query(filter: AuditFilter, afterSeq: number, limit: number): { items: Array<AuditRecord>; next: number | null } {
    const items: Array<AuditRecord> = []
    let i = this.indexAfter(afterSeq)
    for (; i < this.entries.length && items.length < limit; i++) {
      const e = this.entries[i] as AuditRecord
      if (filter.actor !== undefined && e.actor !== filter.actor) continue
      if (filter.action !== undefined && e.action !== filter.action) continue
      if (filter.target !== undefined && e.target !== filter.target) continue
      if (filter.fromMs !== undefined && e.atMs < filter.fromMs) continue
      if (filter.toMs !== undefined && e.atMs > filter.toMs) continue
      items.push(e)
    }
    const last = items[items.length - 1]
    return { items, next: i < this.entries.length && last !== undefined ? last.seq : null }
  }

  /** Removes entries older than the retention; returns how many. */
  purge(nowMs: number): number {
    const cutoff = nowMs - this.options.retentionMs
    let n = 0
    while (this.start < this.entries.length && (this.entries[this.start] as AuditRecord).atMs < cutoff) {
      this.start++
      n++
    }
    this.compact()
    return n
  }

  get size(): number {
    return this.entries.length - this.start
  }

  get droppedForMemory(): number {
    return this.dropped
  }

  /** Every retained entry, oldest first (tests, exports). */
  all(): ReadonlyArray<AuditRecord> {
    return this.entries.slice(this.start)
  }

  private indexAfter(afterSeq: number): number {
    let lo = this.start
    let hi = this.entries.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((this.entries[mid] as AuditRecord).seq <= afterSeq) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** Drops the consumed prefix once it is at least half the array (amortised O(1)). */
  private compact(): void {
    if (this.start > 1024 && this.start * 2 >= this.entries.length) {
      this.entries = this.entries.slice(this.start)
      this.start = 0
    }
  }
}
