/**
 * The mock's outgoing mail: where login OTPs are "sent" (SEC-HAB-02).
 *
 * Invariant: messages are kept per recipient, newest last, at most `perAddressCap` per
 * address (older ones are dropped), so memory stays bounded whatever the login rate. The
 * HTTP endpoint that reads it (`GET /mailbox/:email`) only exists when the mock runs with
 * `--mailbox`: it stands in for the advisor's real inbox in tests and harnesses.
 */
export interface MailMessage {
  readonly id: number
  readonly to: string
  readonly subject: string
  readonly text: string
  readonly sentAtMs: number
}

export class Mailbox {
  private readonly byAddress = new Map<string, Array<MailMessage>>()
  private nextId = 1

  constructor(private readonly perAddressCap: number = 20) {}

  send(to: string, subject: string, text: string, nowMs: number): MailMessage {
    const message = { id: this.nextId++, to, subject, text, sentAtMs: nowMs }
    const list = this.byAddress.get(to) ?? []
    list.push(message)
    if (list.length > this.perAddressCap) list.splice(0, list.length - this.perAddressCap)
    this.byAddress.set(to, list)
    return message
  }

  /** Messages to `address` (lower-case), oldest first. */
  read(address: string): ReadonlyArray<MailMessage> {
    return this.byAddress.get(address) ?? []
  }

  /** Every message kept, in sending order (a read-only copy, for tests). */
  all(): Array<MailMessage> {
    return [...this.byAddress.values()].flat().sort((a, b) => a.id - b.id)
  }

  /** Forgets an address's messages (its account was removed). */
  forget(address: string): void {
    this.byAddress.delete(address)
  }
}
