/**
 * The nominative accounts a live run needs (CCTP SEC-HAB-01: one person per account, never a
 * shared one): an Odigo agent account for every phone and blended advisor, a PSN1 advisor
 * account for every advisor, an Odigo supervisor (the supervision feed), a PSN1 supervisor per
 * generator that writes the scenario's contact forms into the portal, and a PSN1 supervisor
 * that reads the census at the end. People are synthetic: fictional first names and made-up
 * surnames, `@…example.test` addresses — never personal data.
 *
 * Two sources: created through the servers' admin APIs (the embedded mocks, or any server the
 * harness may administer: Odigo's `POST /admin/accounts`, PSN1's officer `POST /admin/users`), or
 * read from `--accounts FILE` for a server whose accounts exist already.
 *
 * Invariants: the same person index always gets the same names, login and password, so a second
 * run against the same server reuses the accounts the first one created (`ACCOUNT_EXISTS` is
 * not an error); every created account passes the shared nominative rule (sim/domain/accounts.ts).
 */
import * as Schema from "effect/Schema"
import type { NewAccount } from "../../mock-odigo/protocol/rest.js"
import type { Person } from "./roster.js"
import { letterSuffix } from "../domain/accounts.js"

const FIRST = ["Aline", "Basile", "Capucine", "Dorian", "Elsa", "Fabien", "Gaelle", "Hugo", "Ines", "Jules", "Karine", "Lucien", "Maelle", "Noemie", "Oscar", "Pauline", "Quentin", "Romane", "Simon", "Tiphaine"]
const LEFT = ["Ber", "Lan", "Mor", "Dal", "Gar", "Rou", "Lef", "Fon", "Mar", "Ten"]
const RIGHT = ["ville", "nard", "otte", "esse", "ine", "ier", "ande", "eau", "oux", "ac"]
const DOMAIN = "ccsim-load.example.test"

export interface SyntheticPerson {
  readonly firstName: string
  readonly lastName: string
  readonly login: string
  readonly email: string
  readonly password: string
}

/** The i-th synthetic person (fictional): stable names, login, e-mail and a password meeting PSN1's policy. */
export const syntheticPerson = (i: number, role = ""): SyntheticPerson => {
  const firstName = FIRST[i % FIRST.length]!
  const k = Math.floor(i / FIRST.length)
  const surname = `${LEFT[k % LEFT.length]}${RIGHT[Math.floor(k / LEFT.length) % RIGHT.length]}`
  const lastName = k >= 100 ? `${surname}${letterSuffix(Math.floor(k / 100))}` : surname
  const login = `${firstName}.${lastName}${role}`.toLowerCase()
  return { firstName, lastName, login, email: `${login}@${DOMAIN}`, password: `Ccsim-Load-26!${letterSuffix(i)}` }
}

/** The run's staff accounts (not advisors): named people too. */
export const staffPerson = (kind: "supervisor" | "reader" | "injector", k = 0): SyntheticPerson => {
  const names = { supervisor: ["Sabine", "Veilleur"], reader: ["Roland", "Lecteur"], injector: ["Solene", `Passerelle${letterSuffix(k)}`] }[kind]
  const [firstName, lastName] = names as [string, string]
  const login = `${firstName}.${lastName}`.toLowerCase()
  return { firstName, lastName, login, email: `${login}@${DOMAIN}`, password: `Ccsim-Load-26!${kind}${letterSuffix(k)}` }
}

export const odigoAccountOf = (p: SyntheticPerson, role: "agent" | "supervisor"): NewAccount & { readonly login: string; readonly password: string } => ({
  login: p.login,
  password: p.password,
  firstName: p.firstName,
  lastName: p.lastName,
  email: p.email,
  role
})

const Credentials = Schema.Struct({ login: Schema.String, password: Schema.String })
const Psn1Credentials = Schema.Struct({ email: Schema.String, password: Schema.String })

/** `--accounts FILE` (JSON or YAML): accounts that exist on the servers already. */
export const AccountsFile = Schema.Struct({
  odigo: Schema.Struct({
    agents: Schema.Array(Credentials).annotate({ description: "One per phone or blended advisor of the run." }),
    supervisor: Credentials
  }),
  psn1: Schema.Struct({
    advisors: Schema.Array(Psn1Credentials).annotate({ description: "One per advisor of the run (phone, forms, blended)." }),
    supervisor: Psn1Credentials.annotate({ description: "Reads the census at the end and writes the scenario's contact forms." })
  })
})
export type AccountsFile = typeof AccountsFile.Type

/** Which accounts a run uses, by person and for its staff. */
export interface RunAccounts {
  readonly people: ReadonlyArray<{ readonly odigo: { readonly login: string; readonly password: string } | null; readonly psn1: { readonly email: string; readonly password: string } }>
  readonly odigoSupervisor: { readonly login: string; readonly password: string }
  readonly psn1Reader: { readonly email: string; readonly password: string }
  readonly psn1Injectors: ReadonlyArray<{ readonly email: string; readonly password: string }>
}

/** Accounts from a file, or a problem per missing account (the file is too short for the run). */
export const accountsFromFile = (file: AccountsFile, people: ReadonlyArray<Person>, generators: number): RunAccounts | { readonly problems: ReadonlyArray<string> } => {
  const problems: string[] = []
  const phoneLike = people.filter((p) => p.group !== 1).length
  if (file.odigo.agents.length < phoneLike) problems.push(`odigo.agents: the run has ${phoneLike} phone and blended advisors, the file gives ${file.odigo.agents.length}`)
  if (file.psn1.advisors.length < people.length) problems.push(`psn1.advisors: the run has ${people.length} advisors, the file gives ${file.psn1.advisors.length}`)
  if (problems.length > 0) return { problems }
  let agent = 0
  return {
    people: people.map((p, i) => ({ odigo: p.group === 1 ? null : file.odigo.agents[agent++]!, psn1: file.psn1.advisors[i]! })),
    odigoSupervisor: file.odigo.supervisor,
    psn1Reader: file.psn1.supervisor,
    // One portal account writes the forms for every generator (a file gives one supervisor).
    psn1Injectors: Array.from({ length: generators }, () => file.psn1.supervisor)
  }
}

/** Synthetic accounts for the run's people and staff (to be created through the admin APIs). */
export const syntheticAccounts = (people: ReadonlyArray<Person>, generators: number): RunAccounts => ({
  people: people.map((p) => {
    const s = syntheticPerson(p.id)
    return { odigo: p.group === 1 ? null : { login: s.login, password: s.password }, psn1: { email: s.email, password: s.password } }
  }),
  odigoSupervisor: (({ login, password }) => ({ login, password }))(staffPerson("supervisor")),
  psn1Reader: (({ email, password }) => ({ email, password }))(staffPerson("reader")),
  psn1Injectors: Array.from({ length: generators }, (_, k) => (({ email, password }) => ({ email, password }))(staffPerson("injector", k)))
})
