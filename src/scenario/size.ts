import * as z from "zod";

/**
 * The one reader of sizes in bytes (images, layers, models, memory requests): a number is bytes;
 * a string is a number and a unit, decimal SI (B, kB, MB, GB, TB: powers of 1000) or binary IEC
 * (KiB, MiB, GiB, TiB: powers of 1024). "KB" is read as kB (1000): the JEDEC 1024 reading is
 * what "KiB" says without ambiguity. The B is upper case (a lower-case b is a bit).
 */

const SIZE_FORMS = 'a size: a number of bytes, or a string with a unit, decimal (B, kB, MB, GB, TB) or binary (KiB, MiB, GiB, TiB), e.g. "29 MB", "512 MiB", "6.3 GB"';

/** Powers of the base per prefix letter ("kB" and "KB" alike). */
const PREFIX_POWER: Readonly<Record<string, number>> = { "": 0, k: 1, m: 2, g: 3, t: 4 };

const SIZE_PATTERN = /^\s*(\d+\.?\d*|\.\d+)(?:[eE]([-+]?\d+))?\s*([kKMGT]?)(i?)B\s*$/;

/** Bytes (rounded to a whole byte) from a number of bytes or a string such as "29 MB" or "512 MiB"; undefined when not a finite size >= 0. */
export function parseSize(value: number | string): number | undefined {
  if (typeof value === "number") return value >= 0 && Number.isFinite(value) ? Math.round(value) : undefined;
  const match = SIZE_PATTERN.exec(value);
  if (match === null) return undefined;
  const [, digits, exponent, prefix, binary] = match;
  const power = PREFIX_POWER[prefix.toLowerCase()];
  if (binary === "i" && power === 0) return undefined;
  // Decimal: one exponent, so "6.3 GB" is the double nearest 6.3e9 (no 6.3 x 1e9 rounding); binary: x 2^(10k) is exact.
  const bytes = binary === "i" ? Number(`${digits}e${Number(exponent ?? 0)}`) * 2 ** (10 * power) : Number(`${digits}e${Number(exponent ?? 0) + 3 * power}`);
  return Number.isFinite(bytes) ? Math.round(bytes) : undefined;
}

/** A size in the scenario format, resolved to bytes while parsing (as durationSchema resolves times to ms). */
export const sizeSchema = z
  .union([z.number(), z.string()])
  .transform((value, context) => {
    const bytes = parseSize(value);
    if (bytes === undefined) {
      context.issues.push({ code: "custom", input: value, message: `expected ${SIZE_FORMS}` });
      return z.NEVER;
    }
    return bytes;
  })
  .meta({ description: `A size in bytes: ${SIZE_FORMS.slice("a size: ".length)}.` });
