/**
 * Odigo accounts: nominative only (CCTP 8.1, SEC-HAB-01 — "Odigo accounts must be nominative,
 * never generic").
 *
 * Invariant: every stored account names one person — a real-looking first and last name, a
 * login that carries that name and is not a shared/functional word (`agent01`, `support`,
 * `admin`, `test`…), a personal e-mail; the rule is shared with mock-psn1 in
 * sim/domain/accounts.ts — and no two accounts share a login or an e-mail (one
 * personal identifier per person). Passwords are kept only as salted SHA-256 digests and
 * compared in constant time; no API ever returns them. (SHA-256 rather than scrypt: this is a
 * mock whose load test logs 5,000 agents in at once; the rule is "never store or echo the
 * password", not resistance to offline cracking.)
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto"
import * as Schema from "effect/Schema"
import { nominativeProblems } from "../sim/domain/accounts.js"
import type { Problem } from "../sim/domain/problem.js"
import { OdigoError } from "./errors.js"
import { wireProblems } from "./protocol/decode.js"
import { NewAccount, ROLES, type Role } from "./protocol/rest.js"

// The body of `POST /admin/accounts` is part of the wire protocol (clients build it): protocol/rest.ts.
export { NewAccount, ROLES, type Role } from "./protocol/rest.js"

/** What the API shows of an account (never the password). */
export const AccountView = Schema.Struct({
  login: Schema.String,
  firstName: Schema.String,
  lastName: Schema.String,
  email: Schema.String,
  role: Schema.Literals(ROLES),
  createdAt: Schema.String.annotate({ format: "date-time" })
})
export type AccountView = typeof AccountView.Type

export interface Account {
  readonly login: string
  readonly firstName: string
  readonly lastName: string
  readonly email: string
  readonly role: Role
  readonly createdAtMs: number
  readonly salt: Buffer
  readonly digest: Buffer
}

/**
 * Reasons why an account would be generic; empty when it is nominative. The rule is the
 * project's one SEC-HAB-01 rule (sim/domain/accounts.ts); exported so the rules can be
 * tested one by one and documented.
 */
export const genericReasons = (a: NewAccount): Array<string> => nominativeProblems(a).map((p) => p.message)

const hash = (salt: Buffer, password: string): Buffer => createHash("sha256").update(salt).update(password, "utf8").digest()

/** The account store. */
export class Accounts {
  private readonly byLogin = new Map<string, Account>()
  private readonly emails = new Set<string>()

  /** Creates an account, or throws OdigoError GENERIC_ACCOUNT / ACCOUNT_EXISTS. */
  create(input: NewAccount, nowMs: number): Account {
    const reasons = genericReasons(input)
    if (reasons.length > 0) throw new OdigoError("GENERIC_ACCOUNT", `Account refused (not nominative, CCTP SEC-HAB-01): ${reasons.join("; ")}`)
    const login = input.login
    const email = input.email!.trim().toLowerCase()
    if (this.byLogin.has(login)) throw new OdigoError("ACCOUNT_EXISTS", `An account with login ${JSON.stringify(login)} already exists`)
    if (this.emails.has(email)) throw new OdigoError("ACCOUNT_EXISTS", `An account with e-mail ${JSON.stringify(email)} already exists (one identifier per person)`)
    const salt = randomBytes(16)
    const account: Account = {
      login,
      firstName: input.firstName!.trim(),
      lastName: input.lastName!.trim(),
      email,
      role: input.role,
      createdAtMs: nowMs,
      salt,
      digest: hash(salt, input.password)
    }
    this.byLogin.set(login, account)
    this.emails.add(email)
    return account
  }

  get(login: string): Account | undefined {
    return this.byLogin.get(login)
  }

  /** Removes an account; returns it, or undefined when there was none. */
  remove(login: string): Account | undefined {
    const a = this.byLogin.get(login)
    if (a === undefined) return undefined
    this.byLogin.delete(login)
    this.emails.delete(a.email)
    return a
  }

  /** The account when login and password match, otherwise undefined (constant-time compare). */
  authenticate(login: string, password: string): Account | undefined {
    const a = this.byLogin.get(login)
    if (a === undefined) return undefined
    return timingSafeEqual(hash(a.salt, password), a.digest) ? a : undefined
  }

  list(): Array<Account> {
    return [...this.byLogin.values()]
  }

  get size(): number {
    return this.byLogin.size
  }
}

export const viewOf = (a: Account): AccountView => ({
  login: a.login,
  firstName: a.firstName,
  lastName: a.lastName,
  email: a.email,
  role: a.role,
  createdAt: new Date(a.createdAtMs).toISOString()
})

/** A list of accounts to create at start-up (the `--accounts` file). */
const SeedFile = Schema.Array(NewAccount)

/**
 * Checks the content of an accounts file (already parsed from JSON or YAML) before anything
 * starts: `invalid` when it is not a list of account bodies (every schema problem, with its
 * path `accounts[i].field`), `refused` when an account would be refused by `POST /admin/accounts`
 * (`accounts[i] (login)`, `CODE: message`), otherwise the accounts to create.
 */
export const checkSeedAccounts = (
  raw: unknown
):
  | { readonly kind: "ok"; readonly accounts: ReadonlyArray<NewAccount> }
  | { readonly kind: "invalid" | "refused"; readonly problems: ReadonlyArray<Problem> } => {
  const r = Schema.decodeUnknownResult(SeedFile)(raw, { errors: "all" })
  if (r._tag === "Failure") {
    return { kind: "invalid", problems: wireProblems((r as unknown as { failure: { issue: never } }).failure.issue, "accounts") }
  }
  const accounts = (r as unknown as { success: ReadonlyArray<NewAccount> }).success
  const scratch = new Accounts()
  const problems: Array<Problem> = []
  accounts.forEach((a, i) => {
    try {
      scratch.create(a, 0)
    } catch (e) {
      if (e instanceof OdigoError) problems.push({ path: `accounts[${i}] (${a.login})`, message: `${e.code}: ${e.message}` })
      else throw e
    }
  })
  return problems.length > 0 ? { kind: "refused", problems } : { kind: "ok", accounts }
}
