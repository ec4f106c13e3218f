import type { NodeDescription, Results } from "../metrics/results-schema.js";
import type { ResolvedScenario } from "../scenario/resolved-scenario.js";

/** The scenario as the results describe it: groups with their families, nodes with their services. */
export function describeScenario(scenario: ResolvedScenario): Results["scenario"] {
  const groups: Results["scenario"]["groups"] = [];
  for (const device of scenario.devices) {
    let group = groups[groups.length - 1];
    if (group === undefined || group.id !== device.group) {
      group = { id: device.group, devices: 0, families: [] };
      groups.push(group);
    }
    group.devices++;
    for (const workload of device.workloads) if (!group.families.includes(workload.family)) group.families.push(workload.family);
  }
  for (const group of groups) group.families.sort();
  return {
    name: scenario.name,
    description: scenario.description,
    hash: scenario.hash,
    devices: scenario.devices.length,
    groups,
    nodes: scenario.nodes.map((node): NodeDescription => {
      const services: NodeDescription["services"] = [];
      if (node.frames !== undefined) services.push({ type: "slots", path: node.frames.path, slots: node.frames.slots, unit: node.units.frames ?? node.frames.path });
      const llm = node.llm;
      if (llm !== undefined) {
        services.push({
          type: "llm",
          model: llm.model,
          quantization: llm.quantization,
          path: llm.path,
          unit: node.units.llm ?? llm.path,
          maxBatch: llm.maxBatch,
          prefillTokensPerS: llm.prefillTokensPerMs * 1000,
          decodeTokensPerS: llm.decodeTokensPerMs * 1000,
          memoryMiB: llm.usableMemoryMiB === undefined ? null : llm.memoryMiB,
          usableMemoryMiB: llm.usableMemoryMiB ?? null,
        });
      }
      return { id: node.id, profile: node.profile, role: node.role, sharing: node.sharing, services };
    }),
  };
}

/** Devices beyond which the latency table is given per device group (its first member) to keep results small. */
const MAX_LATENCY_ROWS = 256;

export function nominalLatencyTable(scenario: ResolvedScenario): Results["network"] {
  const perDevice = scenario.devices.length <= MAX_LATENCY_ROWS;
  const rows = perDevice ? scenario.devices : scenario.devices.filter((device, i, all) => i === 0 || all[i - 1].group !== device.group);
  return {
    devices: rows.map((device) => (perDevice ? device.id : device.group)),
    nodes: scenario.nodes.map((node) => node.id),
    nominalLatencyMs: rows.map((device) => scenario.nodes.map((node) => scenario.network.nominalLatencyMs[device.index][node.index])),
  };
}
