import { describe, expect, it } from "vitest";
import { parseSize, sizeSchema } from "../../src/scenario/size.js";

// Oracle: the definitions. SI prefixes are powers of 1000 (k = 10^3 ... T = 10^12); IEC binary
// prefixes powers of 1024 (Ki = 2^10 ... Ti = 2^40); a number is bytes.
const accepted: [number | string, number][] = [
  [0, 0],
  [1536, 1536],
  ["100 B", 100],
  ["1 kB", 1000],
  ["1 KB", 1000],
  ["1 KiB", 1024],
  ["1.5 KiB", 1536],
  ["29 MB", 29_000_000],
  ["512 MiB", 536_870_912],
  ["6.3 GB", 6_300_000_000],
  ["0.5GB", 500_000_000],
  [" 12 GiB ", 12 * 2 ** 30],
  ["1 TB", 1e12],
  ["2 TiB", 2 * 2 ** 40],
  ["1e3 MB", 1e9],
  [".25 MiB", 262_144],
  // A fraction of a byte rounds to a whole byte.
  ["1.0001 kB", 1000],
];

const rejected: (number | string)[] = ["12 XB", "12 Mb", "12 mB", "12", "MB", "-1 MB", -1, "1 iB", Number.NaN, Number.POSITIVE_INFINITY, "1e400 GB", "1,5 MB"];

describe("sizes (src/scenario/size.ts)", () => {
  for (const [written, bytes] of accepted) {
    it(`${JSON.stringify(written)} is ${bytes} bytes`, () => {
      expect(parseSize(written)).toBe(bytes);
      expect(sizeSchema.parse(written)).toBe(bytes);
    });
  }
  it("SI and IEC differ: 1 GB is 0.93 GiB", () => {
    expect((parseSize("1 GB") as number) / (parseSize("1 GiB") as number)).toBeCloseTo(1e9 / 2 ** 30, 15);
  });
  for (const written of rejected) {
    it(`rejects ${JSON.stringify(written)}, naming the accepted forms`, () => {
      expect(parseSize(written)).toBeUndefined();
      const result = sizeSchema.safeParse(written);
      expect(result.success).toBe(false);
      if (typeof written === "string") expect(result.error?.issues[0].message).toContain('"29 MB", "512 MiB", "6.3 GB"');
    });
  }
});
