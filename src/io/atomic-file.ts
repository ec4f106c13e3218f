import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { threadId } from "node:worker_threads";

/**
 * Writes a file so that a reader (or a restarted sweep) sees either nothing or the whole file:
 * temp file, fsync, rename. The temp name carries pid and thread id because several workers of
 * one process write into the same folder.
 */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.tmp-${process.pid}-${threadId}`;
  try {
    const fd = openSync(temp, "w");
    try {
      if (typeof content === "string") writeSync(fd, content);
      else writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Temp files left by a killed process: never complete, safe to delete before a restart. */
export const TEMP_FILE = /\.tmp-\d+-\d+$/;
