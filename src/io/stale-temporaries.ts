import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { TEMP_FILE } from "./atomic-file.js";

/**
 * Removes the temp files (see temporaryName) left in `dir` by writers that are gone: a process
 * killed before its reaper could run, a machine that lost power. A temp file is never complete, so
 * it is only ever deleted, never used. The pid in its name decides: a live process other than this
 * one (process.kill(pid, 0) does not say ESRCH) may be writing it right now — another run into the
 * same folder — and its file is left alone. Call this before this process writes into `dir`: a temp
 * file carrying this process's own pid is then a dead process's whose pid was reused (common in
 * containers, where pids restart at 1), and it goes too. In a folder that is not all ours (the
 * user's --out, the folder of --tasks), `only` names the files whose temps may go, so that a
 * user's own "notes.tmp-2024" is never touched. Returns the names removed.
 */
export function removeStaleTemporaries(dir: string, only?: readonly string[]): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMP_FILE.exec(name);
    if (match === null || (only !== undefined && !only.includes(name.slice(0, match.index)))) continue;
    const pid = Number(match[1]);
    if (pid !== process.pid && isAlive(pid)) continue;
    try {
      rmSync(join(dir, name), { force: true, recursive: true });
      removed.push(name);
    } catch {
      // Not ours to insist on: a temp file we cannot remove is harmless to this run, which writes under its own name.
    }
  }
  return removed;
}

function isAlive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}
