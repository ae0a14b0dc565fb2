/**
 * The ready pool: ready, connected agents, longest idle first.
 *
 * Order: by `readySeq`, the rank of the moment the agent last became ready (the platform
 * numbers these moments in clock order, so it is the order of `sinceMs` with ties kept in the
 * order they happened). An agent that drops out of the pool without leaving the ready state —
 * its connection is lost, then restored within the grace period — comes back at its old place,
 * not at the end: its idle time never stopped counting.
 *
 * Why a heap and not an insertion-ordered Map: re-entries land in the middle of the order, and
 * after a VPN cut thousands of agents reconnect in random order; an indexed binary min-heap
 * keeps every operation O(log n) (add, delete by login) and `first()` O(1).
 *
 * Invariant: `index.get(login) === i` exactly when `heap[i]` is that agent, and every parent's
 * `readySeq` is below its children's.
 */
import type { Agent } from "./model.js"

export class ReadyPool {
  private readonly heap: Array<Agent> = []
  private readonly index = new Map<string, number>()

  get size(): number {
    return this.heap.length
  }

  has(login: string): boolean {
    return this.index.has(login)
  }

  /** Logins in the pool (any order; for audits). */
  keys(): IterableIterator<string> {
    return this.index.keys()
  }

  /** The longest-idle agent, if any. */
  first(): Agent | undefined {
    return this.heap[0]
  }

  /** Adds an agent at its place by `readySeq`; no-op when it is already in. */
  add(agent: Agent): void {
    const login = agent.account.login
    if (this.index.has(login)) return
    this.heap.push(agent)
    this.index.set(login, this.heap.length - 1)
    this.up(this.heap.length - 1)
  }

  /** Removes an agent; no-op when it is not in. */
  delete(login: string): void {
    const i = this.index.get(login)
    if (i === undefined) return
    this.index.delete(login)
    const last = this.heap.pop()!
    if (i === this.heap.length) return
    this.heap[i] = last
    this.index.set(last.account.login, i)
    this.down(i)
    this.up(i)
  }

  private up(i: number): void {
    const h = this.heap
    const a = h[i]!
    while (i > 0) {
      const p = (i - 1) >> 1
      if (h[p]!.readySeq <= a.readySeq) break
      h[i] = h[p]!
      this.index.set(h[i]!.account.login, i)
      i = p
    }
    h[i] = a
    this.index.set(a.account.login, i)
  }

  private down(i: number): void {
    const h = this.heap
    const n = h.length
    const a = h[i]!
    for (;;) {
      const l = 2 * i + 1
      if (l >= n) break
      const r = l + 1
      const c = r < n && h[r]!.readySeq < h[l]!.readySeq ? r : l
      if (h[c]!.readySeq >= a.readySeq) break
      h[i] = h[c]!
      this.index.set(h[i]!.account.login, i)
      i = c
    }
    h[i] = a
    this.index.set(a.account.login, i)
  }
}
