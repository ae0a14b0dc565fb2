/**
 * A login costs one scrypt run whether or not the email has an account — including the very
 * first unknown email, whose dummy hash must already exist (built when the portal is created).
 * scrypt is counted by wrapping node:crypto for this file only.
 */
import * as crypto from "node:crypto"
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import { makeApp, OFFICER, type TestApp } from "./harness.js"

const runs = vi.hoisted(() => ({ scrypt: 0 }))

vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof crypto>()
  const scrypt = ((...args: Parameters<typeof actual.scrypt>) => {
    runs.scrypt++
    return actual.scrypt(...args)
  }) as typeof actual.scrypt
  return { ...actual, scrypt, default: { ...actual, scrypt } }
})

describe("login cost", () => {
  let t: TestApp
  beforeEach(async () => {
    t = await makeApp()
    runs.scrypt = 0
  })
  afterEach(async () => {
    await t.app.close()
  })

  it("spends exactly one scrypt run on the first unknown email, as on a wrong password for a real account", async () => {
    const unknown = await t.app.inject({ method: "POST", url: "/auth/login", payload: { email: "nobody@example.test", password: "Wrong-pass-1" } })
    expect(unknown.json().code).toBe("INVALID_CREDENTIALS")
    expect(runs.scrypt).toBe(1)
    const wrong = await t.app.inject({ method: "POST", url: "/auth/login", payload: { email: OFFICER.email, password: "Wrong-pass-1" } })
    expect(wrong.json().code).toBe("INVALID_CREDENTIALS")
    expect(runs.scrypt).toBe(2)
  })
})
