#!/usr/bin/env node
/**
 * Writes traces/mobility-vehicles.csv: a small synthetic position trace (time s, device, x m, y m)
 * of four vehicles driving east along a 2 km road (vehicle k keeps to y = 20 + 2(k - 1) m), sampled
 * every 5 s for 5 minutes. Each vehicle enters at x = 0 at a
 * seeded time, cruises at a seeded speed of 8-16 m/s that drifts by up to +-1 m/s per sample, and
 * leaves the trace when it passes x = 2000 (the replay holds it there). Seeded (seedrandom Alea,
 * seed "mobility-vehicles"), so every run writes the same bytes; test/network/mobility-trace.test.ts
 * re-runs it and compares. Usage: node scripts/make-mobility-trace.mjs [output.csv]
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import seedrandom from "seedrandom";

const ROAD_M = 2000;
const LANE_Y_M = 20;
const SAMPLE_S = 5;
const DURATION_S = 300;
const VEHICLES = 4;

const random = seedrandom.alea("mobility-vehicles");
const rows = [];
for (let v = 0; v < VEHICLES; v++) {
  const device = `vehicle-${v + 1}`;
  const enterS = SAMPLE_S * Math.floor(random() * 12);
  let speed = 8 + 8 * random();
  let x = 0;
  for (let t = enterS; t <= DURATION_S; t += SAMPLE_S) {
    rows.push([t, device, Math.min(x, ROAD_M), LANE_Y_M + v * 2]);
    if (x >= ROAD_M) break;
    x += speed * SAMPLE_S;
    speed = Math.min(16, Math.max(8, speed + 2 * random() - 1));
  }
}
rows.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
const text = `time,device,x,y\n${rows.map(([t, d, x, y]) => `${t},${d},${x.toFixed(2)},${y.toFixed(2)}`).join("\n")}\n`;
const out = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), "..", "traces", "mobility-vehicles.csv");
writeFileSync(out, text);
