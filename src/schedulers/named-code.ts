import { resolve } from "node:path";
import { InputError } from "../errors.js";

/**
 * The trust model: a scenario that names code is code. A `{"policy": "module"}` entry imports an
 * ES module and an `{"policy": "external"}` entry starts a process, for edge schedulers and
 * language-model routers alike; neither runs unless the user passes --allow-exec
 * (docs/policies.md, "Trust"). This finds what a scenario document would execute, from the
 * document itself, so the check needs nothing resolved and runs before anything else.
 */
export interface NamedCode {
  /** JSON path of the key naming the code, e.g. `schedulers[2].command`. */
  path: string;
  /** The value as the file has it (the module path, the command array). */
  value: unknown;
  /** What would run: `module /abs/policy.mjs` or `command ["python3","agent.py"] started in /cwd` (its relative paths resolve from there). */
  runs: string;
}

/** The flag that allows it, named once for every message. */
export const ALLOW_EXEC_FLAG = "--allow-exec";

/** Module and external entries of a scenario document's `policies` (and their older names `schedulers`, `routers`), per-family members included, in order. */
export function codeNamedIn(document: unknown, baseDir: string): NamedCode[] {
  const found: NamedCode[] = [];
  if (document === null || typeof document !== "object") return found;
  const inspect = (entry: unknown, at: string): void => {
    if (entry === null || typeof entry !== "object") return;
    const { policy, name, options } = entry as { policy?: unknown; name?: unknown; options?: unknown };
    // {"policy": kind, ...fields} or {"name": kind, "options": {...fields}}: both run the same code.
    const kind = policy ?? name;
    const inOptions = policy === undefined;
    const fields = (inOptions ? options : entry) as Record<string, unknown> | undefined;
    const where = `${at}${inOptions ? ".options" : ""}`;
    if (kind === "module" && typeof fields?.path === "string") found.push({ path: `${where}.path`, value: fields.path, runs: `module ${resolve(baseDir, fields.path)}` });
    if (kind === "external" && Array.isArray(fields?.command))
      found.push({ path: `${where}.command`, value: fields.command, runs: `command ${JSON.stringify(fields.command)} started in ${process.cwd()}` });
  };
  // `policies` is the one list; `schedulers` and `routers` are its older names, still read.
  for (const key of ["policies", "schedulers", "routers"] as const) {
    const entries = (document as Record<string, unknown>)[key];
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry: unknown, index) => {
      inspect(entry, `${key}[${index}]`);
      // {"frames": <entry>, "queries": <entry>}: one policy per workload family.
      if (entry !== null && typeof entry === "object") {
        for (const family of ["frames", "queries"] as const) {
          const member = (entry as Record<string, unknown>)[family];
          if (member !== undefined) inspect(member, `${key}[${index}].${family}`);
        }
      }
    });
  }
  return found;
}

/** Refuses (bad input, exit 2, before anything runs or is written) to execute code named in `source` without --allow-exec. */
export function checkAllowExec(code: readonly NamedCode[], allowExec: boolean | undefined, source: string): void {
  if (allowExec === true || code.length === 0) return;
  throw new InputError(
    source,
    code.map((entry) => ({
      path: entry.path,
      value: entry.value,
      expected: `permission to run it (${entry.runs}): a scenario that names code is code; pass ${ALLOW_EXEC_FLAG} if you trust it (docs/policies.md, "Trust")`,
    })),
  );
}

/** Lines for `simulate validate`: what a run would execute, each at its JSON path; nothing is executed. */
export function describeNamedCode(code: readonly NamedCode[]): string {
  if (code.length === 0) return "";
  const lines = code.map((entry) => `  ${entry.path}: ${entry.runs}`);
  return `runs code (needs ${ALLOW_EXEC_FLAG}; not executed by validate):\n${lines.join("\n")}\n`;
}
