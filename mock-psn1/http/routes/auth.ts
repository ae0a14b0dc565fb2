/**
 * Login (password → OTP by email → bearer token), logout and the current session
 * (SEC-HAB-02). Public routes name the attempted account for the audit; none echoes a secret.
 */
import { isoOf, isoOrNull } from "../../clock.js"
import type { AccountRecord, Accounts } from "../../domain/accounts.js"
import { LoginAccepted, LoginRequest, OtpRequest, SessionToken, SessionView, type AccountView } from "../../schema/auth.js"
import { originOf } from "../caller.js"
import { defineRoute, type AnyRoute } from "../route.js"

/** The wire form of an account; its status is computed at `nowMs`. */
export const accountView = (a: AccountRecord, accounts: Accounts, nowMs: number): AccountView => {
  const lockedUntil = accounts.lockedUntilMs(a.email, nowMs)
  return {
    email: a.email,
    firstName: a.firstName,
    lastName: a.lastName,
    role: a.role,
    status: a.disabledAtMs !== null ? "disabled" : lockedUntil !== null ? "locked" : "active",
    createdAt: isoOf(a.createdAtMs),
    createdBy: a.createdBy,
    lastLoginAt: isoOrNull(a.lastLoginAtMs),
    lockedUntil: isoOrNull(lockedUntil),
    disabledAt: isoOrNull(a.disabledAtMs)
  }
}

export const authRoutes: ReadonlyArray<AnyRoute> = [
  defineRoute({
    method: "POST", url: "/auth/login", operationId: "auth.login", tag: "auth", access: "public",
    summary: "Step 1 of login: check the password and email a 6-digit OTP",
    description: "Checks email and password; on success emails a one-time code (see `GET /mailbox/:email` with `--mailbox`). " +
      "Wrong email and wrong password get the same answer. Failures are counted per email and source address: each one " +
      "doubles the wait before that address's next attempt for that email (429 LOGIN_THROTTLED), and 5 in 15 minutes lock " +
      "that address out of that email for 15 minutes (423 ACCOUNT_LOCKED); other addresses are not affected.",
    body: LoginRequest,
    success: { status: 202, schema: LoginAccepted, description: "OTP sent." },
    errors: ["INVALID_CREDENTIALS", "ACCOUNT_LOCKED", "LOGIN_THROTTLED", "ACCOUNT_DISABLED"],
    handler: async ({ body, portal, request, actor, target }) => {
      actor(body.email.toLowerCase())
      target(`account:${body.email.toLowerCase()}`)
      const sent = await portal.accounts.login(body.email, body.password, () => portal.nowMs(), originOf(request))
      return { status: "otpSent", sentTo: sent.sentTo, otpExpiresAt: isoOf(sent.otpExpiresAtMs) }
    }
  }),
  defineRoute({
    method: "POST", url: "/auth/otp", operationId: "auth.otp", tag: "auth", access: "public",
    summary: "Step 2 of login: exchange the emailed OTP for a bearer token",
    description: "The OTP is single-use, expires after 5 minutes and allows 3 tries; wrong codes count towards the lockout " +
      "of the address they come from (a late code is OTP_EXPIRED and does not count).",
    body: OtpRequest,
    success: { status: 200, schema: SessionToken, description: "Logged in." },
    errors: ["OTP_INVALID", "OTP_EXPIRED", "ACCOUNT_LOCKED", "ACCOUNT_DISABLED"],
    handler: ({ body, portal, request, nowMs, actor, target }) => {
      actor(body.email.toLowerCase())
      target(`account:${body.email.toLowerCase()}`)
      const { token, session, account } = portal.accounts.verifyOtp(body.email, body.otp, nowMs, originOf(request))
      return { token, tokenType: "Bearer", expiresAt: isoOf(session.expiresAtMs), account: accountView(account, portal.accounts, nowMs) }
    }
  }),
  defineRoute({
    method: "POST", url: "/auth/logout", operationId: "auth.logout", tag: "auth", access: "authenticated",
    summary: "Revoke the token; its /events sockets get `session.revoked` and close",
    success: { status: 204, schema: null, description: "Logged out." },
    errors: [],
    handler: ({ me, portal }) => {
      portal.logout(me)
    }
  }),
  defineRoute({
    method: "GET", url: "/auth/session", operationId: "auth.session", tag: "auth", access: "authenticated",
    summary: "Who am I, and until when is my token valid",
    success: { status: 200, schema: SessionView, description: "The current session." },
    errors: [],
    handler: ({ me, portal, nowMs }) => {
      const account = portal.accounts.get(me.email)
      if (account === undefined) throw new Error(`session of a missing account ${me.email}`)
      return { account: accountView(account, portal.accounts, nowMs), issuedAt: isoOf(me.issuedAtMs), expiresAt: isoOf(me.expiresAtMs) }
    }
  })
]

