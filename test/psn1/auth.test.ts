import { afterEach, beforeEach, describe, expect, it, onTestFinished } from "vitest"
import { DAY_MS, MINUTE_MS, HOUR_MS } from "../../mock-psn1/clock.js"
import { bearer, expectDocumented, latestOtp, login, makeApp, OFFICER, PASSWORD, staff, type TestApp } from "./harness.js"

const ALICE = "alice.martin@example.test"

describe("login with OTP (SEC-HAB-02)", () => {
  let t: TestApp
  beforeEach(async () => {
    t = await makeApp()
  })
  afterEach(async () => {
    await t.app.close()
  })

  it("logs in with password, then the OTP emailed to the mailbox, and returns a bearer token that works", async () => {
    const { app } = t
    const step1 = await app.inject({ method: "POST", url: "/auth/login", payload: { email: OFFICER.email, password: OFFICER.password } })
    expect(step1.statusCode).toBe(202)
    expect(step1.json()).toEqual({ status: "otpSent", sentTo: "r***@example.test", otpExpiresAt: "2026-01-05T08:35:00.000Z" })
    expectDocumented("POST", "/auth/login", step1)

    const mail = await app.inject({ method: "GET", url: `/mailbox/${OFFICER.email}` })
    expect(mail.statusCode).toBe(200)
    expect(mail.json().items).toHaveLength(1)
    expect(mail.json().items[0]).toMatchObject({ to: OFFICER.email, subject: "PSN1 : votre code de connexion", sentAt: "2026-01-05T08:30:00.000Z" })
    expectDocumented("GET", "/mailbox/{email}", mail)
    const otp = await latestOtp(app, OFFICER.email)

    const step2 = await app.inject({ method: "POST", url: "/auth/otp", payload: { email: OFFICER.email, otp } })
    expect(step2.statusCode).toBe(200)
    expectDocumented("POST", "/auth/otp", step2)
    const body = step2.json()
    expect(body.tokenType).toBe("Bearer")
    expect(body.token).toMatch(/^psn1_[A-Za-z0-9_-]{43}$/)
    expect(body.expiresAt).toBe("2026-01-05T16:30:00.000Z")
    expect(body.account).toMatchObject({ email: OFFICER.email, role: "securityOfficer", status: "active", lastLoginAt: "2026-01-05T08:30:00.000Z" })

    const me = await app.inject({ method: "GET", url: "/auth/session", headers: bearer(body.token) })
    expect(me.statusCode).toBe(200)
    expect(me.json()).toMatchObject({ issuedAt: "2026-01-05T08:30:00.000Z", expiresAt: "2026-01-05T16:30:00.000Z", account: { email: OFFICER.email } })
    expectDocumented("GET", "/auth/session", me)
  })

  it("answers a wrong password and an unknown email identically (401 INVALID_CREDENTIALS) and sends no OTP", async () => {
    const { app } = t
    const wrong = await app.inject({ method: "POST", url: "/auth/login", payload: { email: OFFICER.email, password: "Wrong-pass-1" } })
    const unknown = await app.inject({ method: "POST", url: "/auth/login", payload: { email: "nobody@example.test", password: "Wrong-pass-1" } })
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401)
      expect(res.json()).toEqual({ code: "INVALID_CREDENTIALS", message: "wrong email or password" })
      expectDocumented("POST", "/auth/login", res)
    }
    expect(app.psn1.mailbox.read(OFFICER.email)).toHaveLength(0)
  })

  it("accepts the email in any case", async () => {
    const token = await login(t.app, "RSSI@Example.TEST", OFFICER.password)
    expect(token).toMatch(/^psn1_/)
  })

  it("refuses a wrong OTP (401 OTP_INVALID), a reused OTP, and an OTP older than 5 minutes (401 OTP_EXPIRED)", async () => {
    const { app, clock } = t
    await app.inject({ method: "POST", url: "/auth/login", payload: OFFICER })
    const otp = await latestOtp(app, OFFICER.email)
    const wrongCode = otp === "000000" ? "111111" : "000000"
    const wrong = await app.inject({ method: "POST", url: "/auth/otp", payload: { email: OFFICER.email, otp: wrongCode } })
    expect(wrong.statusCode).toBe(401)
    expect(wrong.json().code).toBe("OTP_INVALID")
    const ok = await app.inject({ method: "POST", url: "/auth/otp", payload: { email: OFFICER.email, otp } })
    expect(ok.statusCode).toBe(200)
    const reused = await app.inject({ method: "POST", url: "/auth/otp", payload: { email: OFFICER.email, otp } })
    expect(reused.statusCode).toBe(401)
    expect(reused.json().code).toBe("OTP_INVALID")

    clock.advance(1000) // the wait after that failure (the reused OTP) before this address's next login
    expect((await app.inject({ method: "POST", url: "/auth/login", payload: OFFICER })).statusCode).toBe(202)
    const late = await latestOtp(app, OFFICER.email)
    clock.advance(5 * MINUTE_MS)
    const expired = await app.inject({ method: "POST", url: "/auth/otp", payload: { email: OFFICER.email, otp: late } })
    expect(expired.statusCode).toBe(401)
    expect(expired.json()).toEqual({ code: "OTP_EXPIRED", message: "the code has expired; log in again to receive a new one" })
  })

  it("answers OTP_EXPIRED, not counted as a failure, for the right code after its lifetime even once the background sweep has run (--otp-ttl-minutes 1)", async () => {
    const t1 = await makeApp({ policy: { otpTtlMs: MINUTE_MS } })
    onTestFinished(() => t1.app.close())
    const { app, clock } = t1
    await app.inject({ method: "POST", url: "/auth/login", payload: OFFICER })
    const otp = await latestOtp(app, OFFICER.email)
    clock.advance(63_000)
    app.psn1.tick() // the sweep the server runs every second
    const failuresBefore = app.psn1.accounts.failureTable()
    for (let i = 0; i < 6; i++) {
      const late = await app.inject({ method: "POST", url: "/auth/otp", payload: { email: OFFICER.email, otp } })
      expect([late.statusCode, late.json()]).toEqual([401, { code: "OTP_EXPIRED", message: "the code has expired; log in again to receive a new one" }])
      expectDocumented("POST", "/auth/otp", late)
      clock.advance(1000)
      app.psn1.tick()
    }
    expect(app.psn1.accounts.failureTable()).toEqual(failuresBefore)
    expect(await login(app, OFFICER.email, OFFICER.password)).toMatch(/^psn1_/) // never locked
  })

  it("invalidates an OTP after 3 wrong tries, and a new login supersedes the previous OTP", async () => {
    const { app, clock } = t
    await app.inject({ method: "POST", url: "/auth/login", payload: OFFICER })
    const first = await latestOtp(app, OFFICER.email)
    const bad = first === "999999" ? "888888" : "999999"
    for (let i = 0; i < 3; i++) {
      const res = await app.inject({ method: "POST", url: "/auth/otp", payload: { email: OFFICER.email, otp: bad } })
      expect(res.json().code).toBe("OTP_INVALID")
    }
    const afterTries = await app.inject({ method: "POST", url: "/auth/otp", payload: { email: OFFICER.email, otp: first } })
    expect(afterTries.json().code).toBe("OTP_INVALID")
    clock.advance(16 * MINUTE_MS) // leave the lockout window: those 4 failures no longer count

    await app.inject({ method: "POST", url: "/auth/login", payload: OFFICER })
    const older = await latestOtp(app, OFFICER.email)
    await app.inject({ method: "POST", url: "/auth/login", payload: OFFICER })
    const newer = await latestOtp(app, OFFICER.email)
    if (older !== newer) {
      const superseded = await app.inject({ method: "POST", url: "/auth/otp", payload: { email: OFFICER.email, otp: older } })
      expect(superseded.json().code).toBe("OTP_INVALID")
    }
    const good = await app.inject({ method: "POST", url: "/auth/otp", payload: { email: OFFICER.email, otp: newer } })
    expect(good.statusCode).toBe(200)
  })

  it("expires the token after its TTL (401 TOKEN_EXPIRED, WWW-Authenticate: Bearer) without any sleeping", async () => {
    const { app, clock } = t
    const token = await login(app, OFFICER.email, OFFICER.password)
    clock.advance(8 * HOUR_MS - 1)
    expect((await app.inject({ method: "GET", url: "/auth/session", headers: bearer(token) })).statusCode).toBe(200)
    clock.advance(1)
    const res = await app.inject({ method: "GET", url: "/auth/session", headers: bearer(token) })
    expect(res.statusCode).toBe(401)
    expect(res.headers["www-authenticate"]).toBe('Bearer realm="psn1"')
    expect(res.json()).toEqual({ code: "TOKEN_EXPIRED", message: "this token expired at 2026-01-05T16:30:00.000Z" })
  })

  it("revokes the token on logout (401 TOKEN_REVOKED) while another session of the same account stays valid", async () => {
    const { app } = t
    const a = await login(app, OFFICER.email, OFFICER.password)
    const b = await login(app, OFFICER.email, OFFICER.password)
    const out = await app.inject({ method: "POST", url: "/auth/logout", headers: bearer(a) })
    expect(out.statusCode).toBe(204)
    expect(out.body).toBe("")
    const again = await app.inject({ method: "GET", url: "/auth/session", headers: bearer(a) })
    expect(again.statusCode).toBe(401)
    expect(again.json()).toEqual({ code: "TOKEN_REVOKED", message: "this token was revoked by logout" })
    expect((await app.inject({ method: "GET", url: "/auth/session", headers: bearer(b) })).statusCode).toBe(200)
  })
})

describe("lockout after repeated failures", () => {
  let t: TestApp
  beforeEach(async () => {
    t = await makeApp()
  })
  afterEach(async () => {
    await t.app.close()
  })

  it("locks an email after 5 failures in 15 minutes (423 ACCOUNT_LOCKED + Retry-After), refuses even the right password, and unlocks after 15 minutes", async () => {
    const { app, clock } = t
    for (let i = 0; i < 5; i++) {
      const res = await app.inject({ method: "POST", url: "/auth/login", payload: { email: OFFICER.email, password: `Wrong-pass-${i}` } })
      expect(res.json().code).toBe("INVALID_CREDENTIALS")
      clock.advance(MINUTE_MS)
    }
    const locked = await app.inject({ method: "POST", url: "/auth/login", payload: OFFICER })
    expect(locked.statusCode).toBe(423)
    expect(locked.headers["retry-after"]).toBe("840")
    expect(locked.json()).toEqual({ code: "ACCOUNT_LOCKED", message: "too many failed attempts; try again in 840 s" })
    expectDocumented("POST", "/auth/login", locked)
    expect(app.psn1.mailbox.read(OFFICER.email)).toHaveLength(0)

    clock.advance(14 * MINUTE_MS)
    expect((await app.inject({ method: "POST", url: "/auth/login", payload: OFFICER })).statusCode).toBe(202)
  })

  it("evaluates at most 5 of 30 parallel guesses and answers the right password like the wrong ones once they are used up", async () => {
    const { app } = t
    const RIGHT = new Set([12, 29])
    const responses = await Promise.all(Array.from({ length: 30 }, (_, i) =>
      app.inject({ method: "POST", url: "/auth/login", payload: { email: OFFICER.email, password: RIGHT.has(i) ? OFFICER.password : `Wrong-pass-${i}` } })))
    const answers = responses.map((r) => [r.statusCode, r.json().code as string] as const)
    // Each request is admitted only while recorded failures + attempts in flight < 5: the
    // first five (all wrong) are evaluated, every later one is refused before hashing.
    expect(answers.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => [401, "INVALID_CREDENTIALS"]))
    expect(answers.slice(5)).toEqual(Array.from({ length: 25 }, () => [423, "ACCOUNT_LOCKED"]))
    for (const i of RIGHT) {
      expect(answers[i]).toEqual(answers[i - 1]) // the right password: same status, same code as a wrong one
      expect(responses[i]?.headers["retry-after"]).toMatch(/^[0-9]+$/)
    }
    expect(app.psn1.mailbox.read(OFFICER.email)).toHaveLength(0)
    const locked = await app.inject({ method: "POST", url: "/auth/login", payload: OFFICER })
    expect(locked.statusCode).toBe(423)
    expect(locked.json()).toEqual({ code: "ACCOUNT_LOCKED", message: "too many failed attempts; try again in 900 s" })
  })

  it("refuses with the same 423, whatever the password, an attempt whose hash was running when the lock fell", async () => {
    const { app, clock } = t
    const accounts = app.psn1.accounts
    const origin = { ip: "127.0.0.1", userAgent: null }
    const outcome = (p: Promise<unknown>): Promise<string> => p.then(() => "otpSent", (e: { code: string }) => e.code)
    const wrong = outcome(accounts.login(OFFICER.email, "Wrong-pass-1", () => clock.nowMs(), origin))
    const right = outcome(accounts.login(OFFICER.email, OFFICER.password, () => clock.nowMs(), origin))
    // While both hashes run (on the thread pool), five wrong OTPs lock the email.
    for (let i = 0; i < 5; i++) {
      expect(() => accounts.verifyOtp(OFFICER.email, "000000", clock.nowMs(), origin)).toThrow("wrong code")
    }
    expect(accounts.lockedUntilMs(OFFICER.email, clock.nowMs())).toBe(clock.nowMs() + 15 * MINUTE_MS)
    expect([await wrong, await right]).toEqual(["ACCOUNT_LOCKED", "ACCOUNT_LOCKED"])
    expect(accounts.lockedUntilMs(OFFICER.email, clock.nowMs())).toBe(clock.nowMs() + 15 * MINUTE_MS) // not extended
  })

  it("does not lock when the failures are spread over more than the 15-minute window", async () => {
    const { app, clock } = t
    for (let i = 0; i < 8; i++) {
      const res = await app.inject({ method: "POST", url: "/auth/login", payload: { email: OFFICER.email, password: "Wrong-pass-1" } })
      expect(res.json().code).toBe("INVALID_CREDENTIALS")
      clock.advance(4 * MINUTE_MS)
    }
    expect((await app.inject({ method: "POST", url: "/auth/login", payload: OFFICER })).statusCode).toBe(202)
  })

  it("counts wrong OTPs towards the lockout", async () => {
    const { app } = t
    for (let round = 0; round < 2; round++) {
      await app.inject({ method: "POST", url: "/auth/login", payload: OFFICER })
      const otp = await latestOtp(app, OFFICER.email)
      const bad = otp === "123456" ? "654321" : "123456"
      for (let i = 0; i < (round === 0 ? 3 : 2); i++) {
        const res = await app.inject({ method: "POST", url: "/auth/otp", payload: { email: OFFICER.email, otp: bad } })
        expect(res.json().code).toBe("OTP_INVALID")
      }
    }
    const locked = await app.inject({ method: "POST", url: "/auth/login", payload: OFFICER })
    expect(locked.statusCode).toBe(423)
    expect(locked.json().code).toBe("ACCOUNT_LOCKED")
  })

  it("locks unknown emails the same way, so lockout does not reveal which accounts exist", async () => {
    const { app, clock } = t
    for (let i = 0; i < 5; i++) {
      await app.inject({ method: "POST", url: "/auth/login", payload: { email: "ghost@example.test", password: "Wrong-pass-1" } })
      clock.advance(MINUTE_MS)
    }
    const res = await app.inject({ method: "POST", url: "/auth/login", payload: { email: "ghost@example.test", password: "Wrong-pass-1" } })
    expect(res.statusCode).toBe(423)
    expect(res.json().code).toBe("ACCOUNT_LOCKED")
  })

  it("lets the security officer lift a lockout (reactivate)", async () => {
    const { app, clock } = t
    const { officer } = await staff(app, [{ email: ALICE, role: "advisor" }])
    for (let i = 0; i < 5; i++) {
      await app.inject({ method: "POST", url: "/auth/login", payload: { email: ALICE, password: "Wrong-pass-1" } })
      clock.advance(MINUTE_MS)
    }
    const list = await app.inject({ method: "GET", url: "/admin/users", headers: bearer(officer) })
    expect(list.json().items.find((a: { email: string }) => a.email === ALICE)).toMatchObject({ status: "locked", lockedUntil: "2026-01-05T08:49:00.000Z" })
    const res = await app.inject({ method: "POST", url: `/admin/users/${ALICE}/reactivate`, headers: bearer(officer) })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ email: ALICE, status: "active", lockedUntil: null })
    expect(await login(app, ALICE, PASSWORD)).toMatch(/^psn1_/)
  })
})

describe("throttling per account and source address (CNIL: a growing delay after each failure)", () => {
  let t: TestApp
  beforeEach(async () => {
    t = await makeApp()
  })
  afterEach(async () => {
    await t.app.close()
  })

  const ATTACKER = "203.0.113.7"
  const attempt = (app: TestApp["app"], email: string, password: string, remoteAddress = "127.0.0.1") =>
    app.inject({ method: "POST", url: "/auth/login", payload: { email, password }, remoteAddress })

  it("locks out only the address that failed: five anonymous wrong passwords do not keep the security officer out", async () => {
    const { app, clock } = t
    for (let i = 0; i < 5; i++) {
      expect((await attempt(app, OFFICER.email, `Wrong-pass-${i}`, ATTACKER)).json().code).toBe("INVALID_CREDENTIALS")
      clock.advance(MINUTE_MS)
    }
    const locked = await attempt(app, OFFICER.email, OFFICER.password, ATTACKER)
    expect([locked.statusCode, locked.json().code, locked.headers["retry-after"]]).toEqual([423, "ACCOUNT_LOCKED", "840"])
    // The officer, from its own address, is neither locked nor delayed.
    expect(await login(app, OFFICER.email, OFFICER.password)).toMatch(/^psn1_/)
    // And the attacker's address is not locked out of other accounts.
    expect((await attempt(app, "someone@example.test", "Wrong-pass-1", ATTACKER)).json().code).toBe("INVALID_CREDENTIALS")
  })

  it("doubles the wait after each failure from the same address for the account (1, 2, 4 … s, capped at 60 s), refusing early attempts unchecked (429 LOGIN_THROTTLED)", async () => {
    const t2 = await makeApp({ policy: { maxFailures: 20 } })
    onTestFinished(() => t2.app.close())
    const { app, clock } = t2
    const waits: Array<number> = []
    for (let failure = 1; failure <= 8; failure++) {
      expect((await attempt(app, OFFICER.email, "Wrong-pass-1", ATTACKER)).json().code).toBe("INVALID_CREDENTIALS")
      let waited = 0
      for (;;) {
        const early = await attempt(app, OFFICER.email, OFFICER.password, ATTACKER)
        if (early.statusCode !== 429) break
        expect(early.json().code).toBe("LOGIN_THROTTLED")
        expect(app.psn1.audit.all().at(-1)).toMatchObject({ action: "auth.login", actor: OFFICER.email, status: 429, code: "LOGIN_THROTTLED", outcome: "denied", ip: ATTACKER })
        expectDocumented("POST", "/auth/login", early)
        expect(Number(early.headers["retry-after"])).toBe(Math.ceil(([1, 2, 4, 8, 16, 32, 60, 60][failure - 1]! * 1000 - waited) / 1000))
        clock.advance(500)
        waited += 500
      }
      // The attempt that got through was the right password: log in, then go on failing.
      waits.push(waited)
      expect(app.psn1.mailbox.read(OFFICER.email).length).toBe(failure)
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000])
    // Another address and another account are not delayed.
    expect((await attempt(app, OFFICER.email, OFFICER.password)).statusCode).toBe(202)
  })

  it("lets the security officer unlock any account, its own included, from every address at once (audited)", async () => {
    const { app, clock } = t
    const { officer } = await staff(app, [{ email: ALICE, role: "advisor" }])
    for (const email of [ALICE, OFFICER.email]) {
      for (let i = 0; i < 5; i++) {
        await attempt(app, email, "Wrong-pass-1", ATTACKER)
        clock.advance(MINUTE_MS)
      }
      expect((await attempt(app, email, "Wrong-pass-1", ATTACKER)).json().code).toBe("ACCOUNT_LOCKED")
    }
    const list = await app.inject({ method: "GET", url: "/admin/users", headers: bearer(officer) })
    expect(list.json().items.map((a: { email: string; status: string }) => [a.email, a.status])).toEqual([[OFFICER.email, "locked"], [ALICE, "locked"]])
    for (const email of [OFFICER.email, ALICE]) {
      const res = await app.inject({ method: "POST", url: `/admin/users/${email}/unlock`, headers: bearer(officer) })
      expect([res.statusCode, res.json().status, res.json().lockedUntil]).toEqual([200, "active", null])
      expectDocumented("POST", "/admin/users/{email}/unlock", res)
      expect((await attempt(app, email, "Wrong-pass-1", ATTACKER)).json().code).toBe("INVALID_CREDENTIALS")
    }
    expect(app.psn1.audit.all().filter((e) => e.action === "admin.unlockUser").map((e) => [e.actor, e.target, e.status])).toEqual([
      [OFFICER.email, `account:${OFFICER.email}`, 200],
      [OFFICER.email, `account:${ALICE}`, 200]
    ])
    const advisor = await login(app, ALICE, PASSWORD)
    const denied = await app.inject({ method: "POST", url: `/admin/users/${ALICE}/unlock`, headers: bearer(advisor) })
    expect(denied.json().code).toBe("FORBIDDEN_ROLE")
    const unknown = await app.inject({ method: "POST", url: "/admin/users/nobody@example.test/unlock", headers: bearer(officer) })
    expect(unknown.json().code).toBe("ACCOUNT_NOT_FOUND")
  })
})

describe("accounts idle for more than 90 days (CCTP 8.1)", () => {
  let t: TestApp
  beforeEach(async () => {
    t = await makeApp()
  })
  afterEach(async () => {
    await t.app.close()
  })

  it("disables an account after 90 days without login (403 ACCOUNT_DISABLED), audits it, and the officer can reactivate it", async () => {
    const { app, clock } = t
    await staff(app, [{ email: ALICE, role: "advisor" }])
    clock.advance(90 * DAY_MS)
    expect(await login(app, ALICE, PASSWORD)).toMatch(/^psn1_/) // day 90 exactly: still allowed, and the idle clock restarts
    clock.advance(90 * DAY_MS + 1)
    const officer = await login(app, OFFICER.email, OFFICER.password) // the officer is exempt from the idle rule
    const res = await app.inject({ method: "POST", url: "/auth/login", payload: { email: ALICE, password: PASSWORD } })
    expect(res.statusCode).toBe(403)
    expect(res.json()).toEqual({
      code: "ACCOUNT_DISABLED",
      message: "this account was disabled after 90 days without login; ask the security officer to reactivate it"
    })
    const audit = await app.inject({ method: "GET", url: "/audit?action=account.idleDisabled", headers: bearer(officer) })
    expect(audit.json().items).toHaveLength(1)
    expect(audit.json().items[0]).toMatchObject({ action: "account.idleDisabled", target: `account:${ALICE}`, actor: null })

    const wrongPassword = await app.inject({ method: "POST", url: "/auth/login", payload: { email: ALICE, password: "Wrong-pass-1" } })
    expect(wrongPassword.json().code).toBe("INVALID_CREDENTIALS") // the state is only revealed to the right password

    const reactivated = await app.inject({ method: "POST", url: `/admin/users/${ALICE}/reactivate`, headers: bearer(officer) })
    expect(reactivated.json()).toMatchObject({ status: "active", disabledAt: null })
    expect(await login(app, ALICE, PASSWORD)).toMatch(/^psn1_/)
  })

  it("applies the idle rule in the background (tick) so the officer's list shows the account disabled", async () => {
    const { app, clock } = t
    const { officer } = await staff(app, [{ email: ALICE, role: "advisor" }])
    clock.advance(91 * DAY_MS)
    app.psn1.tick()
    const fresh = await login(app, OFFICER.email, OFFICER.password)
    expect(fresh).not.toBe(officer)
    const list = await app.inject({ method: "GET", url: "/admin/users", headers: bearer(fresh) })
    expect(list.json().items.map((a: { email: string; status: string }) => [a.email, a.status])).toEqual([
      [OFFICER.email, "active"], [ALICE, "disabled"]
    ])
    expectDocumented("GET", "/admin/users", list)
  })
})

describe("tokens of a disabled account (--idle-days 1 --token-ttl-minutes 10080)", () => {
  let t: TestApp
  beforeEach(async () => {
    t = await makeApp({ policy: { idleDisableMs: DAY_MS }, tokenTtlMs: 7 * DAY_MS })
  })
  afterEach(async () => {
    await t.app.close()
  })

  const DISABLED = {
    code: "ACCOUNT_DISABLED",
    message: "this account was disabled by the idle rule (no login within the limit); its tokens no longer work: ask the security officer to reactivate it, then log in again"
  }

  it("refuses the token with 403 ACCOUNT_DISABLED as soon as the idle limit passes, before any background tick", async () => {
    const { app, clock } = t
    const { tokens } = await staff(app, [{ email: ALICE, role: "advisor" }])
    const token = tokens[ALICE] as string
    clock.advance(DAY_MS)
    expect((await app.inject({ method: "GET", url: "/tickets", headers: bearer(token) })).statusCode).toBe(200) // exactly 1 day: allowed
    clock.advance(1)
    for (const url of ["/tickets", "/auth/session", "/insured/I0000001"]) {
      const res = await app.inject({ method: "GET", url, headers: bearer(token) })
      expect(res.statusCode, url).toBe(403)
      expect(res.json()).toEqual(DISABLED)
      expectDocumented("GET", url === "/insured/I0000001" ? "/insured/{id}" : url, res)
    }
    // The first refused request applied the idle rule (audited), which revoked the session.
    const entries = app.psn1.audit.all().filter((e) => e.action === "account.idleDisabled" || e.code === "ACCOUNT_DISABLED")
    expect(entries.map((e) => [e.action, e.actor, e.status, e.outcome])).toEqual([
      ["account.idleDisabled", null, 200, "success"],
      ["tickets.list", ALICE, 403, "denied"],
      ["auth.session", null, 403, "denied"],
      ["insured.read", null, 403, "denied"]
    ])
  })

  it("revokes the tokens when the background rule disables the account; they stay dead after reactivation", async () => {
    const { app, clock } = t
    const { tokens } = await staff(app, [{ email: ALICE, role: "advisor" }])
    const token = tokens[ALICE] as string
    clock.advance(DAY_MS + 1)
    app.psn1.tick()
    expect(app.psn1.accounts.get(ALICE)?.disabledAtMs).toBe(clock.nowMs())
    const res = await app.inject({ method: "GET", url: "/tickets", headers: bearer(token) })
    expect(res.statusCode).toBe(403)
    expect(res.json()).toEqual(DISABLED)
    const officer = await login(app, OFFICER.email, OFFICER.password)
    expect((await app.inject({ method: "POST", url: `/admin/users/${ALICE}/reactivate`, headers: bearer(officer) })).statusCode).toBe(200)
    expect((await app.inject({ method: "GET", url: "/tickets", headers: bearer(token) })).json()).toEqual(DISABLED)
    const fresh = await login(app, ALICE, PASSWORD)
    expect((await app.inject({ method: "GET", url: "/tickets", headers: bearer(fresh) })).statusCode).toBe(200)
  })

  it("checks the account's state on every request, even for a session that was not revoked (defence in depth)", async () => {
    const { app, clock } = t
    const { tokens } = await staff(app, [{ email: ALICE, role: "advisor" }])
    const account = app.psn1.accounts.get(ALICE)
    if (account === undefined) throw new Error("no account")
    account.disabledAtMs = clock.nowMs() // as if a path forgot to revoke the sessions
    const res = await app.inject({ method: "GET", url: "/tickets", headers: bearer(tokens[ALICE] as string) })
    expect(res.statusCode).toBe(403)
    expect(res.json().code).toBe("ACCOUNT_DISABLED")
  })
})

describe("the test mailbox", () => {
  it("does not exist without --mailbox (404 NOT_FOUND), though login still emails the OTP internally", async () => {
    const t = await makeApp({ mailbox: false })
    onTestFinished(() => t.app.close())
    {
      const login1 = await t.app.inject({ method: "POST", url: "/auth/login", payload: OFFICER })
      expect(login1.statusCode).toBe(202)
      const res = await t.app.inject({ method: "GET", url: `/mailbox/${OFFICER.email}` })
      expect(res.statusCode).toBe(404)
      expect(res.json()).toEqual({ code: "NOT_FOUND", message: `no endpoint GET /mailbox/${OFFICER.email}` })
      expect(t.app.psn1.mailbox.read(OFFICER.email)).toHaveLength(1)
    }
  })
})
