/**
 * Milliseconds on a monotonic clock, for wall times (a run's `wallSeconds`). process.hrtime rather
 * than `performance.now()`: Node loads its performance module (11 of its own modules, ~2-4 ms on
 * the project's VM) on the first read of the `performance` global, which `ccsim run` otherwise
 * never makes (effect's clock reads process.hrtime too).
 */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6
