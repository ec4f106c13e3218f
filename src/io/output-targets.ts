import { closeSync, existsSync, lstatSync, openSync, realpathSync, rmSync, statSync, writeSync, type Stats } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { makeFolders, removeCreated, temporaryName } from "./atomic-file.js";
import { describeCause, errorCode, OutputError } from "./output-error.js";
import { removeStaleTemporaries } from "./stale-temporaries.js";

/**
 * What a command is about to write, checked before it does any work: a run of an hour must not end
 * with "cannot write results.json", and an output must never land on something the user needs.
 */
export interface OutputTargets {
  /** The output folder and the option that named it (or its default), for messages: `--out`. */
  dir: string;
  flag: string;
  /** Names of the files the command writes into `dir` (results.json, summary.csv...). */
  files: readonly string[];
  /** Names of the sub-folders it writes into (charts, runs...). */
  folders?: readonly string[];
  /** A file named by an option, possibly elsewhere (--tasks), which must not be any other input or output. */
  extra?: { flag: string; file: string };
  /** Files the command reads (the scenario, the results file, the samples): never written over. */
  inputs: ReadonlyArray<{ what: string; file: string }>;
}

/** The file probeFolder creates and removes (under its temporaryName, so that a crash mid-check leaves a temp like any other). */
const PROBE = ".write-check";

/**
 * Refuses (OutputError of kind "target", exit 2) an output that cannot be written or must not be:
 * a folder that is a file or cannot take a file, an output that would replace an input or another
 * output of the same run, anything in the way that is not a regular file (a device such as
 * /dev/null, a folder, a symbolic link). Then removes the stale temp files of dead writers from the
 * folders it will write into. Leaves nothing behind: a folder it had to create for the check is
 * removed again (the writers create it when they write), so a run that then fails on bad input has
 * written nothing.
 */
export function checkOutputTargets(targets: OutputTargets): void {
  const dir = resolve(targets.dir);
  const outputs = targets.files.map((name) => ({ what: `${name} of this run`, file: join(dir, name) }));
  const folders = (targets.folders ?? []).map((name) => join(dir, name));
  for (const output of outputs) {
    refuseInput(output.file, targets.flag, dir, targets.inputs);
    refuseNonRegular(output.file, targets.flag, dir);
  }
  for (const folder of folders) {
    const found = statOrUndefined(folder);
    if (found !== undefined && !found.isDirectory()) refuse(targets.flag, dir, `${folder} is ${kindOf(found)}, where this run writes a folder`);
  }
  const extra = targets.extra === undefined ? undefined : { flag: targets.extra.flag, file: resolve(targets.extra.file) };
  if (extra !== undefined) {
    refuseInput(extra.file, extra.flag, extra.file, targets.inputs);
    for (const output of outputs) if (sameFile(extra.file, output.file)) refuse(extra.flag, extra.file, `it is the ${output.what}`);
    if (sameFile(extra.file, dir)) refuse(extra.flag, extra.file, `it is the output folder of this run`);
    for (const folder of folders) if (sameFile(extra.file, folder) || inside(extra.file, folder)) refuse(extra.flag, extra.file, `it is inside ${folder}, which this run writes`);
    refuseNonRegular(extra.file, extra.flag, extra.file);
  }
  probeFolder(dir, targets.flag);
  if (extra !== undefined) probeFolder(dirname(extra.file), extra.flag);
  // The sub-folders are the command's own; in the others only the temps of its own files go.
  removeStaleTemporaries(dir, [...targets.files, PROBE]);
  for (const folder of folders) removeStaleTemporaries(folder);
  if (extra !== undefined) removeStaleTemporaries(dirname(extra.file), [basename(extra.file), PROBE]);
}

function refuse(flag: string, path: string, reason: string): never {
  throw new OutputError(`${flag} ${path}: refused: ${reason}; nothing was written`, "target", path, reason);
}

function refuseInput(file: string, flag: string, shown: string, inputs: OutputTargets["inputs"]): void {
  for (const input of inputs) if (sameFile(file, input.file)) refuse(flag, shown, `${file === shown ? "it" : file} is the ${input.what} this run reads`);
}

/** Replacing a device, a folder or a link with a regular file would destroy it (or what it points to would not be written). */
function refuseNonRegular(file: string, flag: string, shown: string): void {
  const found = lstatOrUndefined(file);
  if (found !== undefined && !found.isFile()) refuse(flag, shown, `${file === shown ? "it" : file} exists and is ${kindOf(found)}, not a regular file`);
}

/**
 * Creates `dir` if needed, then creates, writes and removes a small file in it: the one check
 * that answers for permissions, read-only mounts, quotas and a full disk alike. The folders it
 * created go again, deepest first.
 */
function probeFolder(dir: string, flag: string): void {
  const found = statOrUndefined(dir);
  if (found !== undefined && !found.isDirectory()) refuse(flag, dir, `it is ${kindOf(found)}, not a folder (EEXIST)`);
  let created: string | undefined;
  const probe = temporaryName(join(dir, PROBE));
  try {
    created = makeFolders(dir);
    const fd = openSync(probe, "wx");
    try {
      writeSync(fd, "ok\n");
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    const reason = describeCause(error);
    throw new OutputError(`${flag} ${dir}: cannot write there: ${reason}; nothing was written`, "target", dir, reason, errorCode(error));
  } finally {
    try {
      rmSync(probe, { force: true });
    } catch {
      // The probe was never created (a part of the path is a file): nothing to remove.
    }
    if (created !== undefined) removeCreated(dir, created);
  }
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "a folder";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isFIFO()) return "a named pipe";
  if (stats.isSocket()) return "a socket";
  if (stats.isSymbolicLink()) return "a symbolic link";
  return "a regular file";
}

/**
 * The path with every existing folder of it resolved through symbolic links: two names of one
 * file compare equal. A path that does not exist yet keeps its missing tail as written.
 */
function canonical(path: string): string {
  let head = resolve(path);
  const tail: string[] = [];
  while (!existsSync(head) && dirname(head) !== head) {
    tail.unshift(basename(head));
    head = dirname(head);
  }
  try {
    return join(realpathSync(head), ...tail);
  } catch {
    return resolve(path);
  }
}

/** Same file: same canonical path, or (hard links) the same inode on the same device. */
function sameFile(a: string, b: string): boolean {
  if (canonical(a) === canonical(b)) return true;
  const sa = statOrUndefined(a);
  const sb = statOrUndefined(b);
  return sa !== undefined && sb !== undefined && sa.dev === sb.dev && sa.ino === sb.ino;
}

function inside(file: string, folder: string): boolean {
  const path = relative(canonical(folder), canonical(file));
  return path !== "" && path !== ".." && !path.startsWith(`..${sep}`) && !isAbsolute(path);
}

/**
 * What `simulate <scenario>` writes (either kind of scenario): results.json into the output folder,
 * with --report also charts/ and index.html, and with --tasks one CSV wherever it names.
 */
export function runOutputTargets(scenarioFile: string, outDir: string, args: { tasks?: string; report?: boolean; out?: string }): OutputTargets {
  return {
    dir: outDir,
    flag: args.out === undefined ? "output folder" : "--out",
    files: args.report ? ["results.json", "index.html"] : ["results.json"],
    folders: args.report ? ["charts"] : [],
    extra: args.tasks === undefined ? undefined : { flag: "--tasks", file: args.tasks },
    inputs: [{ what: "scenario file", file: scenarioFile }],
  };
}
