/**
 * The Dockerfile, read statically: no container engine runs on the test machines and hadolint is
 * not on npm, so the rules that matter here are checked on the parsed instructions. The image must
 * hold what `--emit k8s` / `--emit slurm --container` assume: the package at /app, every folder a
 * sweep may live in, a non-root user with uid 1000, python3 for external Python policies.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI_BIN, IMAGE_FOLDERS, IMAGE_ROOT } from "../../src/sweep/emit-cluster.js";
import { REPO } from "../cli/helpers.js";

interface Instruction {
  keyword: string;
  args: string;
}

/** Instructions grouped by build stage (each FROM starts one); continuation lines joined, comments dropped. */
function dockerStages(text: string): Instruction[][] {
  const logical = text
    .split("\n")
    .filter((line) => !/^\s*#/.test(line))
    .join("\n")
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  const stages: Instruction[][] = [];
  for (const line of logical) {
    const match = /^(\S+)\s+(.*)$/.exec(line);
    if (match === null) throw new Error(`not an instruction: ${line}`);
    const instruction = { keyword: match[1].toUpperCase(), args: match[2] };
    if (instruction.keyword === "FROM") stages.push([]);
    if (stages.length === 0) throw new Error(`${line} before the first FROM`);
    stages[stages.length - 1].push(instruction);
  }
  return stages;
}

const stages = dockerStages(readFileSync(join(REPO, "Dockerfile"), "utf8"));
const final = stages[stages.length - 1];
const indexOf = (stage: Instruction[], test: (instruction: Instruction) => boolean): number => stage.findIndex(test);

describe("Dockerfile (static checks)", () => {
  it("every base image has a pinned tag, never latest", () => {
    for (const stage of stages) {
      const image = stage[0].args.split(/\s+/)[0];
      expect(image, stage[0].args).toMatch(/^[^:@\s]+(:[\w.-]+|@sha256:[0-9a-f]{64})$/);
      expect(image).not.toMatch(/:latest$/);
    }
  });

  it("dependencies before sources: package*.json copied and npm ci run before src/ is copied", () => {
    const build = stages.find((stage) => stage.some((instruction) => instruction.keyword === "COPY" && /^src\b/.test(instruction.args)));
    expect(build, "a stage that copies src/").toBeDefined();
    const stage = build as Instruction[];
    const manifests = indexOf(stage, (i) => i.keyword === "COPY" && /\bpackage\.json\b/.test(i.args) && /\bpackage-lock\.json\b/.test(i.args));
    const install = indexOf(stage, (i) => i.keyword === "RUN" && /\bnpm ci\b/.test(i.args));
    const sources = indexOf(stage, (i) => i.keyword === "COPY" && /^src\b/.test(i.args));
    const build_ = indexOf(stage, (i) => i.keyword === "RUN" && /\bnpm run build\b/.test(i.args));
    expect(manifests).toBeGreaterThan(0);
    expect(install).toBeGreaterThan(manifests);
    expect(sources).toBeGreaterThan(install);
    expect(build_).toBeGreaterThan(sources);
    // Nothing but the manifests reaches the install layer: a `COPY . .` before it would void the cache.
    expect(stage.slice(0, install).filter((i) => i.keyword === "COPY")).toHaveLength(1);
  });

  it("the build stage copies, before npm run build, every file the build script runs (scripts/bundle.mjs)", () => {
    const stage = stages.find((instructions) => instructions.some((i) => i.keyword === "RUN" && /\bnpm run build\b/.test(i.args))) as Instruction[];
    const build = indexOf(stage, (i) => i.keyword === "RUN" && /\bnpm run build\b/.test(i.args));
    const copied = stage.slice(0, build).flatMap((i) => (i.keyword === "COPY" ? i.args.split(/\s+/).slice(0, -1) : []));
    const { scripts } = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { scripts: Record<string, string> };
    const run = [...scripts.build.matchAll(/\bnode\s+(\S+)/g)].map((match) => match[1]);
    expect(run.length, scripts.build).toBeGreaterThan(0);
    for (const file of run)
      expect(
        copied.some((source) => file === source || file.startsWith(`${source.replace(/\/$/, "")}/`)),
        file,
      ).toBe(true);
  });

  it("the image runs as a non-root user (uid 1000, as the k8s pods' runAsUser) after the last RUN", () => {
    const user = indexOf(final, (i) => i.keyword === "USER");
    expect(user).toBeGreaterThan(0);
    expect(final[user].args).toMatch(/^(node|1000)(:(node|1000))?$/);
    expect(final.slice(user + 1).filter((i) => i.keyword === "RUN" || i.keyword === "USER")).toEqual([]);
  });

  it("installs python3 and copies clients/ (external Python policies run in the image)", () => {
    expect(final.some((i) => i.keyword === "RUN" && /apt-get install\b.*\bpython3\b/.test(i.args))).toBe(true);
    expect(final.some((i) => i.keyword === "COPY" && /^clients\s/.test(i.args))).toBe(true);
  });

  it(`puts the package at ${IMAGE_ROOT} with dist/ and every folder a sweep may live in (IMAGE_FOLDERS)`, () => {
    expect(final.filter((i) => i.keyword === "WORKDIR").map((i) => i.args)).toEqual([IMAGE_ROOT]);
    const copied = final.filter((i) => i.keyword === "COPY").map((i) => i.args.replace(/^--\S+\s+/, "").split(/\s+/));
    for (const folder of [...IMAGE_FOLDERS, "dist", "node_modules"]) {
      expect(
        copied.some((words) => words.at(-1) === `./${folder}` && words.some((w) => w === folder || w.endsWith(`/${folder}`))),
        folder,
      ).toBe(true);
    }
    expect(final.find((i) => i.keyword === "ENTRYPOINT")?.args).toBe(`["node", "${IMAGE_ROOT}/${CLI_BIN}"]`);
  });

  it(".dockerignore keeps the host's node_modules and dist out of the build context", () => {
    const ignored = readFileSync(join(REPO, ".dockerignore"), "utf8").split("\n");
    for (const entry of ["node_modules", "dist", ".git"]) expect(ignored).toContain(entry);
  });

  it("the parser itself: continuation lines join, comments drop, stages split", () => {
    const parsed = dockerStages("# c\nFROM a:1 AS b\nRUN x \\\n && y\nFROM c:2\nUSER node\n");
    expect(parsed).toEqual([
      [
        { keyword: "FROM", args: "a:1 AS b" },
        { keyword: "RUN", args: "x   && y" },
      ],
      [
        { keyword: "FROM", args: "c:2" },
        { keyword: "USER", args: "node" },
      ],
    ]);
  });
});
