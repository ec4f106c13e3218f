/**
 * A file the run was asked to write could not be written, or may not be written.
 *
 * `kind: "write"` — writing failed while the run was under way (disk full, file size limit,
 * read-only file system...): the previous file is intact and the temp file is gone; exit 1, the
 * run could not complete. `kind: "target"` — an output named on the command line is refused before
 * any work (not writable, not a regular file, the scenario itself...): bad input, exit 2.
 * The message is one sentence naming the file and the cause, printed without a stack trace.
 */
export class OutputError extends Error {
  constructor(
    message: string,
    readonly kind: "write" | "target",
    readonly file: string,
    /** The cause in words ("no space left on the device (ENOSPC)"), for a caller that words the message its own way. */
    readonly reason: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "OutputError";
  }
}

/** Causes a user can act on, in words; anything else falls back to the system's own message. */
const CAUSES: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EFBIG: "the file size limit was reached (ulimit -f)",
  EDQUOT: "the disk quota is exceeded",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "the file system is read-only",
  ENOTDIR: "a part of the path is a file, not a folder",
  EISDIR: "it is a folder",
  EEXIST: "a file of that name is in the way",
  ENOENT: "a folder of the path does not exist",
  ENAMETOOLONG: "the name is too long",
  EIO: "an input/output error of the device",
  EMFILE: "too many open files",
  ENFILE: "too many open files in the system",
  ELOOP: "too many symbolic links in the path",
  EBUSY: "the file is busy",
  ETXTBSY: "the file is busy",
};

/** The errno code of a Node file-system error, if any. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** A Node file-system error (it has a syscall and an errno code), as opposed to a bug. */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException & { syscall: string } {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === "string" && typeof errorCode(error) === "string";
}

/** "no space left on the device (ENOSPC)": the cause of a file-system error in words. */
export function describeCause(error: unknown): string {
  const code = errorCode(error);
  if (code !== undefined && code in CAUSES) return `${CAUSES[code]} (${code})`;
  if (code !== undefined) return `${(error as Error).message.replace(/^[A-Z]+: /, "").replace(/, \w+( .*)?$/, "")} (${code})`;
  return error instanceof Error ? error.message : String(error);
}

/** A failure while writing `file`: the previous version of it (if any) is intact. */
export function writeFailure(file: string, error: unknown, consequence = "the previous file, if any, is unchanged"): OutputError {
  if (error instanceof OutputError) return error;
  const reason = describeCause(error);
  return new OutputError(`could not write ${file}: ${reason}; ${consequence}`, "write", file, reason, errorCode(error));
}
