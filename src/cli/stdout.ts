/**
 * The one way the CLI writes what it prints: with back-pressure, and quietly stopping when the
 * reader has gone (`simulate profiles | head -1`).
 *
 * A closed pipe makes Node emit EPIPE as an 'error' event on process.stdout, which kills the process
 * with a stack trace unless someone listens; the listener below is installed once, when this module
 * is loaded, so no write anywhere in the CLI can crash on a closed pipe. A reader that is slow (not
 * gone) is waited for: each chunk is written only after the previous one was handed to the system,
 * so memory stays at one chunk however many lines are printed (a fast writer into a slow pipe
 * otherwise queues everything in memory, or fails with ENOBUFS).
 */

let closed = false;

process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  // After EPIPE, Node reports every later write as ERR_STREAM_DESTROYED: the same closed pipe.
  if (error.code === "EPIPE" || closed) {
    closed = true;
    return;
  }
  throw error;
});

/** True once the reader of stdout has gone: nothing more can be printed. */
export function stdoutClosed(): boolean {
  return closed;
}

/**
 * Writes `text` to stdout and resolves true once the stream can take more (at once when its buffer
 * is below the high-water mark, else at its 'drain'), or false when the reader has gone, so a long
 * listing can stop. A command whose product is files (a run) ignores the answer and finishes its
 * files: a closed pipe is not an error, the exit status stays 0. (Waiting on 'drain' rather than on
 * each write's callback also works when a caller replaces process.stdout.write, as tests do.)
 */
export function writeStdout(text: string): Promise<boolean> {
  if (closed || text === "") return Promise.resolve(!closed);
  if (process.stdout.write(text)) return Promise.resolve(!closed);
  return new Promise((resolve) => {
    const done = (): void => {
      process.stdout.off("drain", done);
      process.stdout.off("close", done);
      process.stdout.off("error", done);
      resolve(!closed);
    };
    process.stdout.on("drain", done);
    process.stdout.on("close", done);
    process.stdout.on("error", done);
  });
}

/**
 * Writes lines produced by `next` (undefined when done), gathered into chunks of about 64 KiB so a
 * million short lines are not a million writes; stops early when the reader has gone.
 */
export async function writeStdoutLines(next: () => string | undefined): Promise<void> {
  const CHUNK_CHARS = 64 * 1024;
  let chunk = "";
  for (let line = next(); line !== undefined; line = next()) {
    chunk += `${line}\n`;
    if (chunk.length >= CHUNK_CHARS) {
      if (!(await writeStdout(chunk))) return;
      chunk = "";
    }
  }
  await writeStdout(chunk);
}
