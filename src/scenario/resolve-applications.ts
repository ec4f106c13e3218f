import { defineApplication } from "../dag/application.js";
import { DEVICE_END, DEVICE_NAME, type DagApplication, ON_DEVICE, type StageSpec } from "../dag/types.js";
import { RELAY_KINDS, Routes } from "../network/topology/routes.js";
import type { ResolvedNetwork } from "./resolved.js";
import type { DistributionSpec } from "../random/distribution-spec.js";
import { DEFAULT_FRAME_SIZE_PX } from "./defaults.js";
import { meanServiceMs } from "./profiles.js";
import { RandomStreams } from "../engine/rng.js";
import { InputError } from "../errors.js";
import { suggestName } from "../text/nearest-name.js";
import type { ResolveContext } from "./resolve-context.js";
import type { DagWorkload } from "./resolved-scenario.js";
import type { ApplicationDocument } from "./schema-applications.js";
import type { DagWorkloadDocument } from "./schema-workloads.js";
import { queryStageSpec } from "./resolve-llm.js";

/**
 * The scenario's applications, checked and resolved by defineApplication (src/dag/application.ts)
 * against the node list. Its issues are relative to the application ("application" source): they
 * are re-rooted here at `applications[i]`, so `edges[2].to` reads `applications[0].edges[2].to`.
 * Means of distributions without a closed form are estimated on streams of the scenario's seed,
 * so placement estimates are the same in every run.
 */
export function resolveApplications(
  docs: readonly ApplicationDocument[],
  nodes: readonly { readonly id: string; readonly profile: string | undefined }[],
  /** Per application id: the hardware profiles of the device groups sending it (undefined for a group without one), for stages on the device given by model. */
  deviceProfiles: ReadonlyMap<string, readonly (string | undefined)[]>,
  seed: number | string,
  ctx: ResolveContext,
): DagApplication[] {
  const streams = new RandomStreams(seed);
  const seen = new Map<string, number>();
  const resolved: DagApplication[] = [];
  docs.forEach((doc, i) => {
    const path = `applications[${i}]`;
    const first = seen.get(doc.id);
    if (first !== undefined) ctx.fail(`${path}.id`, doc.id, `an application id not used by applications[${first}]`);
    else seen.set(doc.id, i);
    const stages = doc.stages.flatMap((stage, s): StageSpec[] => {
      const at = `${path}.stages[${s}]`;
      if (stage.query !== undefined) {
        for (const key of ["service", "hosts"] as const)
          if (stage[key] !== undefined) ctx.fail(`${at}.${key}`, stage[key], "no service or hosts in a query stage (the query router, not placement, picks where it runs)");
        const reference = nodes.findIndex((node) => node.id === stage.query?.referenceNode);
        if (reference < 0) {
          ctx.fail(
            `${at}.query.referenceNode`,
            stage.query.referenceNode,
            `a node id with a language-model service: ${suggestName(
              stage.query.referenceNode,
              nodes.map((node) => node.id),
            )}`,
          );
          return [];
        }
        return [{ id: stage.id, query: queryStageSpec(stage.query, stage.id, reference) }];
      }
      if (stage.service === undefined || stage.hosts === undefined) {
        ctx.fail(at, stage.id, "a service and its hosts, or a query");
        return [];
      }
      return [
        {
          id: stage.id,
          service: stage.service,
          hosts: stage.hosts.flatMap((host, h) => {
            const serviceTime = hostServiceTime(host, `${at}.hosts[${h}]`, nodes, deviceProfiles.get(doc.id) ?? [], ctx);
            return serviceTime === undefined ? [] : [{ place: host.place, serviceTime, slots: host.slots }];
          }),
        },
      ];
    });
    // A stage left out above is reported: defining the rest would shift stage indices in its messages.
    if (stages.length < doc.stages.length) return;
    try {
      resolved.push(
        defineApplication(
          { id: doc.id, stages, edges: doc.edges, deadlineMs: doc.deadline },
          nodes.map((node) => node.id),
          streams,
        ),
      );
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      for (const issue of error.issues) ctx.issues.push({ ...issue, path: rerooted(path, issue.path) });
    }
  });
  return resolved;
}

type HostDocument = NonNullable<ApplicationDocument["stages"][number]["hosts"]>[number];

/**
 * A host's service time as a distribution spec: its serviceTime, or its model's curve on the
 * place's hardware profile (the node's; on the device, the one profile of the devices sending the
 * application) at frameSizePx, lognormal with the curve's cv: the frames' rule (FrameResolver).
 * Undefined after a problem (reported here).
 */
function hostServiceTime(
  host: HostDocument,
  path: string,
  nodes: readonly { readonly id: string; readonly profile: string | undefined }[],
  deviceProfiles: readonly (string | undefined)[],
  ctx: ResolveContext,
): DistributionSpec | undefined {
  if (host.model === undefined) {
    for (const key of ["frameSizePx", "path"] as const) if (host[key] !== undefined) ctx.fail(`${path}.${key}`, host[key], "no frameSizePx or path without model");
    if (host.serviceTime === undefined) ctx.fail(`${path}.serviceTime`, undefined, "a service time here, or a model of the place's hardware profile");
    return host.serviceTime;
  }
  if (host.serviceTime !== undefined) {
    ctx.fail(`${path}.model`, host.model, "serviceTime or model, not both");
    return undefined;
  }
  let profileId: string | undefined;
  if (host.place === DEVICE_NAME) {
    const distinct = [...new Set(deviceProfiles)];
    if (distinct.length !== 1 || distinct[0] === undefined) {
      ctx.fail(
        `${path}.model`,
        host.model,
        `a serviceTime: a stage on the device takes its model's time from the devices' profile, and the devices sending this application have ${distinct.length === 1 ? "none" : `several (${distinct.map((p) => p ?? "none").join(", ")})`}`,
      );
      return undefined;
    }
    profileId = distinct[0];
  } else {
    const node = nodes.find((n) => n.id === host.place);
    if (node === undefined) return host.serviceTime ?? 0; // defineApplication reports the unknown place
    if (node.profile === undefined) {
      ctx.fail(`${path}.model`, host.model, `a serviceTime: node ${node.id} has no hardware profile`);
      return undefined;
    }
    profileId = node.profile;
  }
  const profile = ctx.quietProfile(profileId);
  if (profile === undefined) return undefined; // reported where the profile is named
  const onPath = host.path ?? (profile.accelerator.kind !== "none" ? "accelerator" : "cpu");
  const curve = profile.models[host.model]?.[onPath];
  if (curve === undefined) {
    const known = Object.entries(profile.models)
      .filter(([, service]) => service[onPath] !== undefined)
      .map(([model]) => model);
    ctx.fail(`${path}.model`, host.model, `a model with a ${onPath} service time in profile "${profileId}": ${suggestName(host.model, known)}`);
    return undefined;
  }
  const mean = meanServiceMs(curve, host.frameSizePx ?? DEFAULT_FRAME_SIZE_PX);
  return curve.cv === 0 ? mean : { dist: "lognormal", mean, cv: curve.cv };
}

/** An issue path of defineApplication (relative to the application) at its place in the scenario; its deadlineMs is written `deadline`. */
function rerooted(root: string, path: string): string {
  if (path === "") return root;
  if (path === "deadlineMs") return `${root}.deadline`;
  return `${root}.${path}`;
}

/** The workload of each of the `count` devices of a group: jobs of an application, at fps or random gaps. */
export function dagWorkloads(doc: DagWorkloadDocument, path: string, count: number, applications: readonly string[], ctx: ResolveContext): DagWorkload[] | undefined {
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
  let workload: DagWorkload;
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

/**
 * Every edge between two stages that placement may put on two nodes needs a route between them
 * (nodes do not relay: a link, or a relay vertex on the way), else the transfer would fail in the
 * middle of a run: reported at the edge, once per pair of nodes.
 */
export function checkStageRoutes(applications: readonly DagApplication[], network: ResolvedNetwork, deviceCount: number, ctx: ResolveContext): void {
  if (!applications.some((app) => app.edges.some((edge) => edge.from !== DEVICE_END && edge.to !== DEVICE_END))) return;
  const routes = new Routes(
    network.vertices.map((v) => v.id),
    Uint8Array.from(network.vertices, (v) => (RELAY_KINDS.has(v.kind) ? 1 : 0)),
    network.links,
  );
  applications.forEach((app, i) => {
    app.edges.forEach((edge, k) => {
      if (edge.from === DEVICE_END || edge.to === DEVICE_END) return;
      const missing: string[] = [];
      for (const a of app.stages[edge.from].hosts) {
        for (const b of app.stages[edge.to].hosts) {
          if (a.place === ON_DEVICE || b.place === ON_DEVICE || a.place === b.place) continue;
          if (routes.nominalLatencyMs(deviceCount + a.place, deviceCount + b.place) === Infinity) missing.push(`${app.nodes[a.place]} -> ${app.nodes[b.place]}`);
        }
      }
      if (missing.length > 0)
        ctx.fail(
          `applications[${i}].edges[${k}]`,
          `${app.stages[edge.from].id} -> ${app.stages[edge.to].id}`,
          `a route between the nodes its stages may run on (nodes do not relay: add a link between them, or through a switch or router): none for ${missing.join(", ")}`,
        );
    });
  });
}
