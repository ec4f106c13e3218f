import type { ResolveContext } from "./resolve-context.js";

const BITS_PER_UNIT: Readonly<Record<string, number>> = {
  "bit/s": 1,
  bps: 1,
  "kbit/s": 1e3,
  kbps: 1e3,
  "mbit/s": 1e6,
  mbps: 1e6,
  "gbit/s": 1e9,
  gbps: 1e9,
  "b/s": 8,
  "kb/s": 8e3,
  "mb/s": 8e6,
  "gb/s": 8e9,
};

const BANDWIDTH_PATTERN = /^\s*(\d+\.?\d*|\.\d+)(?:[eE]([-+]?\d+))?\s*([A-Za-z/]+)\s*$/;

/**
 * Bits per second from a number (already bits/s) or a string: "100 Mbit/s", "54 Mbps",
 * "1 Gbit/s", "12.5 MB/s" (bytes, decimal SI prefixes). Units are case-insensitive except that
 * an upper-case "B" means bytes. Returns undefined when not a positive bandwidth.
 */
export function parseBandwidth(value: number | string): number | undefined {
  if (typeof value === "number") return value > 0 && Number.isFinite(value) ? value : undefined;
  const match = BANDWIDTH_PATTERN.exec(value);
  if (match === null) return undefined;
  const amount = Number(match[1]) * 10 ** Number(match[2] ?? 0);
  const unit = match[3];
  const bytes = /B\/s$/.test(unit);
  const key = bytes ? unit.toLowerCase() : unit.toLowerCase().replace(/b\/s$/, "bit/s");
  const factor = BITS_PER_UNIT[key];
  if (factor === undefined || !(amount > 0)) return undefined;
  return amount * factor;
}

/** A capacity as written (bits/s, or a string such as "100 Mbit/s") in bytes per ms: the one reader of link and air capacities. */
export function capacityBytesPerMs(spec: string | number, path: string, ctx: ResolveContext): number {
  const bitsPerSecond = parseBandwidth(spec);
  if (bitsPerSecond === undefined) ctx.fail(path, spec, 'a capacity: bits per second, or a string such as "100 Mbit/s"');
  return (bitsPerSecond ?? Infinity) / 8 / 1000;
}
