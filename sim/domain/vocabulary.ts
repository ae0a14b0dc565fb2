/**
 * The contract's vocabulary: the 17 call reasons (CCTP 2.1.7) and the two IVR flows (CCTP 2.1.3).
 *
 * This is the one place these names live. The simulator, the scenario schema and both mocks
 * (mock-odigo, mock-psn1) import them from here; never copy the list. The module has no
 * dependencies so any part of the project may import it.
 *
 * Codes are stable identifiers (camelCase, ASCII) used in scenario files, on the wire and in
 * outputs; labels are the CCTP's French wording.
 */

/** The 17 call reasons of CCTP 2.1.7, in the CCTP's order. */
export const REASONS = [
  { code: "cvSerialUnreadable", label: "Numéro série CV illisible" },
  { code: "enrolmentHelp", label: "Accompagnement enrôlement" },
  { code: "generalInfo", label: "Info générale sur le service" },
  { code: "interventionIdentificationFailed", label: "Intervention avec identification KO" },
  { code: "incidentAccount", label: "Info-Incident \"Compte\"" },
  { code: "incidentMedicalProfile", label: "Info-Incident \"Profil Médical\"" },
  { code: "incidentVaccinations", label: "Info-Incident \"Vaccinations\"" },
  { code: "incidentDocuments", label: "Info-Incident \"Documents\"" },
  { code: "incidentMessaging", label: "Info-Incident \"Messagerie\"" },
  { code: "incidentCalendar", label: "Info-Incident \"Agenda\"" },
  { code: "incidentServiceCatalogue", label: "Info-Incident \"Catalogue de services\"" },
  { code: "incidentMobileApp", label: "Info-Incident \"Appli mobile\"" },
  { code: "otherIncidents", label: "Autres incidents" },
  { code: "oppositionClosure", label: "Demande intervention pour opposition/clôture" },
  { code: "secondLegalRepresentative", label: "Ajout/suppression délégation au 2nd RL" },
  { code: "outOfScope", label: "Hors périmètre Mon espace santé" },
  { code: "securityDataHosting", label: "Information sécurité et hébergement données" }
] as const

export type ReasonCode = (typeof REASONS)[number]["code"]

/** Reason codes in CCTP order; the index of a code is its integer id in compiled models. */
export const REASON_CODES: ReadonlyArray<ReasonCode> = REASONS.map((r) => r.code)

export const isReasonCode = (u: unknown): u is ReasonCode =>
  typeof u === "string" && (REASON_CODES as ReadonlyArray<string>).includes(u)

/** The two IVR (SVI) choices of the 3422 (CCTP 2.1.3). */
export const FLOWS = [
  { code: "opposition", label: "Opposition" },
  { code: "horsOpposition", label: "Hors opposition" }
] as const

export type FlowCode = (typeof FLOWS)[number]["code"]

export const FLOW_CODES: ReadonlyArray<FlowCode> = FLOWS.map((f) => f.code)

export const isFlowCode = (u: unknown): u is FlowCode =>
  typeof u === "string" && (FLOW_CODES as ReadonlyArray<string>).includes(u)
