/**
 * The directory of insured people and the interventions on their Mon espace santé profile.
 *
 * State rules (the invariant this module keeps; every other move is refused, nothing changed):
 *   opposition   pending → opposed          (active: OPPOSITION_NOT_ALLOWED, use closure)
 *   closure      active  → closed, every linked device unlinked
 *                (pending/opposed: CLOSURE_NOT_ALLOWED; closed: ALREADY_CLOSED)
 *   device unlink linked → unlinked, only on an active profile
 * Each accepted intervention is appended to the person's `interventions` with who and when.
 */
import { isoOf, isoOrNull } from "../clock.js"
import { Psn1Error } from "../errors.js"
import type { InsuredView } from "../schema/insured.js"
import type { DeviceRecord, InsuredRecord, InterventionRecord } from "./population.js"

export interface InterventionInput {
  readonly by: string
  readonly requestedBy: "insured" | "legalRepresentative"
  readonly note: string | null
}

export class Directory {
  private readonly byNir = new Map<string, InsuredRecord>()
  private nextIntervention = 1

  constructor(private readonly people: ReadonlyArray<InsuredRecord>) {
    for (const p of people) this.byNir.set(p.nir, p)
  }

  get size(): number {
    return this.people.length
  }

  /** Exact lookup by NIR. */
  findByNir(nir: string): InsuredRecord | undefined {
    return this.byNir.get(nir)
  }

  /** The person with this id (`I0000042` is index 41), or INSURED_NOT_FOUND. */
  get(id: string): InsuredRecord {
    const person = this.find(id)
    if (person === undefined) throw new Psn1Error("INSURED_NOT_FOUND", `no insured person ${id}`)
    return person
  }

  find(id: string): InsuredRecord | undefined {
    const index = /^I[0-9]{7}$/.test(id) ? Number(id.slice(1)) - 1 : -1
    return index >= 0 ? this.people[index] : undefined
  }

  /** Page `page` (1-based) of `pageSize` people, in id order. */
  page(page: number, pageSize: number): Array<InsuredRecord> {
    return this.people.slice((page - 1) * pageSize, page * pageSize)
  }

  opposition(id: string, input: InterventionInput, nowMs: number): { person: InsuredRecord; intervention: InterventionRecord } {
    const person = this.get(id)
    switch (person.status) {
      case "opposed":
        throw new Psn1Error("ALREADY_OPPOSED", `opposition is already registered for ${id}`)
      case "closed":
        throw new Psn1Error("ALREADY_CLOSED", `the profile of ${id} is closed`)
      case "active":
        throw new Psn1Error("OPPOSITION_NOT_ALLOWED", `the profile of ${id} already exists; use closure`)
      case "pending":
        person.status = "opposed"
        person.opposedAtMs = nowMs
        return { person, intervention: this.record(person, "opposition", input, null, nowMs) }
    }
  }

  closure(id: string, input: InterventionInput, nowMs: number): { person: InsuredRecord; intervention: InterventionRecord } {
    const person = this.get(id)
    switch (person.status) {
      case "closed":
        throw new Psn1Error("ALREADY_CLOSED", `the profile of ${id} is already closed`)
      case "pending":
      case "opposed":
        throw new Psn1Error("CLOSURE_NOT_ALLOWED", `${id} has no profile to close (status ${person.status})`)
      case "active":
        person.status = "closed"
        person.closedAtMs = nowMs
        for (const d of person.devices) unlink(d, nowMs)
        return { person, intervention: this.record(person, "closure", input, null, nowMs) }
    }
  }

  unlinkDevice(id: string, deviceId: string, input: Omit<InterventionInput, "requestedBy">, nowMs: number): { person: InsuredRecord; intervention: InterventionRecord } {
    const person = this.get(id)
    const device = person.devices.find((d) => d.id === deviceId)
    if (device === undefined) throw new Psn1Error("DEVICE_NOT_FOUND", `${id} has no device ${deviceId}`)
    if (person.status !== "active") throw new Psn1Error("PROFILE_NOT_ACTIVE", `the profile of ${id} is ${person.status}`)
    if (device.status === "unlinked") throw new Psn1Error("DEVICE_ALREADY_UNLINKED", `${deviceId} is already unlinked`)
    unlink(device, nowMs)
    return { person, intervention: this.record(person, "deviceUnlink", { ...input, requestedBy: "insured" }, deviceId, nowMs) }
  }

  private record(person: InsuredRecord, kind: InterventionRecord["kind"], input: InterventionInput, deviceId: string | null, nowMs: number): InterventionRecord {
    const intervention: InterventionRecord = {
      id: `IV${String(this.nextIntervention++).padStart(6, "0")}`, kind, atMs: nowMs, by: input.by,
      requestedBy: input.requestedBy, deviceId, note: input.note
    }
    person.interventions.push(intervention)
    return intervention
  }
}

const unlink = (d: DeviceRecord, nowMs: number): void => {
  if (d.status === "linked") {
    d.status = "unlinked"
    d.unlinkedAtMs = nowMs
  }
}


export const interventionView = (i: InterventionRecord): InsuredView["interventions"][number] => ({
  id: i.id, kind: i.kind, at: isoOf(i.atMs), by: i.by, requestedBy: i.requestedBy, deviceId: i.deviceId, note: i.note
})

/** The wire form of a person. */
export const insuredView = (p: InsuredRecord): InsuredView => ({
  id: p.id,
  nir: p.nir,
  firstName: p.firstName,
  lastName: p.lastName,
  sex: p.sex,
  birthDate: p.birthDate,
  email: p.email,
  profile: {
    status: p.status,
    notifiedAt: isoOf(p.notifiedAtMs),
    createdAt: isoOrNull(p.createdAtMs),
    opposedAt: isoOrNull(p.opposedAtMs),
    closedAt: isoOrNull(p.closedAtMs)
  },
  devices: p.devices.map((d) => ({
    id: d.id, label: d.label, kind: d.kind, linkedAt: isoOf(d.linkedAtMs), status: d.status, unlinkedAt: isoOrNull(d.unlinkedAtMs)
  })),
  legalRepresentatives: p.legalRepresentatives.map((r) => ({ ...r })),
  interventions: p.interventions.map(interventionView)
})
