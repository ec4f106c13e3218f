import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Statistical validation runs simulate millions of tasks: allow them time without a wall-clock assertion.
    testTimeout: 300_000,
    hookTimeout: 60_000,
  },
});
