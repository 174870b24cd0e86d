import { defineConfig } from "vitest/config";

// Every package writes a JSON report beside itself so that `npm test` can print one closing
// line for the whole repository (scripts/test-summary.mjs).
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default", ["json", { outputFile: ".vitest-report.json" }]],
    // The AWS SDK's notice that releases after January 2027 need Node 22 (docs/development.md),
    // printed once per test file, says nothing about the tests.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
