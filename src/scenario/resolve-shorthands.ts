import type { ResolveContext } from "./resolve-context.js";
import type { ScenarioDocument } from "./schema.js";
import type { DeviceDocument, ModelRefDocument, NodeDocument, SlotServiceDocument } from "./schema-nodes.js";
import type { PolicyEntryDocument } from "./schema-policies.js";
import { isFrameWorkload, isQueryWorkload, type WorkloadDocument } from "./schema-workloads.js";

/**
 * The shorthands of older files compiled into the one long form, each part with the JSON path
 * where its keys were written (so a message points at what the author typed). After this step
 * there is one code path: nothing downstream knows which form a file used. A shorthand written
 * together with its long form is one mistake, reported once at the shorthand.
 */

export interface WorkloadAt {
  readonly doc: WorkloadDocument;
  readonly path: string;
}

export interface DeviceAt {
  readonly doc: DeviceDocument;
  readonly path: string;
  readonly workloads: readonly WorkloadAt[];
}

export type SlotSettings = Omit<SlotServiceDocument, "type">;

export interface LlmServiceAt {
  readonly ref: ModelRefDocument;
  /** Where model, quantization and path are written (`nodes[i].serve` or `nodes[i].services[k]`). */
  readonly refPath: string;
  readonly maxBatch: number | undefined;
  readonly contextTokens: number | undefined;
  readonly queueCapacity: number | undefined;
  /** Where maxBatch, contextTokens and queueCapacity are written. */
  readonly settingsPath: string;
}

export interface NodeAt {
  readonly doc: NodeDocument;
  readonly path: string;
  readonly slots: { readonly settings: SlotSettings; readonly path: string } | undefined;
  readonly llm: LlmServiceAt | undefined;
}

export interface NormalScenario {
  readonly devices: readonly DeviceAt[];
  readonly nodes: readonly NodeAt[];
  readonly policies: readonly PolicyEntryDocument[];
  /** The list's key as written: policies, or its older names schedulers / routers. */
  readonly policiesKey: "policies" | "schedulers" | "routers";
  readonly qos: { readonly frames: number | undefined; readonly ttft: number | undefined; readonly total: number | undefined };
  readonly families: { readonly frames: boolean; readonly queries: boolean; readonly applications: boolean };
}

const SLOT_KEYS = ["path", "slots", "cpuSlots", "queueCapacity", "inferenceTime", "preprocessingTime"] as const;
const LLM_KEYS = ["serve", "maxBatch", "contextTokens"] as const;

export function normaliseScenario(doc: ScenarioDocument, ctx: ResolveContext): NormalScenario {
  const devices = doc.devices.map((device, d) => normaliseDevice(device, `devices[${d}]`, ctx));
  const nodes = doc.nodes.map((node, n) => normaliseNode(node, `nodes[${n}]`, ctx));
  const workloads = devices.flatMap((device) => device.workloads);
  // An application with a query stage (issue 17) issues queries: its devices need the query router and deadlines too.
  const queryApps = new Set((doc.applications ?? []).filter((app) => app.stages.some((stage) => stage.query !== undefined)).map((app) => app.id));
  const families = {
    frames: workloads.some((w) => isFrameWorkload(w.doc)),
    queries: workloads.some((w) => isQueryWorkload(w.doc) || (w.doc.type === "dag" && queryApps.has(w.doc.application))),
    applications: workloads.some((w) => w.doc.type === "dag"),
  };
  return { devices, nodes, ...normalisePolicies(doc, ctx), qos: normaliseQos(doc, ctx), families };
}

function normaliseDevice(device: DeviceDocument, path: string, ctx: ResolveContext): DeviceAt {
  if (device.workload !== undefined && device.workloads !== undefined) {
    ctx.fail(`${path}.workload`, device.workload, "either workloads or its shorthand workload, not both: move it into workloads");
    return { doc: device, path, workloads: device.workloads.map((doc, k) => ({ doc, path: `${path}.workloads[${k}]` })) };
  }
  if (device.workload !== undefined) return { doc: device, path, workloads: [{ doc: device.workload, path: `${path}.workload` }] };
  if (device.workloads === undefined) {
    ctx.fail(`${path}.workloads`, undefined, "a list of one or more workloads here (required)");
    return { doc: device, path, workloads: [] };
  }
  return { doc: device, path, workloads: device.workloads.map((doc, k) => ({ doc, path: `${path}.workloads[${k}]` })) };
}

function normaliseNode(node: NodeDocument, path: string, ctx: ResolveContext): NodeAt {
  const written = (keys: readonly string[]): string[] => keys.filter((key) => (node as Record<string, unknown>)[key] !== undefined);
  if (node.services !== undefined) {
    const shorthand = written([...SLOT_KEYS, ...LLM_KEYS]);
    if (shorthand.length > 0) {
      ctx.fail(
        `${path}.${shorthand[0]}`,
        (node as Record<string, unknown>)[shorthand[0]],
        `no ${shorthand.join(", ")} next to services: write ${shorthand.length === 1 ? "it" : "them"} in the service`,
      );
    }
    let slots: NodeAt["slots"];
    let llm: LlmServiceAt | undefined;
    node.services.forEach((service, k) => {
      const at = `${path}.services[${k}]`;
      if ((service.type === "slots" && slots !== undefined) || (service.type === "llm" && llm !== undefined)) {
        ctx.fail(`${at}.type`, service.type, `at most one service of each type per node for now (one "slots" and one "llm"): this node already has a "${service.type}" service`);
        return;
      }
      if (service.type === "slots") {
        const { type: _type, ...settings } = service;
        slots = { settings, path: at };
      } else {
        const ref: ModelRefDocument =
          service.path === undefined ? { model: service.model, quantization: service.quantization } : { model: service.model, quantization: service.quantization, path: service.path };
        llm = { ref, refPath: at, maxBatch: service.maxBatch, contextTokens: service.contextTokens, queueCapacity: service.queueCapacity, settingsPath: at };
      }
    });
    return { doc: node, path, slots, llm };
  }
  if (node.serve !== undefined) {
    // An older language-model node: `serve` and its settings are one llm service (queueCapacity is the llm queue's).
    const frameOnly = written(SLOT_KEYS.filter((key) => key !== "queueCapacity"));
    if (frameOnly.length > 0)
      ctx.fail(
        `${path}.${frameOnly[0]}`,
        (node as Record<string, unknown>)[frameOnly[0]],
        'no slot-service keys next to serve: to host both, write services: [{"type": "slots", ...}, {"type": "llm", ...}]',
      );
    const llm: LlmServiceAt = { ref: node.serve, refPath: `${path}.serve`, maxBatch: node.maxBatch, contextTokens: node.contextTokens, queueCapacity: node.queueCapacity, settingsPath: path };
    return { doc: node, path, slots: undefined, llm };
  }
  const llmOnly = written(LLM_KEYS);
  if (llmOnly.length > 0) ctx.fail(`${path}.${llmOnly[0]}`, (node as Record<string, unknown>)[llmOnly[0]], 'a key of a language-model service: give serve (or services with {"type": "llm"})');
  const settings: SlotSettings = Object.fromEntries(SLOT_KEYS.filter((key) => node[key] !== undefined).map((key) => [key, node[key]]));
  return { doc: node, path, slots: { settings, path }, llm: undefined };
}

function normalisePolicies(doc: ScenarioDocument, ctx: ResolveContext): Pick<NormalScenario, "policies" | "policiesKey"> {
  const given = (["policies", "schedulers", "routers"] as const).filter((key) => doc[key] !== undefined);
  if (given.length === 0) {
    ctx.fail("policies", undefined, "a list of the policies to compare here (required)");
    return { policies: [], policiesKey: "policies" };
  }
  if (given.length > 1) ctx.fail(given[1], doc[given[1]], `one list of policies: ${given.join(" and ")} are names of the same list (write policies)`);
  return { policies: doc[given[0]] ?? [], policiesKey: given[0] };
}

function normaliseQos(doc: ScenarioDocument, ctx: ResolveContext): NormalScenario["qos"] {
  const qos = doc.qos ?? {};
  if (doc.qosDeadline !== undefined && qos.frames !== undefined) ctx.fail("qosDeadline", doc.qosDeadline, "either qos.frames or its shorthand qosDeadline, not both");
  const shorthand = qos.ttft !== undefined || qos.total !== undefined;
  if (shorthand && qos.queries !== undefined) ctx.fail(qos.ttft !== undefined ? "qos.ttft" : "qos.total", qos.ttft ?? qos.total, "either qos.queries or its shorthand qos.ttft / qos.total, not both");
  const queries = qos.queries ?? { ttft: qos.ttft, total: qos.total };
  return { frames: qos.frames ?? doc.qosDeadline, ttft: queries.ttft, total: queries.total };
}
