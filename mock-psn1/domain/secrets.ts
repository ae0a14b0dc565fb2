/**
 * Secrets: password hashing (scrypt), password policy, OTP and token generation, and
 * constant-time comparison.
 *
 * Invariants: passwords are only ever kept as `scrypt$logN$r$p$salt$hash` strings; OTPs and
 * tokens are kept as keyed digests (SHA-256 of a per-process random key + the secret), never
 * in clear;
 * every comparison of a secret with a stored value goes through `crypto.timingSafeEqual` on
 * equal-length digests, so timing reveals nothing about how many characters matched.
 */
import { hash, randomBytes, randomInt, scrypt, timingSafeEqual } from "node:crypto"

/** scrypt cost parameters; `logN` = log2 of the CPU/memory cost N. */
export interface ScryptParams {
  readonly logN: number
  readonly r: number
  readonly p: number
}

/** Production default: N = 2^15, r = 8, p = 1 (32 MiB, ~80 ms per hash on our machines). */
export const DEFAULT_SCRYPT: ScryptParams = { logN: 15, r: 8, p: 1 }
const KEY_BYTES = 32

const scryptAsync = (password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const N = 2 ** params.logN
    // maxmem must exceed 128 * N * r bytes or node refuses the parameters.
    scrypt(password.normalize("NFC"), salt, KEY_BYTES, { N, r: params.r, p: params.p, maxmem: 256 * N * params.r }, (err, key) =>
      err ? reject(err) : resolve(key))
  })

/** Hashes a password with a fresh random salt (runs on libuv's thread pool, not the event loop). */
export const hashPassword = async (password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> => {
  const salt = randomBytes(16)
  const key = await scryptAsync(password, salt, params)
  return `scrypt$${params.logN}$${params.r}$${params.p}$${salt.toString("base64")}$${key.toString("base64")}`
}

/** True when `password` matches `stored`; the final comparison is constant-time. */
export const verifyPassword = async (password: string, stored: string): Promise<boolean> => {
  const parts = stored.split("$")
  if (parts.length !== 6 || parts[0] !== "scrypt") throw new Error("verifyPassword: not an scrypt hash")
  const params = { logN: Number(parts[1]), r: Number(parts[2]), p: Number(parts[3]) }
  const expected = Buffer.from(parts[5] ?? "", "base64")
  const actual = await scryptAsync(password, Buffer.from(parts[4] ?? "", "base64"), params)
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/**
 * Password policy for accounts (an **assumption** in the spirit of ANSSI's guidance; the CCTP
 * sets none): at least 10 characters, at least 3 of the 4 classes lower / upper / digit /
 * other, and not containing the local part of the email. Returns the reasons it fails.
 */
export const passwordProblems = (password: string, email: string): Array<string> => {
  const problems: Array<string> = []
  if ([...password].length < 10) problems.push("at least 10 characters")
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length
  if (classes < 3) problems.push("at least 3 of: lower-case, upper-case, digit, other character")
  const local = email.split("@")[0]?.toLowerCase() ?? ""
  if (local.length >= 3 && password.toLowerCase().includes(local)) problems.push("must not contain the email's name part")
  return problems
}

/**
 * Keyed digests of short-lived secrets (OTPs, tokens); one random key per process. SHA-256
 * over key ‖ secret rather than HMAC: the secrets are random and fixed-length, so length
 * extension gives nothing, and the one-shot `crypto.hash` is ~5× cheaper per request.
 */
export class SecretDigester {
  private readonly key = randomBytes(32).toString("hex")

  digest(secret: string): Buffer {
    return hash("sha256", this.key + secret, "buffer")
  }

  /** Hex form of `digest`, for use as a map key. */
  digestHex(secret: string): string {
    return hash("sha256", this.key + secret, "hex")
  }

  /** Constant-time: digests have equal length whatever the inputs. */
  matches(secret: string, storedDigest: Buffer): boolean {
    return timingSafeEqual(this.digest(secret), storedDigest)
  }
}

/** A uniformly random 6-digit code, leading zeros kept. */
export const newOtp = (): string => String(randomInt(0, 1_000_000)).padStart(6, "0")

/** An opaque bearer token: `psn1_` + 256 random bits in base64url. */
export const newToken = (): string => `psn1_${randomBytes(32).toString("base64url")}`

/** Shape check before any lookup, so garbage never reaches the session table. */
export const TOKEN_SHAPE = /^psn1_[A-Za-z0-9_-]{43}$/
