import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UNGUARDED_WRITE_BYTES } from "../../src/io/atomic-file.js";
import { REPO, tempDir } from "../cli/helpers.js";

/*
 * writeFileAtomic starts the reaper (src/io/cleanup.ts, a second Node process) only for a file of
 * UNGUARDED_WRITE_BYTES or more (start-up: a short run's results.json is far smaller). Observed from
 * outside the code: the children the kernel lists for the writing process (Linux's /proc).
 */

const work = tempDir("continuum-reaper-");
afterAll(() => rmSync(work, { recursive: true, force: true }));
const CHILDREN = `/proc/${process.pid}/task/${process.pid}/children`;

/** The number of child processes of a fresh process after it wrote each file size in turn (bytes of "x"). */
function childrenAfterWrites(sizes: number[]): number[] {
  const script = `
    import { readFileSync } from "node:fs";
    import { writeFileAtomic } from ${JSON.stringify(join(REPO, "dist", "io", "atomic-file.js"))};
    const children = () => readFileSync(\`/proc/\${process.pid}/task/\${process.pid}/children\`, "utf8").trim().split(/\\s+/).filter(Boolean).length;
    const counts = ${JSON.stringify(sizes)}.map((size, i) => { writeFileAtomic(${JSON.stringify(work)} + "/f" + i, "x".repeat(size)); return children(); });
    process.stdout.write(JSON.stringify(counts));`;
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout) as number[];
}

describe.skipIf(!existsSync(CHILDREN))("writeFileAtomic and the reaper", () => {
  it("a small file is written without starting the reaper; the first large one starts it", () => {
    expect(childrenAfterWrites([1000, UNGUARDED_WRITE_BYTES - 1, UNGUARDED_WRITE_BYTES, 10])).toEqual([0, 0, 1, 1]);
    expect(readFileSync(join(work, "f1"), "utf8").length).toBe(UNGUARDED_WRITE_BYTES - 1);
    expect(readFileSync(join(work, "f2"), "utf8").length).toBe(UNGUARDED_WRITE_BYTES);
  });
});
