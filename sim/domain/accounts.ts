/**
 * "Accounts name a person": the one rule both mocks apply to the accounts they create.
 *
 * CCTP SEC-HAB-01 (8.1): access accounts (Odigo and PSN1) are nominative, never generic or
 * shared. This module says what "nominative" means for the project, once: a person's first and
 * last names that are names and not placeholders, a personal e-mail rather than a functional
 * mailbox, and — where the platform has a login distinct from the e-mail (Odigo) — a login that
 * is not a shared word and carries the person's name. mock-odigo and mock-psn1 both import it
 * and keep their own error codes and messages around it.
 *
 * Invariant: a word is generic for every field and for both mocks alike; a value is judged on
 * its letters only (accents, case, digits and separators removed), so `Support2`, `sup.port`
 * and `no-reply` are caught like `support` and `noreply`.
 *
 * No dependencies, so any part of the project may import it.
 */

/**
 * Words that name a function, a team, a platform or a placeholder rather than a person. A
 * login or mailbox whose letters (digits and separators removed) are one of these is shared;
 * so is a first or last name equal to one of them. `psn` is `psn1` without its digit.
 */
export const GENERIC_WORDS: ReadonlySet<string> = new Set([
  "agent", "agents", "admin", "administrateur", "administrator", "root", "support", "test", "tests", "testeur",
  "demo", "user", "utilisateur", "guest", "invite", "operator", "operateur", "conseiller", "conseillere",
  "superviseur", "supervisor", "accueil", "standard", "hotline", "helpdesk", "team", "equipe", "service",
  "formation", "training", "shared", "partage", "commun", "generic", "generique", "info", "infos", "contact", "poste",
  "temp", "tmp", "interim", "stagiaire", "default", "defaut", "nobody", "personne", "anonymous", "anonyme",
  "inconnu", "unknown", "xxx", "na", "none", "null", "noreply", "backup", "secours", "pool", "plateau", "cc",
  "niveau", "level", "prenom", "nom", "firstname", "lastname", "name", "toto", "titi", "tata", "foo",
  "securite", "security", "psn"
])

/** Lower case, accents removed, letters only. */
const lettersOf = (s: string): string =>
  s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z]/g, "")

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[a-z]{2,}$/i
/** Letters, then letters, marks, spaces, dots, hyphens and apostrophes (straight or typographic). */
const NAME = /^\p{L}[\p{L}\p{M} '’.-]*$/u

/** True when the letters of `s` are none or a generic word (a shared login, a placeholder). */
const isGenericWord = (s: string): boolean => {
  const letters = lettersOf(s)
  return letters === "" || GENERIC_WORDS.has(letters)
}

/** True when the part of `email` before the `@` is a functional mailbox (`support@`, `no-reply@`, `psn1@`). */
export const isFunctionalMailbox = (email: string): boolean => isGenericWord(email.slice(0, Math.max(0, email.indexOf("@"))))

/** What is checked: a person, and the login when the platform has one apart from the e-mail. */
export interface AccountHolder {
  readonly login?: string | undefined
  readonly firstName?: string | undefined
  readonly lastName?: string | undefined
  readonly email?: string | undefined
}

/** One reason an account is not nominative, with the field at fault. */
export interface NominativeProblem {
  readonly field: "firstName" | "lastName" | "login" | "email"
  readonly message: string
}

/**
 * Every reason why an account would not name one person (CCTP SEC-HAB-01); empty when it is
 * nominative. The login is checked only when given (PSN1 logs in with the e-mail).
 */
export function nominativeProblems(a: AccountHolder): Array<NominativeProblem> {
  const problems: Array<NominativeProblem> = []
  const first = (a.firstName ?? "").trim()
  const last = (a.lastName ?? "").trim()
  const email = (a.email ?? "").trim()
  for (const [field, value] of [["firstName", first], ["lastName", last]] as const) {
    if (value === "") problems.push({ field, message: `${field} is missing: an account must name one person` })
    else if (!NAME.test(value)) problems.push({ field, message: `${field} must be a name (letters, spaces, hyphens, apostrophes)` })
    else if (GENERIC_WORDS.has(lettersOf(value))) problems.push({ field, message: `${field} ${JSON.stringify(value)} is a placeholder, not a person's name` })
  }
  if (a.login !== undefined) {
    const loginLetters = lettersOf(a.login)
    if (isGenericWord(a.login)) {
      problems.push({ field: "login", message: `login ${JSON.stringify(a.login)} is a shared or functional login` })
    } else if (problems.length === 0) {
      const names = [lettersOf(first), lettersOf(last)].filter((n) => n.length >= 2)
      if (!names.some((n) => loginLetters.includes(n))) {
        problems.push({
          field: "login",
          message: `login ${JSON.stringify(a.login)} must contain the person's first or last name (e.g. ${lettersOf(first)}.${lettersOf(last)})`
        })
      }
    }
  }
  if (email === "") problems.push({ field: "email", message: "email is missing: an account must name one person" })
  else if (!EMAIL.test(email)) problems.push({ field: "email", message: `email ${JSON.stringify(email)} is not an e-mail address` })
  else if (isFunctionalMailbox(email)) problems.push({ field: "email", message: `email ${JSON.stringify(email)} is a functional mailbox, not a person's` })
  return problems
}

/**
 * Base-26 letters for n (0 -> "a", 25 -> "z", 26 -> "ba"): the suffix that tells synthetic people
 * apart. Names are judged on their letters only (digits removed), so a numbered suffix would not.
 */
export const letterSuffix = (n: number): string => {
  let s = ""
  do {
    s = String.fromCharCode(97 + (n % 26)) + s
    n = Math.floor(n / 26)
  } while (n > 0)
  return s
}
