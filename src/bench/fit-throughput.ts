import { RandomStreams } from "../engine/rng.js";
import { FIT_FAMILIES } from "../fit/families.js";
import { fitSamples } from "../fit/fit.js";
import { distributionSpecSchema } from "../random/distribution-spec.js";
import { compileDistribution } from "../random/distributions.js";

export const FIT_BENCH_SAMPLES = 100_000;

/** Seconds to fit every family to 100,000 draws of the calibrated 5G link (the `simulate fit` path, without file I/O). */
export function measureFit(): { samples: number; wallSeconds: number; best: string } {
  const draw = compileDistribution(distributionSpecSchema.parse({ preset: "5g-stable-calibrated" }), "bench").bind(new RandomStreams(1).stream("fit-bench"));
  const values = Array.from({ length: FIT_BENCH_SAMPLES }, draw);
  const started = process.hrtime.bigint();
  const report = fitSamples(values, { families: FIT_FAMILIES });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { samples: values.length, wallSeconds: Math.round(wallSeconds * 1000) / 1000, best: report.best ?? "" };
}
