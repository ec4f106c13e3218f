import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkExampleOutput, runLibraryExample } from "./api-example.js";
import { CLI_BIN } from "../src/sweep/emit-cluster.js";
import { REPO, tempDir } from "./cli/helpers.js";

/*
 * The npm package as a user gets it: what `npm pack` puts in the tarball, and the tarball installed
 * into an empty project, where `npx simulate` and `import ... from "continuum-sim"` must work.
 * The install is offline (no registry here or in CI): its lockfile is the repository's, restricted
 * to the runtime dependencies, so npm takes every tarball from the cache `npm ci` filled.
 */

interface PackedFile {
  path: string;
}

const manifest = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as {
  name: string;
  version: string;
  license: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
};

function npm(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync("npm", args, { cwd, encoding: "utf8", timeout: 240_000, env: { ...process.env, npm_config_update_notifier: "false" } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm pack: what the tarball holds", () => {
  let files: string[] = [];
  beforeAll(() => {
    // --ignore-scripts: `prepare` would build again; npm test has built dist/ already.
    const packed = npm(["pack", "--dry-run", "--json", "--ignore-scripts"], REPO);
    expect(packed.code, packed.stderr).toBe(0);
    files = (JSON.parse(packed.stdout) as Array<{ files: PackedFile[] }>)[0].files.map((file) => file.path);
  });

  it("ships the CLI, the library with its types, LICENSE, README, CHANGELOG, docs, sweeps, scenarios and the Python client", () => {
    for (const file of [
      "package.json",
      "LICENSE",
      "README.md",
      "CHANGELOG.md",
      "dist/cli/bin.cjs",
      "dist/cli/cli.cjs",
      "dist/cli/cli.cjs.cache",
      "dist/cli/run-worker.js",
      "dist/cli/bridge-worker.js",
      "dist/index.js",
      "dist/index.d.ts",
      "docs/library.md",
      "docs/sweeps.md",
      "sweeps/devices-vs-scheduler.json",
      "scenarios/edge-ai-testbed.json",
      "hardware-profiles/coral-dev-board.json",
      "schemas/scenario.schema.json",
      "clients/python/pyproject.toml",
      "clients/python/continuum_sim_policy/__init__.py",
    ]) {
      expect(files, file).toContain(file);
    }
    // Every doc and every sweep of the repository, not a chosen few.
    for (const folder of ["docs", "sweeps", "scenarios"]) {
      for (const name of readdirSync(join(REPO, folder))) expect(files, `${folder}/${name}`).toContain(`${folder}/${name}`);
    }
  });

  it("`simulate` is the executable the cluster jobs and the start-up benchmark run (CLI_BIN), and it ships", () => {
    expect(manifest.bin).toEqual({ simulate: CLI_BIN });
    expect(files).toContain(CLI_BIN);
  });

  it("the executable's former name, dist/cli/bin.js, ships and runs the CLI (npm's npx cache of a checkout still links it: scripts/bundle.mjs)", () => {
    expect(files).toContain("dist/cli/bin.js");
    const former = spawnSync(process.execPath, [join(REPO, "dist", "cli", "bin.js"), "--version"], { encoding: "utf8" });
    expect(former.status).toBe(0);
    expect(former.stdout.trim()).toBe(`continuum-sim ${manifest.version}`);
  });

  it("ships every chunk the workers import, statically or on use (scripts/bundle.mjs; the CLI is two CommonJS files, above)", () => {
    const queue = ["run-worker.js", "bridge-worker.js"];
    for (const seen = new Set(queue); queue.length > 0; ) {
      const name = queue.shift() as string;
      expect(files, `dist/cli/${name}`).toContain(`dist/cli/${name}`);
      for (const match of readFileSync(join(REPO, "dist", "cli", name), "utf8").matchAll(/(?:from\s*|import\(\s*)"\.\/([^"]+\.js)"/g)) {
        if (!seen.has(match[1])) {
          seen.add(match[1]);
          queue.push(match[1]);
        }
      }
    }
  });

  it("ships no tests, sources, source maps, benchmarks or Python caches", () => {
    const unwanted = files.filter(
      (file) => /^(test|src)\//.test(file) || file.endsWith(".map") || file.startsWith("dist/bench/") || file.includes("__pycache__") || file.startsWith("clients/python/tests/"),
    );
    expect(unwanted).toEqual([]);
  });

  it("every shipped sweep's base scenario is shipped too", () => {
    for (const name of readdirSync(join(REPO, "sweeps"))) {
      const sweep = JSON.parse(readFileSync(join(REPO, "sweeps", name), "utf8")) as { base: unknown };
      if (typeof sweep.base === "string") expect(files, `${name} base`).toContain(join("sweeps", sweep.base));
    }
  });

  it("LICENSE is MIT for the continuum-sim contributors, as package.json says", () => {
    const text = readFileSync(join(REPO, "LICENSE"), "utf8");
    expect(manifest.license).toBe("MIT");
    expect(text).toMatch(/^MIT License\n\nCopyright \(c\) 2026 continuum-sim contributors\n/);
    expect(text).toContain('THE SOFTWARE IS PROVIDED "AS IS"');
  });
});

/**
 * A lockfile for a project that depends on the tarball only: the repository's lock entries minus
 * the dev-only ones, with the registry URL each entry would have (the repository's lock omits it;
 * npm finds the cached tarball by URL and integrity).
 */
function offlineLock(tarball: string): unknown {
  const lock = JSON.parse(readFileSync(join(REPO, "package-lock.json"), "utf8")) as { packages: Record<string, Record<string, unknown>> };
  const root = lock.packages[""];
  const packages: Record<string, unknown> = {
    "": { name: "consumer", dependencies: { [manifest.name]: `file:${tarball}` } },
    [`node_modules/${manifest.name}`]: { version: manifest.version, resolved: `file:${tarball}`, license: root.license, dependencies: root.dependencies, bin: root.bin, engines: root.engines },
  };
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key === "" || entry.dev === true) continue;
    const name = key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length);
    packages[key] = { resolved: `https://registry.npmjs.org/${name}/-/${name.split("/").pop()}-${String(entry.version)}.tgz`, ...entry };
  }
  return { name: "consumer", lockfileVersion: 3, requires: true, packages };
}

describe("the packed tarball installed into an empty project", () => {
  let dir = "";
  let how = "";
  beforeAll(() => {
    dir = tempDir("package-");
    const packed = npm(["pack", "--ignore-scripts", "--pack-destination", dir, "--silent"], REPO);
    expect(packed.code, packed.stderr).toBe(0);
    const tarball = packed.stdout.trim().split("\n").pop() as string;
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, dependencies: { [manifest.name]: `file:${tarball}` } }));
    writeFileSync(join(dir, "package-lock.json"), JSON.stringify(offlineLock(tarball), null, 2));
    const installed = npm(["ci", "--offline", "--no-audit", "--no-fund"], dir);
    how = "npm ci --offline";
    if (installed.code !== 0) {
      // A cold npm cache (no registry to fill it): the package from the tarball, its dependencies linked from the repository's node_modules.
      console.warn(`offline install impossible (${installed.stderr.split("\n")[0]}); linking the dependencies instead`);
      how = "tarball + linked dependencies";
      const target = join(dir, "node_modules", manifest.name);
      mkdirSync(target, { recursive: true });
      expect(spawnSync("tar", ["xzf", join(dir, tarball), "--strip-components=1", "-C", target]).status).toBe(0);
      for (const name of readdirSync(join(REPO, "node_modules"))) {
        if (name !== ".bin" && name !== manifest.name) symlinkSync(join(REPO, "node_modules", name), join(dir, "node_modules", name));
      }
      mkdirSync(join(dir, "node_modules", ".bin"), { recursive: true });
      symlinkSync(join("..", manifest.name, ...CLI_BIN.split("/")), join(dir, "node_modules", ".bin", "simulate"));
    }
  }, 300_000);
  afterAll(() => {
    if (dir !== "") rmSync(dir, { recursive: true, force: true });
  });

  it("npx simulate --version names the package version", () => {
    const result = spawnSync("npx", ["--offline", "simulate", "--version"], { cwd: dir, encoding: "utf8" });
    expect(result.status, `${how}: ${result.stderr}`).toBe(0);
    expect(result.stdout.trim()).toBe(`continuum-sim ${manifest.version}`);
  });

  it("npx simulate runs a shipped scenario with the shipped profiles, and validates every shipped scenario", () => {
    const scenario = join("node_modules", manifest.name, "scenarios", "edge-ai-testbed.json");
    const run = spawnSync("npx", ["--offline", "simulate", scenario, "--duration", "20 s", "--out", "out", "--json"], { cwd: dir, encoding: "utf8" });
    expect(run.status, `${how}: ${run.stderr}`).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, "out", "results.json"), "utf8")) as { runs: unknown[]; simulator: { version: string } };
    expect(results.simulator.version).toBe(manifest.version);
    expect(results.runs.length).toBe(3);
    for (const name of readdirSync(join(dir, "node_modules", manifest.name, "scenarios"))) {
      // The installed bin link itself (npx adds a second or two per call).
      const check = spawnSync(join(dir, "node_modules", ".bin", "simulate"), ["validate", join("node_modules", manifest.name, "scenarios", name), "--quiet"], { cwd: dir, encoding: "utf8" });
      expect(check.status, `${name}: ${check.stderr}`).toBe(0);
    }
  });

  it("every shipped sweep plans from the installed package (its base and profiles are there)", () => {
    const script = `import { loadSweepFile } from "continuum-sim"; import { readdirSync } from "node:fs";
      const root = new URL(".", import.meta.resolve("continuum-sim/package.json"));
      for (const name of readdirSync(new URL("sweeps/", root)).sort()) console.log(name, loadSweepFile(new URL("sweeps/" + name, root)).runs.length);`;
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: dir, encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim().split("\n")).toHaveLength(readdirSync(join(REPO, "sweeps")).length);
  });

  it("the Python client installs with pip from the installed npm package (offline: its build backend is shipped)", () => {
    const pip = spawnSync("python3", ["-m", "pip", "--version"], { encoding: "utf8" });
    if (pip.status !== 0) {
      console.warn("python3 -m pip is not available: the pip install from the npm package is not checked");
      return;
    }
    const target = join(dir, "python-target");
    const installed = spawnSync(
      "python3",
      ["-m", "pip", "install", "--no-index", "--no-deps", "--disable-pip-version-check", "--quiet", "--target", target, join(dir, "node_modules", manifest.name, "clients", "python")],
      { encoding: "utf8" },
    );
    expect(installed.status, installed.stderr).toBe(0);
    const imported = spawnSync("python3", ["-c", "import continuum_sim_policy; print(continuum_sim_policy.__file__)"], { cwd: dir, encoding: "utf8", env: { ...process.env, PYTHONPATH: target } });
    expect(imported.stdout.trim()).toBe(join(target, "continuum_sim_policy", "__init__.py"));
  });

  it("docs/library.md's example runs against the installed package and prints what the CLI computes", () => {
    const result = runLibraryExample(dir);
    expect(result.code, `${how}: ${result.stderr}`).toBe(0);
    checkExampleOutput(result.stdout, dir);
  });
});
