import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { isValidNir, makeNir, nirKey } from "../../mock-psn1/domain/nir.js"
import { generatePopulation } from "../../mock-psn1/domain/population.js"

describe("NIR control key", () => {
  it("is 97 − (the 13-digit number mod 97), as computed independently with BigInt", () => {
    fc.assert(fc.property(fc.stringMatching(/^[0-9]{13}$/), (body) => {
      const expected = 97n - (BigInt(body) % 97n)
      expect(nirKey(body)).toBe(String(expected).padStart(2, "0"))
      expect(isValidNir(body + nirKey(body))).toBe(true)
    }), { seed: 1, numRuns: 500 })
  })

  it("rejects a NIR when any single digit is changed (the key catches it)", () => {
    fc.assert(fc.property(fc.stringMatching(/^[0-9]{13}$/), fc.nat(12), fc.integer({ min: 1, max: 9 }), (body, pos, delta) => {
      const nir = body + nirKey(body)
      const changed = nir.slice(0, pos) + String((Number(nir[pos]) + delta) % 10) + nir.slice(pos + 1)
      expect(isValidNir(changed)).toBe(false)
    }), { seed: 2, numRuns: 500 })
  })

  it("rejects wrong shapes", () => {
    for (const s of ["", "12345678901234", "1234567890123456", "2A0514168025 38", "18505751234560a"]) expect(isValidNir(s)).toBe(false)
  })

  it("accepts Corsican NIRs (département 2A/2B), whose key counts 2A as 19 and 2B as 18", () => {
    fc.assert(fc.property(fc.stringMatching(/^[12][0-9]{4}$/), fc.constantFrom(["2A", "19"], ["2B", "18"]), fc.stringMatching(/^[0-9]{6}$/),
      (head, [corsica, digits], tail) => {
        const key = String(97n - (BigInt(`${head}${digits}${tail}`) % 97n)).padStart(2, "0")
        expect(nirKey(`${head}${corsica}${tail}`)).toBe(key)
        expect(isValidNir(`${head}${corsica}${tail}${key}`)).toBe(true)
        expect(isValidNir(`${head}${corsica}${tail}${key === "01" ? "02" : "01"}`)).toBe(false)
      }), { seed: 3, numRuns: 300 })
    expect(isValidNir("185052A123456" + nirKey("1850519123456"))).toBe(true)
    for (const s of ["18505 2A12345600", "185052a123456" + nirKey("1850519123456"), "185052C12345600", "18505A2123456" + nirKey("1850519123456")]) {
      expect(isValidNir(s), s).toBe(false)
    }
  })

  it("builds the body from sex, birth year and month, 5-digit place and order", () => {
    const nir = makeNir({ sex: 2, birthYear: 1987, birthMonth: 3, place5: "69123", order: 45 })
    expect(nir.slice(0, 13)).toBe("2870369123045")
    expect(isValidNir(nir)).toBe(true)
  })
})

describe("synthetic population", () => {
  it("is the same for the same seed and different for another seed", () => {
    expect(JSON.stringify(generatePopulation("s1", 200))).toBe(JSON.stringify(generatePopulation("s1", 200)))
    expect(generatePopulation("s2", 50).map((p) => p.nir)).not.toEqual(generatePopulation("s1", 50).map((p) => p.nir))
  })

  it("keeps the first people unchanged when the population grows", () => {
    expect(generatePopulation("grow", 1000).slice(0, 300)).toEqual(generatePopulation("grow", 300))
  })

  it("has unique valid NIRs consistent with sex and birth date, fake emails, and sequential ids", () => {
    const people = generatePopulation("check", 5000)
    const nirs = new Set<string>()
    people.forEach((p, i) => {
      expect(isValidNir(p.nir)).toBe(true)
      nirs.add(p.nir)
      expect(p.id).toBe(`I${String(i + 1).padStart(7, "0")}`)
      expect(p.nir[0]).toBe(p.sex === "F" ? "2" : "1")
      expect(p.nir.slice(1, 5)).toBe(p.birthDate.slice(2, 4) + p.birthDate.slice(5, 7))
      expect(p.email).toMatch(/^[a-z-]+\.[a-z-]+\.[0-9]+@example\.test$/)
      for (const r of p.legalRepresentatives) expect(isValidNir(r.nir)).toBe(true)
    })
    expect(nirs.size).toBe(5000)
  })

  it("never generates Corsica (20, 2A, 2B): birth départements are 01–95 or 971–976", () => {
    const people = generatePopulation("check", 5000)
    const departements = new Set<string>()
    for (const nir of people.flatMap((p) => [p.nir, ...p.legalRepresentatives.map((r) => r.nir)])) {
      expect(nir).toMatch(/^[0-9]{15}$/) // no 2A/2B letters
      const two = nir.slice(5, 7)
      const dept = two === "97" ? nir.slice(5, 8) : two
      expect(dept === "20" || !(/^(0[1-9]|[1-8][0-9]|9[0-5]|97[1-6])$/.test(dept)), `${nir}: département ${dept}`).toBe(false)
      departements.add(dept)
    }
    expect(departements.has("20")).toBe(false)
    expect(departements.size).toBeGreaterThan(90) // the whole range is drawn, Corsica aside
  })

  it("has every profile status, devices only on created profiles, and legal representatives only for minors", () => {
    const people = generatePopulation("check", 5000)
    const share = (status: string) => people.filter((p) => p.status === status).length / people.length
    expect(share("pending")).toBeGreaterThan(0.06)
    expect(share("pending")).toBeLessThan(0.1)
    expect(share("active")).toBeGreaterThan(0.82)
    expect(share("opposed")).toBeGreaterThan(0.035)
    expect(share("closed")).toBeGreaterThan(0.01)
    for (const p of people) {
      if (p.status === "pending" || p.status === "opposed") expect(p.devices).toEqual([])
      if (p.status === "closed") expect(p.devices.every((d) => d.status === "unlinked")).toBe(true)
      const adultOn2025 = Date.parse(p.birthDate) <= Date.parse("2007-11-09")
      if (adultOn2025) expect(p.legalRepresentatives).toEqual([])
      else expect(p.legalRepresentatives.length).toBeGreaterThan(0)
    }
  })
})
