import { describe, expect, it } from "vitest";
import { NodeMeter } from "../../../src/world/frames/node-meter.js";

describe("NodeMeter", () => {
  // A hand-worked timeline, window [10, 100): changes before the window count from its start, after it not at all.
  it("integrates busy slots and queue length over the window only", () => {
    const meter = new NodeMeter(2, 10, 100);
    meter.queueChanged(5, 3);
    meter.busyChanged(0, 1);
    meter.busyChanged(20, 2);
    meter.busyChanged(50, 0);
    meter.queueChanged(60, 3);
    meter.busyChanged(90, 1);
    meter.queueChanged(105, 0);
    meter.busyChanged(120, 2);
    // busy: 1 x (20 - 10) + 2 x (50 - 20) + 1 x (100 - 90) = 80; queue: 3 x (100 - 10) = 270.
    expect(meter.areasAt(150)).toEqual({ queue: 270, busy: 80 });
    expect(meter.meanBusySlots).toBe(80 / 90);
    expect(meter.utilisation).toBe(80 / 90 / 2);
    expect(meter.meanQueueLength).toBe(3);
  });

  it("adds the open interval when its areas are read mid-run, and again only what follows", () => {
    const meter = new NodeMeter(1, 0, 1000);
    meter.busyChanged(100, 1);
    expect(meter.areasAt(300).busy).toBe(200);
    expect(meter.areasAt(400).busy).toBe(300);
    meter.busyChanged(500, 0);
    expect(meter.areasAt(900).busy).toBe(400);
  });
});
