/**
 * NIR (French social-security number) shape and control key.
 *
 * A NIR is 13 characters — sex, birth year and month, birth place (département + commune),
 * order number — followed by a 2-digit key equal to 97 − (the 13-digit number mod 97). All
 * are digits except a Corsican département, written 2A or 2B and counted as 19 or 18 for the
 * key (INSEE rule).
 * Invariant: `isValidNir` accepts exactly the strings of that shape whose key matches, so a
 * real-shaped Corsican NIR is well-formed (looking it up finds nobody); every NIR the mock
 * generates passes it. The mock never generates Corsica (its NIRs are all digits), and the
 * numbers are random: they identify no one.
 */

/** 5 digits, the département's 2 digits or 2A/2B (Corsica, upper case), 6 digits, then the key. */
export const NIR_SHAPE = /^[0-9]{5}(?:[0-9]{2}|2[AB])[0-9]{8}$/
const BODY_SHAPE = /^[0-9]{5}(?:[0-9]{2}|2[AB])[0-9]{6}$/

/**
 * The 2-digit control key of a 13-character NIR body (2A/2B counted as 19/18).
 * 10^13 < 2^53, so plain numbers are exact.
 */
export const nirKey = (body13: string): string => {
  if (!BODY_SHAPE.test(body13)) throw new Error(`nirKey: expected 13 digits (2A/2B allowed at 6-7), got ${JSON.stringify(body13)}`)
  const dept = body13.slice(5, 7)
  const digits = dept === "2A" ? `${body13.slice(0, 5)}19${body13.slice(7)}` : dept === "2B" ? `${body13.slice(0, 5)}18${body13.slice(7)}` : body13
  const key = 97 - (Number(digits) % 97)
  return key < 10 ? `0${key}` : String(key)
}

/** True when `s` has the NIR shape and its last two digits are the key of the first thirteen. */
export const isValidNir = (s: string): boolean =>
  NIR_SHAPE.test(s) && nirKey(s.slice(0, 13)) === s.slice(13)

/** Parts of a NIR body, each already zero-padded by `makeNir`. */
export interface NirParts {
  /** 1 = man, 2 = woman. */
  readonly sex: 1 | 2
  /** Birth year, full (e.g. 1987); only its last two digits are kept. */
  readonly birthYear: number
  /** 1–12. */
  readonly birthMonth: number
  /** Birth place, exactly 5 digits: département (2 or 3 digits) + commune (3 or 2 digits). */
  readonly place5: string
  /** 1–999. */
  readonly order: number
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0")

/** Builds a 15-digit NIR (body + key) from its parts. */
export const makeNir = (p: NirParts): string => {
  if (!/^[0-9]{5}$/.test(p.place5)) throw new Error(`makeNir: place must be 5 digits, got ${p.place5}`)
  const body = `${p.sex}${pad(p.birthYear % 100, 2)}${pad(p.birthMonth, 2)}${p.place5}${pad(p.order, 3)}`
  return body + nirKey(body)
}
