import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
export const BIN = join(REPO, "dist", "cli", "bin.js");

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
