import { defineApplication } from "../dag/application.js";
import type { DagApplication } from "../dag/types.js";
import { RandomStreams } from "../engine/rng.js";
import { InputError } from "../errors.js";
import { suggestName } from "../text/nearest-name.js";
import type { ResolveContext } from "./resolve-context.js";
import type { DagWorkload } from "./resolved-scenario.js";
import type { ApplicationDocument } from "./schema-applications.js";
import type { DagWorkloadDocument } from "./schema-workloads.js";

/** A dag workload before it is given to a device (the stream prefix is the device's). */
export type DagWorkloadBase = Omit<DagWorkload, "streamPrefix">;

/**
 * The scenario's applications, checked and resolved by defineApplication (src/dag/application.ts)
 * against the node list. Its issues are relative to the application ("application" source): they
 * are re-rooted here at `applications[i]`, so `edges[2].to` reads `applications[0].edges[2].to`.
 * Means of distributions without a closed form are estimated on streams of the scenario's seed,
 * so placement estimates are the same in every run.
 */
export function resolveApplications(docs: readonly ApplicationDocument[], nodes: readonly string[], seed: number | string, ctx: ResolveContext): DagApplication[] {
  const streams = new RandomStreams(seed);
  const seen = new Map<string, number>();
  const resolved: DagApplication[] = [];
  docs.forEach((doc, i) => {
    const path = `applications[${i}]`;
    const first = seen.get(doc.id);
    if (first !== undefined) ctx.fail(`${path}.id`, doc.id, `an application id not used by applications[${first}]`);
    else seen.set(doc.id, i);
    try {
      resolved.push(defineApplication({ id: doc.id, stages: doc.stages, edges: doc.edges, deadlineMs: doc.deadline }, nodes, streams));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      for (const issue of error.issues) ctx.issues.push({ ...issue, path: rerooted(path, issue.path) });
    }
  });
  return resolved;
}

/** An issue path of defineApplication (relative to the application) at its place in the scenario; its deadlineMs is written `deadline`. */
function rerooted(root: string, path: string): string {
  if (path === "") return root;
  if (path === "deadlineMs") return `${root}.deadline`;
  return `${root}.${path}`;
}

/** The workload of each of the `count` devices of a group: jobs of an application, at fps or random gaps. */
export function dagWorkloads(doc: DagWorkloadDocument, path: string, count: number, applications: readonly string[], ctx: ResolveContext): DagWorkloadBase[] | undefined {
  const application = applications.indexOf(doc.application);
  if (application < 0) {
    ctx.fail(
      `${path}.application`,
      doc.application,
      applications.length === 0 ? "an application id: the scenario has no `applications`" : `an application id: ${suggestName(doc.application, applications)}`,
    );
    return undefined;
  }
  if ((doc.fps === undefined) === (doc.interarrival === undefined)) {
    ctx.fail(path, undefined, "fps or interarrival (one of them)");
    return undefined;
  }
  let workload: DagWorkloadBase;
  if (doc.fps !== undefined) {
    const periodMs = 1000 / doc.fps;
    // As a video workload: the first job uniform over one period, so devices are not in lockstep.
    const startOffset = ctx.compile(doc.startOffset ?? { dist: "uniform", low: 0, high: periodMs }, `${path}.startOffset`);
    workload = { family: "applications", type: "dag", application, periodMs, interarrival: undefined, startOffset };
  } else {
    const interarrival = ctx.compile(doc.interarrival as NonNullable<DagWorkloadDocument["interarrival"]>, `${path}.interarrival`);
    const startOffset = doc.startOffset === undefined ? undefined : ctx.compile(doc.startOffset, `${path}.startOffset`);
    workload = { family: "applications", type: "dag", application, periodMs: undefined, interarrival, startOffset };
  }
  return Array.from({ length: count }, () => workload);
}
