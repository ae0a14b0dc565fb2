/**
 * The advisors of one skill group: who is logged out, who is idle (a FIFO ring: the longest idle
 * takes the next piece of work), and how many busy ones must log out when they finish because the
 * headcount was cut while they were busy. Advisor ids of a group are [base, base + capacity).
 *
 * Invariant: staffed = idle + busy (on a call or a form); 0 <= pendingLogout <= busy.
 */
export class Pool {
  staffed = 0
  pendingLogout = 0
  private readonly ring: Int32Array
  private readonly ringMask: number
  private idleHead = 0
  private idleTail = 0
  private readonly off: Int32Array
  private offTop = 0

  constructor(
    readonly base: number,
    readonly capacity: number
  ) {
    let cap = 2
    while (cap < capacity) cap *= 2
    this.ring = new Int32Array(cap)
    this.ringMask = cap - 1
    this.off = new Int32Array(Math.max(1, capacity))
    for (let a = base + capacity - 1; a >= base; a--) this.off[this.offTop++] = a
  }

  get idle(): number {
    return this.idleTail - this.idleHead
  }

  /** An advisor logs in (requires staffed < capacity); returns their id. */
  login(): number {
    this.staffed++
    return this.off[--this.offTop]!
  }

  /** A (not idle) advisor logs out. */
  logout(agent: number): void {
    this.staffed--
    this.off[this.offTop++] = agent
  }

  pushIdle(agent: number): void {
    this.ring[this.idleTail & this.ringMask] = agent
    this.idleTail++
  }

  /** The longest-idle advisor (requires idle > 0). */
  popIdle(): number {
    const agent = this.ring[this.idleHead & this.ringMask]!
    this.idleHead++
    return agent
  }

  /** The most recently idle advisor leaves (requires idle > 0); returns their id. */
  logoutMostRecentIdle(): number {
    this.idleTail--
    const agent = this.ring[this.idleTail & this.ringMask]!
    this.logout(agent)
    return agent
  }
}
