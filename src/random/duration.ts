/** Milliseconds per unit of every time unit a scenario may use. */
export const TIME_UNITS_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  sec: 1000,
  min: 60_000,
  h: 3_600_000,
  /** A day, for long runs (a simulated week is "7 d"). */
  d: 86_400_000,
};

/** The units, for messages and schema descriptions: "ns, us, µs, ms, s, sec, min, h, d". */
export const TIME_UNIT_LIST = Object.keys(TIME_UNITS_MS).join(", ");

export type TimeUnit = "ns" | "us" | "µs" | "ms" | "s" | "sec" | "min" | "h" | "d";

const DURATION_PATTERN = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([a-zµ]+)\s*$/;

/**
 * Parses "250 ms", "2 s", "1.5 min", "1e3 us" into milliseconds. A bare number is taken in
 * `defaultUnit`. Returns undefined when the text is not a duration, so callers can word the error.
 */
export function parseDuration(value: number | string, defaultUnit: TimeUnit = "ms"): number | undefined {
  if (typeof value === "number") return finite(value * TIME_UNITS_MS[defaultUnit]);
  const match = DURATION_PATTERN.exec(value);
  if (match === null) return undefined;
  const factor = TIME_UNITS_MS[match[2]];
  if (factor === undefined) return undefined;
  return finite(Number(match[1]) * factor);
}

/** A duration that overflows a double in milliseconds (1e308 h) is not a duration. */
function finite(ms: number): number | undefined {
  return Number.isFinite(ms) ? ms : undefined;
}

/** Formats milliseconds for people: "850 ms", "12.5 s", "3 min". */
export function formatDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms >= 1000) return `${round(ms / 1000)} s`;
  return `${round(ms)} ms`;
}

/** A long span for people: "about 278 years". */
export function formatYears(ms: number): string {
  return `about ${Math.round(ms / YEAR_MS).toLocaleString("en-US")} years`;
}

const YEAR_MS = 365.25 * 86_400_000;

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
