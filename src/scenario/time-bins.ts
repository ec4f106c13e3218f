/** Most time-series bins a run may have: each holds a 5 KB sketch, so this caps a run's series at about 50 MB. */
export const MAX_TIME_BINS = 10_000;
/** Bins the default bin width aims for over the measurement window. */
const TARGET_BINS = 60;

/**
 * A default bin width: the measurement window split into about 60 bins, rounded down to
 * 1, 2 or 5 times a power of ten milliseconds so axes read naturally.
 */
export function defaultBinWidthMs(windowMs: number): number {
  const raw = windowMs / TARGET_BINS;
  const decade = 10 ** Math.floor(Math.log10(raw));
  for (const step of [5, 2, 1]) if (step * decade <= raw) return step * decade;
  return decade;
}
