import { existsSync } from "node:fs";
import { nearestName, suggestName } from "../text/nearest-name.js";

/** The sub-commands of `simulate`; the default command (a scenario file) has no name. */
export const COMMANDS = ["run", "validate", "sample", "report", "sweep", "merge", "fit", "profiles"] as const;

/**
 * A problem with the command line that yargs would misreport, found before yargs runs:
 * - no arguments at all (yargs runs the default command with an undefined scenario);
 * - a misspelt command (`simulate sweeep x.json` reads as a scenario file named "sweeep").
 * Returns the message, or undefined when the command line is for yargs to check.
 */
export function commandLineProblem(argv: readonly string[]): string | undefined {
  if (argv.length === 0) return `no scenario given: simulate <scenario.json> [options], or simulate <command> ... (commands: ${COMMANDS.join(", ")})`;
  const first = argv[0];
  if (first.startsWith("-") || (COMMANDS as readonly string[]).includes(first)) return undefined;
  // A word that is no file and has no path or extension is a command name, misspelt or unknown.
  if (/^[a-z][a-z-]*$/i.test(first) && !existsSync(first)) {
    const near = nearestName(first, COMMANDS);
    return `unknown command "${first}"${near === undefined ? "" : `; did you mean "${near}"?`} (commands: ${COMMANDS.join(", ")}; or a scenario file)`;
  }
  return undefined;
}

/** The positional arguments' names in main.ts's command definitions (yargs lists them with the options). */
const POSITIONALS = new Set(["scenario", "spec", "results", "sweep", "dirs", "file"]);

/**
 * yargs' usage message with a suggestion for each unknown option: "Unknown argument: seeed"
 * becomes "unknown option --seeed; did you mean --seed? known: ...".
 */
export function explainUsageError(message: string, knownOptions: readonly string[], argv: readonly string[]): string {
  const unknown = /^Unknown arguments?: (.*)$/.exec(message);
  if (unknown === null) return message;
  // yargs describes positionals beside options; only options are suggested for an option.
  const options = knownOptions.filter((name) => !POSITIONALS.has(name) && name !== "help").map((name) => `--${name}`);
  const typedOptions = new Set(argv.filter((arg) => arg.startsWith("-")).map((arg) => arg.replace(/^-+/, "").replace(/=.*$/, "")));
  // yargs lists an unknown --dry-run twice, as typed and camel-cased ("dryRun"): one mistake, one message.
  const camel = (name: string): string => name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
  const camelOfTyped = new Set([...typedOptions].filter((name) => name.includes("-")).map(camel));
  const names = unknown[1].split(", ").filter((name) => typedOptions.has(name) || !camelOfTyped.has(name));
  return names
    .map((name) => {
      if (!typedOptions.has(name))
        return `unexpected argument "${name}" (this command takes ${
          knownOptions
            .filter((n) => POSITIONALS.has(n))
            .map((n) => `<${n}>`)
            .join(" ") || "no"
        } positional argument)`;
      const dashed = name.length === 1 ? `-${name}` : `--${name}`;
      return `unknown option ${dashed}; ${suggestName(dashed, options).replace(/"/g, "")}`;
    })
    .join("\n");
}
