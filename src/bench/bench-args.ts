import { suggestName } from "../text/nearest-name.js";

/**
 * The arguments of `npm run bench` (everything but `--vs-reference`, whose own parser checks its
 * models and `--pairs`: vs-reference.ts). Checked before anything runs, so a misspelt name or
 * option costs a message and exit 2, not the whole half-hour benchmark (which is what it cost
 * when unknown words were silently ignored and `--help` ran every model).
 */

/** Measurements beside the models, each run by naming it (all but `long-run` also run when nothing is named). */
export const BENCH_EXTRAS = ["sweep", "fit", "startup", "scale", "long-run"] as const;
/** The options `npm run bench` reads; `--pairs` takes a value. */
export const BENCH_OPTIONS = ["--json", "--vs-reference", "--pairs", "--help"] as const;

export const BENCH_USAGE = `usage: npm run bench -- [name ...] [--json]
       npm run bench -- startup [--pairs N]
       npm run bench -- --vs-reference [mm1 | edge-offload] [--pairs N] [--json]
       npm run bench -- long-run
With no name, every model, sweep, fit, startup and scale run (long-run only when named).`;

export interface BenchArgs {
  /** The models and extras named, in the order given; empty = the default set. */
  names: string[];
  json: boolean;
  help: boolean;
}

/** The parsed arguments, or the one message of what is wrong with them. */
export function parseBenchArgs(args: readonly string[], modelNames: readonly string[]): BenchArgs | { error: string } {
  const valid = [...modelNames, ...BENCH_EXTRAS];
  const names: string[] = [];
  let json = false;
  let help = false;
  let pairsGiven = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--json") json = true;
    else if (arg === "--help" || arg === "-h") help = true;
    else if (arg === "--pairs") {
      // Its value is checked by the measurement that reads it (startup.ts's parseStartupPairs).
      pairsGiven = true;
      i++;
    } else if (arg.startsWith("-")) return { error: `unknown option ${arg}; ${suggestName(arg, BENCH_OPTIONS)}` };
    else if (!valid.includes(arg)) return { error: `no benchmark named "${arg}"; ${suggestName(arg, valid)}` };
    else if (!names.includes(arg)) names.push(arg);
  }
  if (pairsGiven && names.length > 0 && !names.includes("startup")) return { error: "--pairs applies to startup and to --vs-reference, and neither is named" };
  return { names, json, help };
}
