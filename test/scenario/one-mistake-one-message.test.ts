import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveScenarioFile } from "../../src/scenario/resolve.js";
import { REPO, runCli, tempDir } from "../cli/helpers.js";

/**
 * Issue 12, "errors that say exactly one true thing": one mistake in a scenario, sweep or profile
 * file gives one problem, at the path of the mistake, with the nearest valid name; exit 2 and
 * nothing written. Every case drives the CLI as a user does.
 */

type Doc = Record<string, any>;

const edgeBase = JSON.parse(readFileSync(join(REPO, "scenarios", "edge-ai-testbed.json"), "utf8")) as Doc;
const llmBase = JSON.parse(readFileSync(join(REPO, "scenarios", "llm-routing.json"), "utf8")) as Doc;

function edit(base: Doc, change: (doc: Doc) => void): string {
  const doc = structuredClone(base);
  change(doc);
  return JSON.stringify(doc, null, 2);
}

/** The problem lines of a refused file, after checking the exit code, the count line and that nothing was written. */
function refused(text: string, name = "scenario.json"): string[] {
  const dir = tempDir();
  const file = join(dir, name);
  writeFileSync(file, text);
  const validate = runCli(["validate", file]);
  expect(validate.code, validate.stdout + validate.stderr).toBe(2);
  const out = join(dir, "out");
  const run = runCli([file, "--out", out]);
  expect(run.code, run.stdout + run.stderr).toBe(2);
  expect(run.stderr).toBe(validate.stderr);
  expect(existsSync(out)).toBe(false);
  expect(validate.stderr).not.toContain("internal error");
  const [header, ...lines] = validate.stderr.trimEnd().split("\n");
  expect(header).toBe(`${file}: ${lines.length} problem${lines.length === 1 ? "" : "s"}`);
  return lines.map((line) => line.trim());
}

/** The one problem of a file with one mistake. */
function oneProblem(text: string, name?: string): string {
  const lines = refused(text, name);
  expect(lines, lines.join("\n")).toHaveLength(1);
  return lines[0];
}

describe("one mistake, one problem, at the right path", () => {
  it('a key typo ("durration") is one problem at the typo, suggesting "duration", and duration is not also "missing"', () => {
    const problem = oneProblem(
      edit(edgeBase, (d) => {
        d.durration = d.duration;
        delete d.duration;
      }),
    );
    expect(problem).toMatch(/^durration: no such key; did you mean "duration"\? known: .*\bqosDeadline\b/);
  });

  it("a nested key typo suggests the nearest key of that object, and replaces its missing key", () => {
    const problem = oneProblem(
      edit(edgeBase, (d) => {
        d.devices[0].workloads[0].frameSizPx = d.devices[0].workloads[0].frameSizePx;
        delete d.devices[0].workloads[0].frameSizePx;
      }),
    );
    expect(problem).toMatch(/^devices\[0\]\.workloads\[0\]\.frameSizPx: no such key; did you mean "frameSizePx"\? known: type, model, fps, frameSizePx/);
  });

  it("an unknown key that is no missing key's typo still suggests the nearest valid key", () => {
    expect(oneProblem(edit(edgeBase, (d) => (d.nodes[0].slot = 2)))).toMatch(/^nodes\[0\]\.slot: no such key; did you mean "slots"\? known: id, profile/);
  });

  it("a model typo is blamed on the device's model with the nearest known model, not on every node's profile", () => {
    expect(oneProblem(edit(edgeBase, (d) => (d.devices[0].workloads[0].model = "mobilenet-sd-v1")))).toBe(
      `devices[0].workloads[0].model: "mobilenet-sd-v1" is not valid: expected a model the nodes' hardware profiles serve: did you mean "mobilenet-ssd-v1"? known: mobilenet-ssd-v1`,
    );
    expect(oneProblem(edit(edgeBase, (d) => (d.devices[0].workloads[0].model = "yolov8-nanoo")))).toMatch(
      /^devices\[0\]\.workloads\[0\]\.model: "yolov8-nanoo" is not valid: .*known: mobilenet-ssd-v1$/,
    );
  });

  it("a bad preset, bandwidth or sd used by several links is one problem, not one per link", () => {
    expect(oneProblem(edit(edgeBase, (d) => (d.network.default.jitter = { preset: "5g-stable-calibratd" })))).toBe(
      `network.default.jitter.preset: "5g-stable-calibratd" is not valid: expected a known value: did you mean "5g-stable-calibrated"? known: 5g-stable-calibrated, 5g-stable-literal`,
    );
    expect(oneProblem(edit(edgeBase, (d) => (d.network.default.bandwidth = "fast")))).toBe(
      `network.default.bandwidth: "fast" is not valid: expected a bandwidth: bits per second, or a string such as "100 Mbit/s"`,
    );
    expect(oneProblem(edit(edgeBase, (d) => (d.network.default.jitter = { dist: "normal", mean: 5, sd: -1 })))).toMatch(/^network\.default\.jitter\.sd: -1 is not valid/);
  });

  it("a bad duration is not also a bad warm-up and a bad bin width (no knock-on errors), in both scenario kinds", () => {
    expect(oneProblem(edit(edgeBase, (d) => (d.duration = "-10 min")))).toBe("duration: -600000 is not valid: expected a positive duration");
    expect(oneProblem(edit(llmBase, (d) => (d.duration = 0)))).toBe("duration: 0 is not valid: expected a positive duration");
    expect(oneProblem(edit(edgeBase, (d) => (d.warmup = "-1 s")))).toBe("warmup: -1000 is not valid: expected a duration from 0 up to (not including) the duration (600000 ms)");
  });

  it("a typo in the cloud node's profile is not also a missing cloud node, in both scenario kinds", () => {
    const cluster = JSON.parse(readFileSync(join(REPO, "scenarios", "heterogeneous-cluster.json"), "utf8")) as Doc;
    const cloud = cluster.nodes.findIndex((n: Doc) => n.profile === "cloud-gpu-server");
    const edgeProblem = oneProblem(
      edit(cluster, (d) => {
        d.nodes[cloud].profile = "cloud-gpu-srever";
        d.policies = ["cloud-only"];
      }),
    );
    expect(edgeProblem).toMatch(new RegExp(`^nodes\\[${cloud}\\]\\.profile: "cloud-gpu-srever" .*did you mean "cloud-gpu-server"\\?`));
    expect(oneProblem(edit(llmBase, (d) => (d.nodes[1].profile = "cloud-llm-endpont")))).toMatch(/^nodes\[1\]\.profile: "cloud-llm-endpont" .*did you mean "cloud-llm-endpoint"\?/);
    expect(oneProblem(edit(llmBase, (d) => (d.nodes[1].services[0].quantization = "serve")))).toMatch(/^nodes\[1\]\.services\[0\]\.quantization: "serve" .*did you mean "served"\?/);
  });

  it("a typo in a device's profile is not also a device that cannot run local-only", () => {
    const problem = oneProblem(
      edit(edgeBase, (d) => {
        d.devices[0].profile = "raspberry-pi-3";
        d.policies = ["local-only"];
      }),
    );
    expect(problem).toMatch(/^devices\[0\]\.profile: "raspberry-pi-3" .*did you mean "raspberry-pi-3b"\?/);
  });

  it('"kind" of older files is accepted and ignored: every scenario has one format', () => {
    for (const kind of ["llm", "LLM"]) expect(() => resolveScenarioFile(join(REPO, "scenarios", "llm-routing.json"), { ...llmBase, kind })).not.toThrow();
    expect(() => resolveScenarioFile(join(REPO, "scenarios", "edge-ai-testbed.json"), { ...edgeBase, kind: "llm" })).not.toThrow();
  });

  it('types are named with the right article: "an integer", "an object", "an array"', () => {
    expect(oneProblem(edit(edgeBase, (d) => (d.devices[0].count = 1.5)))).toBe("devices[0].count: 1.5 is not valid: expected an integer");
    expect(oneProblem(edit(edgeBase, (d) => (d.healthCheck = 5)))).toBe("healthCheck: 5 is not valid: expected an object");
    expect(oneProblem(edit(edgeBase, (d) => (d.nodes = "coral")))).toBe('nodes: "coral" is not valid: expected an array');
  });
});

describe("every name typo suggests the nearest valid name, then lists the valid ones", () => {
  const cases: { name: string; text: () => string; problem: RegExp }[] = [
    { name: "scheduler", text: () => edit(edgeBase, (d) => (d.policies = ["nearest-healty"])), problem: /^policies\[0\]: "nearest-healty" .*did you mean "nearest-healthy"\? known: cloud-only, / },
    { name: "router", text: () => edit(llmBase, (d) => (d.policies[0] = "local-onyl")), problem: /^policies\[0\]: "local-onyl" .*did you mean "local-only"\? known: / },
    {
      name: "profile",
      text: () => edit(edgeBase, (d) => (d.nodes[1].profile = "jetson-nan0")),
      problem: /^nodes\[1\]\.profile: "jetson-nan0" .*did you mean "jetson-nano"\? known: cloud-gpu-server, /,
    },
    {
      name: "preset",
      text: () => edit(llmBase, (d) => (d.network.default.jitter = { preset: "5g-stabel-calibrated" })),
      problem: /^network\.default\.jitter\.preset: .*did you mean "5g-stable-calibrated"\? known: /,
    },
    {
      name: "dist",
      text: () => edit(edgeBase, (d) => (d.network.default.jitter = { dist: "unifrom", low: 1, high: 2 })),
      problem: /^network\.default\.jitter\.dist: "unifrom" .*did you mean "uniform"\? known: constant, uniform, /,
    },
    {
      name: "key",
      text: () => edit(llmBase, (d) => (d.nodes[0].services[0].modl = d.nodes[0].services[0].model) && delete d.nodes[0].services[0].model),
      problem: /^nodes\[0\]\.services\[0\]\.modl: no such key; did you mean "model"\? known: type, model, /,
    },
    {
      name: "key of a distribution (inside a union)",
      text: () => edit(edgeBase, (d) => (d.network.default.jitter = { dist: "uniform", low: 1, hihg: 2 })),
      problem: /^network\.default\.jitter\.hihg: no such key; did you mean "high"\? known: dist, low, high, /,
    },
    {
      name: "node id in a link",
      text: () => edit(edgeBase, (d) => (d.network.latencyMatrix.columns[0] = "corall")),
      problem: /^network\.latencyMatrix\.columns\[0\]: "corall" .*did you mean "coral"\? known: coral, /,
    },
    {
      name: "language model",
      text: () => edit(llmBase, (d) => (d.nodes[0].services[0].model = "llama-3.1-8c")),
      problem: /^nodes\[0\]\.services\[0\]\.model: "llama-3.1-8c" .*did you mean "llama-3.1-8b"\? known: /,
    },
  ];
  it.each(cases)("$name", ({ text, problem }) => {
    expect(oneProblem(text())).toMatch(problem);
  });
});

describe("sweep files: a typo in a metric or a set path suggests the nearest name", () => {
  it("metrics and set", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "base.json"), JSON.stringify(edgeBase));
    const sweep = (extra: Doc) => {
      const file = join(dir, "sweep.json");
      writeFileSync(file, JSON.stringify({ name: "tiny", base: "base.json", axes: [{ path: "/seed", values: [1] }], ...extra }));
      const run = runCli(["sweep", file, "--out", join(dir, "out")]);
      expect(run.code).toBe(2);
      expect(existsSync(join(dir, "out"))).toBe(false);
      const [header, ...lines] = run.stderr.trimEnd().split("\n");
      expect(header).toBe(`${file}: 1 problem`);
      return lines[0].trim();
    };
    // A results@1 path (with a typo) gets the nearest results@2 path.
    expect(sweep({ metrics: ["qos.violatonRate"] })).toMatch(/^metrics\[0\]: "qos.violatonRate" is not valid: expected a metric path: .*; did you mean "jobs.violationRate"\?$/);
    expect(sweep({ set: { "/duraton": "1 s" } })).toMatch(/^set\["\/duraton"\]: .*key "duraton" not found at the scenario's top level; did you mean "duration"\? known: /);
  });
});

describe("JSON edge cases, for scenario, sweep and profile files alike", () => {
  const scenarioText = readFileSync(join(REPO, "scenarios", "edge-ai-testbed.json"), "utf8");

  it("a duplicated key is refused, naming the key, its path and both positions", () => {
    const text = scenarioText.replace(/\n {2}"seed": 1,\n/, '\n  "seed": 1,\n  "duration": "5 min",\n');
    const first = text.split("\n").findIndex((line) => line.startsWith('  "duration"')) + 1;
    expect(oneProblem(text)).toBe(
      `duration: duplicate key "duration" at line ${first + 1}, column 3 (first at line ${first}, column 3); each key once per object (a JSON reader would silently keep only the last value)`,
    );
    expect(oneProblem('{"name": "x", "devices": [{"id": "a", "count": 2, "count": 3}]}')).toBe(
      'devices[0].count: duplicate key "count" at line 1, column 51 (first at line 1, column 39); each key once per object (a JSON reader would silently keep only the last value)',
    );
  });

  it("a syntax error is one problem with its line and column, not a missing value", () => {
    expect(oneProblem('{\n  "name": "x"\n  "seed": 1\n}')).toMatch(/^\(document\): not valid JSON at line 3, column 3; /);
  });

  it("a byte-order mark is accepted", () => {
    const dir = tempDir();
    const file = join(dir, "bom.json");
    writeFileSync(file, `\ufeff${scenarioText}`);
    const run = runCli(["validate", file]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
  });

  it("a comment is refused saying JSON has no comments, with line and column", () => {
    const text = scenarioText.replace('"seed": 1,', '"seed": 1, // any seed');
    const line = text.split("\n").findIndex((l) => l.includes("// any seed")) + 1;
    const column = text.split("\n")[line - 1].indexOf("//") + 1;
    expect(oneProblem(text)).toBe(`(document): JSON has no comments: "//" at line ${line}, column ${column}; remove the comment`);
    expect(oneProblem('{"devices": [ /* cameras */ ]}')).toBe('devices: JSON has no comments: "/*" at line 1, column 15; remove the comment');
  });

  it("JSON nested 100,000 deep is refused with one message, before anything recursive runs", () => {
    const depth = 100_000;
    expect(oneProblem(`{"devices": ${"[".repeat(depth)}${"]".repeat(depth)}}`)).toBe(
      "(document): nested deeper than 64 levels at line 1, column 76; at most 64 levels of arrays and objects (a scenario needs about 6)",
    );
    expect(oneProblem(`${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`)).toMatch(/^\(document\): nested deeper than 64 levels at line 1, column 321;/);
  });

  it("a sweep file gets the same checks: duplicate keys and comments refused, a byte-order mark accepted", () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "base.json"),
      edit(edgeBase, (d) => {
        d.duration = "2 s";
        d.warmup = "0 s";
      }),
    );
    const sweep = { name: "tiny", base: "base.json", axes: [{ path: "/seed", values: [1] }], replications: 1 };
    const sweepText = JSON.stringify(sweep, null, 2);
    const run = (text: string) => {
      const file = join(dir, "sweep.json");
      writeFileSync(file, text);
      return runCli(["sweep", file, "--out", join(dir, "out"), "--jobs", "1", "--no-charts"]);
    };
    const duplicate = run(sweepText.replace('"replications": 1', '"replications": 1,\n  "replications": 2'));
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toContain(": 1 problem\n");
    expect(duplicate.stderr).toContain('replications: duplicate key "replications" at line 13, column 3 (first at line 12, column 3)');
    expect(existsSync(join(dir, "out"))).toBe(false);
    const comment = run(`// a sweep\n${sweepText}`);
    expect(comment.code).toBe(2);
    expect(comment.stderr).toContain('(document): JSON has no comments: "//" at line 1, column 1');
    const bom = run(`\ufeff${sweepText}`);
    expect(bom.stderr).not.toContain("Unexpected token");
    expect(bom.code, bom.stderr).toBe(0);
  });

  it("a hardware profile file gets the same checks (a duplicated key is refused where the profile is used)", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "hardware-profiles"));
    const profile = readFileSync(join(REPO, "hardware-profiles", "jetson-nano.json"), "utf8").replace('"id": "jetson-nano"', '"id": "my-board",\n  "memoryMiB": 1');
    writeFileSync(join(dir, "hardware-profiles", "my-board.json"), profile);
    const file = join(dir, "scenario.json");
    writeFileSync(
      file,
      edit(edgeBase, (d) => (d.nodes[1].profile = "my-board")),
    );
    const run = runCli(["validate", file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(": 1 problem\n");
    expect(run.stderr).toMatch(
      /nodes\[1\]\.profile: "my-board" is not valid: expected a valid profile \(.*my-board\.json: memoryMiB: duplicate key "memoryMiB" at line \d+, column 3 \(first at line \d+, column 3\)/,
    );
  });
});

describe("values that were clamped silently are refused at their paths", () => {
  it("complexity 1.5 in a language-model scenario: the valid range [0, 1]", () => {
    expect(oneProblem(edit(llmBase, (d) => (d.devices[0].workloads[0].complexity = 1.5)))).toBe(
      "devices[0].workloads[0].complexity: 1.5 is not valid: expected a complexity score in [0, 1] (or a distribution of them)",
    );
  });

  it("promptTokens -5 and outputTokens 2.5: positive whole numbers", () => {
    expect(oneProblem(edit(llmBase, (d) => (d.devices[1].workloads[0].promptTokens = -5)))).toBe(
      "devices[1].workloads[0].promptTokens: -5 is not valid: expected a positive whole number of tokens (or a distribution of them)",
    );
    expect(oneProblem(edit(llmBase, (d) => (d.devices[1].workloads[0].outputTokens = { dist: "constant", value: 2.5 })))).toMatch(
      /^devices\[1\]\.workloads\[0\]\.outputTokens: .* positive whole number of tokens/,
    );
  });
});

describe("a node id equal to a device id is refused in both directions, at the node, naming the device group", () => {
  it("edge: a node named like an expanded device (rpi3-0) or like the group (rpi3)", () => {
    const expanded = oneProblem(edit(edgeBase, (d) => d.nodes.push({ id: "rpi3-0", profile: "jetson-nano" })));
    expect(expanded).toBe(`nodes[3].id: "rpi3-0" is not valid: expected an id not used by a device or another node: it is an id of devices[0] ("rpi3" with count 4: rpi3-0 ... rpi3-3)`);
    expect(oneProblem(edit(edgeBase, (d) => d.nodes.push({ id: "rpi3", profile: "jetson-nano" })))).toMatch(/^nodes\[3\]\.id: "rpi3" .*devices\[0\] \("rpi3" with count 4/);
  });

  it("edge: a device group whose expanded ids take a node's id is refused at the node too", () => {
    const problem = oneProblem(
      edit(edgeBase, (d) => {
        d.nodes[0].id = "cam-1";
        d.network.latencyMatrix.columns[0] = "cam-1";
        d.devices.push({ ...d.devices[0], id: "cam", count: 2 });
      }),
    );
    expect(problem).toBe(`nodes[0].id: "cam-1" is not valid: expected an id not used by a device or another node: it is an id of devices[1] ("cam" with count 2: cam-0 ... cam-1)`);
  });

  it("language model: a node named like an expanded device", () => {
    expect(oneProblem(edit(llmBase, (d) => (d.nodes[1].id = "phone-3") && (d.network.links = [])))).toBe(
      `nodes[1].id: "phone-3" is not valid: expected an id not used by a device or another node: it is an id of devices[0] ("phone" with count 20: phone-0 ... phone-19)`,
    );
  });
});
