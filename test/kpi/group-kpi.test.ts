/** KPIs per IVR flow and per call reason, on hand-made sums. */
import { describe, expect, it } from "vitest"
import { groupKpis } from "../../sim/kpi/groups.js"
import { GROUP_COLUMNS } from "../../sim/kpi/intervals.js"
import type { GroupSums } from "../../sim/kpi/periods.js"

const zero = Object.fromEntries(GROUP_COLUMNS.map((c) => [c, 0])) as GroupSums

describe("per-flow and per-reason KPIs", () => {
  it("use the CCTP denominators restricted to the group's calls", () => {
    const s: GroupSums = {
      ...zero,
      offered: 200, redials: 10, dissuadedClosure: 20, dissuadedTelecom: 5, dissuadedIvr: 15,
      answered: 144, answeredWithinSl: 120, abandoned: 16, transferred: 4, tickets: 9,
      waitSeconds: 3200, talkSeconds: 36_000, wrapSeconds: 4320
    }
    expect(groupKpis(s)).toEqual({
      answerRate: 144 / 160,
      abandonRate: 16 / 160,
      meanWaitSeconds: 20,
      serviceLevel: 120 / 160,
      meanTalkSeconds: 250,
      meanHandleSeconds: 280,
      transferRate: 4 / 200
    })
  })

  it("are undefined (NaN) for a group without calls", () => {
    const k = groupKpis(zero)
    expect(Object.values(k).every(Number.isNaN)).toBe(true)
  })
})
