/** One problem with user input: where it is, what was there, and what was expected. */
export interface InputIssue {
  /** JSON path in the style `nodes[2].profile`; empty for the document itself. */
  path: string;
  /** The offending value (undefined when a required key is missing). */
  value: unknown;
  /** What was expected, in words, e.g. `a known hardware profile (known: coral-dev-board, ...)`. */
  expected: string;
}

/** Thrown when input is invalid; carries every issue found so the user can fix them in one go. */
export class InputError extends Error {
  constructor(
    readonly source: string,
    readonly issues: readonly InputIssue[],
  ) {
    super(formatIssues(source, issues));
    this.name = "InputError";
  }
}

export function formatIssue(issue: InputIssue): string {
  const where = issue.path === "" ? "(document)" : issue.path;
  if (issue.value === undefined) return `${where}: missing: expected ${issue.expected}`;
  return `${where}: ${describeValue(issue.value)} is not valid: expected ${issue.expected}`;
}

export function formatIssues(source: string, issues: readonly InputIssue[]): string {
  const lines = issues.map((issue) => `  ${formatIssue(issue)}`);
  return `${source}: ${issues.length} problem${issues.length === 1 ? "" : "s"}\n${lines.join("\n")}`;
}

/** A short rendering of a JSON value for error messages. */
export function describeValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Joins JSON path segments: ["nodes", 2, "profile"] -> "nodes[2].profile". */
export function jsonPath(segments: ReadonlyArray<PropertyKey>): string {
  let path = "";
  for (const segment of segments) {
    if (typeof segment === "number") path += `[${segment}]`;
    else path += path === "" ? String(segment) : `.${String(segment)}`;
  }
  return path;
}

/** Raised while a simulation runs (a model reaching an impossible state); exit code 1. */
export class SimulationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SimulationError";
  }
}
