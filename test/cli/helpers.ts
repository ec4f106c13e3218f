import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
export const BIN = join(REPO, "dist", "cli", "bin.cjs");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI (npm test builds first) as a user would. With `timeoutMs`, a run still going
 * then is killed and reported with code null (a hang fails the test instead of stalling it).
 */
export function runCli(args: string[], cwd = REPO, timeoutMs?: number): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs, killSignal: "SIGKILL" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(prefix = "continuum-sim-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Why a test that needs a small tmpfs or a read-only bind mount (root, a permissive kernel) was skipped. */
export const NO_MOUNT = "mounting a tmpfs or a read-only bind is not permitted here (needs root)";

const mounted: string[] = [];

/** Mounts a tmpfs of `size` (e.g. "64k") on `dir`, a small real disk that fills up; false where mounting is not permitted. */
export function mountTmpfs(dir: string, size: string): boolean {
  mkdirSync(dir, { recursive: true });
  const ok = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir]).status === 0;
  if (ok) mounted.push(dir);
  return ok;
}

/** Binds `dir` read-only onto itself (a read-only file system, EROFS); false where mounting is not permitted. */
export function mountReadOnly(dir: string): boolean {
  mkdirSync(dir, { recursive: true });
  const ok = spawnSync("mount", ["--bind", "-o", "ro", dir, dir]).status === 0;
  if (ok) mounted.push(dir);
  return ok;
}

/** Unmounts every mount made here, newest first (call from afterAll). */
export function unmountAll(): void {
  for (const dir of mounted.splice(0).reverse()) spawnSync("umount", [dir]);
}
