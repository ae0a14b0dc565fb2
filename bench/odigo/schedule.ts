/**
 * The injection schedule of the mock-odigo load bench: call i (from 0) is due (i + 1) / rate s
 * after the start, so a window of `durationS` seconds holds floor(rate × duration) calls.
 *
 * Invariant: once the window is over, exactly `scheduledCalls(rate, duration)` calls are due —
 * the count the orchestrator checks — whatever the start instant. (Computed from the clock's
 * floating-point instants, `(endAt − started) / 1000 × rate` can fall a hair short of the
 * integer: 14,999 of 15,000 calls were sent for one start instant in 27 and the bench reported
 * FAIL on its own rate check.)
 */

/** Calls in a window of `durationS` seconds at `ratePerSec` calls per second. */
export const scheduledCalls = (ratePerSec: number, durationS: number): number => Math.floor(ratePerSec * durationS)

/** True once the window that started at `startedMs` is over at `nowMs` (instants on one clock, ms). */
export const windowOver = (startedMs: number, nowMs: number, durationS: number): boolean => nowMs >= startedMs + durationS * 1000

/**
 * Calls due at `nowMs` for a window that started at `startedMs`: floor(elapsed × rate), and
 * exactly `scheduledCalls` once `windowOver` — the end is decided by the same comparison the
 * injector stops on, never by a subtraction that may round below the window.
 */
export const callsDue = (startedMs: number, nowMs: number, ratePerSec: number, durationS: number): number => {
  const total = scheduledCalls(ratePerSec, durationS)
  if (windowOver(startedMs, nowMs, durationS)) return total
  return Math.min(total, Math.max(0, Math.floor(((nowMs - startedMs) * ratePerSec) / 1000)))
}
