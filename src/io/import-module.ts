/*
 * The one `import()` of ES modules loaded at run time (the chart packages, a scenario's policy
 * modules). The CLI is one CommonJS bundle compiled from V8's code cache in a `vm.Script`
 * (src/cli/bin.ts), and in Node 20 such code cannot import(): the script's loader is not restored
 * with the cached code (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING). So the CLI's loader
 * (dist/cli/bin.cjs, which Node's own loader compiled) passes its own import() here
 * (src/cli/cli.ts); everywhere else (the library, the tests) this module's own is used.
 * scripts/bundle.mjs fails the build if the bundle has any other import().
 */

/** An `import()`: a module's namespace from its specifier (a package name or a file: URL). */
export type ImportModule = (specifier: string) => Promise<unknown>;

let importer: ImportModule = (specifier) => import(specifier);

/** Makes `importer` the import() of every later importModule (the CLI's loader, at start). */
export function importModulesWith(loaderImport: ImportModule): void {
  importer = loaderImport;
}

/** Imports an ES module (Node's resolution, from this package's location for a bare name). */
export function importModule(specifier: string): Promise<unknown> {
  return importer(specifier);
}
