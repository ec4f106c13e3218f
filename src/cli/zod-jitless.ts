import { config } from "zod";

/*
 * Imported first by the CLI entry (bin.ts), before any module builds a schema: zod decides when it
 * builds an object schema whether to compile a fast path for it (new Function, on its first
 * parse). A CLI process parses each schema once or a few times, where generating that code costs
 * more than it saves (start-up, docs/performance.md). The library entry (src/index.ts) keeps zod's default.
 */
config({ jitless: true });
