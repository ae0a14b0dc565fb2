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
 * An incident (sim/model/incidents.ts) takes advisors off at once, whatever they are doing:
 * `removeIdle` for an idle one, `detach` for a busy one — who leaves now, but whose id stays
 * reserved (`free`) until the event of the work they were doing has fired.
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

  /** The advisors logged in, in id order. */
  loggedIn(): number[] {
    const out: number[] = []
    for (let i = 0; i < this.capacity; i++) if (this.on[i] !== 0) out.push(this.base + i)
    return out
  }

  /** Logs out `agent` if idle (the others keep their order in the ring); false when `agent` is not idle. */
  removeIdle(agent: number): boolean {
    const mask = this.ringMask
    for (let p = this.idleHead; p < this.idleTail; p++) {
      if (this.ring[p & mask] !== agent) continue
      for (let q = p + 1; q < this.idleTail; q++) this.ring[(q - 1) & mask] = this.ring[q & mask]!
      this.idleTail--
      this.logout(agent)
      return true
    }
    return false
  }

  /** A busy advisor leaves now; their id stays reserved until `free` (the work they were doing has an event still to fire). */
  detach(agent: number): void {
    const i = agent - this.base
    this.staffed--
    this.on[i] = 0
    if (this.leaving[i] !== 0) {
      this.leaving[i] = 0
      this.pendingLogout--
    }
    // firstFree: pendingLogout counts busy advisors; one fewer is busy now.
    const busy = this.staffed - this.idle
    if (this.pendingLogout > busy) this.pendingLogout = busy
  }

  /** A detached advisor's id is free again. */
  free(agent: number): void {
    this.off[this.offTop++] = agent
  }

  /** The most recently idle advisor leaves (requires idle > 0); returns their id. */
  logoutMostRecentIdle(): number {
    this.idleTail--
    const agent = this.ring[this.idleTail & this.ringMask]!
    this.logout(agent)
    return agent
  }
}
