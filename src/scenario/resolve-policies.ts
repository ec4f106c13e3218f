import type * as z from "zod";
import type { LlmRouterEntry } from "../llm/resolved.js";
import { ROUTER_OPTIONS, ROUTERS } from "../llm/routers/registry.js";
import { PLACEMENT_OPTIONS, PLACEMENTS } from "../dag/placement-registry.js";
import type { PolicyEntry } from "../policies/policy-entry.js";
import { SCHEDULER_OPTIONS, SCHEDULERS } from "../schedulers/registry.js";
import { suggestName } from "../text/nearest-name.js";
import type { ResolveContext } from "./resolve-context.js";
import type { SchedulerEntry } from "./resolved.js";
import type { PolicyEntryDocument, SinglePolicyDocument } from "./schema-policies.js";
import type { WorkloadFamily } from "./resolved-scenario.js";
import { toInputIssues } from "./zod-issues.js";

/**
 * The policies compared: each entry becomes one run with a scheduler for frames, a router for
 * queries and a placement for application graphs, for the families the scenario has. Names come from the two registries (schedulers
 * place frames, routers route queries; "local-only" and "cloud-only" are both) and options are
 * always checked here against the registries' option schemas: a caller cannot forget to.
 */

const FAMILY_WORDS: Record<WorkloadFamily, { policy: string; does: string }> = {
  frames: { policy: "scheduler", does: "places frames" },
  queries: { policy: "router", does: "routes queries" },
  applications: { policy: "placement", does: "places application graphs" },
};

const REGISTRY: Record<WorkloadFamily, { names: readonly string[]; options: Readonly<Record<string, z.ZodType>> }> = {
  frames: { names: Object.keys(SCHEDULERS).filter((name) => name !== "module"), options: SCHEDULER_OPTIONS },
  queries: { names: Object.keys(ROUTERS), options: ROUTER_OPTIONS },
  applications: { names: Object.keys(PLACEMENTS), options: PLACEMENT_OPTIONS },
};

const FAMILIES = ["frames", "queries", "applications"] as const;

/** A run's members as they are resolved. */
interface Members {
  frames: SchedulerEntry | undefined;
  queries: LlmRouterEntry | undefined;
  applications: SchedulerEntry | undefined;
}

export function resolvePolicies(entries: readonly PolicyEntryDocument[], key: string, families: { frames: boolean; queries: boolean; applications: boolean }, ctx: ResolveContext): PolicyEntry[] {
  const present = FAMILIES.filter((family) => families[family]);
  const labels = new Set<string>();
  const resolved: PolicyEntry[] = [];
  entries.forEach((entry, index) => {
    const path = `${key}[${index}]`;
    const members = typeof entry === "object" && !("name" in entry) && !("policy" in entry) ? perFamily(entry, path, present, ctx) : single(entry, path, present, ctx);
    if (members === undefined) return;
    const label = members.label;
    if (labels.has(label)) ctx.fail(path, entry, `a label not used by another entry ("${label}"); add "label"`);
    labels.add(label);
    resolved.push(members);
  });
  return resolved;
}

function perFamily(
  entry: { label?: string; frames?: SinglePolicyDocument; queries?: SinglePolicyDocument; applications?: SinglePolicyDocument },
  path: string,
  present: readonly WorkloadFamily[],
  ctx: ResolveContext,
): PolicyEntry | undefined {
  const result: Members = { frames: undefined, queries: undefined, applications: undefined };
  let ok = true;
  for (const family of FAMILIES) {
    const member = entry[family];
    if (member === undefined) {
      if (present.includes(family)) {
        ctx.fail(`${path}.${family}`, undefined, `a ${FAMILY_WORDS[family].policy} here (required: the scenario has ${family} workloads)`);
        ok = false;
      }
      continue;
    }
    if (!present.includes(family)) {
      ctx.fail(`${path}.${family}`, member, `no ${family} policy: no device has a ${family} workload`);
      ok = false;
      continue;
    }
    const one = family === "frames" && attemptsWithoutQueries(member, `${path}.frames`, ctx) ? undefined : resolveOne(member, `${path}.${family}`, family, ctx);
    if (one === undefined) ok = false;
    else assign(result, family, one);
  }
  if (!ok) return undefined;
  const label = entry.label ?? [result.frames?.label, result.queries?.label, result.applications?.label].filter((l) => l !== undefined).join("+");
  return entryOf(label, result);
}

function single(entry: SinglePolicyDocument, path: string, present: readonly WorkloadFamily[], ctx: ResolveContext): PolicyEntry | undefined {
  if (typeof entry === "object" && "policy" in entry && present.length > 1) {
    ctx.fail(
      `${path}.policy`,
      entry.policy,
      `a named policy: in a scenario with frames and queries, a ${entry.policy} policy is written under "frames" or "queries" ({"frames": ..., "queries": ...})`,
    );
    return undefined;
  }
  const name = typeof entry === "string" ? entry : "name" in entry ? entry.name : undefined;
  if (name !== undefined) {
    const namePath = typeof entry === "string" ? path : `${path}.name`;
    const supported = present.filter((family) => REGISTRY[family].names.includes(name));
    if (supported.length === 0 && present.every((family) => !REGISTRY[family].names.includes(name))) {
      const known = [...new Set(present.flatMap((family) => REGISTRY[family].names))].sort();
      const other = FAMILIES.find((family) => !present.includes(family) && REGISTRY[family].names.includes(name));
      const expected =
        other === undefined
          ? `a known policy: ${suggestName(name, known)}`
          : `a policy for the scenario's ${present.join(" and ")}: "${name}" is a ${FAMILY_WORDS[other].policy} (it ${FAMILY_WORDS[other].does}); ${suggestName(name, known)}`;
      ctx.fail(namePath, name, expected);
      return undefined;
    }
    const missing = present.find((family) => !supported.includes(family));
    if (missing !== undefined) {
      const can = REGISTRY[missing].names.filter((n) => n !== "external").sort();
      ctx.fail(
        namePath,
        name,
        `a policy that also ${FAMILY_WORDS[missing].does} (the scenario has ${missing} workloads): "${name}" ${FAMILY_WORDS[supported[0]].does} only; ` +
          `${missing} can use ${can.map((n) => `"${n}"`).join(", ")}, e.g. {"${supported[0]}": "${name}", "${missing}": "${can[0]}"}`,
      );
      return undefined;
    }
  }
  if (!present.includes("queries") && attemptsWithoutQueries(entry, path, ctx)) return undefined;
  const result: Members = { frames: undefined, queries: undefined, applications: undefined };
  let label: string | undefined;
  for (const family of present) {
    const one = resolveOne(entry, path, family, ctx);
    if (one === undefined) return undefined;
    assign(result, family, one);
    label ??= one.label;
  }
  if (label === undefined) return undefined;
  return entryOf(label, result);
}

function assign(result: Members, family: WorkloadFamily, one: LlmRouterEntry): void {
  if (family === "queries") result.queries = one;
  else result[family] = schedulerOf(one);
}

/** The entry, with `applications` only when the scenario has applications (every other scenario's entries stay as they were). */
function entryOf(label: string, result: Members): PolicyEntry {
  const { applications, ...rest } = result;
  return applications === undefined ? { label, ...rest } : { label, ...rest, applications };
}

/** pipelineMaxAttempts limits the attempts of pipeline queries: on a frame scheduler it would be silently meaningless. */
function attemptsWithoutQueries(entry: SinglePolicyDocument, path: string, ctx: ResolveContext): boolean {
  if (typeof entry === "string" || entry.pipelineMaxAttempts === undefined) return false;
  ctx.fail(`${path}.pipelineMaxAttempts`, entry.pipelineMaxAttempts, "no pipelineMaxAttempts here: it limits the attempts of pipeline queries, and this policy places frames only");
  return true;
}

/** A scheduler has no pipeline attempts: only the router of a run carries them. */
function schedulerOf(entry: LlmRouterEntry): SchedulerEntry {
  return { name: entry.name, label: entry.label, options: entry.options };
}

/** One family's member of an entry, with its options checked against the registry. */
function resolveOne(entry: SinglePolicyDocument, path: string, family: WorkloadFamily, ctx: ResolveContext): LlmRouterEntry | undefined {
  const registry = REGISTRY[family];
  if (family === "applications" && typeof entry === "object" && "policy" in entry) {
    ctx.fail(`${path}.policy`, entry.policy, `a named placement of application graphs: ${[...registry.names].sort().join(", ")}`);
    return undefined;
  }
  if (typeof entry === "object" && "policy" in entry) {
    const pipelineMaxAttempts = entry.pipelineMaxAttempts;
    if (entry.policy === "module") {
      const base =
        entry.path
          .split("/")
          .pop()
          ?.replace(/\.[cm]?[jt]s$/, "") ?? "module";
      return { name: "module", label: entry.label ?? base, options: { path: entry.path, options: entry.options ?? {} }, pipelineMaxAttempts };
    }
    const { policy: _policy, label, pipelineMaxAttempts: _attempts, ...raw } = entry;
    const options = checkOptions(registry.options.external, raw, path, family, "external", ctx);
    if (options === undefined) return undefined;
    return { name: "external", label: label ?? "external", options, pipelineMaxAttempts };
  }
  const name = typeof entry === "string" ? entry : entry.name;
  const namePath = typeof entry === "string" ? path : `${path}.name`;
  if (!registry.names.includes(name)) {
    ctx.fail(namePath, name, `a ${FAMILY_WORDS[family].policy} (a policy that ${FAMILY_WORDS[family].does}): ${suggestName(name, [...registry.names].sort())}`);
    return undefined;
  }
  const raw = typeof entry === "string" ? {} : (entry.options ?? {});
  const options = checkOptions(registry.options[name], raw, `${path}.options`, family, name, ctx);
  if (options === undefined) return undefined;
  return { name, label: typeof entry === "string" ? entry : (entry.label ?? entry.name), options, pipelineMaxAttempts: typeof entry === "string" ? undefined : entry.pipelineMaxAttempts };
}

/**
 * Options parsed by the policy's schema. Schedulers receive the parsed options (defaults
 * applied); routers' factories parse the form written themselves (durations as strings).
 */
function checkOptions(schema: z.ZodType | undefined, raw: Record<string, unknown>, path: string, family: WorkloadFamily, name: string, ctx: ResolveContext): Record<string, unknown> | undefined {
  if (schema === undefined) {
    const keys = Object.keys(raw);
    for (const key of keys) ctx.fail(`${path}.${key}`, raw[key], `no such option: ${name} takes no options`);
    return keys.length === 0 ? raw : undefined;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of toInputIssues(parsed.error, raw, schema)) ctx.issues.push({ ...issue, path: issue.path === "" ? path : `${path}.${issue.path}` });
    return undefined;
  }
  return family === "queries" ? raw : (parsed.data as Record<string, unknown>);
}
