/**
 * The penalty table of CCTP 9 as data, with the figures around it (cap, run-in, 120% rule,
 * order blocks). The judge (sim/contract) applies it; a scenario may override any row.
 */
import { FORMS_PRODUCTIVITY_THRESHOLD } from "./assumptions.js"

/**
 * Penalties (CCTP 9). Each row: the indicator, how it is compared with its trigger threshold,
 * the rate (share of the invoice named by `base`) and its citation. The judge (sim/contract)
 * applies this table; a scenario may override any row's threshold, rate or base
 * (`contract.penalties`, the Cnam may change service levels with a month's notice, CCTP 9).
 *
 * Bases: `total` = the month's whole production invoice (phone + forms), `phone` = the phone
 * production invoice, `forms` = the contact-forms production invoice. The three forms rows are
 * printed "facture de production téléphonique" in the CCTP — probably a copy error; the default
 * keeps the text as printed (`phone`) and `base: forms` is the other reading, one key away
 * (README: a question for the buyer).
 */
export const PENALTY_KEYS = [
  "planConformity",
  "accessibility",
  "answerRate",
  "meanWait",
  "handlingTime",
  "qualityCalls",
  "qualityTickets",
  "formsHandled",
  "formsPerAdvisorDay",
  "qualityForms"
] as const
export type PenaltyKey = (typeof PENALTY_KEYS)[number]

export type InvoiceBase = "phone" | "forms" | "total"

export interface PenaltyRow {
  /** Penalised when the indicator is below (`below`) or above (`above`) the threshold, strictly. */
  readonly when: "below" | "above"
  readonly threshold: number
  /** Share of the base invoice. */
  readonly rate: number
  readonly base: InvoiceBase
  /** The CCTP 3.3.2 target (for flags: met / target missed / penalised). */
  readonly target: number
  /** Penalised from the first month of activity (plan conformity), or only after the run-in. */
  readonly fromDayOne: boolean
  readonly cctp: string
}

export const PENALTY_TABLE: Readonly<Record<PenaltyKey, PenaltyRow>> = {
  /** Productive hours delivered / ordered for the period: expected up to 120%, penalised below 95%. */
  planConformity: { when: "below", threshold: 0.95, rate: 0.015, base: "total", target: 1, fromDayOne: true, cctp: "CCTP 9, niveau de service plan de marche" },
  /** Accessibility: expected 100%, penalised below 98%. */
  accessibility: { when: "below", threshold: 0.98, rate: 0.01, base: "phone", target: 1, fromDayOne: false, cctp: "CCTP 9 / 3.3.2, taux d'accessibilité" },
  /** Answer rate (taux de décroché): expected > 90%, penalised below 89%. */
  answerRate: { when: "below", threshold: 0.89, rate: 0.02, base: "phone", target: 0.9, fromDayOne: false, cctp: "CCTP 9 / 3.3.2, taux de décroché" },
  /** Mean wait: expected < 2 min, penalised above 4 min 00 s. */
  meanWait: { when: "above", threshold: 240, rate: 0.005, base: "phone", target: 120, fromDayOne: false, cctp: "CCTP 9 / 3.3.2, durée moyenne d'attente" },
  /** Mean handling time (talk + wrap-up): expected 5 min, penalised above 7 min. */
  handlingTime: { when: "above", threshold: 420, rate: 0.01, base: "phone", target: 300, fromDayOne: false, cctp: "CCTP 9 / 3.3.2, DMT" },
  /** Quality of calls (calibrations, /100): expected > 85, penalised below 80. */
  qualityCalls: { when: "below", threshold: 80, rate: 0.01, base: "phone", target: 85, fromDayOne: false, cctp: "CCTP 9, qualité des appels" },
  /** Quality of tickets (/100): expected > 85, penalised below 80. */
  qualityTickets: { when: "below", threshold: 80, rate: 0.01, base: "phone", target: 85, fromDayOne: false, cctp: "CCTP 9, qualité des tickets" },
  /** Forms handled / received: expected > 90%, penalised below 89% (base printed "téléphonique"). */
  formsHandled: { when: "below", threshold: 0.89, rate: 0.01, base: "phone", target: 0.9, fromDayOne: false, cctp: "CCTP 9, formulaires traités" },
  /**
   * Forms per advisor per full day: expected 90; the trigger threshold is unreadable in the OCR —
   * assumption FORMS_PRODUCTIVITY_THRESHOLD (85), overridable (base printed "téléphonique").
   */
  formsPerAdvisorDay: { when: "below", threshold: FORMS_PRODUCTIVITY_THRESHOLD, rate: 0.01, base: "phone", target: 90, fromDayOne: false, cctp: "CCTP 9, formulaires par conseiller et par jour (seuil illisible : hypothèse 85)" },
  /** Quality of form answers (/100): expected > 85, penalised below 80 (base printed "téléphonique"). */
  qualityForms: { when: "below", threshold: 80, rate: 0.01, base: "phone", target: 85, fromDayOne: false, cctp: "CCTP 9, qualité des réponses aux formulaires" }
}

/** Penalties of a month are cumulative and capped at 10% of the month's invoice (CCTP 9). */
export const PENALTY_CAP_SHARE = 0.1
/** The run-in before SLA penalties apply is agreed between the parties, at most 4 months (CCTP 9). */
export const MAX_RUN_IN_MONTHS = 4
/** The penalty system applies up to 120% of the ordered volumes (CCTP 9). */
export const ORDER_VOLUME_CAP = 1.2
/** The forecast committee orders firm productive hours for blocks of 10 working days (CCTP 3.1, 7.2.1.1). */
export const ORDER_BLOCK_WORKING_DAYS = 10
