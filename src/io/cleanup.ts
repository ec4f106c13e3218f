import type { ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";

/**
 * Clean-up of temporaries when a run is cut short.
 *
 * A simulation runs synchronously, so a JavaScript signal handler would only run after the whole
 * run (and would delay Ctrl-C by as long). Instead, the first time something needs guarding, a
 * small reaper process is started with a pipe from this one. Each guarded temporary (a half-written
 * file, a policy bridge's folder, an external agent's process group) is announced on the pipe and
 * withdrawn when it is committed or removed. When this process ends for any reason — normal exit,
 * SIGINT, SIGTERM, SIGHUP, even SIGKILL — the pipe closes and the reaper removes what is still
 * announced, then ends the process groups still announced. The reaper ignores the terminal's
 * SIGINT/SIGHUP (Ctrl-C signals the whole foreground group) so that it outlives its parent.
 */

export type Guarded = { kind: "path"; path: string } | { kind: "process-group"; pgid: number };

const REAPER = `
const { rmSync } = require("node:fs");
for (const s of ["SIGINT", "SIGHUP", "SIGTERM"]) process.on(s, () => {});
const held = new Map();
let rest = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  const lines = (rest + chunk).split("\\n");
  rest = lines.pop();
  for (const line of lines) {
    if (line === "") continue;
    const m = JSON.parse(line);
    if (m.op === "add") held.set(m.key, m.item); else held.delete(m.key);
  }
});
process.stdin.on("end", () => {
  for (const item of held.values()) {
    try {
      if (item.kind === "path") rmSync(item.path, { recursive: true, force: true });
      else process.kill(-item.pgid, "SIGTERM");
    } catch {}
  }
  process.exit(0);
});
`;

let reaper: ChildProcess | undefined;
let nextKey = 0;
const local = new Map<number, Guarded>();
let exitHookInstalled = false;

/**
 * Guards a temporary (a path to delete, recursively, or a process group to end) until the returned
 * release function is called. Call release once the temporary is committed (renamed into place) or
 * removed by the normal path; a path that no longer exists is harmless either way.
 */
export function guardTemporary(item: Guarded): () => void {
  const key = nextKey++;
  local.set(key, item);
  send({ op: "add", key, item });
  installExitHook();
  return () => {
    if (!local.delete(key)) return;
    send({ op: "del", key });
  };
}

/** Removes (or ends) everything still guarded, now, in this process: for a normal exit path. */
export function releaseAllNow(): void {
  for (const [key, item] of [...local]) {
    reap(item);
    local.delete(key);
    send({ op: "del", key });
  }
}

function reap(item: Guarded): void {
  try {
    if (item.kind === "path") rmSync(item.path, { recursive: true, force: true });
    else process.kill(-item.pgid, "SIGTERM");
  } catch {
    // Best effort: the process is on its way out, and the next temporary must still go.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // process.exit() and an uncaught exception still run 'exit' listeners: clean up here, before the reaper would.
  process.on("exit", releaseAllNow);
}

function send(message: { op: "add"; key: number; item: Guarded } | { op: "del"; key: number }): void {
  const child = startReaper();
  if (child?.stdin === null || child?.stdin === undefined || child.stdin.destroyed) return;
  // libuv writes to an idle pipe at once, so the line is in the kernel's buffer before a synchronous simulation starts.
  child.stdin.write(`${JSON.stringify(message)}\n`);
}

function startReaper(): ChildProcess | undefined {
  if (reaper !== undefined) return reaper;
  try {
    // child_process is loaded where it is used (process.getBuiltinModule): a run that starts no process does not load it (issue 16, start-up).
    reaper = process.getBuiltinModule("node:child_process").spawn(process.execPath, ["-e", REAPER], { stdio: ["pipe", "ignore", "ignore"] });
  } catch {
    return undefined;
  }
  reaper.on("error", () => {});
  reaper.stdin?.on("error", () => {});
  // Neither the reaper nor its pipe may keep this process alive.
  reaper.unref();
  (reaper.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return reaper;
}
