import { describe, expect, it } from "vitest"
import { FLOW_CODES, REASON_CODES, REASONS, isFlowCode, isReasonCode } from "../../sim/domain/vocabulary.js"

describe("contract vocabulary", () => {
  it("lists the 17 call reasons of CCTP 2.1.7 with unique codes and labels", () => {
    expect(REASONS).toHaveLength(17)
    expect(new Set(REASON_CODES).size).toBe(17)
    expect(new Set(REASONS.map((r) => r.label)).size).toBe(17)
    expect(REASON_CODES[0]).toBe("cvSerialUnreadable")
    expect(REASONS.find((r) => r.code === "outOfScope")?.label).toBe("Hors périmètre Mon espace santé")
  })

  it("has the two IVR flows and recognises codes exactly", () => {
    expect(FLOW_CODES).toEqual(["opposition", "horsOpposition"])
    expect(isFlowCode("opposition")).toBe(true)
    expect(isFlowCode("Opposition")).toBe(false)
    expect(isReasonCode("enrolmentHelp")).toBe(true)
    expect(isReasonCode("enrolment")).toBe(false)
    expect(isReasonCode(3)).toBe(false)
  })
})
