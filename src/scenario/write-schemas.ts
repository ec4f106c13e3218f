import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../io/atomic-file.js";
import { JSON_SCHEMA_FILES } from "./json-schema.js";

// Regenerates schemas/*.json from the zod schemas (npm run schemas); a test fails when they drift.
const directory = fileURLToPath(new URL("../../schemas/", import.meta.url));
for (const [file, generate] of Object.entries(JSON_SCHEMA_FILES)) {
  writeFileAtomic(join(directory, file), `${JSON.stringify(generate(), null, 2)}\n`);
  process.stdout.write(`wrote schemas/${file}\n`);
}
