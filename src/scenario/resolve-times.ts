import type { InputIssue } from "../errors.js";
import { defaultBinWidthMs, MAX_TIME_BINS } from "./time-bins.js";

/**
 * Warm-up, drain and time-bin width, each checked only when what it depends on is valid: a bad
 * duration is one mistake, not also a bad warm-up and a bad bin width. The bins cover the
 * measurement window [warmup, duration) of every workload family.
 */
export function checkTimes(
  doc: { duration: number; warmup?: number; drain?: number; metrics?: { binWidth?: number } },
  issues: InputIssue[],
): { warmupMs: number; drainMs: number; binWidthMs: number } {
  const fail = (path: string, value: unknown, expected: string): void => void issues.push({ path, value, expected });
  const durationOk = doc.duration > 0;
  if (!durationOk) fail("duration", doc.duration, "a positive duration");
  const warmupMs = doc.warmup ?? 0;
  const warmupOk = warmupMs >= 0 && (!durationOk || warmupMs < doc.duration);
  if (!warmupOk) fail("warmup", doc.warmup, durationOk ? `a duration from 0 up to (not including) the duration (${doc.duration} ms)` : "a non-negative duration");
  const drainMs = doc.drain ?? 0;
  const drainOk = drainMs >= 0;
  if (!drainOk) fail("drain", doc.drain, "a non-negative duration");
  const windowMs = doc.duration - warmupMs;
  const valid = durationOk && warmupOk && drainOk;
  const binWidth = doc.metrics?.binWidth;
  const binWidthMs = binWidth ?? (valid ? defaultBinWidthMs(windowMs) : 1);
  if (binWidth !== undefined && !(binWidth > 0)) fail("metrics.binWidth", binWidth, "a positive duration");
  else if (valid && windowMs / binWidthMs > MAX_TIME_BINS) {
    fail("metrics.binWidth", binWidth, `a duration giving at most ${MAX_TIME_BINS} bins over the measured ${windowMs} ms`);
  }
  return { warmupMs, drainMs, binWidthMs };
}

/** JSON with object keys sorted, so the hash does not depend on key order in the file. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) return item;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(item).sort()) sorted[key] = (item as Record<string, unknown>)[key];
    return sorted;
  });
}

/**
 * Freezes the value and everything reachable from it. A frozen object is taken as frozen
 * throughout, so what many share (a group's workloads, its services) is walked once, not once per
 * device; arrays are walked by index (Object.keys of a million devices made a million key strings).
 */
export function deepFreeze<T>(value: T): T {
  // Typed arrays (trace arrival times) cannot be frozen; they are never handed out for writing.
  if (value === null || typeof value !== "object" || ArrayBuffer.isView(value) || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) for (const item of value as unknown[]) deepFreeze(item);
  else for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}
