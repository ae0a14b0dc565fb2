/**
 * Contract figures, each with its CCTP section (source: ../shared/seeds/002_…txt, distilled in
 * ../shared/CCTP-FACTS.md). Nothing here is an assumption: what the CCTP does not say lives in
 * ./assumptions.ts, named and overridable from scenario files.
 */

/** Opening hours (CCTP 2.1.2): Monday–Friday, 08:30–17:30, mainland French time. */
export const OPENING_HOURS = {
  days: ["mon", "tue", "wed", "thu", "fri"] as const,
  from: "08:30",
  to: "17:30",
  timeZone: "Europe/Paris"
} as const

/** Operations start (CCTP 2.1.6): 9 November 2025; 24 months firm + 2 × 12 months = 48 months. */
export const CONTRACT_START = "2025-11-09"
export const CONTRACT_MONTHS = 48

/**
 * Forecast volumes received (CCTP 7.1): calls on level 1 and contact forms, per calendar year;
 * 2025 counts from 9 November. 2029 ends with the contract (reading: 8 November 2029).
 */
export const FORECAST_VOLUMES: ReadonlyArray<{
  readonly year: number
  readonly from: string
  readonly to: string
  readonly calls: number
  readonly forms: number
}> = [
  { year: 2025, from: "2025-11-09", to: "2025-12-31", calls: 217_725, forms: 20_491 },
  { year: 2026, from: "2026-01-01", to: "2026-12-31", calls: 1_424_153, forms: 72_328 },
  { year: 2027, from: "2027-01-01", to: "2027-12-31", calls: 1_736_929, forms: 83_177 },
  { year: 2028, from: "2028-01-01", to: "2028-12-31", calls: 2_060_359, forms: 95_654 },
  { year: 2029, from: "2029-01-01", to: "2029-11-08", calls: 1_936_502, forms: 91_668 }
]

/** Average handling time in 2024 (CCTP 2.1.7): 4.16 minutes per call, talk + qualification. */
export const AVERAGE_HANDLING_SECONDS_2024 = 4.16 * 60

/** Forms productivity (CCTP 2.1.7, 3.3.2): 90 forms per advisor per full day, wrap-up included. */
export const FORMS_PER_ADVISOR_DAY = 90

/** Share of calls choosing "opposition" in the IVR today (CCTP 2.1.3): 2%. */
export const OPPOSITION_SHARE = 0.02

/** Call-reason shares measured since the start (CCTP 2.1.3); the other reasons are not given. */
export const MEASURED_REASON_SHARES = {
  cvSerialUnreadable: 0.35,
  outOfScope: 0.18,
  enrolmentHelp: 0.13
} as const

/** Media campaign end Aug–end Sep 2023 (CCTP 2.1.3): +40% calls vs the previous month. */
export const MEDIA_CAMPAIGN_MULTIPLIER = 1.4

/** Notification waves (CCTP 2.1.3): calls came in at about a 1% response rate. */
export const NOTIFICATION_RESPONSE_RATE = 0.01

/** KPI targets (CCTP 3.3.2). */
export const KPI_TARGETS = {
  /** Answer rate (taux de décroché) > 90%. */
  answerRate: 0.9,
  /** Mean wait < 2 minutes. */
  meanWaitSeconds: 120,
  /** Accessibility 100%. */
  accessibility: 1,
  /** Mean talk time (DMC) 4 minutes. */
  meanTalkSeconds: 240,
  /** Mean handling time (DMT) 5 minutes. */
  meanHandleSeconds: 300,
  /** Availability rate < 10%. */
  availabilityRate: 0.1,
  /** Forms handled > 90% of forms received. */
  formsHandledRate: 0.9,
  /** 90 forms per advisor per full day. */
  formsPerAdvisorDay: 90
} as const


/**
 * Business continuity (CCTP 3.3.2): any interruption of service (power failure, fire, …) must be
 * limited to 48 hours at most — an obligation of result; the organisation is free (backup site,
 * several sites, teleworking). CCTP 8.1 names losing Odigo through a VPN failure as a risk.
 */
export const CONTINUITY_OBLIGATION_HOURS = 48
