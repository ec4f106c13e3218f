import { isAscii } from "node:buffer";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { Script } from "node:vm";

/*
 * A CommonJS bundle compiled with V8's code cache (the CLI: dist/cli/cli.cjs, src/cli/bin.ts). The
 * cache, written at build time from a 1-second run (scripts/bundle.mjs), holds the bytecode of every
 * function that run compiled, so a run neither parses nor compiles them at start: about a fifth of
 * a short run's CPU (docs/performance.md, start-up). Node 20 caches no ES module's code
 * (module.enableCompileCache is Node 22), only a `vm.Script`'s: hence a CommonJS bundle.
 *
 * The cache only ever saves time. V8 rejects a cache made by another V8 version or with other
 * flags (the code then compiles as without one), but it checks the source by its length alone; so
 * the cache file starts with the SHA-256 of the bundle it was made from, and a cache of any other
 * bundle is not offered to V8.
 */

/** The cache beside the bundle: `<bundle>.cache`, the bundle's SHA-256 then V8's data. */
export const cacheFileOf = (bundle: string): string => `${bundle}.cache`;
const DIGEST_BYTES = 32;

export interface CompiledBundle {
  /** Whether a cache of this bundle was offered to V8, and whether V8 took it. */
  cache: "none" | "accepted" | "rejected";
  /** Runs the bundle as Node runs a CommonJS module and returns its exports. */
  run(): unknown;
  /** Writes the cache of what the process has compiled so far (the build, at the end of its run). */
  writeCache(): void;
}

export function compileBundle(bundle: string): CompiledBundle {
  const code = readFileSync(bundle);
  const digest = createHash("sha256").update(code).digest();
  let cachedData: Buffer | undefined;
  try {
    const cache = readFileSync(cacheFileOf(bundle));
    if (cache.subarray(0, DIGEST_BYTES).equals(digest)) cachedData = cache.subarray(DIGEST_BYTES);
  } catch {
    // No cache (not built yet, or removed): compiled as without one.
  }
  // An ASCII file (the build escapes every other character: scripts/bundle.mjs) is its own Latin-1
  // text, which decodes as a copy (1 ms for the CLI) where UTF-8 checks every byte (5-7 ms) and
  // makes a string of two bytes a character when any one is not ASCII.
  const source = isAscii(code) ? code.toString("latin1") : code.toString("utf8");
  // CommonJS's own wrapper, strict as the ES modules the bundle was built from.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {"use strict";${source}\n});`, { filename: bundle, cachedData });
  return {
    cache: cachedData === undefined ? "none" : script.cachedDataRejected === true ? "rejected" : "accepted",
    run() {
      const module = { exports: {} };
      (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
      return module.exports;
    },
    writeCache() {
      writeFileSync(cacheFileOf(bundle), Buffer.concat([digest, script.createCachedData()]));
    },
  };
}
