import type { ServingSpec } from "../llm/resolved.js";
import { DEFAULT_SHARING } from "./defaults.js";
import type { HardwareProfile } from "./profile-schema.js";
import type { ResolveContext } from "./resolve-context.js";
import type { FrameResolver } from "./resolve-frames.js";
import { llmService } from "./resolve-llm.js";
import type { NodeAt } from "./resolve-shorthands.js";
import type { BackgroundLoad } from "./resolved.js";
import type { ResolvedNode, SlotServiceSpec } from "./resolved-scenario.js";

/**
 * Nodes with the services they host. Each service's inference runs on a compute unit: the slot
 * service's path ("accelerator" or "cpu"), and for the language model "cpu" on the cpu path and
 * "accelerator" on any other (gpu, npu, a cloud endpoint). A cloud node is an endpoint with its
 * own capacity: its services never contend (sharing "isolated").
 */
export function resolveNodes(
  nodes: readonly NodeAt[],
  frames: FrameResolver,
  contextTokens: number,
  ctx: ResolveContext,
  /** The scenario has applications: a node may then host only their stages (no service, no profile needed: the stages carry their service times). */
  hasApplications = false,
): { nodes: ResolvedNode[]; roleKnown: boolean } {
  let roleKnown = true;
  const resolved = nodes.map((node, index): ResolvedNode => {
    const { doc, path } = node;
    let profile: HardwareProfile | undefined;
    if (doc.profile !== undefined) profile = ctx.profile(doc.profile, `${path}.profile`);
    else if (node.llm !== undefined) ctx.fail(`${path}.profile`, undefined, "a hardware profile id: the node hosts a language-model service");
    else if (hasApplications && node.slots === undefined) {
      // Stages only: nothing of the node's own to resolve.
    } else if (node.slots?.settings.inferenceTime === undefined) ctx.fail(`${path}.profile`, undefined, "a hardware profile id, or an inferenceTime distribution for an abstract server");
    // A node whose profile has a problem may be the cloud node: checks about roles then say nothing.
    if (doc.role === undefined && doc.profile !== undefined && profile === undefined) roleKnown = false;
    const role = doc.role ?? (profile?.role === "cloud" ? "cloud" : "edge");
    const slots = frames.slotService(node, profile);
    const llm = node.llm === undefined || profile === undefined ? undefined : llmService(ctx, profile, node.llm, contextTokens);
    if (profile !== undefined) checkMemory(node, profile, slots, llm, frames, ctx);
    if (role === "cloud" && doc.sharing === "time-slicing") {
      ctx.fail(`${path}.sharing`, doc.sharing, '"isolated" (or omitted): a cloud node is an endpoint whose services never contend');
    }
    return {
      id: doc.id,
      index,
      profile: doc.profile ?? null,
      role,
      power: profile?.power === undefined ? undefined : { idleW: profile.power.idleW, busyW: profile.power.busyW },
      costUsdPerHour: doc.costUsdPerHour ?? 0,
      backgroundLoad: backgroundLoads(node, ctx),
      frames: slots,
      llm,
      units: { frames: slots?.path, llm: llm === undefined ? undefined : llm.path === "cpu" ? "cpu" : "accelerator" },
      sharing: role === "cloud" ? "isolated" : (doc.sharing ?? DEFAULT_SHARING),
    };
  });
  return { nodes: resolved, roleKnown };
}

/**
 * Every model a node hosts must fit in its memory: the frame models a slot service may load
 * (their profile figures; a model without one is not counted) in the profile's memory, the
 * language model (weights + KV cache + runtime) in its path's usable memory, and both together
 * in the language model's usable memory (the RAM when the path states none).
 */
function checkMemory(node: NodeAt, profile: HardwareProfile, slots: SlotServiceSpec | undefined, llm: ServingSpec | undefined, frames: FrameResolver, ctx: ResolveContext): void {
  if (slots === undefined) return;
  const { listed, totalMiB } = frames.modelFootprints(profile);
  if (totalMiB > profile.memoryMiB) {
    ctx.fail(`${node.path}.profile`, profile.id, `a node with room for its models: ${listed} = ${totalMiB} MiB exceeds the ${profile.memoryMiB} MiB of "${profile.id}"`);
    return;
  }
  if (llm === undefined || node.llm === undefined || totalMiB === 0) return;
  const limit = llm.usableMemoryMiB ?? profile.memoryMiB;
  const together = totalMiB + llm.memoryMiB;
  if (together > limit) {
    ctx.fail(
      node.llm.refPath,
      { model: llm.model, quantization: llm.quantization },
      `services that fit together in the ${limit} MiB usable on ${profile.id} (${llm.path}): frame models ${listed} + ${llm.model} ${llm.quantization} ${Math.round(llm.memoryMiB)} MiB ` +
        `(weights, KV cache for ${llm.maxBatch} x ${llm.contextTokens} tokens, runtime) = ${Math.round(together)} MiB; use a smaller model or quantization, a smaller maxBatch or contextTokens, or another node`,
    );
  }
}

function backgroundLoads(node: NodeAt, ctx: ResolveContext): BackgroundLoad[] {
  return (node.doc.backgroundLoad ?? []).flatMap((load, l) => {
    const path = `${node.path}.backgroundLoad[${l}]`;
    if ("trace" in load) {
      // A trace is a staircase: each point's slowdown holds until the next point.
      return load.trace.map(([at, slowdown], k) => {
        const next = load.trace[k + 1]?.[0] ?? Infinity;
        if (!(next > at) || at < 0) ctx.fail(`${path}.trace[${k + 1}][0]`, next, `a time after ${at} ms (points in increasing time)`);
        return { fromMs: at, toMs: next, slowdown, rampTo: undefined };
      });
    }
    const toMs = load.to ?? Infinity;
    if (!(toMs > load.from) || load.from < 0) ctx.fail(`${path}.to`, load.to, `a time after from (${load.from} ms)`);
    if (load.rampTo !== undefined && toMs === Infinity) ctx.fail(`${path}.to`, undefined, "an end time for a ramp");
    return [{ fromMs: load.from, toMs, slowdown: load.slowdown, rampTo: load.rampTo }];
  });
}
