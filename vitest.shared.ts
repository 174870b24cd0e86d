import { defineConfig } from "vitest/config";

// Every package writes a JSON report beside itself so that `npm test` can print one closing
// line for the whole repository (scripts/test-summary.mjs).
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default", ["json", { outputFile: ".vitest-report.json" }]],
  },
});
