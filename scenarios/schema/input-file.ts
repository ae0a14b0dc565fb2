/**
 * Reading the files a user gives ccsim (a scenario, the files it `extends`, the CSV files it
 * names) without trusting them: regular files only — never a device (`/dev/zero`), a FIFO (whose
 * open would wait for a writer) or a directory —, at most a documented size, read up to that
 * size and no further (a file that grows, or a /proc file that says it is empty, cannot make us
 * read more), and text only: a NUL byte or a control character means a binary file.
 *
 * Invariant: `readInputFile` returns the text or throws an `InputFileError` whose message a
 * planner reads as is ("binary file, not text (a NUL byte at byte 24)"); nothing else escapes.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs"

/** Largest scenario file (YAML or JSON), each file of an `extends` chain included: 1 MB. */
export const MAX_SCENARIO_BYTES = 1024 * 1024

/** Largest CSV file a scenario names (forecast, interval plan): 50 MB. */
export const MAX_CSV_BYTES = 50 * 1024 * 1024

/** What a file is read as: the message names it, and CSV files may be Windows-1252 text. */
export type InputKind = "scenario" | "csv"

/** A file that cannot be read as the text ccsim expects; `message` says why in plain words. */
export class InputFileError extends Error {
  override readonly name = "InputFileError"
}

const megabytes = (bytes: number): string => `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`

const CHUNK_BYTES = 64 * 1024

/** Why an fs error stops us, in plain words. */
const fsReason = (e: unknown): string => {
  const code = (e as NodeJS.ErrnoException).code
  switch (code) {
    case "ENOENT":
      return "no such file"
    case "EACCES":
    case "EPERM":
      return "permission denied"
    case "EISDIR":
      return "is a directory, not a file"
    case "ENOTDIR":
      return "no such file (a part of the path is not a directory)"
    case "ELOOP":
      return "too many symbolic links"
    case "ENAMETOOLONG":
      return "the file name is too long"
    default:
      return `cannot read the file (${code ?? "unknown error"})`
  }
}

/** First C0 control character other than tab, LF, CR, form feed (or a NUL): a sign of binary data. */
const firstControlByte = (bytes: Buffer): number => {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) return i
  }
  return -1
}

/**
 * Reads a user's file as text, or throws an `InputFileError`.
 * @param path the file, as the user named it (relative to the working directory)
 * @param kind "scenario": UTF-8 only, at most `MAX_SCENARIO_BYTES`; "csv": UTF-8, or Windows-1252
 *   when the bytes are not UTF-8 (what French Excel exports), at most `MAX_CSV_BYTES`
 * @param maxBytes the size limit (bytes), when not the kind's
 */
export const readInputFile = (path: string, kind: InputKind, maxBytes = kind === "csv" ? MAX_CSV_BYTES : MAX_SCENARIO_BYTES): string => {
  let fd: number
  try {
    // O_NONBLOCK: opening a FIFO would otherwise wait for a writer, before fstat could refuse it.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (e) {
    throw new InputFileError(fsReason(e))
  }
  try {
    const stat = fstatSync(fd)
    if (stat.isDirectory()) throw new InputFileError("is a directory, not a file")
    if (!stat.isFile()) throw new InputFileError("not a regular file (a device, FIFO or socket): ccsim reads regular files only")
    if (stat.size > maxBytes) {
      throw new InputFileError(`too large: ${megabytes(stat.size)}; the limit for a ${kind} file is ${megabytes(maxBytes)}`)
    }
    const chunks: Buffer[] = []
    let total = 0
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES)
      const n = readSync(fd, chunk, 0, CHUNK_BYTES, null)
      if (n === 0) break
      total += n
      if (total > maxBytes) throw new InputFileError(`too large: more than ${megabytes(maxBytes)}, the limit for a ${kind} file`)
      chunks.push(n === CHUNK_BYTES ? chunk : chunk.subarray(0, n))
    }
    const bytes = Buffer.concat(chunks, total)
    const control = firstControlByte(bytes)
    if (control >= 0) {
      const what = bytes[control] === 0 ? "a NUL byte" : `the control byte 0x${bytes[control]!.toString(16).padStart(2, "0")}`
      throw new InputFileError(`binary file, not text (${what} at byte ${control.toLocaleString("en-US")})`)
    }
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes)
    } catch {
      if (kind === "csv") return new TextDecoder("windows-1252").decode(bytes)
      throw new InputFileError("binary file, or text not in UTF-8: a scenario file is UTF-8 text")
    }
  } catch (e) {
    if (e instanceof InputFileError) throw e
    throw new InputFileError(fsReason(e))
  } finally {
    closeSync(fd)
  }
}
