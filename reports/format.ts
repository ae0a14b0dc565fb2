/**
 * Number formatting of a report, in one of two locales: `en` (1,234.5 — the default) or `fr`
 * (1 234,5 — what the Cnam's committees read). The same choice drives the HTML text (Intl) and
 * the charts (vega's d3-format and d3-time-format locales, handed to vega-embed and to the SVG
 * renderer), so a page never mixes the two.
 *
 * Euros are whole euros in text (a report reads orders of magnitude, penalties.csv has the cents).
 */

export type Locale = "en" | "fr"

export const LOCALES: ReadonlyArray<Locale> = ["en", "fr"]

/** A d3-format locale definition (vega's `formatLocale`). */
export interface NumberLocale {
  readonly decimal: string
  readonly thousands: string
  readonly grouping: ReadonlyArray<number>
  readonly currency: readonly [string, string]
  readonly percent?: string
}

/** A d3-time-format locale definition (vega's `timeFormatLocale`). */
export interface TimeLocale {
  readonly dateTime: string
  readonly date: string
  readonly time: string
  readonly periods: readonly [string, string]
  readonly days: ReadonlyArray<string>
  readonly shortDays: ReadonlyArray<string>
  readonly months: ReadonlyArray<string>
  readonly shortMonths: ReadonlyArray<string>
}

/** Both locales spelled out (vega's built-in default is en-US with "$": ours print euros). */
export const NUMBER_LOCALES: Readonly<Record<Locale, NumberLocale>> = {
  en: { decimal: ".", thousands: ",", grouping: [3], currency: ["€", ""] },
  // d3's fr-FR: a no-break space between thousands, a narrow one before "%".
  fr: { decimal: ",", thousands: "\u00a0", grouping: [3], currency: ["", "\u00a0€"], percent: "\u202f%" }
}

export const TIME_LOCALES: Readonly<Record<Locale, TimeLocale>> = {
  en: {
    dateTime: "%a %e %b %Y %X",
    date: "%Y-%m-%d",
    time: "%H:%M:%S",
    periods: ["AM", "PM"],
    days: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
    shortDays: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
    months: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    shortMonths: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
  },
  fr: {
    dateTime: "%A %e %B %Y à %X",
    date: "%d/%m/%Y",
    time: "%H:%M:%S",
    periods: ["AM", "PM"],
    days: ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
    shortDays: ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
    months: ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
    shortMonths: ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
  }
}

/** Formatters for the HTML text of a report; every one prints "—" for a missing value. */
export interface Formatter {
  readonly locale: Locale
  /** A share as a percentage: 0.9312 -> "93.1%" / "93,1 %". */
  pct(x: number | null | undefined, decimals?: number): string
  /** A count or amount, rounded: 1234567 -> "1,234,567" / "1 234 567". */
  int(x: number | null | undefined): string
  /** A number with fixed decimals. */
  num(x: number | null | undefined, decimals?: number): string
  /** Seconds: 93.4 -> "93.4 s". */
  secs(x: number | null | undefined, decimals?: number): string
  /** Whole euros: "€12,345" / "12 345 €". */
  eur(x: number | null | undefined): string
}

const finite = (x: number | null | undefined): x is number => typeof x === "number" && Number.isFinite(x)

export const formatter = (locale: Locale): Formatter => {
  const tag = locale === "fr" ? "fr-FR" : "en-GB"
  const cache = new Map<string, Intl.NumberFormat>()
  const nf = (key: string, options: Intl.NumberFormatOptions) => {
    let f = cache.get(key)
    if (f === undefined) {
      f = new Intl.NumberFormat(tag, options)
      cache.set(key, f)
    }
    return f
  }
  const fixed = (d: number) => nf(`f${d}`, { minimumFractionDigits: d, maximumFractionDigits: d })
  return {
    locale,
    pct: (x, d = 1) => (finite(x) ? nf(`p${d}`, { style: "percent", minimumFractionDigits: d, maximumFractionDigits: d }).format(x) : "—"),
    int: (x) => (finite(x) ? fixed(0).format(Math.round(x)) : "—"),
    num: (x, d = 1) => (finite(x) ? fixed(d).format(x) : "—"),
    secs: (x, d = 1) => (finite(x) ? `${fixed(d).format(x)}\u00a0s` : "—"),
    eur: (x) => (finite(x) ? nf("eur", { style: "currency", currency: "EUR", maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(Math.round(x)) : "—")
  }
}

/** Parses a `--locale` value; undefined when it is not one of LOCALES. */
export const parseLocale = (s: string): Locale | undefined => (LOCALES as ReadonlyArray<string>).includes(s) ? (s as Locale) : undefined
