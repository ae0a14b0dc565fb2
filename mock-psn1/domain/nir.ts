/**
 * NIR (French social-security number) shape and control key.
 *
 * A NIR is 13 digits — sex, birth year and month, birth place (département + commune),
 * order number — followed by a 2-digit key equal to 97 − (the 13-digit number mod 97).
 * Invariant: `isValidNir` accepts exactly the 15-digit strings whose key matches; every NIR
 * the mock generates passes it. Corsican 2A/2B places are never generated (the mock keeps the
 * "13 digits" shape), and the numbers are random: they identify no one.
 */

const NIR_SHAPE = /^[0-9]{15}$/

/** The 2-digit control key of a 13-digit NIR body. 10^13 < 2^53, so plain numbers are exact. */
export const nirKey = (body13: string): string => {
  if (!/^[0-9]{13}$/.test(body13)) throw new Error(`nirKey: expected 13 digits, got ${JSON.stringify(body13)}`)
  const key = 97 - (Number(body13) % 97)
  return key < 10 ? `0${key}` : String(key)
}

/** True when `s` is 15 digits whose last two are the key of the first thirteen. */
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
