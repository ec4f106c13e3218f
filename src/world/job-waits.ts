import type { JobsWaited } from "../metrics/network-results.js";
import type { ResolvedScenario } from "../scenario/resolved-scenario.js";

/**
 * Per device group with a workload of one family (scenario order, as the family's other group
 * figures), the measured jobs whose transfers waited; a job is counted once, when it ends.
 */
export class JobWaits {
  private readonly groupOfDevice: Int32Array;
  private readonly groups: JobsWaited[] = [];

  constructor(scenario: Pick<ResolvedScenario, "devices">, family: "frames" | "queries") {
    this.groupOfDevice = new Int32Array(scenario.devices.length).fill(-1);
    for (const device of scenario.devices) {
      if (!device.workloads.some((workload) => workload.family === family)) continue;
      let group = this.groups.findIndex((g) => g.group === device.group);
      if (group < 0) {
        group = this.groups.length;
        this.groups.push({ group: device.group, jobsDelayed: 0, jobsLateAfterWait: 0 });
      }
      this.groupOfDevice[device.index] = group;
    }
  }

  /** A measured job of `device` that waited has ended (`late`: it missed a deadline). */
  add(device: number, late: boolean): void {
    const group = this.groups[this.groupOfDevice[device]];
    group.jobsDelayed++;
    if (late) group.jobsLateAfterWait++;
  }

  results(): JobsWaited[] {
    return this.groups.map((g) => ({ ...g }));
  }
}
