import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Results } from "../../src/metrics/results-schema.js";
import { boardAndCloud } from "../llm/llm-helpers.js";
import { BIN, REPO, runCli, tempDir } from "./helpers.js";

/**
 * "A scenario that names code is code": module and external entries run only with --allow-exec;
 * validate says what would run; an external agent's own children and the bridge's temporary
 * folder do not outlive the run, even when the simulator is killed.
 */

const testbed = JSON.parse(readFileSync(join(REPO, "scenarios", "edge-ai-testbed.json"), "utf8")) as Record<string, unknown>;
const HAVE_PYTHON = spawnSync("python3", ["--version"]).status === 0;
const SPAWNING_AGENT = join(REPO, "test", "fixtures", "spawning-agent.mjs");

/** A module and an agent that each leave a marker file when they run at all (the module on import). */
function markers(dir: string): { module: string; agent: string; modulePath: string; agentCommand: string[] } {
  const module = join(dir, "module-ran");
  const agent = join(dir, "agent-ran");
  const modulePath = join(dir, "marker-policy.mjs");
  writeFileSync(modulePath, `import { writeFileSync } from "node:fs";\nwriteFileSync(${JSON.stringify(module)}, "");\nexport default () => ({ place: () => 0, route: () => "local" });\n`);
  return { module, agent, modulePath, agentCommand: ["node", "-e", "require('node:fs').writeFileSync(process.argv[1], '')", agent] };
}

function edgeFile(dir: string, schedulers: unknown[], extra: Record<string, unknown> = {}): string {
  const file = join(dir, "scenario.json");
  writeFileSync(file, JSON.stringify({ ...testbed, duration: "10 s", warmup: "0 s", policies: schedulers, ...extra }));
  return file;
}

/** A process that exists and is not a zombie (Linux /proc; elsewhere a signal 0). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0]);
  } catch {
    if (existsSync("/proc/self/stat")) return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface AgentInfo {
  agent: number;
  child: number;
  stdin: string;
}

describe("a scenario that names code runs it only with --allow-exec", () => {
  it("an edge run without the flag: exit 2 naming each entry, what it would run and the flag; nothing run, nothing written", () => {
    const dir = tempDir("trust-");
    const m = markers(dir);
    const file = edgeFile(dir, [
      "nearest-healthy",
      { policy: "module", path: "./marker-policy.mjs" },
      { policy: "external", label: "flat", command: m.agentCommand },
      { name: "external", label: "nested", options: { command: m.agentCommand } },
      // A policy per family: its members are code too.
      { label: "member", frames: { policy: "module", path: "./marker-policy.mjs" } },
    ]);
    const run = runCli([file, "--out", join(dir, "out"), "--tasks", join(dir, "tasks.csv")]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain("policies[1].path");
    expect(run.stderr).toContain(m.modulePath);
    expect(run.stderr).toContain("policies[2].command");
    expect(run.stderr).toContain("policies[3].options.command");
    expect(run.stderr).toContain("policies[4].frames.path");
    expect(run.stderr).toContain("--allow-exec");
    expect(run.stdout).toBe("");
    for (const path of [m.module, m.agent, join(dir, "out"), join(dir, "tasks.csv")]) expect(existsSync(path), path).toBe(false);

    const validate = runCli(["validate", file]);
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toContain(`policies[1].path: module ${m.modulePath}`);
    expect(validate.stdout).toContain(`policies[2].command: command ${JSON.stringify(m.agentCommand)}`);
    expect(validate.stdout).toContain("policies[3].options.command");
    expect(validate.stdout).toContain("--allow-exec");
    expect(existsSync(m.module) || existsSync(m.agent)).toBe(false);

    const allowed = runCli([edgeFile(dir, [{ policy: "module", path: "./marker-policy.mjs" }]), "--out", join(dir, "out"), "--quiet", "--allow-exec"]);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(existsSync(m.module)).toBe(true);
  });

  it("a language-model run without the flag: the same for module and external routers", () => {
    const dir = tempDir("trust-llm-");
    mkdirSync(join(dir, "hardware-profiles"));
    for (const id of ["test-board", "test-cloud"]) {
      writeFileSync(join(dir, "hardware-profiles", `${id}.json`), readFileSync(join(REPO, "test", "fixtures", "llm-profiles", `${id}.json`)));
    }
    const m = markers(dir);
    const file = join(dir, "scenario.json");
    const routers = ["local-only", { policy: "module", path: "./marker-policy.mjs" }, { policy: "external", command: m.agentCommand }];
    writeFileSync(file, JSON.stringify({ kind: "llm", ...boardAndCloud({ routers }) }));
    const run = runCli([file, "--out", join(dir, "out"), "--tasks", join(dir, "queries.csv")]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`routers[1].path`);
    expect(run.stderr).toContain(m.modulePath);
    expect(run.stderr).toContain("routers[2].command");
    expect(run.stderr).toContain("--allow-exec");
    for (const path of [m.module, m.agent, join(dir, "out"), join(dir, "queries.csv")]) expect(existsSync(path), path).toBe(false);

    const validate = runCli(["validate", file]);
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toContain(`routers[1].path: module ${m.modulePath}`);
    expect(validate.stdout).toContain(`routers[2].command: command ${JSON.stringify(m.agentCommand)}`);
    expect(existsSync(m.module) || existsSync(m.agent)).toBe(false);
  });

  it("a sweep whose runs start an external agent needs the flag too (modules are refused in sweeps either way)", () => {
    const dir = tempDir("trust-sweep-");
    const m = markers(dir);
    const sweep = join(dir, "sweep.json");
    writeFileSync(
      sweep,
      JSON.stringify({
        name: "agents",
        base: join(REPO, "scenarios", "edge-ai-testbed.json"),
        set: { "/duration": "3 s", "/warmup": "0 s", "/drain": "1 s" },
        axes: [{ path: "/policies", values: [["nearest-healthy"], [{ policy: "external", command: ["node", join(REPO, "examples/agents/nearest-agent.mjs")] }]] }],
      }),
    );
    const refused = runCli(["sweep", sweep, "--out", join(dir, "out"), "--jobs", "1", "--no-charts"]);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain("policies[0].command");
    expect(refused.stderr).toContain("nearest-agent.mjs");
    expect(refused.stderr).toContain("--allow-exec");
    expect(existsSync(join(dir, "out"))).toBe(false);
    // A cluster job would run the same agents: emitting needs the flag and passes it on.
    expect(runCli(["sweep", sweep, "--emit", "k8s"]).code).toBe(2);
    expect(runCli(["sweep", sweep, "--emit", "slurm", "--allow-exec"]).stdout).toMatch(/sweep '[^']*sweep\.json' .*--allow-exec/);
    const allowed = runCli(["sweep", sweep, "--out", join(dir, "out"), "--jobs", "1", "--no-charts", "--allow-exec"]);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toContain("ran 2");
    expect(existsSync(m.agent)).toBe(false);
  });
});

describe("the documented external-policy entry", () => {
  // The entries are taken from the docs themselves, so the docs and the loader cannot drift apart.
  const documented = (doc: string): Record<string, unknown> => {
    const text = readFileSync(join(REPO, doc), "utf8");
    const blocks = [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1].trim());
    const json = blocks.find((block) => block.includes('"label": "bandit"') && block.includes('"command"')) ?? "";
    // The README shows it inside "policies": [...]; the protocol page shows the entry alone.
    const parsed = JSON.parse(json.startsWith('"policies"') ? `{${json}}` : `{"policies": [${json}]}`) as { policies: unknown[] };
    return parsed.policies.find((entry) => typeof entry === "object" && (entry as { label?: string }).label === "bandit") as Record<string, unknown>;
  };

  it.each(["docs/policy-protocol.md", "clients/python/README.md"])("in %s validates, and runs with --allow-exec (the agent gets its options)", (doc) => {
    const entry = documented(doc);
    expect(JSON.stringify(entry)).toContain("epsilon");
    const dir = tempDir("documented-");
    const file = edgeFile(dir, [entry], { duration: "5 s" });
    const validate = runCli(["validate", file]);
    expect(validate.code, validate.stderr).toBe(0);
    if (!HAVE_PYTHON) return;
    // The command's path is relative to the working directory: the repository, as in the docs.
    const run = runCli([file, "--out", join(dir, "out"), "--quiet", "--allow-exec"], REPO);
    expect(run.code, run.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, "out", "results.json"), "utf8")) as Results;
    expect(results.runs[0].label).toBe("bandit");
  });

  it("an unknown key beside the simulator's own options is still an error (typos must not pass silently)", () => {
    const dir = tempDir("documented-");
    const file = edgeFile(dir, [{ name: "external", options: { command: ["node", "agent.mjs"], timeoutMS: 100 } }]);
    const validate = runCli(["validate", file]);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain("policies[0].options.timeoutMS");
  });
});

describe.skipIf(!existsSync("/proc/self/stat"))("an external agent's own children", () => {
  it.each(["fifo", "worker"])("are ended with it when the run ends (%s transport)", (transport) => {
    const dir = tempDir("agent-children-");
    const info = join(dir, "agent.json");
    const file = edgeFile(dir, [{ policy: "external", transport, command: ["node", SPAWNING_AGENT, info] }], { duration: "3 s" });
    const run = runCli([file, "--out", join(dir, "out"), "--quiet", "--allow-exec"]);
    expect(run.code, run.stderr).toBe(0);
    const pids = JSON.parse(readFileSync(info, "utf8")) as AgentInfo;
    expect(alive(pids.agent)).toBe(false);
    expect(alive(pids.child)).toBe(false);
  });

  it.each(["SIGTERM", "SIGKILL"] as const)("and the bridge's folder are gone when the simulator is killed by %s mid-run", async (signal) => {
    const dir = tempDir("agent-killed-");
    const info = join(dir, "agent.json");
    const file = edgeFile(dir, [{ policy: "external", transport: "fifo", timeoutMs: 120_000, command: ["node", SPAWNING_AGENT, info, "hang"] }], { duration: "1 min" });
    const simulator = spawn(process.execPath, [BIN, file, "--out", join(dir, "out"), "--quiet", "--allow-exec"], { stdio: "ignore" });
    try {
      await until(() => existsSync(info), "the agent to start");
      const pids = JSON.parse(readFileSync(info, "utf8")) as AgentInfo;
      expect(pids.stdin).toMatch(/continuum-sim-policy-/);
      const bridgeDir = join(pids.stdin, "..");
      expect(existsSync(bridgeDir)).toBe(true);
      simulator.kill(signal);
      await until(() => !alive(pids.agent) && !alive(pids.child) && !existsSync(bridgeDir), "the agent, its child and the bridge folder to go");
      expect(existsSync(join(dir, "out", "results.json"))).toBe(false);
    } finally {
      simulator.kill("SIGKILL");
    }
  });
});
