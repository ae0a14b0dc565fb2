/**
 * The advisors of one skill group: who is logged out, who is idle (a FIFO ring: the longest idle
 * takes the next piece of work), and how many busy ones must log out when they finish because the
 * headcount was cut while they were busy. Advisor ids of a group are [base, base + capacity).
 *
 * Who leaves when the headcount is cut and nobody is idle (`staffing.shiftEnd`, README):
 * - `firstFree`: whichever busy advisor finishes first logs out (a count, `pendingLogout`);
 * - `ownCall`: the advisors whose shift ends — the earliest logged in — are named (`leaving`);
 *   each finishes their own call, then leaves, while the others keep taking work.
 *
 * Invariant: staffed = idle + busy (on a call or a form); 0 <= pendingLogout <= busy; under
 * ownCall, pendingLogout = the number of advisors flagged `leaving`, all of them busy.
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
  /** Login order of each advisor (index agent − base), and whether they are logged in / leaving. */
  private readonly loginOrder: Float64Array
  private readonly on: Uint8Array
  readonly leaving: Uint8Array
  private logins = 0

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
    this.loginOrder = new Float64Array(Math.max(1, capacity))
    this.on = new Uint8Array(Math.max(1, capacity))
    this.leaving = new Uint8Array(Math.max(1, capacity))
  }

  /** True when `agent` (a busy advisor of this group) was named to leave after their current work (ownCall). */
  isLeaving(agent: number): boolean {
    return this.leaving[agent - this.base] !== 0
  }

  /** ownCall: names the earliest-logged-in busy advisor not yet leaving (requires idle = 0 and one such advisor). */
  nameLeaver(): number {
    let best = -1
    for (let i = 0; i < this.capacity; i++) {
      if (this.on[i] !== 0 && this.leaving[i] === 0 && (best < 0 || this.loginOrder[i]! < this.loginOrder[best]!)) best = i
    }
    this.leaving[best] = 1
    this.pendingLogout++
    return this.base + best
  }

  /** ownCall: the latest-logged-in leaver stays after all (the headcount rose again). */
  keepLeaver(): number {
    let best = -1
    for (let i = 0; i < this.capacity; i++) {
      if (this.leaving[i] !== 0 && (best < 0 || this.loginOrder[i]! > this.loginOrder[best]!)) best = i
    }
    this.leaving[best] = 0
    this.pendingLogout--
    return this.base + best
  }

  get idle(): number {
    return this.idleTail - this.idleHead
  }

  /** An advisor logs in (requires staffed < capacity); returns their id. */
  login(): number {
    this.staffed++
    const agent = this.off[--this.offTop]!
    this.on[agent - this.base] = 1
    this.loginOrder[agent - this.base] = this.logins++
    return agent
  }

  /** A (not idle) advisor logs out. */
  logout(agent: number): void {
    this.staffed--
    this.on[agent - this.base] = 0
    this.leaving[agent - this.base] = 0
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
