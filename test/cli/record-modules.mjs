// Preload for test/cli/startup-imports.test.ts: `node --import ./record-modules.mjs bin.cjs …`
// appends to $RECORD_MODULES_FILE the URL of every ES module the process loads (a resolve hook,
// which Node 20 runs on its own thread) and, at exit, every CommonJS file it required and every
// public built-in module it loaded, as `node:<name>` (process.moduleLoadList, however it was loaded).
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";
import { pathToFileURL } from "node:url";

const out = process.env.RECORD_MODULES_FILE;
if (out === undefined) throw new Error("record-modules.mjs: set RECORD_MODULES_FILE");
const hook = `
import { appendFileSync } from "node:fs";
let out;
export function initialize(data) { out = data.out; }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(out, resolved.url + "\\n");
  return resolved;
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`, { data: { out } });
process.on("exit", () => {
  const required = Object.keys(createRequire(import.meta.url).cache).map((file) => pathToFileURL(file).href);
  const builtins = process.moduleLoadList.filter((entry) => /^NativeModule (?!internal\/)/.test(entry)).map((entry) => `node:${entry.slice("NativeModule ".length)}`);
  appendFileSync(out, [...required, ...builtins].map((url) => `${url}\n`).join(""));
});
