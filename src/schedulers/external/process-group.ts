import type { ChildProcess, StdioOptions } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { guardTemporary } from "../../io/cleanup.js";

/** How long an agent's process group has after SIGTERM before SIGKILL. */
export const AGENT_GRACE_MS = 2000;

/** An agent process started in a process group of its own, guarded until the group is ended. */
export interface AgentProcess {
  readonly child: ChildProcess;
  /** Ends the whole group (SIGTERM, then SIGKILL after `graceMs`) and withdraws the guard. */
  endGroup(graceMs?: number): void;
}

/**
 * Starts an agent in its own process group (so a child it starts can be found and ended with it)
 * and guards the group with the clean-up process: if this process dies, even by SIGKILL, the
 * group still receives SIGTERM. Detached also keeps the terminal's Ctrl-C from reaching the agent
 * before the simulator reports the interruption.
 */
export function startAgent(command: readonly string[], cwd: string, stdio: StdioOptions): AgentProcess {
  // child_process is loaded where it is used (process.getBuiltinModule): a run that starts no process does not load it (issue 16, start-up).
  const child = process.getBuiltinModule("node:child_process").spawn(command[0], command.slice(1), { stdio, cwd, detached: true });
  const pgid = child.pid;
  const release = pgid === undefined ? () => undefined : guardTemporary({ kind: "process-group", pgid });
  let ended = false;
  return {
    child,
    endGroup(graceMs = AGENT_GRACE_MS) {
      if (ended) return;
      ended = true;
      if (pgid !== undefined) endProcessGroup(pgid, graceMs);
      release();
    },
  };
}

/** SIGTERM to every process of the group, then SIGKILL to what is still alive after `graceMs` (synchronous: polls every millisecond). */
export function endProcessGroup(pgid: number, graceMs: number): void {
  if (!signalGroup(pgid, "SIGTERM")) return;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) Atomics.wait(sleeper, 0, 0, 1);
  if (groupAlive(pgid)) signalGroup(pgid, "SIGKILL");
}

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is empty already.
  }
}

/**
 * Whether a live process is left in the group. On Linux, /proc tells, ignoring zombies (the agent
 * itself stays one until the event loop reaps it, and a zombie needs no signal); elsewhere a
 * signal 0 to the group tells whether any member, zombie or not, remains.
 */
function groupAlive(pgid: number): boolean {
  if (!existsSync("/proc/self/stat")) return signalGroup(pgid, 0);
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // Gone meanwhile.
    }
    // After the command in parentheses: state, ppid, pgrp.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z" && fields[0] !== "X") return true;
  }
  return false;
}
