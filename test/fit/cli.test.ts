import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { readSampleColumn } from "../../src/fit/samples.js";
import { RandomStreams } from "../../src/engine/rng.js";
import { distributionSpecSchema } from "../../src/random/distribution-spec.js";
import { compileDistribution } from "../../src/random/distributions.js";
import { tempDir } from "../cli/helpers.js";

/** Runs the CLI in this process (no build needed) and captures what it prints. */
let out = "";
let err = "";
beforeEach(() => {
  out = "";
  err = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());

function lognormalCsv(dir: string, n: number): string {
  const sampler = compileDistribution(distributionSpecSchema.parse({ dist: "lognormal", mu: 2.6, sigma: 0.3 }), "t").bind(new RandomStreams(2).stream("csv"));
  const rows = ["seq,rtt_ms,note"];
  for (let i = 0; i < n; i++) rows.push(`${i},${sampler().toFixed(4)},ok`);
  const file = join(dir, "rtt.csv");
  writeFileSync(file, `${rows.join("\n")}\n`);
  return file;
}

describe("simulate fit: bad input exits 2 and names the problem", () => {
  it("a missing file", async () => {
    const dir = tempDir();
    expect(await main(["fit", join(dir, "nope.csv"), "--column", "x", "--out", dir])).toBe(2);
    expect(err).toContain("nope.csv");
    expect(err).toContain("existing file");
    expect(existsSync(join(dir, "fit.json"))).toBe(false);
  });

  it("an unknown column, listing the columns there are", async () => {
    const dir = tempDir();
    const file = lognormalCsv(dir, 50);
    expect(await main(["fit", file, "--column", "rtt", "--out", dir])).toBe(2);
    expect(err).toContain('"rtt"');
    expect(err).toContain("seq, rtt_ms, note");
    expect(existsSync(join(dir, "fit.json"))).toBe(false);
  });

  it("a column without numeric samples", async () => {
    const dir = tempDir();
    const file = lognormalCsv(dir, 50);
    expect(await main(["fit", file, "--column", "note", "--out", dir])).toBe(2);
    expect(err).toContain("numeric samples");
    expect(err).toContain("50 non-numeric rows");
  });

  it("an unknown family and a missing --column", async () => {
    const dir = tempDir();
    const file = lognormalCsv(dir, 50);
    expect(await main(["fit", file, "--column", "rtt_ms", "--dist", "stable,weibull", "--out", dir])).toBe(2);
    expect(err).toContain("weibull");
    expect(await main(["fit", file, "--out", dir])).toBe(2);
    expect(err).toContain("column");
  });
});

describe("simulate fit: output", () => {
  it("writes fit.json and the CDF/QQ charts; the best spec loads and compiles", async () => {
    const dir = tempDir();
    const file = lognormalCsv(dir, 3_000);
    const outDir = join(dir, "out");
    expect(await main(["fit", file, "--column", "rtt_ms", "--out", outDir])).toBe(0);
    expect(err).toBe("");
    expect(out).toMatch(/best by AIC: lognormal/);
    for (const name of ["fit.json", "fit-cdf.vl.json", "fit-cdf.svg", "fit-cdf.png", "fit-qq.vl.json", "fit-qq.svg", "fit-qq.png"]) {
      expect(existsSync(join(outDir, name)), name).toBe(true);
    }
    expect(readdirSync(outDir).filter((name) => name.includes(".tmp-"))).toEqual([]);
    const written = JSON.parse(readFileSync(join(outDir, "fit.json"), "utf8")) as { best: string; spec: unknown; fits: Array<{ dist: string; aic: number | null; ks: number; spec: unknown }> };
    expect(written.best).toBe("lognormal");
    expect(written.fits.map((fit) => fit.dist)).toEqual(["stable", "lognormal", "gamma", "exponential", "empirical"]);
    const spec = distributionSpecSchema.parse(written.spec);
    const sampler = compileDistribution(spec, "fit.json spec").bind(new RandomStreams(1).stream("check"));
    const draws = Array.from({ length: 20_000 }, () => sampler());
    const meanLog = draws.reduce((sum, x) => sum + Math.log(x), 0) / draws.length;
    expect(meanLog).toBeCloseTo(2.6, 1);
    // Every fitted family's spec compiles too.
    for (const fit of written.fits) {
      expect(fit.spec, fit.dist).not.toBeNull();
      expect(() => compileDistribution(distributionSpecSchema.parse(fit.spec), fit.dist)).not.toThrow();
    }
    const png = readFileSync(join(outDir, "fit-cdf.png"));
    expect(png.subarray(1, 4).toString()).toBe("PNG");
  });

  const PING = "/work/shared/data/deterministic6g/ping-MEC-cmWave.txt";
  it.skipIf(!existsSync(PING))("reads raw ping output (the shared DETERMINISTIC6G trace) and fits it", async () => {
    const dir = tempDir();
    expect(await main(["fit", PING, "--column", "time", "--dist", "stable,lognormal", "--out", dir])).toBe(0);
    const written = JSON.parse(readFileSync(join(dir, "fit.json"), "utf8")) as { n: number; source: { format: string } };
    expect(written.source.format).toBe("ping");
    expect(written.n).toBe(877);
  });
});

describe("reading samples", () => {
  it("ping output: the time= values, banner and summary ignored, unanswered lines counted", () => {
    const text = [
      "PING 10.0.0.1 (10.0.0.1) 56(84) bytes of data.",
      "64 bytes from 10.0.0.1: icmp_seq=1 ttl=64 time=23.1 ms",
      "From 10.0.0.2 icmp_seq=2 Destination Host Unreachable",
      "64 bytes from 10.0.0.1: icmp_seq=3 ttl=64 time=140 ms",
      "",
      "--- 10.0.0.1 ping statistics ---",
      "3 packets transmitted, 2 received, 33% packet loss, time 2003ms",
      "rtt min/avg/max/mdev = 23.1/81.5/140/58.4 ms",
    ].join("\n");
    const column = readSampleColumn(text, "ping.txt", "time");
    expect(column.values).toEqual([23.1, 140]);
    expect(column.skipped).toBe(1);
    expect(() => readSampleColumn(text, "ping.txt", "rtt")).toThrow(/time/);
  });

  it("a whitespace table whose header carries units (CICV5G): delay matches delay(ms)", () => {
    const text = "pub_time(ms) sub_time(ms) delay(ms) sinr(db)\n1 18 17 18 \n2 25 23 18 \n3 21 18 -\n";
    const column = readSampleColumn(text, "trace.txt", "delay");
    expect(column).toMatchObject({ values: [17, 23, 18], format: "whitespace", column: "delay(ms)", skipped: 0 });
    expect(readSampleColumn(text, "trace.txt", "sinr").skipped).toBe(1);
  });

  it("CSV with quotes, converted from --unit s to milliseconds", () => {
    const column = readSampleColumn('"id","rtt"\n1,"0.012"\n2,0.5\n', "a.csv", "rtt", "s");
    expect(column.values).toEqual([12, 500]);
    expect(column.format).toBe("csv");
  });
});
