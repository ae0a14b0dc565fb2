/**
 * Schemas of login, sessions and account administration (SEC-HAB-02/03).
 *
 * Invariant: no response schema has a password, password hash or OTP field; the only secret a
 * response ever carries is the bearer token returned by `POST /auth/otp`.
 */
import * as Schema from "effect/Schema"
import { AssignableRole, Email, Otp, Password, PersonName, Role, Timestamp } from "./fields.js"

export const LoginRequest = Schema.Struct({ email: Email, password: Password })

export const LoginAccepted = Schema.Struct({
  status: Schema.Literal("otpSent"),
  sentTo: Schema.String.annotate({ description: "The email address, masked (r***@example.test)." }),
  otpExpiresAt: Timestamp
})

export const OtpRequest = Schema.Struct({ email: Email, otp: Otp })

export const AccountStatus = Schema.Literals(["active", "locked", "disabled"]).annotate({
  description: "`locked`: locked out from at least one address after too many failures from it, until `lockedUntil` " +
    "(other addresses can still log in; the officer can unlock it); `disabled`: idle > 90 days."
})

export const AccountView = Schema.Struct({
  email: Email,
  firstName: PersonName,
  lastName: PersonName,
  role: Role,
  status: AccountStatus,
  createdAt: Timestamp,
  createdBy: Schema.NullOr(Email),
  lastLoginAt: Schema.NullOr(Timestamp),
  lockedUntil: Schema.NullOr(Timestamp),
  disabledAt: Schema.NullOr(Timestamp)
}).annotate({ identifier: "AccountView" })
export type AccountView = typeof AccountView.Type

export const SessionToken = Schema.Struct({
  token: Schema.String.annotate({ description: "Send as `Authorization: Bearer <token>`." }),
  tokenType: Schema.Literal("Bearer"),
  expiresAt: Timestamp,
  account: AccountView
})

export const SessionView = Schema.Struct({
  account: AccountView,
  issuedAt: Timestamp,
  expiresAt: Timestamp
})

export const CreateAccountRequest = Schema.Struct({
  email: Email,
  password: Password,
  firstName: PersonName,
  lastName: PersonName,
  role: AssignableRole
})

export const AccountList = Schema.Struct({ items: Schema.Array(AccountView) })
export const AccountParams = Schema.Struct({ email: Email })
