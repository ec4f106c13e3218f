import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { InputError } from "../errors.js";
import { FIT_FAMILIES, STABLE_ALPHA_MIN, type FitFamily } from "../fit/families.js";
import { fitCdfChart, fitQqChart } from "../fit/charts.js";
import { DEFAULT_MAX_SAMPLES, fitSamples, type FitReport } from "../fit/fit.js";
import { readSampleColumn } from "../fit/samples.js";
import { TIME_UNITS_MS, type TimeUnit } from "../random/duration.js";
import { writeChartFiles } from "../report/write-report.js";
import { writeFileAtomic } from "../io/atomic-file.js";
import { checkOutputTargets } from "../io/output-targets.js";
import { writeStdout } from "./stdout.js";

/** The charts fit writes beside fit.json, each as .vl.json, .svg and .png. */
const FIT_CHARTS = ["fit-cdf", "fit-qq"] as const;
const CHART_EXTENSIONS = [".vl.json", ".svg", ".png"];

export interface FitArgs {
  file: string;
  column: string;
  unit?: string;
  dist?: string;
  out?: string;
  maxSamples?: number;
  /** Print only the files written, one per line. */
  quiet?: boolean;
}

/** `simulate fit`: read a column, fit every family, print the table, write fit.json and the CDF/QQ charts. */
export async function fitCommand(args: FitArgs): Promise<void> {
  const options = checkArgs(args);
  const file = resolve(args.file);
  if (!existsSync(file) || !statSync(file).isFile()) throw new InputError(args.file, [{ path: "", value: args.file, expected: "an existing file of samples" }]);
  const column = readSampleColumn(readFileSync(file, "utf8"), args.file, args.column, options.unit);
  const outDir = resolve(args.out ?? join("reports", "fit", basename(file, extname(file))));
  checkOutputTargets({
    dir: outDir,
    flag: args.out === undefined ? "output folder" : "--out",
    files: ["fit.json", ...FIT_CHARTS.flatMap((id) => CHART_EXTENSIONS.map((ext) => `${id}${ext}`))],
    inputs: [{ what: "samples file", file }],
  });
  const report = fitSamples(column.values, { families: options.families, maxSamples: options.maxSamples });
  const json = {
    source: { file: args.file, column: column.column, format: column.format, unit: options.unit, skippedRows: column.skipped },
    n: report.n,
    likelihoodSamples: report.likelihoodSamples,
    best: report.best,
    specFrom: report.specFrom,
    spec: report.spec,
    fits: report.fits,
    skipped: report.skipped,
  };
  const files = [join(outDir, "fit.json")];
  writeFileAtomic(files[0], `${JSON.stringify(json, null, 2)}\n`);
  if (report.models.some((model) => model.dist !== "empirical")) {
    const specs: Record<(typeof FIT_CHARTS)[number], TopLevelSpec> = { "fit-cdf": fitCdfChart(report, "ms"), "fit-qq": fitQqChart(report, "ms") };
    for (const id of FIT_CHARTS) {
      const spec = specs[id];
      const written = await writeChartFiles(join(outDir, id), spec, id, ["svg", "png"]);
      files.push(...written.files);
      for (const warning of written.warnings) process.stderr.write(`warning (${id}): ${warning}\n`);
    }
  }
  await writeStdout(args.quiet ? files.map((file) => `${file}\n`).join("") : `${formatFitTable(report, args.file, column.column, column.skipped)}\nwrote ${files.join(", ")}\n`);
}

interface CheckedArgs {
  unit: TimeUnit;
  families: FitFamily[];
  maxSamples: number;
}

function checkArgs(args: FitArgs): CheckedArgs {
  const unit = args.unit ?? "ms";
  if (!(unit in TIME_UNITS_MS)) throw new InputError("--unit", [{ path: "", value: unit, expected: `a time unit (${Object.keys(TIME_UNITS_MS).join(", ")})` }]);
  const names = (args.dist ?? FIT_FAMILIES.join(","))
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  const unknown = names.filter((name) => !(FIT_FAMILIES as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new InputError("--dist", [{ path: "", value: unknown.join(",") || args.dist, expected: `a comma-separated list of ${FIT_FAMILIES.join(", ")}` }]);
  }
  const maxSamples = args.maxSamples ?? DEFAULT_MAX_SAMPLES;
  if (!(Number.isInteger(maxSamples) && maxSamples >= 10)) throw new InputError("--max-samples", [{ path: "", value: args.maxSamples, expected: "a whole number of at least 10" }]);
  return { unit: unit as TimeUnit, families: [...new Set(names)] as FitFamily[], maxSamples };
}

/** The printed table: one row per fit, best AIC first, then the families that could not be fitted. */
export function formatFitTable(report: FitReport, file: string, column: string, skippedRows: number): string {
  const subset = report.likelihoodSamples < report.n ? ` (likelihoods on a seeded subset of ${report.likelihoodSamples})` : "";
  const lines = [`${file}, column ${column}: ${report.n} samples${skippedRows > 0 ? `, ${skippedRows} non-numeric rows skipped` : ""}${subset}`];
  const bestAic = Math.min(...report.fits.map((fit) => fit.aic ?? Infinity));
  const rows = [...report.fits].sort((a, b) => (a.aic ?? Infinity) - (b.aic ?? Infinity));
  lines.push(`  ${"dist".padEnd(12)} ${"log-lik".padStart(12)} ${"AIC".padStart(12)} ${"dAIC".padStart(9)} ${"KS".padStart(7)}  parameters (ms)`);
  for (const fit of rows) {
    const params = Object.entries(fit.parameters)
      .filter(([key]) => !key.startsWith("mcculloch") && key !== "locS0")
      .map(([key, value]) => `${key} ${Number(value.toPrecision(4))}`)
      .join(", ");
    const ll = fit.logLikelihood === null ? "-" : fit.logLikelihood.toFixed(1);
    const aic = fit.aic === null ? "-" : fit.aic.toFixed(1);
    const delta = fit.aic === null ? "-" : (fit.aic - bestAic).toFixed(1);
    lines.push(`  ${fit.dist.padEnd(12)} ${ll.padStart(12)} ${aic.padStart(12)} ${delta.padStart(9)} ${fit.ks.toFixed(4).padStart(7)}  ${params}`);
  }
  const stable = report.fits.find((fit) => fit.dist === "stable");
  if (stable !== undefined && stable.parameters.alpha < STABLE_ALPHA_MIN + 0.02) {
    lines.push(`  note: the stable alpha is at the lower end of the searched range (${STABLE_ALPHA_MIN}); the sample is heavier-tailed than the search allows`);
  }
  for (const skip of report.skipped) lines.push(`  ${skip.dist.padEnd(12)} not fitted: ${skip.reason}`);
  if (report.best !== null) {
    const note = report.specFrom !== report.best ? ` (the simulator has no ${report.best} distribution; spec from ${report.specFrom}, the best it can express)` : "";
    lines.push(`best by AIC: ${report.best}${note}`);
  }
  if (report.spec !== null && report.specFrom !== "empirical") lines.push(`spec: ${JSON.stringify(report.spec)}`);
  return lines.join("\n");
}
