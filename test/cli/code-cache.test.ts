import { isAscii } from "node:buffer";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeOneSecondScenario } from "../../src/bench/startup.js";
import { BIN, REPO, tempDir } from "./helpers.js";

/*
 * dist/cli/bin.cjs compiles the bundled CLI (dist/cli/cli.cjs) with the V8 code cache written at
 * build time (src/cli/code-cache.ts). The cache may only save time: these run the CLI with its own
 * cache, with the cache of another bundle of the same length (which V8, checking the length alone,
 * would take) and with one V8 rejects.
 */

const DIST_CLI = join(REPO, "dist", "cli");
const work = tempDir("continuum-code-cache-");
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What compileBundle makes of `bundle` and its cache, in a fresh Node (the flags V8 checks are a plain process's). */
function cacheState(bundle: string): string {
  const probe = `import { compileBundle } from ${JSON.stringify(join(DIST_CLI, "code-cache.js"))}; process.stdout.write(compileBundle(${JSON.stringify(bundle)}).cache);`;
  return spawnSync(process.execPath, ["--input-type=module", "-e", probe], { encoding: "utf8" }).stdout;
}

function run(bin: string, out: string): { code: number | null; stdout: string; results: Buffer } {
  const child = spawnSync(process.execPath, [bin, "run", writeOneSecondScenario(work), "--out", out], { cwd: REPO, encoding: "utf8" });
  return { code: child.status, stdout: child.stdout, results: readFileSync(join(out, "results.json")) };
}

describe("the CLI's code cache", () => {
  it("V8 takes the cache the build wrote for the bundle", () => {
    expect(cacheState(join(DIST_CLI, "cli.cjs"))).toBe("accepted");
  });

  it("the bundle is ASCII, which the loader reads as Latin-1 without decoding UTF-8", () => {
    expect(isAscii(readFileSync(join(DIST_CLI, "cli.cjs")))).toBe(true);
  });

  describe("a copy of the package whose bundle differs from the one its cache was made of", () => {
    const pkg = join(work, "package");
    const bundle = join(pkg, "dist", "cli", "cli.cjs");
    let original: ReturnType<typeof run>;
    beforeAll(() => {
      mkdirSync(join(pkg, "dist", "cli"), { recursive: true });
      copyFileSync(join(REPO, "package.json"), join(pkg, "package.json"));
      for (const shared of ["hardware-profiles", "node_modules"]) symlinkSync(join(REPO, shared), join(pkg, shared));
      copyFileSync(BIN, join(pkg, "dist", "cli", "bin.cjs"));
      copyFileSync(join(DIST_CLI, "cli.cjs.cache"), `${bundle}.cache`);
      // Same length, another output: the summary's last line, printed by a function the cache holds.
      const source = readFileSync(join(DIST_CLI, "cli.cjs"), "utf8");
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of main.ts's summary line (a template literal there)
      const line = "${replicationNote(results)}wrote ${";
      expect(source.split(line).length).toBe(2);
      writeFileSync(bundle, source.replace(line, line.replace("wrote", "WROTE")));
      original = run(BIN, join(work, "original"));
    });

    it("runs its own code, not the cached code of the other bundle (same length: V8 alone would take it)", () => {
      expect(cacheState(bundle)).toBe("none");
      const edited = run(join(pkg, "dist", "cli", "bin.cjs"), join(work, "edited"));
      expect(edited.code).toBe(0);
      expect(edited.stdout).toContain(`WROTE ${join(work, "edited", "results.json")}`);
      expect(edited.stdout.replace("WROTE", "wrote").replaceAll("edited", "original")).toBe(original.stdout);
      expect(edited.results.equals(original.results)).toBe(true);
    });

    it("a bundle with a character beyond ASCII runs as its UTF-8 text", () => {
      const edited = readFileSync(bundle, "utf8");
      const line = "WROTE ${";
      expect(edited.split(line).length).toBe(2);
      writeFileSync(bundle, edited.replace(line, line.replace("WROTE", "WROTE \u00b5")));
      const micro = run(join(pkg, "dist", "cli", "bin.cjs"), join(work, "utf8"));
      writeFileSync(bundle, edited);
      expect(micro.code).toBe(0);
      expect(micro.stdout).toContain(`WROTE \u00b5 ${join(work, "utf8", "results.json")}`);
    });

    it("a cache V8 rejects (this bundle's digest, data of no V8) only costs the compile", () => {
      const digest = createHash("sha256").update(readFileSync(bundle)).digest();
      writeFileSync(`${bundle}.cache`, Buffer.concat([digest, Buffer.alloc(4096, 7)]));
      expect(cacheState(bundle)).toBe("rejected");
      const rejected = run(join(pkg, "dist", "cli", "bin.cjs"), join(work, "rejected"));
      expect(rejected.code).toBe(0);
      expect(rejected.results.equals(original.results)).toBe(true);
    });
  });
});
