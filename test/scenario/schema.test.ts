import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { JSON_SCHEMA_FILES } from "../../src/scenario/json-schema.js";
import { ProfileLibrary, BUILTIN_PROFILE_DIR, meanServiceMs } from "../../src/scenario/profiles.js";
import { loadScenarioFile } from "../../src/scenario/resolve.js";
import { REPO } from "../cli/helpers.js";

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, "utf8"));

describe("JSON Schemas for editors", () => {
  it("the committed schemas/ files are what the zod schemas generate (run `npm run schemas` after a change)", () => {
    for (const [file, generate] of Object.entries(JSON_SCHEMA_FILES)) {
      expect(readJson(join(REPO, "schemas", file)), file).toEqual(JSON.parse(JSON.stringify(generate())));
    }
  });

  it("every shipped scenario and profile validates against its JSON Schema, and a typo does not", () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const scenarioSchema = ajv.compile(readJson(join(REPO, "schemas", "scenario.schema.json")) as object);
    const profileSchema = ajv.compile(readJson(join(REPO, "schemas", "hardware-profile.schema.json")) as object);
    const scenarios = readdirSync(join(REPO, "scenarios")).filter((f) => f.endsWith(".json"));
    expect(scenarios.length).toBeGreaterThan(0);
    for (const file of scenarios) {
      const doc = readJson(join(REPO, "scenarios", file));
      // One format: every shipped scenario is written in the long form (no older shorthand).
      for (const key of ["kind", "qosDeadline", "schedulers", "routers"]) expect(doc, `${file}: ${key}`).not.toHaveProperty(key);
      for (const device of (doc as { devices: object[] }).devices) expect(device, file).not.toHaveProperty("workload");
      for (const node of (doc as { nodes: object[] }).nodes) expect(node, file).toHaveProperty("services");
      expect(scenarioSchema(doc), `${file}: ${JSON.stringify(scenarioSchema.errors)}`).toBe(true);
      expect((doc as { $schema?: string }).$schema).toBe("../schemas/scenario.schema.json");
    }
    for (const file of readdirSync(join(REPO, "hardware-profiles")).filter((f) => f.endsWith(".json"))) {
      expect(profileSchema(readJson(join(REPO, "hardware-profiles", file))), file).toBe(true);
    }
    const typo = { ...(readJson(join(REPO, "scenarios", scenarios[0])) as object), drian: "1 s" };
    expect(scenarioSchema(typo)).toBe(false);
  });
});

describe("shipped data", () => {
  it("every shipped scenario loads and every profile passes the loader's checks", () => {
    for (const file of readdirSync(join(REPO, "scenarios")).filter((f) => f.endsWith(".json"))) {
      const path = join(REPO, "scenarios", file);
      expect(() => loadScenarioFile(path), file).not.toThrow();
    }
    const library = new ProfileLibrary([BUILTIN_PROFILE_DIR]);
    expect(library.ids).toEqual(expect.arrayContaining(["coral-dev-board", "jetson-nano", "raspberry-pi-3b", "up-squared-ai-edge-x"]));
    for (const id of library.ids) {
      const profile = library.get(id);
      // Every figure carries a source.
      for (const model of Object.values(profile.models)) {
        for (const curve of [model.accelerator, model.cpu, model.preprocessing]) if (curve) expect(curve.source.length).toBeGreaterThan(10);
      }
    }
  });

  it("service curves interpolate linearly in pixel count and extrapolate from the last two points", () => {
    const curve = {
      points: [
        { frameSizePx: 300, meanMs: 10 },
        { frameSizePx: 600, meanMs: 40 },
      ],
      cv: 0,
      source: "test",
    };
    expect(meanServiceMs(curve, 300)).toBe(10);
    expect(meanServiceMs(curve, 600)).toBe(40);
    // 450^2 = 202500 px, 5/12 of the way from 90000 to 360000 px.
    expect(meanServiceMs(curve, 450)).toBeCloseTo(10 + (30 * (202_500 - 90_000)) / 270_000, 10);
    expect(meanServiceMs(curve, 900)).toBeCloseTo(10 + (30 * (810_000 - 90_000)) / 270_000, 10);
    expect(meanServiceMs({ ...curve, points: [{ frameSizePx: 300, meanMs: 61.6 }] }, 1200)).toBe(61.6);
  });
});
