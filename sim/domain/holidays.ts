/**
 * French public holidays, for any year: the fixed ones (1 Jan, 1 May, 8 May, 14 Jul, 15 Aug,
 * 1 Nov, 11 Nov, 25 Dec) and those tied to Easter (Easter Monday, Ascension Thursday, Whit
 * Monday). Assumption: the mainland list — Alsace-Moselle's Good Friday and 26 December are not
 * included (a scenario adds them as closures if a site is there).
 *
 * Working days ("jours ouvrés", CCTP 3.1: the forecast committee meets every 10 working days)
 * are Monday to Friday except these holidays.
 */
import { dayNumber, weekday } from "./dates.js"

/** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, "Meeus/Jones/Butcher"). */
export const easterSunday = (year: number): number => {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return dayNumber(year, month, day)
}

/** The 11 French public holidays of a year, as { day number, name }, in date order. */
export const frenchPublicHolidays = (year: number): ReadonlyArray<{ readonly day: number; readonly name: string }> => {
  const easter = easterSunday(year)
  return [
    { day: dayNumber(year, 1, 1), name: "Jour de l'an" },
    { day: easter + 1, name: "Lundi de Pâques" },
    { day: dayNumber(year, 5, 1), name: "Fête du Travail" },
    { day: dayNumber(year, 5, 8), name: "Victoire 1945" },
    { day: easter + 39, name: "Ascension" },
    { day: easter + 50, name: "Lundi de Pentecôte" },
    { day: dayNumber(year, 7, 14), name: "Fête nationale" },
    { day: dayNumber(year, 8, 15), name: "Assomption" },
    { day: dayNumber(year, 11, 1), name: "Toussaint" },
    { day: dayNumber(year, 11, 11), name: "Armistice 1918" },
    { day: dayNumber(year, 12, 25), name: "Noël" }
  ].sort((x, y) => x.day - y.day)
}

/** True when `day` (a day number) is a French public holiday. */
export const isPublicHoliday = (day: number): boolean => holidaysOf(new Date(day * 86_400_000).getUTCFullYear()).has(day)

/** True when `day` (a day number) is a working day: Monday–Friday and not a French public holiday. */
export const isWorkingDay = (day: number): boolean => weekday(day) <= 4 && !isPublicHoliday(day)

const holidayCache = new Map<number, ReadonlySet<number>>()
const holidaysOf = (year: number): ReadonlySet<number> => {
  let set = holidayCache.get(year)
  if (set === undefined) {
    set = new Set(frenchPublicHolidays(year).map((h) => h.day))
    holidayCache.set(year, set)
  }
  return set
}
