/** One problem with user input: where it is, what was there, and what was expected. */
export interface InputIssue {
  /** JSON path in the style `nodes[2].profile`; empty for the document itself. */
  path: string;
  /** The offending value (undefined when a required key is missing). */
  value: unknown;
  /** What was expected, in words, e.g. `a known hardware profile (known: coral-dev-board, ...)`. */
  expected: string;
  /**
   * What is wrong, in words, when it is not a bad value at the path (e.g. `no such key`, a duplicated
   * key); `expected` then follows it as free text (e.g. `did you mean "duration"? known: ...`).
   */
  problem?: string;
}

/**
 * Thrown when input is invalid; carries every issue found so the user can fix them in one go.
 * The same issue found twice (e.g. one bad jitter checked for each link that uses it) is kept once:
 * one mistake, one message.
 */
export class InputError extends Error {
  readonly issues: readonly InputIssue[];

  constructor(
    readonly source: string,
    issues: readonly InputIssue[],
  ) {
    const unique = distinctIssues(issues);
    super(formatIssues(source, unique));
    this.issues = unique;
    this.name = "InputError";
  }
}

function distinctIssues(issues: readonly InputIssue[]): InputIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = formatIssue(issue);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function formatIssue(issue: InputIssue): string {
  const where = issue.path === "" ? "(document)" : issue.path;
  if (issue.problem !== undefined) return issue.expected === "" ? `${where}: ${issue.problem}` : `${where}: ${issue.problem}; ${issue.expected}`;
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
