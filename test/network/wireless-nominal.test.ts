import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/rng.js";
import { Simulator } from "../../src/engine/simulator.js";
import { Network } from "../../src/network/network.js";
import { loadScenarioFile } from "../../src/scenario/resolve.js";
import { REPO } from "../cli/helpers.js";

/*
 * A moving device's nominal latency to a node is read as its access hop plus its AP's route
 * (no route object per device and node). Oracle: the routing tree's own route to the device,
 * whose sum must be the same double, for every AP the device can attach to and every node.
 */
describe("a moving device's nominal latency", () => {
  it("equals the routing tree's route to the device, bit for bit, at every attachment; Infinity when detached", () => {
    const scenario = loadScenarioFile(join(REPO, "scenarios", "mobility-handover.json"));
    const network = new Network(scenario, new RandomStreams(1), new Simulator());
    const wireless = scenario.network.wireless;
    if (wireless === undefined) throw new Error("the scenario has no wireless access");
    let checked = 0;
    for (let ap = 0; ap < wireless.accessPoints.length; ap++) {
      network.attach(0, ap, 0);
      for (let node = 0; node < scenario.nodes.length; node++) {
        const route = network.route(network.nodeVertex(node), network.deviceVertex(0));
        expect(route?.links[route.links.length - 1]).toBe(wireless.accessLink[0]);
        expect(network.nominalLatencyMs(0, node)).toBe(route?.nominalLatencyMs);
        checked++;
      }
    }
    expect(checked).toBe(wireless.accessPoints.length * scenario.nodes.length);
    network.attach(0, null, Infinity);
    expect(network.nominalLatencyMs(0, 0)).toBe(Infinity);
  });
});
