import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, renameSync, rmdirSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { threadId } from "node:worker_threads";
import { guardTemporary } from "./cleanup.js";
import { errorCode, writeFailure } from "./output-error.js";

/**
 * The one way this program writes a file: into a temp file beside it, every byte checked, fsync,
 * rename over the final name, fsync of the folder. A reader (or a restarted sweep) sees the previous
 * file or the whole new one, never half of one; a failure (disk full, file size limit, read-only
 * file system...) removes the temp file, leaves the previous file as it was and throws an
 * OutputError naming the file and the cause. The temp file is guarded (src/io/cleanup.ts), so it
 * goes even when the process is killed while writing (a small one: see UNGUARDED_WRITE_BYTES).
 */

/**
 * `<file>.tmp-<pid>-<threadId>`: the pid says whether the writer is still alive (see
 * removeStaleTemporaries), the thread id keeps the workers of one sweep process apart.
 */
export function temporaryName(file: string, thread: number = threadId): string {
  return `${file}.tmp-${process.pid}-${thread}`;
}

let guardedHere = true;

/**
 * For a sweep's worker thread: the main thread guards the temp names of each run it hands out
 * (src/sweep/worker-pool.ts), so that a process has one reaper, not one more per worker thread
 * (each a Node process of about 40 MB).
 */
export function leaveTemporariesToMainThread(): void {
  guardedHere = false;
}

function guard(path: string): () => void {
  return guardedHere ? guardTemporary({ kind: "path", path }) : () => {};
}

/**
 * writeFileAtomic of fewer bytes leaves its temp file to the next run, not to the reaper: the temp
 * lives for one synchronous stretch (open, write, fsync, rename: no JavaScript runs between, so
 * only a kill in those few milliseconds can leave it), and the reaper, a second Node process
 * started on the first guard, cost more than a short run's whole results.json (start-up,
 * docs/performance.md). A temp file left so is removed by the next run into its folder
 * (removeStaleTemporaries); the previous file is intact either way. A larger file, which takes
 * longer to write and sync, and every line-by-line file (AtomicLineWriter) are guarded.
 */
export const UNGUARDED_WRITE_BYTES = 1 << 20;

/** A temp file of temporaryName, capturing its writer's pid (older versions wrote `<file>.tmp-<pid>`). */
export const TEMP_FILE = /\.tmp-(\d+)(?:-\d+)?$/;

export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  const temp = temporaryName(file);
  let release = (): void => {};
  let fd: number | undefined;
  let created: string | undefined;
  try {
    const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    if (bytes.length >= UNGUARDED_WRITE_BYTES) release = guard(temp);
    created = makeFolders(dirname(file));
    fd = openSync(temp, "w");
    writeAll(fd, bytes);
    fsyncSync(fd);
    const closing = fd;
    fd = undefined;
    closeSync(closing);
    renameSync(temp, file);
  } catch (error) {
    discard(fd, temp);
    if (created !== undefined) removeCreated(dirname(file), created);
    release();
    throw writeFailure(file, error);
  }
  release();
  syncFolder(file);
}

/**
 * A line-oriented file (a CSV of every request) written the same way, in pieces of about 1 MB as
 * lines come: `commit` puts it in place, `abort` removes it. A failed write aborts and throws.
 */
export class AtomicLineWriter {
  private readonly temp: string;
  private readonly release: () => void;
  private fd: number | undefined;
  /** The first folder the constructor had to create: abort removes it again (when empty), so a failed run leaves nothing. */
  private created: string | undefined;
  private buffer: string[] = [];
  private bufferedChars = 0;

  constructor(readonly file: string) {
    this.temp = temporaryName(file);
    this.release = guard(this.temp);
    try {
      this.created = makeFolders(dirname(file));
      this.fd = openSync(this.temp, "w");
    } catch (error) {
      this.abort();
      throw writeFailure(file, error);
    }
  }

  writeLine(line: string): void {
    this.buffer.push(line);
    this.bufferedChars += line.length + 1;
    if (this.bufferedChars > 1 << 20) this.flush();
  }

  commit(): void {
    this.flush();
    try {
      const fd = this.openFd();
      fsyncSync(fd);
      this.fd = undefined;
      closeSync(fd);
      renameSync(this.temp, this.file);
    } catch (error) {
      this.abort();
      throw writeFailure(this.file, error);
    }
    this.created = undefined;
    this.release();
    syncFolder(this.file);
  }

  /** Removes the temp file (the final file, if any, is untouched); harmless after commit or a failure. */
  abort(): void {
    discard(this.fd, this.temp);
    if (this.created !== undefined) removeCreated(dirname(this.file), this.created);
    this.created = undefined;
    this.fd = undefined;
    this.buffer = [];
    this.bufferedChars = 0;
    this.release();
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    try {
      writeAll(this.openFd(), Buffer.from(`${this.buffer.join("\n")}\n`, "utf8"));
    } catch (error) {
      this.abort();
      throw writeFailure(this.file, error);
    }
    this.buffer = [];
    this.bufferedChars = 0;
  }

  private openFd(): number {
    if (this.fd === undefined) throw writeFailure(this.file, new Error("it was abandoned after an earlier failure"));
    return this.fd;
  }
}

/**
 * write(2) may write fewer bytes than asked (a nearly full disk, the file size limit: Node ignores
 * SIGXFSZ, so the call returns short, and the next one fails with EFBIG); loop until all are written.
 */
function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) {
    const written = writeSync(fd, bytes, offset, bytes.length - offset);
    if (written <= 0) throw Object.assign(new Error("the device accepted no more bytes"), { code: "EIO" });
    offset += written;
  }
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdir reports ENOENT where the real cause is a
 * read-only file system or a permission. Returns the first folder it created, if any; on failure,
 * removes the ones it created.
 */
export function makeFolders(dir: string): string | undefined {
  const missing: string[] = [];
  let head = dir;
  while (!exists(head) && dirname(head) !== head) {
    missing.unshift(head);
    head = dirname(head);
  }
  let first: string | undefined;
  let last: string | undefined;
  try {
    for (const folder of missing) {
      try {
        mkdirSync(folder);
      } catch (error) {
        // Another writer (a sweep's other worker) made it meanwhile: fine, and not ours to remove.
        if (errorCode(error) === "EEXIST" && lstatSync(folder).isDirectory()) continue;
        throw error;
      }
      first ??= folder;
      last = folder;
    }
  } catch (error) {
    if (first !== undefined && last !== undefined) removeCreated(last, first);
    throw error;
  }
  return first;
}

/** Removes `dir` and its parents up to `top` (the first folder mkdir created), while they are empty. */
export function removeCreated(dir: string, top: string): void {
  let current = dir;
  for (;;) {
    try {
      rmdirSync(current);
    } catch {
      return;
    }
    if (current === top || dirname(current) === current) return;
    current = dirname(current);
  }
}

function discard(fd: number | undefined, temp: string): void {
  try {
    if (fd !== undefined) closeSync(fd);
  } catch {
    // The descriptor is unusable anyway; what matters is that the temp file goes.
  }
  try {
    rmSync(temp, { force: true });
  } catch {
    // Still guarded until the caller releases it; the reaper or the next run's stale-temp sweep removes it.
  }
}

/** fsync of the folder makes the rename itself durable; file systems that cannot sync a folder say EINVAL. */
function syncFolder(file: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dirname(file), "r");
    fsyncSync(fd);
  } catch (error) {
    const code = errorCode(error);
    if (code !== "EINVAL" && code !== "ENOTSUP" && code !== "EISDIR" && code !== "EACCES") {
      throw writeFailure(file, error, "it is in place, but a crash now could still lose it");
    }
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Whether anything (a dangling link included) is at `path`. */
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
