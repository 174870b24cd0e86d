// Prints one closing line for every vitest run in the repository, from the JSON reports the
// packages wrote: "tests: N passed, N failed, N skipped".
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const mode = process.argv[2];
const dirs = ["packages", "examples"].flatMap((top) =>
  existsSync(top) ? readdirSync(top).map((name) => join(top, name)) : [],
);

let passed = 0;
let failed = 0;
let skipped = 0;
for (const dir of dirs) {
  const file = join(dir, ".vitest-report.json");
  if (!existsSync(file)) continue;
  if (mode === "--clean") {
    rmSync(file);
    continue;
  }
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  // A file that failed to load has no failed test but did fail.
  if (!report.success && report.numFailedTests === 0)
    failed += Math.max(1, report.numFailedTestSuites);
}
if (mode !== "--clean")
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
