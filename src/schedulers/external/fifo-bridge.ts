import { closeSync, constants, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { SimulationError } from "../../errors.js";
import { guardTemporary } from "../../io/cleanup.js";
import { AGENT_GRACE_MS, startAgent, type AgentProcess } from "./process-group.js";

/** What the external policy needs of a channel to its agent. */
export interface PolicyBridge {
  request(line: string, timeoutMs: number, what: string): string;
  notify(line: string): void;
  close(graceful: boolean): void;
}

/** Idle read attempts before the reader starts sleeping between polls (a round trip usually answers within them). */
const SPIN_READS = 200;
const MAX_SLEEP_MS = 1;

/**
 * A synchronous line channel over two named pipes, read and written with non-blocking system
 * calls from the main thread (Linux: mkfifo and /proc). Without a thread hand-off a decision
 * costs two pipe hops: about 30,000 round trips a second against 8,000 for the worker-thread
 * bridge (measured with the Node and Python nearest agents). The agent's exit is read from
 * /proc/<pid>/stat while waiting; a timeout or an exit is a SimulationError.
 */
export class FifoBridge implements PolicyBridge {
  private readonly dir: string;
  private readonly toAgent: number;
  private readonly fromAgent: number;
  private readonly agent: AgentProcess;
  private readonly pid: number;
  /** Withdraws the clean-up guard on the folder of pipes once it is removed. */
  private readonly releaseDir: () => void;
  private readonly sleeper = new Int32Array(new SharedArrayBuffer(4));
  private readonly buffer = Buffer.alloc(1 << 16);
  private pending = "";
  private closed = false;

  /** Returns undefined where named pipes or /proc are not available (the caller falls back). */
  static open(command: readonly string[], cwd: string): FifoBridge | undefined {
    if (process.platform !== "linux" || !existsSync("/proc/self/stat")) return undefined;
    // child_process and os are loaded where they are used (process.getBuiltinModule): a run with no external policy does not load them (issue 16, start-up).
    const dir = mkdtempSync(join(process.getBuiltinModule("node:os").tmpdir(), "continuum-sim-policy-"));
    // Guarded: a run ended by a signal must not leave the folder behind.
    const releaseDir = guardTemporary({ kind: "path", path: dir });
    const made = process.getBuiltinModule("node:child_process").spawnSync("mkfifo", [join(dir, "to-agent"), join(dir, "from-agent")]);
    if (made.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      releaseDir();
      return undefined;
    }
    return new FifoBridge(dir, releaseDir, command, cwd);
  }

  private constructor(dir: string, releaseDir: () => void, command: readonly string[], cwd: string) {
    this.dir = dir;
    this.releaseDir = releaseDir;
    // Read-write opens never block on a FIFO, and keep both ends alive while the agent starts.
    this.toAgent = openSync(join(dir, "to-agent"), constants.O_RDWR | constants.O_NONBLOCK);
    this.fromAgent = openSync(join(dir, "from-agent"), constants.O_RDWR | constants.O_NONBLOCK);
    const agentIn = openSync(join(dir, "to-agent"), "r");
    const agentOut = openSync(join(dir, "from-agent"), "w");
    this.agent = startAgent(command, cwd, [agentIn, agentOut, "inherit"]);
    closeSync(agentIn);
    closeSync(agentOut);
    this.agent.child.on("error", () => undefined);
    if (this.agent.child.pid === undefined) {
      this.cleanUp();
      throw new SimulationError(`the agent could not run: ${command.join(" ")}`);
    }
    this.pid = this.agent.child.pid;
  }

  request(line: string, timeoutMs: number, what: string): string {
    const deadline = Date.now() + timeoutMs;
    this.write(`${line}\n`, deadline, what);
    return this.readLine(deadline, timeoutMs, what);
  }

  notify(line: string): void {
    try {
      this.write(`${line}\n`, Date.now() + 10_000, "end of run");
    } catch {
      // An agent that is gone cannot be told the run ended; close() reaps it.
    }
  }

  close(graceful: boolean): void {
    if (this.closed) return;
    this.closed = true;
    // Closing our read-write end of the agent's stdin leaves no writer: the agent reads end of file.
    closeSync(this.toAgent);
    if (graceful) this.waitForExit(AGENT_GRACE_MS);
    // The agent and whatever it started: SIGTERM to the group, SIGKILL after the grace period.
    this.agent.endGroup(graceful ? AGENT_GRACE_MS : 0);
    this.waitForExit(5000);
    this.cleanUp();
  }

  private write(text: string, deadline: number, what: string): void {
    if (this.closed) throw new SimulationError(`${what}: the policy bridge is closed`);
    const bytes = Buffer.from(text, "utf8");
    let offset = 0;
    let idle = 0;
    while (offset < bytes.length) {
      let written = 0;
      try {
        written = writeSync(this.toAgent, bytes, offset, bytes.length - offset);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      }
      offset += written;
      if (written > 0) {
        idle = 0;
        continue;
      }
      if (Date.now() > deadline) throw new SimulationError(`${what}: the agent is not reading its input`);
      this.pause(++idle, what);
    }
  }

  private readLine(deadline: number, timeoutMs: number, what: string): string {
    let idle = 0;
    for (;;) {
      const newline = this.pending.indexOf("\n");
      if (newline >= 0) {
        const line = this.pending.slice(0, newline);
        this.pending = this.pending.slice(newline + 1);
        return line;
      }
      let read = 0;
      try {
        read = readSync(this.fromAgent, this.buffer, 0, this.buffer.length, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      }
      if (read > 0) {
        this.pending += this.buffer.toString("utf8", 0, read);
        idle = 0;
        continue;
      }
      idle++;
      if (Date.now() > deadline) throw new SimulationError(`${what}: no answer within ${timeoutMs} ms (wall clock)`);
      this.pause(idle, what);
    }
  }

  /** Spins briefly, then sleeps in growing steps; checks that the agent is still alive while it waits (callers check their deadline). */
  private pause(idle: number, what: string): void {
    if (idle <= SPIN_READS) return;
    if (idle % 16 === 0) {
      const status = this.exitStatus();
      if (status !== undefined) throw new SimulationError(`${what}: ${status}`);
    }
    Atomics.wait(this.sleeper, 0, 0, Math.min(MAX_SLEEP_MS, (idle - SPIN_READS) * 0.01));
  }

  /** "the agent exited with code N" / "was killed by SIGNAL" once it has exited (a zombie or gone), else undefined. */
  private exitStatus(): string | undefined {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${this.pid}/stat`, "utf8");
    } catch {
      return "the agent exited";
    }
    const fields = stat
      .slice(stat.lastIndexOf(")") + 2)
      .trim()
      .split(" ");
    if (fields[0] !== "Z" && fields[0] !== "X") return undefined;
    // The last field is the wait status (Linux 3.5+): exit code in the high byte, signal in the low bits.
    const wait = Number(fields[fields.length - 1]);
    if (!Number.isInteger(wait)) return "the agent exited";
    const signal = wait & 0x7f;
    return signal !== 0 ? `the agent was killed by signal ${signal}` : `the agent exited with code ${wait >> 8}`;
  }

  private waitForExit(timeoutMs: number): void {
    const deadline = Date.now() + timeoutMs;
    while (this.exitStatus() === undefined && Date.now() < deadline) Atomics.wait(this.sleeper, 0, 0, 1);
  }

  private cleanUp(): void {
    try {
      closeSync(this.fromAgent);
    } catch {
      // Closed already.
    }
    if (!this.closed) {
      try {
        closeSync(this.toAgent);
      } catch {
        // Closed already.
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
    this.releaseDir();
  }
}
