/**
 * The synthetic population of insured people (assurés) the mock serves.
 *
 * Invariants:
 * - Synthetic only: names are drawn from short lists of common French first and last names,
 *   NIRs are random numbers of the right shape with a valid key, emails are `@example.test`.
 * - Deterministic and prefix-stable: person i is drawn from its own stream seeded with
 *   (seed, i), so the same seed gives the same people on any machine, and growing the
 *   population never changes the people already in it. A NIR that collides with an earlier
 *   one is redrawn from the same stream (still deterministic).
 * - Dates do not depend on the clock: they lie in the life of Mon espace santé (2022–2025).
 *
 * Profile-status shares (pending 8%, active 85%, opposed 5%, closed 2%) and device counts are
 * **assumptions** (the CCTP gives none); they only shape test data.
 */
import seedrandom from "seedrandom"
import { DAY_MS } from "../clock.js"
import { makeNir } from "./nir.js"
import type { ProfileStatus } from "../schema/insured.js"

/** A device linked to a profile; mutable: unlinking sets `status` and `unlinkedAtMs`. */
export interface DeviceRecord {
  readonly id: string
  readonly label: string
  readonly kind: "smartphone" | "tablet" | "computer"
  readonly linkedAtMs: number
  status: "linked" | "unlinked"
  unlinkedAtMs: number | null
}

export interface LegalRepresentativeRecord {
  readonly firstName: string
  readonly lastName: string
  readonly relation: "mother" | "father" | "guardian"
  readonly nir: string
}

export interface InterventionRecord {
  readonly id: string
  readonly kind: "opposition" | "closure" | "deviceUnlink"
  readonly atMs: number
  readonly by: string
  readonly requestedBy: "insured" | "legalRepresentative"
  readonly deviceId: string | null
  readonly note: string | null
}

/** One insured person; the profile part is mutable (interventions change it). */
export interface InsuredRecord {
  readonly index: number
  readonly id: string
  readonly nir: string
  readonly firstName: string
  readonly lastName: string
  readonly sex: "F" | "M"
  /** `YYYY-MM-DD`. */
  readonly birthDate: string
  readonly email: string
  status: ProfileStatus
  readonly notifiedAtMs: number
  createdAtMs: number | null
  opposedAtMs: number | null
  closedAtMs: number | null
  readonly devices: Array<DeviceRecord>
  readonly legalRepresentatives: ReadonlyArray<LegalRepresentativeRecord>
  readonly interventions: Array<InterventionRecord>
}

const FEMALE = ["Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Sarah", "Julie", "Claire", "Anne",
  "Marie", "Nathalie", "Isabelle", "Sophie", "Élodie", "Lucie", "Amandine", "Océane", "Zoé", "Jeanne",
  "Louise", "Alice", "Margaux", "Pauline", "Hélène", "Monique", "Sylvie", "Agnès", "Noémie", "Yasmine"]
const MALE = ["Lucas", "Hugo", "Louis", "Gabriel", "Jules", "Adam", "Nathan", "Thomas", "Paul", "Pierre",
  "Nicolas", "Julien", "Antoine", "Mathieu", "François", "Éric", "Olivier", "Laurent", "Bernard", "Rémi",
  "Théo", "Maxime", "Alexandre", "Karim", "Mehdi", "Yann", "Benoît", "Gérard", "Sébastien", "Noé"]
const LAST = ["Martin", "Bernard", "Dubois", "Durand", "Lefebvre", "Moreau", "Laurent", "Simon", "Michel",
  "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier",
  "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau",
  "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément",
  "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson", "Sanchez", "Le Gall",
  "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Gautier", "Roger", "Roche", "Roy", "Noël",
  "Meyer", "Lucas"]
const DEVICES: ReadonlyArray<readonly [string, DeviceRecord["kind"]]> = [
  ["iPhone 13", "smartphone"], ["iPhone 15", "smartphone"], ["Samsung Galaxy S21", "smartphone"],
  ["Google Pixel 7", "smartphone"], ["Xiaomi Redmi Note 12", "smartphone"], ["iPad (9e génération)", "tablet"],
  ["Samsung Galaxy Tab A8", "tablet"], ["Firefox sur Windows", "computer"], ["Chrome sur macOS", "computer"]]
const OVERSEAS = [971, 972, 973, 974, 976]

const FIRST_NOTIFICATION_MS = Date.parse("2022-01-24T00:00:00Z")
const LAST_NOTIFICATION_MS = Date.parse("2025-06-30T00:00:00Z")
const PENDING_FROM_MS = Date.parse("2025-09-01T00:00:00Z")
const PENDING_TO_MS = Date.parse("2025-10-31T00:00:00Z")
/** Age is taken on this day (the contract's start) so it never depends on the clock. */
const REFERENCE_DAY_MS = Date.parse("2025-11-09T00:00:00Z")
/** Profiles are auto-created 6 weeks after the first notification (CCTP 2.1.3). */
const CREATION_DELAY_MS = 42 * DAY_MS

type Rng = () => number

const pick = <A>(rng: Rng, xs: ReadonlyArray<A>): A => xs[Math.floor(rng() * xs.length)] as A
const between = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1))
const pad = (n: number, w: number): string => String(n).padStart(w, "0")
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
const ascii = (s: string): string =>
  s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z]+/g, "-").replace(/^-|-$/g, "")

/** Public id of person `index` (0-based): I0000001, I0000002, … */
const insuredIdOf = (index: number): string => `I${pad(index + 1, 7)}`

const drawPlace = (rng: Rng): string => {
  if (rng() < 0.1) return `${pick(rng, OVERSEAS)}${pad(between(rng, 1, 99), 2)}`
  let dept = between(rng, 1, 94)
  if (dept >= 20) dept += 1 // skip 20: Corsica (2A/2B) is never generated, so every NIR stays 15 digits
  return `${pad(dept, 2)}${pad(between(rng, 1, 999), 3)}`
}

const drawNir = (rng: Rng, sex: 1 | 2, birthMs: number, taken: Set<string>): string => {
  const d = new Date(birthMs)
  for (;;) {
    const nir = makeNir({ sex, birthYear: d.getUTCFullYear(), birthMonth: d.getUTCMonth() + 1, place5: drawPlace(rng), order: between(rng, 1, 999) })
    if (!taken.has(nir)) {
      taken.add(nir)
      return nir
    }
  }
}

const drawPerson = (index: number, rng: Rng, taken: Set<string>): InsuredRecord => {
  const female = rng() < 0.52
  const firstName = pick(rng, female ? FEMALE : MALE)
  const lastName = pick(rng, LAST)
  const birthMs = Date.parse("1935-01-01T00:00:00Z") + Math.floor(rng() * 89 * 365.25) * DAY_MS
  const nir = drawNir(rng, female ? 2 : 1, birthMs, taken)
  const u = rng()
  const status: ProfileStatus = u < 0.08 ? "pending" : u < 0.93 ? "active" : u < 0.98 ? "opposed" : "closed"
  const notifiedAtMs = status === "pending"
    ? PENDING_FROM_MS + Math.floor(rng() * (PENDING_TO_MS - PENDING_FROM_MS))
    : FIRST_NOTIFICATION_MS + Math.floor(rng() * (LAST_NOTIFICATION_MS - FIRST_NOTIFICATION_MS))
  const createdAtMs = status === "active" || status === "closed" ? notifiedAtMs + CREATION_DELAY_MS : null
  const opposedAtMs = status === "opposed" ? notifiedAtMs + between(rng, 1, 40) * DAY_MS : null
  const closedAtMs = status === "closed" && createdAtMs !== null ? createdAtMs + between(rng, 10, 300) * DAY_MS : null
  const id = insuredIdOf(index)
  const devices: Array<DeviceRecord> = []
  if (createdAtMs !== null) {
    const v = rng()
    const n = v < 0.4 ? 0 : v < 0.75 ? 1 : v < 0.93 ? 2 : 3
    for (let k = 0; k < n; k++) {
      const [label, kind] = pick(rng, DEVICES)
      const linkedAtMs = createdAtMs + between(rng, 0, 120) * DAY_MS
      devices.push({
        id: `DV${id.slice(1)}-${pad(k + 1, 2)}`, label, kind, linkedAtMs,
        status: closedAtMs === null ? "linked" : "unlinked",
        unlinkedAtMs: closedAtMs
      })
    }
  }
  const legalRepresentatives: Array<LegalRepresentativeRecord> = []
  if (REFERENCE_DAY_MS - birthMs < 18 * 365.25 * DAY_MS) {
    const count = rng() < 0.7 ? 2 : 1
    for (let k = 0; k < count; k++) {
      const mother = k === 0 ? rng() < 0.6 : !(legalRepresentatives[0]?.relation === "mother")
      const parentBirthMs = birthMs - between(rng, 22 * 365, 45 * 365) * DAY_MS
      legalRepresentatives.push({
        firstName: pick(rng, mother ? FEMALE : MALE),
        lastName: rng() < 0.8 ? lastName : pick(rng, LAST),
        relation: mother ? "mother" : "father",
        nir: drawNir(rng, mother ? 2 : 1, parentBirthMs, taken)
      })
    }
  }
  return {
    index, id, nir, firstName, lastName, sex: female ? "F" : "M", birthDate: dayOf(birthMs),
    email: `${ascii(firstName)}.${ascii(lastName)}.${index + 1}@example.test`,
    status, notifiedAtMs, createdAtMs, opposedAtMs, closedAtMs,
    devices, legalRepresentatives, interventions: []
  }
}

/**
 * Generates `size` insured people from `seed`. Person i depends only on (seed, i) and on the
 * NIRs drawn before it (collisions are redrawn), so a larger population extends a smaller one.
 */
export const generatePopulation = (seed: string, size: number): Array<InsuredRecord> => {
  if (!Number.isInteger(size) || size < 1) throw new Error(`generatePopulation: size must be a positive integer, got ${size}`)
  const taken = new Set<string>()
  const people: Array<InsuredRecord> = new Array(size)
  for (let i = 0; i < size; i++) people[i] = drawPerson(i, seedrandom.alea(`${seed}/insured/${i}`), taken)
  return people
}
